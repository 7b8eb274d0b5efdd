/**
 * One agency's installation of the system for multi-agency tests: its own PostgreSQL database
 * (on the shared test server), its own API listening on a port the platform simulator can
 * reach, its own worker and task queue, on the shared Temporal dev server or on a time-skipping
 * server. Two installations exchange transfer messages only through the simulator.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { createHttpTransferPlatform } from '../../adapters/transfer-platform/platform';
import { createHttpGovernmentSystems } from '../../adapters/government/http';
import { buildApp, type App, type AppDeps } from '../../api/app';
import { platformDeliveryToken } from '../../api/auth/tokens';
import { createCalendarProvider } from '../../db/calendar-store';
import { createDb, type Db } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { agencies } from '../../db/schema';
import { publishSeed } from '../../db/parameters-store';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { GANSU_REGION } from '../../domain/parameters';
import { SAMPLE_AGENCIES } from '../../db/seed/agencies';
import { bootstrapReferenceData } from '../../db/seed/bootstrap';
import { createWorker } from '../../workers/worker';
import { testDataConverter } from './codec';
import { separateWorkflowIds } from './scratch-db';
import { testEnv, uniqueName } from './env';
import { registerSearchAttributesOnTestServer } from './search-attributes';

export interface Installation {
  name: string;
  app: App;
  url: string;
  db: Db;
  databaseUrl: string;
  client: Client;
  taskQueue: string;
  timeSkipping?: TestWorkflowEnvironment;
  /** Skips time on the time-skipping server and keeps the API's clock in step with it. */
  sleep(duration: string | number): Promise<void>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** Quiet Temporal runtime logs; call before creating a TestWorkflowEnvironment (which installs a default runtime). */
export function installRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already in this jest worker.
  }
}

/** A fresh database with every migration and the reference data. */
export async function createDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: testEnv.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = testEnv.databaseUrl.replace(/\/[^/]+$/, `/${name}`);
  await applyMigrations(url);
  await separateWorkflowIds(url, { numbers: true });
  // A fresh database's first connections are slow on a loaded 2-core machine: no 2 s connect limit here.
  const handle = createDb(url, { max: 1, connectionTimeoutMillis: 30_000 });
  await bootstrapReferenceData(handle.db);
  await handle.close();
  return url;
}

/** Two random agency codes (one per province) with directory entries, for isolated tests. */
export function randomAgencies(): { lanzhou: string; xian: string } {
  const n = () => String(1000 + Math.floor(Math.random() * 8999));
  return { lanzhou: `62${n()}`, xian: `61${n()}` };
}

export async function addAgencies(db: Db, codes: string[]): Promise<void> {
  const template = SAMPLE_AGENCIES;
  await db
    .insert(agencies)
    .values(
      codes.map((code) => {
        const base = template.find((a) => a.code.slice(0, 2) === code.slice(0, 2)) ?? template[0];
        return {
          ...base,
          code,
          provinceCode: code.slice(0, 2),
          name: `${base.name}（测试 ${code}）`,
          accountName: `${base.name}（测试 ${code}）`,
        };
      }),
    )
    .onConflictDoNothing();
}

/**
 * An installation standing in for another province's agency (Xi'an) publishes risk settings of
 * its own, as such an agency would: the Gansu register and thresholds, for its province. Without
 * them its cases would wait, rightly, for a supervisor to publish them (activities/risk-controls.ts).
 */
export async function publishRiskSettingsFor(db: Db, servedAgencies: string[]): Promise<void> {
  const provinces = [...new Set(servedAgencies.map((a) => a.slice(0, 2)))].filter((p) => p !== GANSU_REGION);
  const gansu = PARAMETER_SEED.filter((p) => p.name.startsWith('risk.') && p.region === GANSU_REGION);
  for (const province of provinces) {
    await publishSeed(
      db,
      gansu.map((p) => ({
        ...p,
        region: province,
        note: `Test installation of province ${province}: the Gansu risk settings.`,
      })),
    );
  }
}

export async function startInstallation(o: {
  name: string;
  servedAgencies: string[];
  directory: string[];
  timeSkipping?: TestWorkflowEnvironment;
  /** False: no in-process worker (the test runs one elsewhere, e.g. in a process it can kill). */
  worker?: boolean;
  logger?: AppDeps['logger'];
}): Promise<Installation> {
  installRuntime();
  const databaseUrl = await createDatabase(o.name);
  const handle = createDb(databaseUrl, { max: 5, connectionTimeoutMillis: 30_000 });
  await addAgencies(handle.db, o.directory);
  await publishRiskSettingsFor(handle.db, o.servedAgencies);
  const taskQueue = uniqueName(`tq-${o.name}`);
  let client: Client;
  let nativeConnection: NativeConnection;
  let clientConnection: Connection | undefined;
  if (o.timeSkipping) {
    if (o.timeSkipping.client.options.loadedDataConverter.payloadCodecs.length === 0) {
      throw new Error(
        'the time-skipping environment has a client without the payload codec: create it with createTimeSkippingEnv() (test/helpers/codec.ts)',
      );
    }
    // The test server is the caller's, fresh, and cannot list search attributes: add them all.
    await registerSearchAttributesOnTestServer(o.timeSkipping.connection, 'default');
    client = o.timeSkipping.client;
    nativeConnection = o.timeSkipping.nativeConnection;
  } else {
    clientConnection = await Connection.connect({ address: testEnv.temporalAddress });
    client = new Client({ connection: clientConnection, namespace: 'default', dataConverter: testDataConverter() });
    nativeConnection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  }
  const platform = createHttpTransferPlatform(testEnv.platformUrl);
  const ts = o.timeSkipping;
  let offset = 0;
  const app = await buildApp({
    db: handle.db,
    temporal: client,
    taskQueue,
    personKeySecret: testEnv.personKeySecret,
    auth: testEnv.auth,
    assertions: testEnv.assertions,
    supplementWorkingDays: 10,
    servedAgencies: o.servedAgencies,
    logger: o.logger,
    rateLimit: { perTokenPerMinute: 1_000_000, anonymousPerMinute: 1_000_000 },
    now: ts ? () => new Date(Date.now() + offset) : undefined,
    assertionClock: ts ? () => Date.now() + offset : undefined,
  });
  const syncClock = async () => {
    if (ts) offset = (await ts.currentTimeMs()) - Date.now();
  };
  await syncClock();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const code of o.servedAgencies)
    await platform.registerInbound(code, `${url}/api/v1/platform/messages`, platformDeliveryToken(testEnv.auth, code));

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const installation: Installation = {
    name: o.name,
    app,
    url,
    db: handle.db,
    databaseUrl,
    client,
    taskQueue,
    timeSkipping: ts,
    async sleep(duration) {
      if (!ts) throw new Error('sleep() needs an installation on a time-skipping server');
      await ts.sleep(duration);
      await syncClock();
    },
    async startWorker() {
      worker = await createWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        deps: {
          db: handle.db,
          calendar: createCalendarProvider(handle.db),
          platform,
          government: createHttpGovernmentSystems(testEnv.governmentUrl),
          assertionPublicKeys: testEnv.assertionPublicKeys,
        },
        workflowBundle: { codePath: testEnv.workflowBundlePath },
        dataConverter: testDataConverter(),
      });
      running = worker.run();
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = undefined;
    },
    async stop() {
      await installation.stopWorker();
      await app.close();
      if (!ts) {
        await nativeConnection.close();
        await clientConnection?.close();
      }
      await handle.close();
    },
  };
  if (o.worker ?? true) await installation.startWorker();
  return installation;
}
