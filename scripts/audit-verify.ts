/**
 * `npm run audit:verify [-- --case <caseId>] [-- --anchor]`: verifies the hash-chained case event
 * log (every case, or one) and the anchors; with --anchor first fixes the current heads in a new
 * anchor. Prints a report; exits 1 when anything was edited, deleted or reordered.
 */
import { loadConfig } from '../config';
import { createDb } from '../db/client';
import { createAnchor, verifyAuditTrail } from '../db/repositories/audit';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    process.stderr.write('DATABASE_URL must be set (the database whose audit trail to verify)\n');
    return 2;
  }
  const database = createDb(config.databaseUrl, { max: 1 });
  try {
    if (process.argv.includes('--anchor')) {
      const anchor = await createAnchor(database.db);
      process.stdout.write(`anchor: ${anchor.caseCount} cases up to event ${anchor.upToEventId}: ${anchor.hash}\n`);
    }
    const report = await verifyAuditTrail(database.db, arg('case'));
    process.stdout.write(
      `checked ${report.casesChecked} case(s), ${report.eventsChecked} event(s), ${report.anchorsChecked} anchor(s)\n`,
    );
    for (const p of report.problems)
      process.stdout.write(`PROBLEM ${p.problem} ${p.caseId ?? ''} ${p.chainSeq ?? ''}: ${p.detail}\n`);
    process.stdout.write(
      report.ok ? 'audit trail intact\n' : `audit trail NOT intact: ${report.problems.length} problem(s)\n`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
