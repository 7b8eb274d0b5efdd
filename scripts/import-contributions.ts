/**
 * Imports a file of contribution records (C-1) received from the tax department:
 *
 *   npm run contributions:import -- --file <path> [--format csv|jsonl]
 *
 * The file is streamed and imported in chunks of 1000 rows (db/contribution-file.ts), one
 * batch in `contribution_batches`. Progress goes to stderr (a bar on a terminal, a line every
 * few seconds otherwise); the summary (accepted / duplicate / refused, refusals grouped by code
 * with their first line numbers) goes to stdout. Exit 0 when the file was imported, even with
 * refused rows; 1 on an I/O or database failure (including a file that cannot be read as
 * contribution records at all, e.g. a CSV header lacking a column); 2 on a usage error.
 * DATABASE_URL (read through config.ts) names the database. Output never contains an ID number
 * or a name.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DrizzleQueryError } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config';
import { createDb } from '../db/client';
import {
  formatOfFile,
  importContributionFile,
  type ContributionFileFormat,
  type FileProgress,
} from '../db/contribution-file';
import type { ImportSummary } from '../db/repositories/contributions';

const USAGE = 'usage: npm run contributions:import -- --file <path> [--format csv|jsonl]';

class UsageError extends Error {}

const n = (x: number) => x.toLocaleString('en-US');

/** Progress on stderr: a redrawn bar on a terminal, periodic lines otherwise. */
export function progressReporter(stream: NodeJS.WriteStream, o: { intervalMs?: number } = {}) {
  const started = Date.now();
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0;
  let lastLine = started;
  let drawn = false;
  const rate = (rows: number) => Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001));
  return {
    update(p: FileProgress): void {
      const now = Date.now();
      const fraction = p.totalBytes > 0 ? Math.min(p.bytesRead / p.totalBytes, 1) : 1;
      const pct = Math.floor(fraction * 100);
      const counts = `accepted ${n(p.accepted)} · duplicate ${n(p.duplicates)} · refused ${n(p.refused)}`;
      if (tty) {
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        const width = 24;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r导入中 [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${n(p.rows)} rows · ${n(rate(p.rows))} rows/s · ${counts}\x1b[K`,
        );
        drawn = true;
      } else if (now - lastLine >= (o.intervalMs ?? 5000)) {
        lastLine = now;
        stream.write(`[import] ${pct}% · ${n(p.rows)} rows · ${n(rate(p.rows))} rows/s · ${counts}\n`);
      }
    },
    done(): void {
      if (tty && drawn) stream.write('\n');
    },
  };
}

/** The summary printed at the end (no personal data: counts, codes, line numbers). */
export function formatSummary(s: ImportSummary, o: { file: string; seconds: number }): string {
  const lines = [
    `缴费记录导入完成 contribution records imported: ${path.basename(o.file)} (batch ${s.batchId})`,
    `  rows       ${n(s.rows).padStart(9)}   行数`,
    `  accepted   ${n(s.accepted).padStart(9)}   接收`,
    `  duplicate  ${n(s.duplicates).padStart(9)}   重复（该月已按相同基数记录）`,
    `  refused    ${n(s.refused).padStart(9)}   拒收`,
  ];
  if (s.resumed > 0) lines.push(`  resumed    ${n(s.resumed).padStart(9)}   中断缴费的关系恢复为参保缴费`);
  lines.push(
    `  time       ${o.seconds.toFixed(1).padStart(8)}s   ${n(Math.round(s.rows / Math.max(o.seconds, 0.001)))} rows/s`,
  );
  if (s.byReason.length > 0) {
    lines.push('refusals by reason 拒收原因:');
    const width = Math.max(...s.byReason.map((g) => g.reason.length));
    for (const g of s.byReason) {
      const more = g.count > g.firstLines.length ? ', …' : '';
      lines.push(
        `  ${g.reason.padEnd(width)}  ${n(g.count).padStart(7)}  ${g.text}; lines ${g.firstLines.join(', ')}${more}`,
      );
    }
    lines.push(`every refused line with its reason is kept in contribution_batches (id ${s.batchId})`);
  }
  return `${lines.join('\n')}\n`;
}

/** An error for stderr: drizzle puts query parameters (ID numbers, names) in its message, so not those. */
function describeError(err: unknown): string {
  if (err instanceof DrizzleQueryError) {
    const cause = err.cause as { code?: string; message?: string } | undefined;
    return `database error${cause?.code ? ` ${cause.code}` : ''}: ${cause?.message ?? 'query failed'} (query: ${err.query.slice(0, 200)})`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

function parse(argv: string[]): { file: string; format: ContributionFileFormat } {
  let values: { file?: string; format?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { file: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.file) throw new UsageError('--file is required');
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'jsonl')
    throw new UsageError(`--format must be csv or jsonl, got "${values.format}"`);
  const format = values.format ?? formatOfFile(values.file);
  if (!format)
    throw new UsageError(
      `cannot tell the format of ${path.basename(values.file)} from its name: pass --format csv or --format jsonl`,
    );
  return { file: values.file, format };
}

async function main(): Promise<number> {
  let args: { file: string; format: ContributionFileFormat };
  let databaseUrl: string;
  try {
    args = parse(process.argv.slice(2));
    const config = loadConfig();
    if (!config.databaseUrl) {
      throw new UsageError(
        'DATABASE_URL must be set (for `npm start`’s embedded database: postgres://postgres:postgres@127.0.0.1:5433/pension)',
      );
    }
    databaseUrl = config.databaseUrl;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`[import] ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }

  const database = createDb(databaseUrl, { max: 2 });
  const progress = progressReporter(process.stderr);
  const started = Date.now();
  try {
    const summary = await importContributionFile(database.db, {
      file: args.file,
      format: args.format,
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    process.stdout.write(formatSummary(summary, { file: args.file, seconds: (Date.now() - started) / 1000 }));
    return 0;
  } catch (err) {
    progress.done();
    process.stderr.write(`[import] failed: ${describeError(err)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`[import] failed: ${describeError(err)}\n`);
      process.exit(1);
    },
  );
}
