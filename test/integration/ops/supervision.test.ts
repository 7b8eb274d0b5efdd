/**
 * The run command under faults (issue 13, findings 2, 3, 4, 10): killed with -9 it leaves nothing
 * running and the next start starts; PostgreSQL or Temporal killed and brought back — /health
 * names what is down within 2 s, requests fail at once with 503 and a code, applications are
 * recorded (202), the processes stay up and carry on when the dependency returns; Ctrl-C with both
 * down still finishes within 10 s. Real processes throughout: `node scripts/start.cjs`, embedded
 * PostgreSQL, the Temporal dev server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCEPTOR, asUser, SUPERVISOR } from '../../helpers/auth';
import { makeIdNumber, testEnv } from '../../helpers/env';
import {
  alive,
  freePort,
  processesWith,
  startDependency,
  startRunCommand,
  until,
  type Launched,
} from '../../helpers/run-command';

const root = fs.mkdtempSync(path.join(process.env.TEST_ROOT ?? os.tmpdir(), 'supervision-'));
// As root, PostgreSQL runs as the postgres user: it must reach the data directories.
fs.chmodSync(root, 0o755);
const launched: Launched[] = [];

afterAll(async () => {
  for (const l of launched) if (l.child.exitCode === null) l.child.kill('SIGKILL');
  // Anything still running from this file's data directories (it would be a failure above).
  for (const pid of processesWith(root)) process.kill(pid, 'SIGKILL');
});

async function ports() {
  return {
    API_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    PLATFORM_SIMULATOR_PORT: String(await freePort()),
    GOVERNMENT_SIMULATOR_PORT: String(await freePort()),
  };
}

/** The environment of a run on the test's keys, so test tokens are accepted. */
function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    DATA_DIR: dataDir,
    AUTH_SIGNING_KEY: testEnv.auth.key.toString('hex'),
    AUTH_ISSUER: testEnv.auth.issuer,
    AUTH_AUDIENCE: testEnv.auth.audience,
    PERSON_KEY_SECRET: testEnv.personKeySecret,
    WORKFLOW_BUNDLE: testEnv.workflowBundlePath,
    LOG_LEVEL: 'warn',
  };
}

async function run(env: NodeJS.ProcessEnv, name: string): Promise<{ l: Launched; runPid: number }> {
  const l = startRunCommand(env, path.join(root, `${name}.log`));
  launched.push(l);
  const [, pid] = await l.waitFor(/\[run\] ready \(pid (\d+)\)/, 150_000);
  return { l, runPid: Number(pid) };
}

interface RunRecord {
  children: Array<{ name: string; pid: number }>;
}
const recordOf = (dataDir: string) => JSON.parse(fs.readFileSync(path.join(dataDir, 'run.json'), 'utf8')) as RunRecord;

async function http(base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { error?: { code: string } },
    ms: Date.now() - started,
  };
}

