/**
 * Benchmark of the contribution file import (`npm run bench:import -- [--rows 50000]`):
 * generates a CSV of `rows` records (people × 12 months), registers the people, imports the
 * file through the same code as `contributions:import`, then imports it again (every row a
 * duplicate), and prints rows per second and memory. Runs in a scratch database: a new database
 * on DATABASE_URL's server when it is set (dropped afterwards), else an embedded PostgreSQL in a
 * temporary directory. Figures are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../config';
import { createDb } from '../db/client';
import { importContributionFile } from '../db/contribution-file';
import { applyMigrations } from '../db/migrate';
import { bootstrapReferenceData } from '../db/seed/bootstrap';
import { addMonths } from '../domain/year-month';
import { chinaDateOf } from '../domain/working-days';
import { generatePeople, generateRecords, registerPeople, writeRecords } from './contribution-data';
import { freePort, startEmbeddedPostgres } from '../composition/local/local-services';

const MONTHS = 12;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Peak RSS and heap over a run, sampled every 50 ms. */
function memorySampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rssMiB: rss / 2 ** 20, heapMiB: heap / 2 ** 20 };
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, keep: { type: 'boolean' } }, strict: true });
  const rows = Number(values.rows ?? 50_000);
  if (!Number.isInteger(rows) || rows < MONTHS) throw new Error('--rows must be an integer ≥ 12');
  const people = Math.ceil(rows / MONTHS);
  const config = loadConfig();
  const say = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  fs.chmodSync(work, 0o755);

  let url: string;
  let cleanup: () => Promise<void>;
  if (config.databaseUrl) {
    const name = `bench_${randomBytes(5).toString('hex')}`;
    await admin(config.databaseUrl, `create database "${name}"`);
    url = withDatabase(config.databaseUrl, name);
    cleanup = () =>
      values.keep ? Promise.resolve() : admin(config.databaseUrl!, `drop database if exists "${name}" with (force)`);
    say(`scratch database ${name} on DATABASE_URL's server`);
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(work, 'postgres'),
      port: await freePort(),
      database: 'bench',
      persistent: false,
    });
    url = pg.url;
    cleanup = () => pg.stop();
    say(`embedded PostgreSQL in ${work} (DATABASE_URL unset)`);
  }

  try {
    await applyMigrations(url);
    const database = createDb(url, { max: 2 });
    try {
      await bootstrapReferenceData(database.db);
      const agencyCode = '620102';
      const from = addMonths(chinaDateOf(Date.now()).slice(0, 7), -MONTHS);
      const crowd = generatePeople(people, { region: agencyCode, seed: 42 });
      const file = path.join(work, 'contributions.csv');
      const written = await writeRecords(
        file,
        'csv',
        (function* () {
          let n = 0;
          for (const r of generateRecords(crowd, { agencyCode, from, months: MONTHS, seed: 42 })) {
            if (n++ >= rows) return;
            yield r;
          }
        })(),
      );
      await registerPeople(database.db, crowd, { agencyCode, personKeySecret: randomBytes(32).toString('hex') });
      say(
        `${written.toLocaleString('en-US')} rows (${people.toLocaleString('en-US')} people × ${MONTHS} months from ${from}), ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB CSV`,
      );
      say(
        `node ${process.version}, ${os.cpus().length} CPU(s), load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );

      const base = process.memoryUsage();
      say(
        `before importing: RSS ${(base.rss / 2 ** 20).toFixed(0)} MiB, heap ${(base.heapUsed / 2 ** 20).toFixed(0)} MiB (generated data included)`,
      );
      for (const label of ['first import (all new)', 'second import (all duplicates)']) {
        const memory = memorySampler();
        const started = process.hrtime.bigint();
        const summary = await importContributionFile(database.db, { file });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const peak = memory.stop();
        say(
          `${label}: ${summary.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s = ${Math.round(summary.rows / seconds).toLocaleString('en-US')} rows/s; ` +
            `accepted ${summary.accepted}, duplicate ${summary.duplicates}, refused ${summary.refused}; ` +
            `peak RSS ${peak.rssMiB.toFixed(0)} MiB, peak heap ${peak.heapMiB.toFixed(0)} MiB`,
        );
      }
    } finally {
      await database.close();
    }
  } finally {
    await cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
