/**
 * A running system for integration tests: the real API (fastify, injected requests), a real
 * worker with the real activities on the shared PostgreSQL, on either the shared Temporal dev
 * server or a time-skipping test server of the test file's own. Each harness has its own task
 * queue.
 */
import { Client, Connection } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createHttpTransferPlatform } from '../../adapters/transfer-platform/platform';
import { createHttpGovernmentSystems } from '../../adapters/government/http';
import { buildApp, type App, type AppDeps } from '../../api/app';
import { createCalendarProvider } from '../../db/calendar-store';
import { createDb, type DbHandle } from '../../db/client';
import { createWorker } from '../../workers/worker';
import { createTimeSkippingEnv, testDataConverter } from './codec';
import { testEnv, uniqueName } from './env';
import { registerSearchAttributesOnTestServer } from './search-attributes';

export interface Harness {
  app: App;
  client: Client;
  db: DbHandle['db'];
  taskQueue: string;
  /** The time-skipping environment, when the harness runs on one. */
  timeSkipping?: TestWorkflowEnvironment;
  /** Skips time on the time-skipping server and keeps the API's clock in step with it. */
  sleep(duration: string | number): Promise<void>;
  /** Starts a worker (another one may be started after stopping the first). */
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this worker process by an earlier test file.
  }
}

/**
 * The API's warnings (a workflow start deferred to the reconciler, and why) on the test run's
 * stderr, one short line each: a test that fails because a start failed says so in the output.
 */
const warningsToStderr = {
  level: 'warn',
  stream: {
    write(line: string): void {
      try {
        const { msg, err, caseId } = JSON.parse(line) as { msg?: string; err?: unknown; caseId?: string };
        process.stderr.write(
          `[api warning] ${msg ?? ''}${caseId ? ` ${caseId}` : ''}${err ? `: ${typeof err === 'string' ? err : JSON.stringify(err)}` : ''}\n`,
        );
      } catch {
        process.stderr.write(`[api warning] ${line}`);
      }
    },
  },
};

export async function startHarness(
  o: {
    timeSkipping?: boolean;
    supplementWorkingDays?: number;
    /** A database of the test's own (default: the run's shared one). */
    databaseUrl?: string;
    logger?: AppDeps['logger'];
    /** Default: limits no test reaches (the rate-limit test sets its own). */
    rateLimit?: AppDeps['rateLimit'];
  } = {},
): Promise<Harness> {
  installRuntime();
  const database = createDb(o.databaseUrl ?? testEnv.databaseUrl, { max: 5, connectionTimeoutMillis: 30_000 });
  const taskQueue = uniqueName('tq');
  let client: Client;
  let nativeConnection: NativeConnection;
  let timeSkipping: TestWorkflowEnvironment | undefined;
  let clientConnection: Connection | undefined;
  if (o.timeSkipping) {
    timeSkipping = await createTimeSkippingEnv();
    await registerSearchAttributesOnTestServer(timeSkipping.connection, timeSkipping.namespace ?? 'default');
    client = timeSkipping.client;
    nativeConnection = timeSkipping.nativeConnection;
  } else {
    clientConnection = await Connection.connect({ address: testEnv.temporalAddress });
    client = new Client({ connection: clientConnection, namespace: 'default', dataConverter: testDataConverter() });
    nativeConnection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  }
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue,
    personKeySecret: testEnv.personKeySecret,
    auth: testEnv.auth,
    assertions: testEnv.assertions,
    supplementWorkingDays: o.supplementWorkingDays ?? 10,
    logger: o.logger ?? warningsToStderr,
    rateLimit: o.rateLimit ?? { perTokenPerMinute: 1_000_000, anonymousPerMinute: 1_000_000 },
    // On the time-skipping server the API must receive cases at the server's (skipped) time.
    now: timeSkipping ? () => new Date(Date.now() + clockOffsetMs) : undefined,
    // ... and sign at it: the workflows compare an assertion's time with theirs.
    assertionClock: timeSkipping ? () => Date.now() + clockOffsetMs : undefined,
  });
  let clockOffsetMs = 0;
  const syncClock = async () => {
    if (timeSkipping) clockOffsetMs = (await timeSkipping.currentTimeMs()) - Date.now();
  };
  await syncClock();

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const harness: Harness = {
    app,
    client,
    db: database.db,
    taskQueue,
    timeSkipping,
    async sleep(duration) {
      if (!timeSkipping) throw new Error('sleep() needs a time-skipping harness');
      await timeSkipping.sleep(duration);
      await syncClock();
    },
    async startWorker() {
      worker = await createWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        deps: {
          db: database.db,
          calendar: createCalendarProvider(database.db),
          platform: createHttpTransferPlatform(testEnv.platformUrl),
          government: createHttpGovernmentSystems(testEnv.governmentUrl),
          assertionPublicKeys: testEnv.assertionPublicKeys,
        },
        workflowBundle: { codePath: testEnv.workflowBundlePath },
        dataConverter: testDataConverter(),
      });
      running = worker.run();
      return worker;
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = undefined;
    },
    async stop() {
      await harness.stopWorker();
      await app.close();
      if (timeSkipping) await timeSkipping.teardown();
      else {
        await nativeConnection.close();
        await clientConnection?.close();
      }
      await database.close();
    },
  };
  await harness.startWorker();
  return harness;
}