test('kill -9 of the run command leaves nothing running; the next start stops what a killed reaper left and starts on the same ports', async () => {
  const dataDir = path.join(root, 'kill9');
  const env = { ...baseEnv(dataDir), ...(await ports()) };

  // 1. Kill the run command and its reaper together: the children are left...
  const first = await run(env, 'kill9-first');
  const children = recordOf(dataDir).children;
  expect(children.map((c) => c.name)).toEqual([
    'embedded PostgreSQL',
    'the Temporal dev server',
    'the transfer-platform simulator',
    'the government-systems simulator',
  ]);
  const reaper = processesWith(`leftovers.cjs reap ${first.runPid}`);
  expect(reaper).toHaveLength(1);
  for (const pid of [first.runPid, ...reaper]) process.kill(pid, 'SIGKILL');
  await first.l.exited();
  expect(children.filter((c) => alive(c.pid)).map((c) => c.name)).toHaveLength(4);

  // 2. ...and the next start stops them from the record, then starts on the same ports.
  const second = await run(env, 'kill9-second');
  for (const c of children)
    expect(second.l.output()).toContain(`stopping ${c.name} left over from an earlier run (pid ${c.pid})`);
  expect(children.filter((c) => alive(c.pid))).toEqual([]);
  const health = await http(`http://127.0.0.1:${env.API_PORT}`, 'GET', '/health');
  expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });

  // The Web UI's settings, readable by anyone who opens it, hold a decode-only credential: it
  // decodes, and the API takes it for nothing else (finding 7: it used to be an auditor token).
  let codec = '';
  await until(
    async () => {
      const res = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/settings`).catch(() => undefined);
      codec = res?.ok ? (((await res.json()) as { Codec?: { Endpoint?: string } }).Codec?.Endpoint ?? '') : '';
      return codec !== '';
    },
    30_000,
    'the Web UI settings',
  );
  const credential = /\/codec\/t\/([^/]+)$/.exec(codec)?.[1];
  expect(credential).toBeDefined();
  const base = `http://127.0.0.1:${env.API_PORT}`;
  expect(await http(base, 'POST', `/codec/t/${credential}/decode`, { payloads: [] })).toMatchObject({ status: 200 });
  for (const url of ['/api/v1/cases?limit=1', '/api/v1/archives/enrollment-620102-2026-000001']) {
    expect(await http(base, 'GET', url, undefined, { authorization: `Bearer ${credential}` })).toMatchObject({
      status: 401,
      body: { error: { code: 'auth.wrong_issuer' } },
    });
  }

  // 3. Kill only the run command: its reaper stops every child within seconds.
  const now = recordOf(dataDir).children;
  process.kill(second.runPid, 'SIGKILL');
  const ms = await until(() => now.every((c) => !alive(c.pid)), 15_000, 'the reaper stopping the children');
  expect(ms).toBeLessThan(15_000);
  await until(() => processesWith(dataDir).length === 0, 10_000, 'nothing left from the data directory');
  expect(fs.existsSync(path.join(dataDir, 'run.json'))).toBe(false);
}, 300_000);

