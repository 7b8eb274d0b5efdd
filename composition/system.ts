/**
 * Composes the running system on given PostgreSQL and Temporal addresses: migrations, the
 * calendar, the worker, the API, the Temporal schedules and the reconciler. The run command
 * uses it on top of the embedded servers; the end-to-end tests use it on top of the test servers.
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { buildApp, type App, type AppDeps } from '../api/app';
import type { AssertionSigner } from '../api/auth/assertions';
import { platformDeliveryToken, type TokenSettings } from '../api/auth/tokens';
import { createCaseStarter } from '../api/services/case-starter';
import { createParameterService } from '../api/services/parameters';
import { reconcileTipOffAudits } from '../api/services/tip-off-audits';
import { exportClosedCaseHistories } from '../api/services/history-export';
import { armDueRetirementWatches } from '../api/services/watches';
import { closeOrphanedCases } from '../api/services/orphans';
import { createHttpGovernmentSystems } from '../adapters/government/http';
import { createHttpTransferPlatform } from '../adapters/transfer-platform/platform';
import { agencies } from '../db/schema';
import { bootstrapReferenceData } from '../db/seed/bootstrap';
import { createCalendarProvider } from '../db/calendar-store';
import { createDb } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { dataConverter, type PayloadKeys } from '../workers/payload-codec';
import { createWorker, superviseWorker } from '../workers/worker';
import { ensureSystemSchedules } from './schedules';
import { ensureSearchAttributes } from './temporal-admin';
import type { TemporalTls } from './temporal-tls';

export interface SystemOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  personKeySecret: string;
  /** How the API verifies bearer tokens. */
  auth: TokenSettings;
  /** The API's signature on workflow inputs; the in-process worker trusts its public key. */
  assertions: AssertionSigner;
  /** Public keys the in-process worker trusts; default the signer's own. */
  assertionPublicKeys?: Record<string, string>;
  /** Payload encryption keys: every client and worker of the system (and the codec server) use them. */
  payloadKeys: PayloadKeys;
  /** Origins of the Temporal Web UI allowed to call the codec server; default the local dev UI. */
  codecCorsOrigins?: string[];
  supplementWorkingDays: number;
  /** The help-line the service guide publishes (SERVICE_HOTLINE). */
  serviceHotline?: string;
  /** The national transfer platform (or its simulator). */
  platformUrl: string;
  /** The tax feed, archive service and death registry (or their simulator). */
  governmentUrl: string;
  /** How the platform reaches this API; default the API's own listen address. */
  publicUrl?: string;
  servedAgencies?: string[];
  api?: { host: string; port: number };
  logger?: boolean | { level: string };
  /** Requests per minute per verified user and per address without a token (default 600 / 120). */
  rateLimit?: AppDeps['rateLimit'];
  /** The run a run-bound codec credential names (the run command's Web UI). */
  codecRun?: string;
  /** The worker runtime's Prometheus endpoint, appended to the API's /metrics. */
  runtimeMetricsUrl?: string;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** mTLS to the Temporal frontend (composition/temporal-tls.ts); undefined: plain gRPC. */
  temporalTls?: TemporalTls;
  /** Run the worker in this process (default true). */
  worker?: boolean;
  reconcileEveryMs?: number;
}

export interface RunningSystem {
  app: App;
  worker?: Worker;
  client: Client;
  url?: string;
  stop(): Promise<void>;
}

