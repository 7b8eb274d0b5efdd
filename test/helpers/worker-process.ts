/**
 * A worker in an OS process of its own, for tests that kill a worker with SIGKILL in the middle
 * of an activity (see spawn-worker.ts, which starts it):
 *   node --import tsx test/helpers/worker-process.ts --database-url <url> --temporal-address <host:port>
 *     --task-queue <queue> --workflow-bundle <path> --platform-url <url> --government-url <url> [--identity <name>]
 * Each setting may come from the environment instead (TEST_DATABASE_URL, TEST_TEMPORAL_ADDRESS,
 * WORKER_TASK_QUEUE, TEST_WORKFLOW_BUNDLE, TEST_PLATFORM_URL, TEST_GOVERNMENT_URL,
 * WORKER_IDENTITY); the payload keys only from TEST_PAYLOAD_KEYS (inherited, never an argument). It runs the real activities and the prebuilt workflow bundle through
 * workers/worker.ts, prints "worker running <identity>" once it polls, and shuts down gracefully
 * on SIGINT/SIGTERM. No jest here: it is a plain program.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createHttpTransferPlatform } from '../../adapters/transfer-platform/platform';
import { createHttpGovernmentSystems } from '../../adapters/government/http';
import { createCalendarProvider } from '../../db/calendar-store';
import { createDb } from '../../db/client';
import { dataConverter, parsePayloadKeys } from '../../workers/payload-codec';
import { createWorker } from '../../workers/worker';
import { assertionSigner } from '../../api/auth/assertions';

function optional(flag: string, envName: string): string | undefined {
  const i = process.argv.indexOf(`--${flag}`);
  return (i >= 0 ? process.argv[i + 1] : process.env[envName]) || undefined;
}

function setting(flag: string, envName: string): string {
  const value = optional(flag, envName);
  if (!value) throw new Error(`--${flag} (or ${envName}) is required`);
  return value;
}

async function main(): Promise<void> {
  const databaseUrl = setting('database-url', 'TEST_DATABASE_URL');
  const temporalAddress = setting('temporal-address', 'TEST_TEMPORAL_ADDRESS');
  const taskQueue = setting('task-queue', 'WORKER_TASK_QUEUE');
  const workflowBundle = setting('workflow-bundle', 'TEST_WORKFLOW_BUNDLE');
  const platformUrl = setting('platform-url', 'TEST_PLATFORM_URL');
  const governmentUrl = setting('government-url', 'TEST_GOVERNMENT_URL');
  const identity = optional('identity', 'WORKER_IDENTITY') ?? `worker-process-${process.pid}`;
  // Inherited from the jest process (never on the command line, where `ps` would show it).
  const payloadKeys = process.env.TEST_PAYLOAD_KEYS;
  if (!payloadKeys) throw new Error('TEST_PAYLOAD_KEYS is required (the worker encrypts its payloads)');
  const assertionKey = process.env.TEST_ASSERTION_KEY;
  if (!assertionKey) throw new Error('TEST_ASSERTION_KEY is required (the workflows verify the API’s assertions)');
  const signer = assertionSigner(assertionKey);
  const assertionPublicKeys = { [signer.kid]: signer.publicKeyHex };

  Runtime.install({ logger: new DefaultLogger('WARN') });
  const database = createDb(databaseUrl, { max: 5 });
  const connection = await NativeConnection.connect({ address: temporalAddress });
  try {
    const worker = await createWorker({
      connection,
      namespace: 'default',
      taskQueue,
      identity,
      deps: {
        db: database.db,
        calendar: createCalendarProvider(database.db),
        platform: createHttpTransferPlatform(platformUrl),
        government: createHttpGovernmentSystems(governmentUrl),
        assertionPublicKeys,
      },
      workflowBundle: { codePath: workflowBundle },
      dataConverter: dataConverter(parsePayloadKeys(payloadKeys)),
    });
    // The Temporal runtime turns SIGINT/SIGTERM into a graceful shutdown, which ends run().
    const running = worker.run();
    process.stdout.write(`worker running ${identity}\n`);
    await running;
  } finally {
    await connection.close();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[worker-process] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
