/**
 * Writes a demo / benchmark file of contribution records (valid ID numbers with GB 11643 check
 * digits, amounts = base × the seeded contribution rate):
 *
 *   npm run contributions:generate -- --out data/demo.csv [--people 100] [--months 12]
 *       [--from 2025-01] [--agency 620102] [--format csv|jsonl] [--seed 1] [--bad 0.05] [--register]
 *
 * --bad makes that fraction of rows invalid in assorted ways (to see refusals); --register
 * registers the people with a contributing relation at the agency in DATABASE_URL, so their
 * rows are accepted (the person key uses PERSON_KEY_SECRET, or `npm start`'s
 * DATA_DIR/secrets.json, so the API finds them by the same key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createDb } from '../db/client';
import { formatOfFile } from '../db/contribution-file';
import { addMonths } from '../domain/year-month';
import { chinaDateOf } from '../domain/working-days';
import { generatePeople, generateRecords, registerPeople, writeRecords } from './contribution-data';

function fail(message: string): never {
  process.stderr.write(`[generate] ${message}\n`);
  process.exit(2);
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isInteger(v) || v < min || v > max) fail(`--${name} must be an integer between ${min} and ${max}`);
  return v;
}

function personKeySecret(config: ReturnType<typeof loadConfig>): string {
  if (config.personKeySecret) return config.personKeySecret;
  const file = path.resolve(config.dataDir, 'secrets.json');
  if (fs.existsSync(file))
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { personKeySecret: string }).personKeySecret;
  return fail(`--register needs PERSON_KEY_SECRET (or ${file} from \`npm start\`) so person keys match the API's`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      people: { type: 'string' },
      months: { type: 'string' },
      from: { type: 'string' },
      agency: { type: 'string' },
      format: { type: 'string' },
      seed: { type: 'string' },
      bad: { type: 'string' },
      register: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.out) fail('--out <file> is required');
  const format = (values.format ?? formatOfFile(values.out) ?? 'csv') as 'csv' | 'jsonl';
  if (format !== 'csv' && format !== 'jsonl') fail('--format must be csv or jsonl');
  const people = integer(values.people, 'people', 100, 1, 10_000_000);
  const months = integer(values.months, 'months', 12, 1, 600);
  const seed = integer(values.seed, 'seed', 1, 0, 2 ** 31 - 1);
  const agencyCode = values.agency ?? '620102';
  if (!/^[0-9]{6}$/.test(agencyCode)) fail('--agency must be a 6-digit agency code');
  const from = values.from ?? addMonths(chinaDateOf(Date.now()).slice(0, 7), -months);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(from)) fail('--from must be YYYY-MM');
  const badRatio = values.bad === undefined ? 0 : Number(values.bad);
  if (!(badRatio >= 0 && badRatio <= 1)) fail('--bad must be a fraction between 0 and 1');

  const crowd = generatePeople(people, { region: agencyCode, seed });
  const rows = await writeRecords(
    values.out,
    format,
    generateRecords(crowd, { agencyCode, from, months, seed, badRatio }),
  );
  process.stderr.write(
    `[generate] wrote ${rows.toLocaleString('en-US')} rows (${people} people × ${months} months from ${from}, agency ${agencyCode}) to ${values.out}\n`,
  );

  if (values.register) {
    const config = loadConfig();
    if (!config.databaseUrl) fail('--register needs DATABASE_URL');
    const secret = personKeySecret(config);
    const database = createDb(config.databaseUrl, { max: 2 });
    try {
      await registerPeople(database.db, crowd, { agencyCode, personKeySecret: secret });
    } finally {
      await database.close();
    }
    process.stderr.write(`[generate] registered ${people} people with a contributing relation at ${agencyCode}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[generate] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
