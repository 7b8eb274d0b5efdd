/**
 * Production worker entry point (`npm run start:worker`, the worker container): connects to an
 * external PostgreSQL and Temporal cluster (DATABASE_URL and TEMPORAL_ADDRESS are required
 * here) and runs every case workflow and activity until SIGINT/SIGTERM, which the Temporal
 * runtime turns into a graceful shutdown. With WORKFLOW_BUNDLE it loads the bundle that
 * `npm run build` wrote instead of bundling the workflow code at start-up (that bundle carries
 * the encrypting failure converter). PAYLOAD_KEYS (and PAYLOAD_KEY_ID when it holds several
 * keys) encrypt every payload; the worker refuses to start without them. The API process
 * (api/server.ts) applies the migrations; this process only uses the schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, type WorkerOptions } from '@temporalio/worker';
import { createHttpGovernmentSystems } from '../adapters/government/http';
import { createHttpTransferPlatform } from '../adapters/transfer-platform/platform';
import { ConfigError, loadConfig } from '../config';
import { createDb } from '../db/client';
import { createCalendarProvider } from '../db/calendar-store';
import { configuredPayloadKeys } from '../composition/payload-keys';
import { temporalTlsOptions } from '../composition/temporal-tls';
import { parseAssertionPublicKeys } from '../api/auth/assertions';
import { dataConverter } from './payload-codec';
import { createWorker, superviseWorker } from './worker';

const RUNTIME_LOG_LEVEL = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

async function main(): Promise<void> {
  const config = loadConfig();
  const missing = [
    !config.databaseUrl && 'DATABASE_URL',
    !config.temporalAddress && 'TEMPORAL_ADDRESS',
    !config.platformUrl && 'PLATFORM_URL',
    !config.governmentUrl && 'GOVERNMENT_URL',
    // Without the keys the worker would write personal data into Temporal in the clear.
    !config.payloadKeys && 'PAYLOAD_KEYS',
    // The API's public keys: without them the workflows accept no staff decision at all.
    !config.assertionPublicKeys && 'ASSERTION_PUBLIC_KEYS',
  ].filter(Boolean);
  if (
    !config.databaseUrl ||
    !config.temporalAddress ||
    !config.platformUrl ||
    !config.governmentUrl ||
    !config.payloadKeys ||
    !config.assertionPublicKeys
  ) {
    throw new ConfigError(
      `${missing.join(', ')} must be set: the standalone worker connects to an external PostgreSQL and Temporal ` +
        '(`npm start` runs everything locally instead)',
    );
  }
  const payloadKeys = configuredPayloadKeys(config.payloadKeys, config.payloadKeyId);
  let workflowBundle: WorkerOptions['workflowBundle'];
  if (config.workflowBundle) {
    const codePath = path.resolve(config.workflowBundle);
    if (!fs.existsSync(codePath))
      throw new ConfigError(
        `WORKFLOW_BUNDLE=${config.workflowBundle}: ${codePath} does not exist (run \`npm run build\`)`,
      );
    workflowBundle = { codePath };
  }

  Runtime.install({
    logger: new DefaultLogger(RUNTIME_LOG_LEVEL[config.logLevel]),
    // The SDK's own metrics (worker slots, schedule-to-start latency, sticky cache, polls, …),
    // for Prometheus to scrape at WORKER_METRICS_ADDRESS/metrics.
    ...(config.workerMetricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } }
      : {}),
  });
  const database = createDb(config.databaseUrl);
  const tls = temporalTlsOptions(config.temporalTls);
  const connection = await NativeConnection.connect({ address: config.temporalAddress, ...(tls ? { tls } : {}) });
  // SIGINT/SIGTERM: the Temporal runtime shuts the worker down gracefully; whatever is down
  // (PostgreSQL, Temporal), the process is gone within 9 s.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      setTimeout(() => {
        process.stderr.write(`[worker] ${signal}: not stopped within 9 s, exiting\n`);
        process.exit(1);
      }, 9000).unref();
    });
  }
  const platformUrl = config.platformUrl;
  const assertionPublicKeys = parseAssertionPublicKeys(config.assertionPublicKeys);
  const governmentUrl = config.governmentUrl;
  const create = () =>
    createWorker({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      deps: {
        db: database.db,
        calendar: createCalendarProvider(database.db),
        platform: createHttpTransferPlatform(platformUrl),
        government: createHttpGovernmentSystems(governmentUrl),
        assertionPublicKeys,
      },
      workflowBundle,
      dataConverter: dataConverter(payloadKeys),
    });
  try {
    await superviseWorker({
      first: await create(),
      create,
      stopping: () => stopping,
      log: (message, err) =>
        process.stderr.write(`[worker] ${message}${err instanceof Error ? `: ${err.message}` : ''}\n`),
    });
  } finally {
    await connection.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`[worker] configuration error: ${err.message}\n`);
  else process.stderr.write(`[worker] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