test('PostgreSQL, then Temporal, killed and brought back: 503 with a code within 2 s, the processes stay up and carry on; Ctrl-C with both down finishes within 10 s', async () => {
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const pgDir = path.join(root, 'deps-pg');
  const temporalDb = path.join(root, 'deps-temporal', 'temporal.sqlite');
  fs.mkdirSync(path.dirname(temporalDb), { recursive: true });
  let pg = await startDependency('postgres', pgDir, pgPort, path.join(root, 'deps-pg.log'));
  let temporal = await startDependency('temporal', temporalDb, temporalPort, path.join(root, 'deps-temporal.log'));
  launched.push(pg.launched, temporal.launched);
  const env = {
    ...baseEnv(path.join(root, 'deps-run')),
    ...(await ports()),
    DATABASE_URL: pg.address,
    TEMPORAL_ADDRESS: temporal.address,
    RECONCILE_INTERVAL_SECONDS: '2',
  };
  const { l, runPid } = await run(env, 'deps-run');
  const base = `http://127.0.0.1:${env.API_PORT}`;
  const acceptor = asUser(ACCEPTOR);
  const apply = () =>
    http(
      base,
      'POST',
      '/api/v1/enrollments',
      {
        agencyCode: '620102',
        channel: 'offline',
        category: 'part_time',
        applicant: { idNumber: makeIdNumber(), name: '测试人' },
        materials: [{ kind: 'id_card', ref: 'scan-1' }],
      },
      acceptor,
    );
  const created = await apply();
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;

  const killServer = async (dep: { launched: Launched; serverPid: number }) => {
    process.kill(dep.serverPid, 'SIGKILL');
    dep.launched.child.kill('SIGKILL');
    await dep.launched.exited();
    return Date.now();
  };
  /** The first /health answer naming `dependency` down, and how long after `since` it came. */
  const healthNames = async (dependency: string, since: number) => {
    let seen: Awaited<ReturnType<typeof http>> | undefined;
    await until(
      async () => {
        seen = await http(base, 'GET', '/health');
        expect(seen.ms).toBeLessThan(2000);
        return seen.status === 503 && (seen.body.down as string[]).includes(dependency);
      },
      5000,
      `/health naming ${dependency}`,
    );
    return { health: seen!, after: Date.now() - since };
  };

  // PostgreSQL dies.
  const pgKilled = await killServer(pg);
  const pgDown = await healthNames('database', pgKilled);
  expect(pgDown.after).toBeLessThan(2000);
  expect(pgDown.health.body).toMatchObject({ status: 'degraded', database: 'unavailable', temporal: 'ok' });
  const read = await http(base, 'GET', `/api/v1/cases/${caseId}`, undefined, acceptor);
  expect(read).toMatchObject({ status: 503, body: { error: { code: 'service.database_unavailable' } } });
  expect(read.ms).toBeLessThan(2000);
  // The API process (with the worker in it) stays up a while with PostgreSQL gone.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(alive(runPid)).toBe(true);

  // PostgreSQL returns: everything carries on, the case moves.
  pg = await startDependency('postgres', pgDir, pgPort, path.join(root, 'deps-pg.log'));
  launched.push(pg.launched);
  await until(async () => (await http(base, 'GET', '/health')).status === 200, 20_000, '/health ok again');
  const accepted = await http(
    base,
    'POST',
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    acceptor,
  );
  expect(accepted).toMatchObject({ status: 200, body: { stage: 'review' } });

  // Temporal dies.
  const temporalKilled = await killServer(temporal);
  const temporalDown = await healthNames('temporal', temporalKilled);
  expect(temporalDown.after).toBeLessThan(2000);
  expect(temporalDown.health.body).toMatchObject({ database: 'ok', temporal: 'unavailable' });
  const decision = await http(
    base,
    'POST',
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    asUser({ user: 'reviewer-09', role: 'reviewer', agencies: ['*'] }),
  );
  expect(decision).toMatchObject({ status: 503, body: { error: { code: 'service.temporal_unavailable' } } });
  expect(decision.ms).toBeLessThan(2000);
  // An application is recorded and answered at once; its workflow starts when Temporal is back.
  const deferred = await apply();
  expect(deferred.status).toBe(202);
  expect(deferred.ms).toBeLessThan(2000);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(alive(runPid)).toBe(true);

  // Temporal returns on its own data: the worker polls again, the reconciler starts the deferred case.
  temporal = await startDependency('temporal', temporalDb, temporalPort, path.join(root, 'deps-temporal.log'));
  launched.push(temporal.launched);
  await until(async () => (await http(base, 'GET', '/health')).status === 200, 20_000, '/health ok again');
  const approved = await http(
    base,
    'POST',
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    asUser({ user: 'reviewer-09', role: 'reviewer', agencies: ['*'] }),
  );
  expect(approved).toMatchObject({ status: 200, body: { status: 'closed', outcome: 'approved' } });
  await until(
    async () =>
      (await http(base, 'GET', `/api/v1/cases/${deferred.body.caseId as string}`, undefined, asUser(SUPERVISOR))).body
        .stage === 'acceptance',
    30_000,
    'the deferred case started by the reconciler',
  );

  // Both die; Ctrl-C still finishes within 10 s and leaves nothing running.
  await killServer(pg);
  await killServer(temporal);
  await healthNames('temporal', Date.now());
  const stopAt = Date.now();
  l.child.kill('SIGINT');
  await l.exited();
  await until(() => !alive(runPid), 10_000, 'the run command gone');
  expect(Date.now() - stopAt).toBeLessThan(10_000);
  await until(() => processesWith(path.join(root, 'deps-run')).length === 0, 5000, 'nothing left from the run');
}, 300_000);
