/**
 * Production worker entry point: connects to an external PostgreSQL and Temporal cluster
 * (DATABASE_URL and TEMPORAL_ADDRESS are required here) and runs until SIGINT/SIGTERM.
 */
import { NativeConnection } from '@temporalio/worker';
import { createHttpTransferPlatform } from '../adapters/transfer-platform/platform';
import { loadConfig } from '../config';
import { createDb } from '../db/client';
import { createCalendarProvider } from '../db/calendar-store';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress || !config.platformUrl) {
    throw new Error('DATABASE_URL, TEMPORAL_ADDRESS and PLATFORM_URL must be set for the standalone worker');
  }
  const database = createDb(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await createWorker({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      deps: { db: database.db, calendar: createCalendarProvider(database.db), platform: createHttpTransferPlatform(config.platformUrl) },
    });
    await worker.run();
  } finally {
    await connection.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
