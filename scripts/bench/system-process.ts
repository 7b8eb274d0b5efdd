/**
 * The system under test of `npm run bench`, in a process of its own so that its memory and CPU
 * are measured apart from the load generator: the API and the case worker exactly as
 * `npm start` composes them (composition/system.ts, workers/worker.ts), plus the baseline's no-op
 * worker on a task queue of its own, on the same Temporal connection settings.
 *
 * Started by scripts/bench.ts with fork(); talks over the IPC channel:
 *   parent → { type: 'start', options } | { type: 'deadlineAt', atMs } | { type: 'status' } | { type: 'stop' }
 *   child  → { type: 'ready', url } | { type: 'status', … } | { type: 'stopped' } | { type: 'error', message }
 *
 * `deadlineAt` makes every statutory deadline projected from then on fall due at that instant
 * (the midnight burst: every deadline of a day fires at 00:00 China time); the rest of the
 * deadline machinery — timers, breach records, search attributes — is the production code.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { createHttpGovernmentSystems } from '../../adapters/government/http';
import { createHttpTransferPlatform } from '../../adapters/transfer-platform/platform';
import { createCalendarActivities } from '../../activities/calendar';
import { exportClosedCaseHistories } from '../../api/services/history-export';
import { armDueRetirementWatches } from '../../api/services/watches';
import { createCalendarProvider } from '../../db/calendar-store';
import { createDb } from '../../db/client';
import { chinaDateOf } from '../../domain/working-days';
import { dataConverter, parsePayloadKeys } from '../../workers/payload-codec';
import { createWorker, DEFAULT_WORKER_TUNING, type WorkerTuning } from '../../workers/worker';
import { assertionSigner } from '../../api/auth/assertions';
import { startSystem } from '../../composition/system';
import { createNoopActivities } from './noop-activities';

export interface BenchSystemOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  noopTaskQueue: string;
  personKeySecret: string;
  authKeyHex: string;
  /** PAYLOAD_KEYS form: `keyId:<64 hex>`. */
  payloadKeys: string;
  caseBundlePath: string;
  noopBundlePath: string;
  /** ASSERTION_SIGNING_KEY form: the API signs every input it sends a workflow (trust boundary). */
  assertionKey: string;
  /** The government-systems simulator the enrollment's data comparison calls (death registry, other provinces). */
  governmentUrl: string;
  /** The transfer platform's simulator (the comparison with other provinces' registers). */
  platformUrl: string;
  tuning?: Partial<WorkerTuning>;
}

type Message =
  | { type: 'start'; options: BenchSystemOptions }
  | { type: 'deadlineAt'; atMs: number | null }
  | { type: 'status' }
  | { type: 'sqlcounts' }
  | { type: 'catchUp' }
  | { type: 'stop' };

function send(message: unknown): void {
  process.send?.(message);
}

// Every SQL statement this process sends (the API's and the activities'), counted so the
// benchmark can report statements per case: a figure the machine's load does not blur.
// With BENCH_SQL set, also by statement (the first 90 characters), for `npm run bench` to list.
let statements = 0;
const byStatement = new Map<string, number>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply() below
const query = PgClient.prototype.query as (...args: unknown[]) => unknown;
PgClient.prototype.query = function (this: PgClient, ...args: unknown[]) {
  statements += 1;
  if (process.env.BENCH_SQL) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').slice(0, 90);
    byStatement.set(key, (byStatement.get(key) ?? 0) + 1);
  }
  return query.apply(this, args);
} as typeof PgClient.prototype.query;

let stopAll: (() => Promise<void>) | undefined;
/** What the reconciler and the history export do every half minute and minute, done now and to the end. */
let catchUp: (() => Promise<number>) | undefined;
let deadlineAtMs: number | null = null;
const workers: Worker[] = [];

