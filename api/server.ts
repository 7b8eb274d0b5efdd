/**
 * Production API entry point (`npm run start:api`, the api container): connects to an external
 * PostgreSQL and Temporal cluster (DATABASE_URL, TEMPORAL_ADDRESS, PERSON_KEY_SECRET and
 * PAYLOAD_KEYS are required here), applies the migrations, loads the working-day calendar, registers missing
 * search attributes, serves the API on API_HOST:API_PORT and runs the case reconciler (every
 * open case without a workflow gets one). The composition is composition/system.ts, the same the
 * run command and the end-to-end tests use, here without an in-process worker: the worker runs
 * in its own process (workers/main.ts). SIGINT/SIGTERM close the server (in-flight requests
 * finish), the reconciler and the connections, then exit.
 */
import { ConfigError, loadConfig } from '../config';
import { configuredPayloadKeys } from '../composition/payload-keys';
import { temporalTlsOptions } from '../composition/temporal-tls';
import { assertionSigner } from './auth/assertions';
import { startSystem, type RunningSystem } from '../composition/system';

let system: RunningSystem | undefined;
let stopping = false;

function stop(signal: NodeJS.Signals): void {
  if (stopping) {
    process.stderr.write(`[api] ${signal} again: exiting without waiting\n`);
    process.exit(1);
  }
  stopping = true;
  process.stderr.write(`[api] ${signal}: stopping\n`);
  // Whatever is down (PostgreSQL, Temporal), the process is gone within 9 s.
  setTimeout(() => {
    process.stderr.write(`[api] not stopped within 9 s: exiting\n`);
    process.exit(1);
  }, 9000).unref();
  const done = system ? system.stop() : Promise.resolve();
  done.then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`[api] while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

async function main(): Promise<void> {
  const config = loadConfig();
  const missing = [
    !config.databaseUrl && 'DATABASE_URL',
    !config.temporalAddress && 'TEMPORAL_ADDRESS',
    // A generated secret would change every person's key on restart: production must bring its own.
    !config.personKeySecret && 'PERSON_KEY_SECRET',
    !config.platformUrl && 'PLATFORM_URL',
    !config.governmentUrl && 'GOVERNMENT_URL',
    !config.authSigningKey && 'AUTH_SIGNING_KEY',
    // Payloads are encrypted; the API's client and codec server need the same keys as the worker.
    !config.payloadKeys && 'PAYLOAD_KEYS',
    // Every input the API sends a workflow is signed; the workers refuse anything unsigned.
    !config.assertionSigningKey && 'ASSERTION_SIGNING_KEY',
  ].filter(Boolean);
  if (
    !config.databaseUrl ||
    !config.temporalAddress ||
    !config.personKeySecret ||
    !config.platformUrl ||
    !config.governmentUrl ||
    !config.authSigningKey ||
    !config.payloadKeys ||
    !config.assertionSigningKey
  ) {
    throw new ConfigError(
      `${missing.join(', ')} must be set for the production API server, which connects to an external PostgreSQL ` +
        'and Temporal (`npm start` runs everything locally, with a generated secret)',
    );
  }
  const payloadKeys = configuredPayloadKeys(config.payloadKeys, config.payloadKeyId);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));

  system = await startSystem({
    databaseUrl: config.databaseUrl,
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    personKeySecret: config.personKeySecret,
    auth: {
      key: Buffer.from(config.authSigningKey, 'hex'),
      issuer: config.authIssuer,
      audience: config.authAudience,
      oidc: config.oidc,
    },
    assertions: assertionSigner(config.assertionSigningKey),
    payloadKeys,
    codecCorsOrigins: config.codecCorsOrigins,
    supplementWorkingDays: config.supplementWorkingDays,
    serviceHotline: config.serviceHotline,
    platformUrl: config.platformUrl,
    governmentUrl: config.governmentUrl,
    publicUrl: config.publicUrl,
    servedAgencies: config.servedAgencies,
    api: { host: config.apiHost, port: config.apiPort },
    logger: { level: config.logLevel },
    rateLimit: config.rateLimit,
    reconcileEveryMs: config.reconcileIntervalSeconds * 1000,
    temporalTls: temporalTlsOptions(config.temporalTls),
    worker: false,
  });
  system.app.log.info(
    { url: system.url, namespace: config.temporalNamespace, taskQueue: config.taskQueue },
    'API ready',
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`[api] configuration error: ${err.message}\n`);
  else process.stderr.write(`[api] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
