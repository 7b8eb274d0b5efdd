/**
 * Once per test run: one embedded PostgreSQL (migrated, calendar loaded), one Temporal dev
 * server, the Temporal binaries (fetched or built on first use) and one workflow bundle. Tests
 * find them through the TEST_* environment variables; each test uses its own task queue and IDs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootstrapReferenceData } from '../../db/seed/bootstrap';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import {
  freePort,
  startEmbeddedPostgres,
  startGovernmentSimulator,
  startPlatformSimulator,
  startTemporalDevServer,
} from '../../composition/local/local-services';
import { ensureTemporalCli, ensureTestServer } from '../../composition/local/toolchain';
import globalTeardown from './global-teardown';
import type { TestServers } from './servers';
import { ensureWorkflowBundle } from './workflow-bundle';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const [cli, testServer] = await Promise.all([ensureTemporalCli(), ensureTestServer()]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flex-pension-test-'));
  // PostgreSQL runs as the postgres user when the suite runs as root: it must reach its directory.
  fs.chmodSync(root, 0o755);
  const servers: TestServers = { root };
  (globalThis as { __servers?: TestServers }).__servers = servers;

  try {
    await startAll(servers, cli, testServer.wrapper);
  } catch (err) {
    await globalTeardown();
    throw err;
  }
  process.stderr.write(`\n[global-setup] servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${root})\n`);
}

async function startAll(servers: TestServers, cli: string, testServerWrapper: string): Promise<void> {
  const root = servers.root;
  const [pg, temporal, bundlePath, simulator, government] = await Promise.all([
    freePort()
      .then((port) =>
        startEmbeddedPostgres({
          dataDir: path.join(root, 'postgres'),
          port,
          database: 'pension_test',
          persistent: false,
        }),
      )
      .then((s) => (servers.postgres = s)),
    freePort()
      .then((port) => startTemporalDevServer({ cli, port, logFile: path.join(root, 'temporal.log') }))
      .then((s) => (servers.temporal = s)),
    ensureWorkflowBundle(root),
    freePort()
      .then((port) => startPlatformSimulator({ port, logFile: path.join(root, 'platform-simulator.log') }))
      .then((s) => (servers.simulator = s)),
    freePort()
      .then((port) => startGovernmentSimulator({ port, logFile: path.join(root, 'government-simulator.log') }))
      .then((s) => (servers.government = s)),
  ]);
  await applyMigrations(pg.url);
  const db = createDb(pg.url, { max: 1 });
  await bootstrapReferenceData(db.db);
  await db.close();

  process.env.TEST_DATABASE_URL = pg.url;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TIME_SKIPPING_SERVER = testServerWrapper;
  process.env.TEST_PERSON_KEY_SECRET = randomBytes(32).toString('hex');
  process.env.TEST_AUTH_SIGNING_KEY = randomBytes(32).toString('hex');
  // The run's key for the API's assertions on workflow inputs (workflows/shared/trust.ts).
  process.env.TEST_ASSERTION_KEY = `test-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('hex')}`;
  // The run's own payload key (test/helpers/codec.ts): every test client and worker encrypts with it.
  process.env.TEST_PAYLOAD_KEYS = `test-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('hex')}`;
  process.env.TEST_ROOT = root;
  // Every time-skipping server the tests start notes its PID here (composition/local/toolchain.ts wrapper).
  process.env.FLEX_TEST_SERVER_PIDS = path.join(root, 'test-server.pids');
  process.env.TEST_PLATFORM_URL = simulator.url;
  process.env.TEST_GOVERNMENT_URL = government.url;
}