async function start(o: BenchSystemOptions): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const payloadKeys = parsePayloadKeys(o.payloadKeys);
  const tuning: WorkerTuning = { ...DEFAULT_WORKER_TUNING, ...o.tuning };
  const converter = dataConverter(payloadKeys);
  const assertions = assertionSigner(o.assertionKey);
  const assertionPublicKeys = { [assertions.kid]: assertions.publicKeyHex };
  const system = await startSystem({
    databaseUrl: o.databaseUrl,
    temporalAddress: o.temporalAddress,
    namespace: 'default',
    taskQueue: o.taskQueue,
    personKeySecret: o.personKeySecret,
    auth: { key: Buffer.from(o.authKeyHex, 'hex'), issuer: 'flex-pension', audience: 'flex-pension-api' },
    payloadKeys,
    supplementWorkingDays: 10,
    // The enrollment's data comparison queries both simulators; no agency registers for
    // inbound platform messages (servedAgencies: none), as enrollments never receive any.
    platformUrl: o.platformUrl,
    governmentUrl: o.governmentUrl,
    assertions,
    assertionPublicKeys,
    // The benchmark reads as one staff member, far faster than any person: it measures the
    // system, not the per-caller limit (RATE_LIMIT_PER_TOKEN), which stays at its default elsewhere.
    rateLimit: { perTokenPerMinute: 10_000_000, anonymousPerMinute: 10_000_000 },
    servedAgencies: [],
    api: { host: '127.0.0.1', port: 0 },
    logger: { level: 'error' },
    worker: false,
  });

  const database = createDb(o.databaseUrl);
  const calendar = createCalendarProvider(database.db);
  const real = createCalendarActivities({ calendar });
  const connection = await NativeConnection.connect({ address: o.temporalAddress });
  const caseWorker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue: o.taskQueue,
    deps: {
      db: database.db,
      calendar,
      platform: createHttpTransferPlatform(o.platformUrl),
      government: createHttpGovernmentSystems(o.governmentUrl),
      assertionPublicKeys,
    },
    workflowBundle: { codePath: o.caseBundlePath },
    dataConverter: converter,
    tuning,
    activityOverrides: {
      async projectDeadline(input) {
        const projection = await real.projectDeadline(input);
        if (deadlineAtMs === null) return projection;
        return {
          ...projection,
          dueDate: chinaDateOf(deadlineAtMs),
          dueAtMs: deadlineAtMs,
          reminderAtMs: null,
          provisional: false,
        };
      },
    },
  });
  const noopWorker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: o.noopTaskQueue,
    activities: createNoopActivities(),
    workflowBundle: { codePath: o.noopBundlePath },
    dataConverter: converter,
    // The same slots and cache as the case worker: only the workflow differs.
    ...tuning,
    shutdownGraceTime: '5 seconds',
  });
  workers.push(caseWorker, noopWorker);
  catchUp = async () => {
    let exported = 0;
    for (;;) {
      const done = await exportClosedCaseHistories(system.client, database.db, 500);
      exported += done.length;
      if (done.length === 0) break;
    }
    await armDueRetirementWatches({
      db: database.db,
      client: system.client,
      taskQueue: o.taskQueue,
      nowMs: Date.now(),
    });
    return exported;
  };
  const running = workers.map((w) => w.run());
  stopAll = async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.allSettled(running);
    await connection.close();
    await database.close();
    await system.stop();
  };
  send({ type: 'ready', url: system.url, pid: process.pid, tuning });
}

process.on('message', (m: Message) => {
  if (m.type === 'start') {
    start(m.options).catch((err: unknown) => {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    });
  } else if (m.type === 'deadlineAt') {
    deadlineAtMs = m.atMs;
    send({ type: 'deadlineAt', atMs: m.atMs });
  } else if (m.type === 'status') {
    const memory = process.memoryUsage();
    send({
      type: 'status',
      memory: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
      },
      // The workflow thread's V8 heap is not in process.memoryUsage(); the cached workflows live there.
      cachedWorkflows: workers.map((w) => w.getStatus().numCachedWorkflows),
      statements,
    });
  } else if (m.type === 'catchUp') {
    (catchUp ?? (async () => 0))().then(
      (exported) => send({ type: 'caughtUp', exported }),
      (err: unknown) =>
        send({ type: 'caughtUp', exported: 0, error: err instanceof Error ? err.message : String(err) }),
    );
  } else if (m.type === 'sqlcounts') {
    send({ type: 'sqlcounts', counts: [...byStatement] });
    byStatement.clear();
  } else if (m.type === 'stop') {
    (stopAll ?? (async () => undefined))().then(
      () => {
        send({ type: 'stopped' });
        process.exit(0);
      },
      (err: unknown) => {
        send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  }
});
// The parent went away (killed, crashed): stop rather than run on as an orphan.
process.on('disconnect', () => process.exit(0));