/** Waits for `promise` at most `ms` (its failure is ignored: this is for stopping). */
function bounded(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

export async function startSystem(o: SystemOptions): Promise<RunningSystem> {
  await applyMigrations(o.databaseUrl);
  const database = createDb(o.databaseUrl);
  await bootstrapReferenceData(database.db);
  const platform = createHttpTransferPlatform(o.platformUrl);
  const government = createHttpGovernmentSystems(o.governmentUrl);

  // Fewer retries than the SDK's default ten (about 15 s): with Temporal down, a request fails
  // within a second or two (503) instead of hanging; the API's dependency probe fails it at once.
  const clientConnection = await Connection.connect({
    address: o.temporalAddress,
    ...(o.temporalTls ? { tls: o.temporalTls } : {}),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  });
  await ensureSearchAttributes(clientConnection, o.namespace);
  const converter = dataConverter(o.payloadKeys);
  const client = new Client({ connection: clientConnection, namespace: o.namespace, dataConverter: converter });
  // Periodic jobs (the daily tax-feed pull, …): created or brought up to date, idempotently.
  await ensureSystemSchedules(client, { taskQueue: o.taskQueue, servedAgencies: o.servedAgencies });

  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  let stopping = false;
  const built: { app?: App } = {};
  const log = (message: string, fields: Record<string, unknown> = {}): void => {
    if (built.app) built.app.log.warn(fields, message);
    else process.stderr.write(`[system] ${message}\n`);
  };
  if (o.worker !== false) {
    workerConnection = await NativeConnection.connect({
      address: o.temporalAddress,
      ...(o.temporalTls ? { tls: o.temporalTls } : {}),
    });
    const connection = workerConnection;
    const newWorker = () =>
      createWorker({
        connection,
        namespace: o.namespace,
        taskQueue: o.taskQueue,
        deps: {
          db: database.db,
          calendar: createCalendarProvider(database.db),
          platform,
          government,
          assertionPublicKeys: o.assertionPublicKeys ?? { [o.assertions.kid]: o.assertions.publicKeyHex },
        },
        workflowBundle: o.workflowBundle,
        dataConverter: converter,
      });
    worker = await newWorker();
    workerDone = superviseWorker({
      first: worker,
      create: newWorker,
      stopping: () => stopping,
      onRestart: (w) => (worker = w),
      log: (message, err) => log(message, { err: err instanceof Error ? err.message : undefined }),
    });
  }

  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: o.taskQueue,
    personKeySecret: o.personKeySecret,
    auth: o.auth,
    assertions: o.assertions,
    codecCorsOrigins: o.codecCorsOrigins,
    supplementWorkingDays: o.supplementWorkingDays,
    serviceHotline: o.serviceHotline,
    servedAgencies: o.servedAgencies,
    logger: o.logger,
    rateLimit: o.rateLimit,
    codecRun: o.codecRun,
    runtimeMetricsUrl: o.runtimeMetricsUrl,
  });
  built.app = app;
  let url: string | undefined;
  if (o.api) url = await app.listen({ host: o.api.host, port: o.api.port });
  const inboundBase = o.publicUrl ?? url;
  if (inboundBase) {
    const served =
      o.servedAgencies ?? (await database.db.select({ code: agencies.code }).from(agencies)).map((a) => a.code);
    // The platform delivers with a transfer_platform token minted here, signed with the API's key.
    for (const code of served)
      await platform.registerInbound(
        code,
        `${inboundBase.replace(/\/$/, '')}/api/v1/platform/messages`,
        platformDeliveryToken(o.auth, code),
      );
  }

  const starter = createCaseStarter({
    db: database.db,
    temporal: client,
    taskQueue: o.taskQueue,
    assertions: o.assertions,
  });
  const parameters = createParameterService({ db: database.db, temporal: client, taskQueue: o.taskQueue });
  const reconcileEveryMs = o.reconcileEveryMs ?? 30_000;
  // Workflows closed since the last pass that found none to look at (the first pass looks at all).
  let orphansSince: Date | undefined;
  const reconcile = (): void => {
    // A case younger than the grace is left to the request that is starting it.
    starter.reconcile(Math.min(30_000, reconcileEveryMs)).then(
      (started) => {
        if (started.length > 0) app.log.info({ started }, 'started workflows of cases that had none');
      },
      (err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconcile failed'),
    );
    // B-7: the retirement watches whose pre-review date is near (noted by enrollments).
    armDueRetirementWatches({ db: database.db, client, taskQueue: o.taskQueue, nowMs: Date.now() }).then(
      (started) => {
        if (started > 0) app.log.info({ started }, 'started retirement watches of pre-reviews coming due');
      },
      (err: unknown) =>
        app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'arming retirement watches failed'),
    );
    // A tip-off audit written without its clock (the API stopped before starting its workflow).
    reconcileTipOffAudits({ db: database.db, temporal: client, taskQueue: o.taskQueue, assertions: o.assertions }).then(
      (started) => {
        if (started.length > 0) app.log.info({ audits: started }, 'started the clocks of tip-off audits that had none');
      },
      (err: unknown) =>
        app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'tip-off audit reconcile failed'),
    );
    // A parameter publication whose fan-out never finished (woken cases, recalculated awards).
    parameters.reconcileFanOuts().then(
      (started) => {
        if (started.length > 0)
          app.log.info({ publications: started }, 'fan-out of parameter publications (re)started');
      },
      (err: unknown) =>
        app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'parameter fan-out reconcile failed'),
    );
    // Open cases whose workflow failed, was terminated or timed out: closed as failed, a supervisor's task.
    const passStarted = new Date(Date.now() - 5 * 60_000);
    closeOrphanedCases({ db: database.db, temporal: client, taskQueue: o.taskQueue }, orphansSince).then(
      (failed) => {
        orphansSince = passStarted;
        if (failed.length > 0)
          app.log.warn({ failed }, 'closed cases whose workflow had ended as failed; supervisors have a task each');
      },
      (err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'orphan check failed'),
    );
  };
  const timer = setInterval(reconcile, reconcileEveryMs);
  timer.unref();
  reconcile();
  // Closed cases' histories go to PostgreSQL long before Temporal's retention deletes them.
  const exportHistories = (): void => {
    exportClosedCaseHistories(client, database.db).then(
      (done) => {
        if (done.length > 0) app.log.info({ exported: done.length }, 'exported closed case histories');
      },
      (err: unknown) =>
        app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'history export failed'),
    );
  };
  const exportTimer = setInterval(exportHistories, 60_000);
  exportTimer.unref();

  return {
    app,
    worker,
    client,
    url,
    async stop() {
      // Each step is bounded: with PostgreSQL or Temporal down, none of them may hold the stop up.
      stopping = true;
      clearInterval(timer);
      clearInterval(exportTimer);
      await bounded(app.close(), 3000);
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await bounded(workerDone, 5000);
      await bounded(workerConnection?.close(), 1000);
      await bounded(clientConnection.close(), 1000);
      await bounded(database.close(), 1000);
    },
  };
}
