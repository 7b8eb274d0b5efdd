/**
 * Composes the running system on given PostgreSQL and Temporal addresses: migrations, the
 * calendar, the worker, the API, the Temporal schedules and the reconciler. The run command
 * uses it on top of the embedded servers; the end-to-end tests use it on top of the test servers.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { buildApp, type App, type AppDeps } from '../api/app';
import { platformDeliveryToken, type TokenSettings } from '../api/auth/tokens';
import { createCaseStarter } from '../api/services/case-starter';
import { exportClosedCaseHistories } from '../api/services/history-export';
import { createHttpGovernmentSystems } from '../adapters/government/http';
import { createHttpTransferPlatform } from '../adapters/transfer-platform/platform';
import { agencies } from '../db/schema';
import { bootstrapReferenceData } from '../db/seed/bootstrap';
import { createCalendarProvider } from '../db/calendar-store';
import { createDb } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { dataConverter, type PayloadKeys } from '../workers/payload-codec';
import { createWorker } from '../workers/worker';
import { ensureSystemSchedules } from './schedules';
import { ensureSearchAttributes } from './temporal-admin';

export interface SystemOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  personKeySecret: string;
  /** How the API verifies bearer tokens. */
  auth: TokenSettings;
  /** Payload encryption keys: every client and worker of the system (and the codec server) use them. */
  payloadKeys: PayloadKeys;
  /** Origins of the Temporal Web UI allowed to call the codec server; default the local dev UI. */
  codecCorsOrigins?: string[];
  supplementWorkingDays: number;
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

export async function startSystem(o: SystemOptions): Promise<RunningSystem> {
  await applyMigrations(o.databaseUrl);
  const database = createDb(o.databaseUrl);
  await bootstrapReferenceData(database.db);
  const platform = createHttpTransferPlatform(o.platformUrl);
  const government = createHttpGovernmentSystems(o.governmentUrl);

  const clientConnection = await Connection.connect({ address: o.temporalAddress });
  await ensureSearchAttributes(clientConnection, o.namespace);
  const converter = dataConverter(o.payloadKeys);
  const client = new Client({ connection: clientConnection, namespace: o.namespace, dataConverter: converter });
  // Periodic jobs (the daily tax-feed pull, …): created or brought up to date, idempotently.
  await ensureSystemSchedules(client, { taskQueue: o.taskQueue });

  let worker: Worker | undefined;
  let workerDone: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (o.worker !== false) {
    workerConnection = await NativeConnection.connect({ address: o.temporalAddress });
    worker = await createWorker({
      connection: workerConnection,
      namespace: o.namespace,
      taskQueue: o.taskQueue,
      deps: { db: database.db, calendar: createCalendarProvider(database.db), platform, government },
      workflowBundle: o.workflowBundle,
      dataConverter: converter,
    });
    workerDone = worker.run();
  }

  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: o.taskQueue,
    personKeySecret: o.personKeySecret,
    auth: o.auth,
    codecCorsOrigins: o.codecCorsOrigins,
    supplementWorkingDays: o.supplementWorkingDays,
    servedAgencies: o.servedAgencies,
    logger: o.logger,
    rateLimit: o.rateLimit,
    codecRun: o.codecRun,
    runtimeMetricsUrl: o.runtimeMetricsUrl,
  });
  let url: string | undefined;
  if (o.api) url = await app.listen({ host: o.api.host, port: o.api.port });
  const inboundBase = o.publicUrl ?? url;
  if (inboundBase) {
    const served = o.servedAgencies ?? (await database.db.select({ code: agencies.code }).from(agencies)).map((a) => a.code);
    // The platform delivers with a transfer_platform token minted here, signed with the API's key.
    for (const code of served) await platform.registerInbound(code, `${inboundBase.replace(/\/$/, '')}/api/v1/platform/messages`, platformDeliveryToken(o.auth, code));
  }

  const starter = createCaseStarter({ db: database.db, temporal: client, taskQueue: o.taskQueue });
  const reconcile = (): void => {
    starter.reconcile().then(
      (started) => {
        if (started.length > 0) app.log.info({ started }, 'started workflows of cases that had none');
      },
      (err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'reconcile failed'),
    );
  };
  const timer = setInterval(reconcile, o.reconcileEveryMs ?? 30_000);
  timer.unref();
  reconcile();
  // Closed cases' histories go to PostgreSQL long before Temporal's retention deletes them.
  const exportHistories = (): void => {
    exportClosedCaseHistories(client, database.db).then(
      (done) => {
        if (done.length > 0) app.log.info({ exported: done.length }, 'exported closed case histories');
      },
      (err: unknown) => app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'history export failed'),
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
      clearInterval(timer);
      clearInterval(exportTimer);
      await app.close();
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerDone;
      await workerConnection?.close();
      await clientConnection.close();
      await database.close();
    },
  };
}
