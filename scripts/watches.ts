/**
 * The retirement watches (B-7) of existing data, against a running system:
 *  - `npm run watches:arm`: starts the watch of every insured person (contributing or
 *    interrupted relation) that has none running; persons enrolled from now on are armed by
 *    their enrollment;
 *  - `npm run watches:rules-changed -- --note "<document>"`: the retirement rules or parameters
 *    changed (e.g. the female flexible workers' original age); every watch computes again.
 * DATABASE_URL / TEMPORAL_ADDRESS name the system; unset, those of `npm start` on this machine.
 * The payloads are encrypted with PAYLOAD_KEYS, or the local key of `npm start`.
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createDb } from '../db/client';
import { armAllRetirementWatches, signalAllRulesChanged } from '../api/services/watches';
import { dataConverter } from '../workers/payload-codec';
import { assertionSignerForTool, payloadKeysForTool } from '../composition/payload-keys';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'arm' && command !== 'rules-changed')
    throw new Error('usage: tsx scripts/watches.ts arm | rules-changed --note "<why>"');
  const note = arg('note');
  if (command === 'rules-changed' && !note?.trim())
    throw new Error('rules-changed needs --note "<the document or reason>"');
  const config = loadConfig();
  const payloadKeys = payloadKeysForTool(config);
  const database = createDb(
    config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/pension`,
    { max: 2 },
  );
  const connection = await Connection.connect({
    address: config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`,
  });
  const client = new Client({
    connection,
    namespace: config.temporalNamespace,
    dataConverter: dataConverter(payloadKeys),
  });
  try {
    const deps = { db: database.db, client, taskQueue: config.taskQueue };
    if (command === 'arm') {
      const r = await armAllRetirementWatches(deps);
      process.stdout.write(
        `retirement watches: ${r.persons} insured person(s), ${r.started} watch(es) started, ${r.persons - r.started} already running\n`,
      );
    } else {
      const r = await signalAllRulesChanged({
        ...deps,
        note: note!.trim(),
        actor: { id: 'watches:rules-changed', role: 'system' },
        signer: assertionSignerForTool(config),
      });
      process.stdout.write(
        `retirement watches: ${r.signalled} signalled to compute again; ${r.noted} persons without a running watch had their pre-review date computed again\n`,
      );
    }
  } finally {
    await connection.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`watches: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
