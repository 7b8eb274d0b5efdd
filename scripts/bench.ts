/**
 * `npm run bench [-- --quick] [--json <file>]`: the performance benchmark of the system, on a
 * system of its own (embedded PostgreSQL with `npm start`'s settings and a Temporal dev server,
 * both in a temporary directory on free ports; with DATABASE_URL set, a scratch database on that
 * server instead of embedded PostgreSQL, dropped afterwards). Everything runs on this machine;
 * figures are printed and written as JSON, never asserted (docs/performance.md).
 *
 *  1. Comparison: online enrollments through the API (HTTP, the case intake, update-with-start,
 *     the workflow, the case view) against a no-op workflow with the same number of activities,
 *     started and awaited by this process's Temporal client; same server, same worker settings,
 *     interleaved rounds at concurrency 1, 8 and 32. Throughput, latency, CPU per case of the
 *     API/worker process, the Temporal server and PostgreSQL.
 *  2. Open cases and the midnight burst: N offline enrollments waiting on the counter (running
 *     workflows, their tasks in the inbox), every statutory deadline projected to the same
 *     instant; memory with N running; at the instant every deadline fires: time until every
 *     breach is recorded, and the API's latency meanwhile (inbox, case list, case view, and an
 *     online enrollment every 2 s).
 *  3. Reads: the inbox (first page, a deep page) and the case list and case view at two sizes
 *     of the open-case tables (N open cases with workflows, then filled up to the second size
 *     with open cases written by SQL).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { eq, sql } from 'drizzle-orm';
import { Client as PgClient } from 'pg';
import { assertionSigner, newAssertionKey } from '../api/auth/assertions';
import { signToken, type TokenSettings } from '../api/auth/tokens';
import { createCaseStarter } from '../api/services/case-starter';
import { loadConfig } from '../config';
import { createDb, type DbHandle } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { personKeyOf } from '../db/repositories/persons';
import { cases, persons } from '../db/schema';
import { bootstrapReferenceData } from '../db/seed/bootstrap';
import { dataConverter, FAILURE_CONVERTER_PATH, parsePayloadKeys } from '../workers/payload-codec';
import type { WorkerTuning } from '../workers/worker';
import { idNumbers, insertOpenCases } from './bench/data';
import { closedLoop, forEachLimited, openLoopProbe, type LoadResult } from './bench/load';
import { CpuMeter, loadAverage, postmasterPid, rssMiB, summarise, type LatencySummary } from './bench/measure';
import type { BenchSystemOptions } from './bench/system-process';
import {
  freePort,
  startEmbeddedPostgres,
  startGovernmentSimulator,
  startPlatformSimulator,
  startTemporalDevServer,
  type RunningTemporal,
} from '../composition/local/local-services';
import { ensureTemporalCli } from '../composition/local/toolchain';
import { quietBundleLogger as quietLogger } from '../workers/bundle-logger';

const AGENCY = '620102';
const say = (m: string) => process.stdout.write(`[bench] ${m}\n`);

interface Settings {
  quick: boolean;
  levels: number[];
  rounds: number;
  roundMs: number;
  /** Open cases with running workflows, all due at the same instant. */
  cases: number;
  /** The second size of the read benchmark (open cases in all). */
  openCases: number;
  readMs: number;
  drainTimeoutMs: number;
  tuning: Partial<WorkerTuning>;
  phases: Set<string>;
}

function settingsFrom(values: Record<string, string | boolean | undefined>): Settings {
  const quick = values.quick === true;
  const num = (name: string, fallback: number) => (values[name] === undefined ? fallback : Number(values[name]));
  const tuning: Partial<WorkerTuning> = {};
  if (values['cached-workflows'] !== undefined) tuning.maxCachedWorkflows = Number(values['cached-workflows']);
  if (values['workflow-slots'] !== undefined)
    tuning.maxConcurrentWorkflowTaskExecutions = Number(values['workflow-slots']);
  if (values['activity-slots'] !== undefined)
    tuning.maxConcurrentActivityTaskExecutions = Number(values['activity-slots']);
  return {
    quick,
    // The quick run leaves out concurrency 32: one round there lasts as long as its slowest answer.
    levels: String(values.levels ?? (quick ? '1,8' : '1,8,32'))
      .split(',')
      .map(Number),
    // Short rounds, often interleaved: the machine's other load changes by the minute.
    rounds: num('rounds', quick ? 1 : 4),
    roundMs: num('round-seconds', quick ? 2 : 6) * 1000,
    cases: num('cases', quick ? 30 : 10_000),
    openCases: num('open-cases', quick ? 3_000 : 100_000),
    readMs: num('read-seconds', quick ? 1 : 4) * 1000,
    drainTimeoutMs: num('drain-timeout-seconds', quick ? 60 : 420) * 1000,
    tuning,
    phases: new Set(String(values.phases ?? 'comparison,burst,reads').split(',')),
  };
}

/** The system process (scripts/bench/system-process.ts) and its IPC channel. */
class SystemProcess {
  private waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Record<string, unknown>) => {
      if (m.type === 'error') say(`system process: ${String(m.message)}`);
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
    });
  }

  static async start(
    options: BenchSystemOptions,
    logFile: string,
  ): Promise<{ system: SystemProcess; url: string; tuning: WorkerTuning }> {
    const log = fs.openSync(logFile, 'a');
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the system process (every thread) for a closer look.
    const profile = process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
      : [];
    const child = fork(path.join(__dirname, 'bench', 'system-process.ts'), [], {
      execArgv: ['--import', 'tsx', ...profile],
      stdio: ['ignore', log, log, 'ipc'],
    });
    fs.closeSync(log);
    const system = new SystemProcess(child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`the system process exited with ${code}; see ${logFile}`))),
    );
    const ready = system.ask({ type: 'start', options }, 'ready');
    const m = await Promise.race([ready, exited]);
    return { system, url: String(m.url), tuning: m.tuning as WorkerTuning };
  }

  ask(message: Record<string, unknown>, reply: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.waiters.push({ type: reply, resolve });
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

interface Segment {
  kind: 'noop' | 'enrollment';
  concurrency: number;
  round: number;
  result: LoadResult;
  cpuMs: Record<string, number>;
  /** SQL statements the API/worker process sent. */
  statements: number;
}

interface ComparisonRow {
  concurrency: number;
  noop: {
    perSecond: number;
    statementsPerCase: number;
    latency: LatencySummary;
    errors: number;
    cpuMsPerCase: Record<string, number>;
  };
  enrollment: {
    perSecond: number;
    statementsPerCase: number;
    latency: LatencySummary;
    errors: number;
    cpuMsPerCase: Record<string, number>;
  };
  throughputRatio: number;
  p50Ratio: number;
}

interface ReadRow {
  openCases: number;
  inboxFirstPage: LatencySummary;
  inboxDeepPage: LatencySummary;
  caseList: LatencySummary;
  caseView: LatencySummary;
  inboxTotal: number | null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      json: { type: 'string' },
      bundle: { type: 'string' },
      levels: { type: 'string' },
      rounds: { type: 'string' },
      'round-seconds': { type: 'string' },
      cases: { type: 'string' },
      'open-cases': { type: 'string' },
      'read-seconds': { type: 'string' },
      'drain-timeout-seconds': { type: 'string' },
      'cached-workflows': { type: 'string' },
      'workflow-slots': { type: 'string' },
      'activity-slots': { type: 'string' },
      phases: { type: 'string' },
    },
    strict: true,
  });
  const s = settingsFrom(values);
  const startedAt = new Date();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadAverage(),
  };
  say(
    `${s.quick ? 'quick' : 'full'} run; ${machine.cpus} CPU(s) ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`,
  );

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'flex-bench-'));
  fs.chmodSync(work, 0o755);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => say(`while stopping: ${err instanceof Error ? err.message : String(err)}`));
    stops.length = 0;
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

  try {
    // Servers: PostgreSQL, the Temporal dev server (state in a file, as `npm start` runs it).
    const started = Date.now();
    let databaseUrl: string;
    let pgDataDir: string | undefined;
    const serverUrl = loadConfig().databaseUrl;
    if (serverUrl) {
      const name = `bench_${randomBytes(5).toString('hex')}`;
      await adminQuery(serverUrl, `create database "${name}"`);
      databaseUrl = withDatabase(serverUrl, name);
      stops.push(() => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`));
      say(`scratch database ${name} on DATABASE_URL's server`);
    } else {
      pgDataDir = path.join(work, 'postgres');
      // persistent: the settings `npm start` runs PostgreSQL with (fsync on); the directory is removed below.
      const pg = await startEmbeddedPostgres({
        dataDir: pgDataDir,
        port: await freePort(),
        database: 'bench',
        persistent: true,
      });
      stops.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    stops.push(async () => fs.rmSync(work, { recursive: true, force: true }));
    const temporalServer: RunningTemporal = await startTemporalDevServer({
      cli: await ensureTemporalCli(),
      port: await freePort(),
      dbFile: path.join(work, 'temporal.sqlite'),
      logFile: path.join(work, 'temporal.log'),
    });
    stops.push(() => temporalServer.stop());
    await applyMigrations(databaseUrl);
    const database: DbHandle = createDb(databaseUrl, { max: 8 });
    stops.push(() => database.close());
    await bootstrapReferenceData(database.db);

    // Workflow bundles, built here so the system process's memory is the running system's only.
    const caseBundlePath = values.bundle ?? path.join(work, 'cases-bundle.js');
    if (!values.bundle) {
      const { code } = await bundleWorkflowCode({
        workflowsPath: require.resolve('../workflows'),
        failureConverterPath: FAILURE_CONVERTER_PATH,
        logger: quietLogger,
      });
      fs.writeFileSync(caseBundlePath, code);
    }
    const noopBundlePath = path.join(work, 'noop-bundle.js');
    fs.writeFileSync(
      noopBundlePath,
      (
        await bundleWorkflowCode({
          workflowsPath: require.resolve('./bench/noop-workflow'),
          failureConverterPath: FAILURE_CONVERTER_PATH,
          logger: quietLogger,
        })
      ).code,
    );

    const personKeySecret = randomBytes(32).toString('hex');
    const authKeyHex = randomBytes(32).toString('hex');
    const payloadKeys = `bench:${randomBytes(32).toString('hex')}`;
    const assertionKey = newAssertionKey('bench');
    const assertions = assertionSigner(assertionKey);
    // The enrollment's data comparison calls the death registry (government systems) and the
    // national platform's register of insured people in other provinces, simulated as `npm start` does.
    const government = await startGovernmentSimulator({
      port: await freePort(),
      logFile: path.join(work, 'government-simulator.log'),
    });
    stops.push(() => government.stop());
    const platform = await startPlatformSimulator({
      port: await freePort(),
      logFile: path.join(work, 'platform-simulator.log'),
    });
    stops.push(() => platform.stop());
    const taskQueue = 'pension-cases';
    const noopTaskQueue = 'bench-noop';
    const { system, url, tuning } = await SystemProcess.start(
      {
        databaseUrl,
        temporalAddress: temporalServer.address,
        taskQueue,
        noopTaskQueue,
        personKeySecret,
        authKeyHex,
        payloadKeys,
        caseBundlePath,
        noopBundlePath,
        assertionKey,
        governmentUrl: government.url,
        platformUrl: platform.url,
        tuning: s.tuning,
      },
      path.join(work, 'system.log'),
    );
    stops.push(() => system.stop());
    const systemPid = system.child.pid!;
    say(
      `system ready in ${((Date.now() - started) / 1000).toFixed(1)} s: API ${url}, worker ${JSON.stringify(tuning)}`,
    );

    const connection = await Connection.connect({ address: temporalServer.address });
    stops.push(() => connection.close());
    const client = new Client({
      connection,
      namespace: 'default',
      dataConverter: dataConverter(parsePayloadKeys(payloadKeys)),
    });
    const auth: TokenSettings = {
      key: Buffer.from(authKeyHex, 'hex'),
      issuer: 'flex-pension',
      audience: 'flex-pension-api',
    };
    const staff = {
      acceptor: `Bearer ${signToken(auth, { sub: 'bench-clerk-01', role: 'acceptor', agencies: [AGENCY], ttlSeconds: 24 * 3600 })}`,
      supervisor: `Bearer ${signToken(auth, { sub: 'bench-supervisor-01', role: 'supervisor', agencies: [AGENCY], ttlSeconds: 24 * 3600 })}`,
    };
    const meter = new CpuMeter({
      api_worker: systemPid,
      temporal: temporalServer.process.pid,
      postgres: pgDataDir ? postmasterPid(pgDataDir) : undefined,
      bench: process.pid,
    });
    const memory = memoryWatch(systemPid);
    stops.push(async () => void memory.stop());

    const nextId = idNumbers(Date.now() % 1000);
    const enrol = async (n: number) => {
      const idNumber = nextId();
      const token = signToken(auth, {
        sub: `bench-applicant-${n}`,
        role: 'applicant',
        agencies: [],
        personKey: personKeyOf(personKeySecret, idNumber),
      });
      const res = await fetch(`${url}/api/v1/enrollments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          agencyCode: AGENCY,
          channel: 'online',
          category: 'part_time',
          applicant: { idNumber, name: `基准申请人${n}` },
          materials: [{ kind: 'id_card', ref: `scan-${n}` }],
        }),
      });
      const body = (await res.json()) as { caseId?: string; outcome?: string; error?: { code?: string } };
      if (res.status !== 201 || body.outcome !== 'approved')
        throw new Error(`enrollment answered ${res.status} ${body.outcome ?? body.error?.code ?? ''}`);
      lastEnrollment = body.caseId;
    };
    let lastEnrollment: string | undefined;
    const runTag = randomBytes(3).toString('hex');
    let noopActivities = 7;
    const noop = async (n: number) => {
      await client.workflow.execute('benchNoop', {
        taskQueue: noopTaskQueue,
        workflowId: `bench-noop-${runTag}-${n}`,
        args: [{ id: String(n), activities: noopActivities }],
      });
    };
    const get = async (pathAndQuery: string, authorization: string) => {
      const res = await fetch(`${url}${pathAndQuery}`, { headers: { authorization } });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`GET ${pathAndQuery.split('?')[0]} answered ${res.status}`);
      return body;
    };

    const result: Record<string, unknown> = {
      startedAt: startedAt.toISOString(),
      mode: s.quick ? 'quick' : 'full',
      machine,
      settings: { ...s, phases: [...s.phases] },
      workerTuning: tuning,
    };

    // Warm-up (JIT, pools, the first bundle load), then the shape of one enrollment's history.
    await closedLoop({ concurrency: 2, durationMs: s.quick ? 1500 : 5000, op: enrol });
    const shape = lastEnrollment ? await historyShape(client, lastEnrollment) : undefined;
    // The baseline runs as many activities as an enrollment does now.
    if (shape) noopActivities = shape.activities;
    await closedLoop({ concurrency: 2, durationMs: s.quick ? 1000 : 3000, op: noop });
    const noopShape = await historyShape(client, `bench-noop-${runTag}-0`);
    result.historyShape = { enrollment: shape, noop: noopShape };
    say(`one online enrollment: ${JSON.stringify(shape)}; the no-op workflow: ${JSON.stringify(noopShape)}`);
    memory.mark('afterWarmUp');
    if (process.env.BENCH_SQL) {
      // The statements of one online enrollment, for a closer look (BENCH_SQL=1).
      await quiesce(meter);
      await system.ask({ type: 'sqlcounts' }, 'sqlcounts');
      await enrol(0);
      await quiesce(meter);
      const counts = (await system.ask({ type: 'sqlcounts' }, 'sqlcounts')).counts as Array<[string, number]>;
      say(`SQL statements of one online enrollment: ${counts.reduce((a, [, n]) => a + n, 0)}`);
      for (const [statement, n] of counts.sort((a, b) => b[1] - a[1])) say(`  ${n} × ${statement}`);
    }
    await quiesce(meter);
    result.idleCpuMsPerSecond = await meter.idle(3000);
    say(`idle CPU (ms per second): ${JSON.stringify(result.idleCpuMsPerSecond)}`);

    // 1. Comparison, interleaved rounds.
    let comparison: ComparisonRow[] = [];
    if (s.phases.has('comparison')) {
      const segments: Segment[] = [];
      for (const concurrency of s.levels) {
        for (let round = 0; round < s.rounds; round += 1) {
          const order: Array<'noop' | 'enrollment'> = round % 2 === 0 ? ['noop', 'enrollment'] : ['enrollment', 'noop'];
          for (const kind of order) {
            const statementsBefore = Number((await system.ask({ type: 'status' }, 'status')).statements);
            const before = meter.read();
            const r = await closedLoop({ concurrency, durationMs: s.roundMs, op: kind === 'noop' ? noop : enrol });
            // The work a segment leaves behind is its own: the closed cases' history export and the
            // reconciler's pass (run every minute / half minute in production), then whatever else.
            await system.ask({ type: 'catchUp' }, 'caughtUp');
            await quiesce(meter);
            const cpuMs = meter.net(before, meter.read());
            const statements = Number((await system.ask({ type: 'status' }, 'status')).statements) - statementsBefore;
            segments.push({ kind, concurrency, round, result: r, cpuMs, statements });
            say(
              `c=${concurrency} round ${round + 1} ${kind}: ${r.completed} in ${(r.elapsedMs / 1000).toFixed(1)} s (${(r.completed / (r.elapsedMs / 1000)).toFixed(2)}/s), p50 ${summarise(r.latenciesMs).p50} ms${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`,
            );
          }
        }
      }
      comparison = s.levels.map((concurrency) => comparisonRow(concurrency, segments));
      result.comparison = comparison;
      result.comparisonSegments = segments.map((g) => ({
        ...g,
        result: { ...g.result, latenciesMs: undefined, latency: summarise(g.result.latenciesMs) },
      }));
      memory.mark('afterComparison');
    }

    // 2. Open cases, memory, the midnight burst.
    const burstIds: string[] = [];
    const reads: ReadRow[] = [];
    if (s.phases.has('burst')) {
      const starter = createCaseStarter({ db: database.db, temporal: client, taskQueue, assertions });
      const createCases = async (count: number, salt: string) => {
        const ids = await insertOpenCases(database.db, {
          count,
          agencyCode: AGENCY,
          salt,
          withTasks: false,
          nowMs: Date.now(),
        });
        const rows = await database.db
          .select({ c: cases, personKey: persons.personKey })
          .from(cases)
          .innerJoin(persons, eq(persons.id, cases.personId))
          .where(inRange(ids, sql`${cases.id}`));
        await forEachLimited(rows, 32, async (row) => starter.start(row.c, row.personKey));
        return ids;
      };
      // A pilot tells how fast cases can be set up now (its cases keep their real deadlines, days
      // ahead); the instant every deadline of the burst falls on is set from it.
      const pilotStarted = Date.now();
      const pilot = await createCases(Math.max(Math.min(200, Math.round(s.cases / 10)), 10), `pilot-${runTag}`);
      await waitUntil(
        async () => (await countWhere(database, pilot, sql`projection_seq >= 2`)) >= pilot.length,
        Date.now() + 300_000,
      );
      const perSecond = pilot.length / Math.max((Date.now() - pilotStarted) / 1000, 0.1);
      const leadMs = Math.round(
        Math.min(
          Math.max((s.cases / perSecond) * 1.3 * 1000 + (s.quick ? 3_000 : 10_000), s.quick ? 5_000 : 20_000),
          900_000,
        ),
      );
      const dueAtMs = Date.now() + leadMs;
      await system.ask({ type: 'deadlineAt', atMs: dueAtMs }, 'deadlineAt');
      say(
        `pilot: ${pilot.length} open cases set up at ${perSecond.toFixed(1)}/s; creating ${s.cases} more, every deadline at ${new Date(dueAtMs).toISOString()} (in ${(leadMs / 1000).toFixed(0)} s)`,
      );
      const createdAt = Date.now();
      burstIds.push(...(await createCases(s.cases, `burst-${runTag}`)));
      const startedAllMs = Date.now() - createdAt;
      const settledMs = await waitUntil(
        async () => (await countWhere(database, burstIds, sql`projection_seq >= 2`)) >= burstIds.length,
        dueAtMs,
      );
      const creation = {
        cases: s.cases,
        workflowsStartedSeconds: startedAllMs / 1000,
        settledSeconds: settledMs === undefined ? null : (Date.now() - createdAt) / 1000,
        settledBeforeDeadline: settledMs !== undefined,
      };
      if (settledMs !== undefined) await system.ask({ type: 'deadlineAt', atMs: null }, 'deadlineAt');
      say(
        `open cases: workflows started in ${creation.workflowsStartedSeconds.toFixed(1)} s, all waiting on the counter after ${creation.settledSeconds?.toFixed(1) ?? '(not before the deadline)'} s`,
      );

      await quiesce(meter);
      const status = await system.ask({ type: 'status' }, 'status');
      const running = Number((await client.workflow.count('ExecutionStatus = "Running"')).count);
      const withOpen = {
        runningWorkflows: running,
        rssMiB: rssMiB(systemPid)?.rss ?? NaN,
        heapUsedMiB: Number((status.memory as { heapUsed: number }).heapUsed) / 2 ** 20,
        cachedWorkflows: status.cachedWorkflows,
      };
      memory.mark('withOpenCases');
      say(
        `with ${running} running workflows: RSS ${withOpen.rssMiB.toFixed(0)} MiB, heap ${withOpen.heapUsedMiB.toFixed(0)} MiB, cached ${JSON.stringify(withOpen.cachedWorkflows)}`,
      );

      if (s.phases.has('reads') && Date.now() + s.readMs * 4 + 5000 < dueAtMs) reads.push(await readBench());

      // The instant: every deadline fires.
      await sleep(Math.max(dueAtMs - Date.now(), 0));
      const cpuBefore = meter.read();
      let probeN = 0;
      const probe = openLoopProbe({
        intervalMs: 100,
        kinds: [
          { name: 'inbox', every: 3, op: () => get('/api/v1/tasks?limit=50', staff.acceptor).then(() => undefined) },
          {
            name: 'caseList',
            every: 3,
            op: () =>
              get(`/api/v1/cases?status=open&agencyCode=${AGENCY}&limit=50`, staff.supervisor).then(() => undefined),
          },
          {
            name: 'caseView',
            every: 3,
            op: () =>
              get(`/api/v1/cases/${burstIds[probeN++ % burstIds.length]}`, staff.supervisor).then(() => undefined),
          },
          { name: 'enrollment', every: 20, op: () => enrol(1_000_000 + probeN++) },
        ],
      });
      const drained = await waitUntil(
        async () => (await countWhere(database, burstIds, sql`projection_seq >= 3`)) >= burstIds.length,
        Date.now() + s.drainTimeoutMs,
        1000,
      );
      // The probe runs a while even when the burst was over at once, so its figures have samples.
      await sleep(Math.max(dueAtMs + (s.quick ? 3_000 : 10_000) - Date.now(), 0));
      const probeResult = await probe.stop();
      const breached = await countWhere(database, burstIds, sql`projection_seq >= 3`);
      const last = await database.db.execute<{ last: Date | null }>(
        sql`select max(recorded_at) as last from case_events where type = 'deadline_breached' and ${inRange(burstIds, sql`case_id`)}`,
      );
      const lastMs = last.rows[0].last ? new Date(last.rows[0].last).getTime() : NaN;
      await quiesce(meter);
      const burstCpu = meter.net(cpuBefore, meter.read());
      const reads4 = [
        ...probeResult.latencies.inbox,
        ...probeResult.latencies.caseList,
        ...probeResult.latencies.caseView,
      ];
      const burst = {
        deadlines: burstIds.length,
        dueAt: new Date(dueAtMs).toISOString(),
        creation,
        breached,
        drained: drained !== undefined,
        drainSeconds: (lastMs - dueAtMs) / 1000,
        apiReads: summarise(reads4),
        apiByKind: Object.fromEntries(Object.entries(probeResult.latencies).map(([k, v]) => [k, summarise(v)])),
        apiErrors: probeResult.errors,
        cpuMs: burstCpu,
        cpuMsPerDeadline: Object.fromEntries(
          Object.entries(burstCpu).map(([k, v]) => [k, Math.round((v / Math.max(breached, 1)) * 10) / 10]),
        ),
      };
      memory.mark('afterBurst');
      result.openCases = withOpen;
      result.burst = burst;
      say(
        `burst: ${breached}/${burstIds.length} breaches recorded, the last ${burst.drainSeconds.toFixed(1)} s after the instant; API reads p99 ${burst.apiReads.p99} ms, enrollment p99 ${burst.apiByKind.enrollment?.p99} ms`,
      );
      for (const [kind, e] of Object.entries(probeResult.errors))
        if (e.count > 0) say(`  ${kind}: ${e.count} failed requests (${e.first})`);
    }

    // 3. Reads at the second size.
    if (s.phases.has('reads')) {
      if (reads.length === 0) reads.push(await readBench());
      const open = Number(
        (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from cases where status = 'open'`))
          .rows[0].n,
      );
      if (s.openCases > open)
        await insertOpenCases(database.db, {
          count: s.openCases - open,
          agencyCode: AGENCY,
          salt: `fill-${runTag}`,
          withTasks: true,
          nowMs: Date.now(),
        });
      reads.push(await readBench());
      result.reads = reads;
    }

    async function readBench(): Promise<ReadRow> {
      const openCases = Number(
        (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from cases where status = 'open'`))
          .rows[0].n,
      );
      const viewIds = burstIds.length > 0 ? burstIds : lastEnrollment ? [lastEnrollment] : [];
      const first = await get('/api/v1/tasks?limit=50', staff.acceptor);
      // A page deep in the inbox: the tenth, by the API's own paging.
      let deepQuery = '/api/v1/tasks?limit=50&offset=450';
      if (typeof first.nextCursor === 'string') {
        let cursor = first.nextCursor;
        for (let i = 0; i < 8 && cursor; i += 1) {
          const next = (await get(`/api/v1/tasks?limit=50&cursor=${encodeURIComponent(cursor)}`, staff.acceptor))
            .nextCursor;
          cursor = typeof next === 'string' ? next : '';
        }
        deepQuery = `/api/v1/tasks?limit=50&cursor=${encodeURIComponent(cursor)}`;
      }
      const timed = async (op: () => Promise<unknown>) =>
        summarise(
          (await closedLoop({ concurrency: 2, durationMs: s.readMs, op: async () => void (await op()) })).latenciesMs,
        );
      let v = 0;
      const row: ReadRow = {
        openCases,
        inboxFirstPage: await timed(() => get('/api/v1/tasks?limit=50', staff.acceptor)),
        inboxDeepPage: await timed(() => get(deepQuery, staff.acceptor)),
        caseList: await timed(() => get(`/api/v1/cases?status=open&agencyCode=${AGENCY}&limit=50`, staff.supervisor)),
        caseView: await timed(() => get(`/api/v1/cases/${viewIds[v++ % viewIds.length]}`, staff.supervisor)),
        inboxTotal: typeof first.total === 'number' ? first.total : null,
      };
      say(
        `reads with ${openCases} open cases: inbox p99 ${row.inboxFirstPage.p99} ms (deep ${row.inboxDeepPage.p99}), case list p99 ${row.caseList.p99} ms, case view p99 ${row.caseView.p99} ms`,
      );
      return row;
    }

    result.memory = memory.stop();
    result.loadAverageAtEnd = loadAverage();
    result.finishedAt = new Date().toISOString();
    result.targets = targets(result);
    const jsonPath = path.resolve(
      values.json ?? path.join('data', 'bench', `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`),
    );
    fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
    fs.writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\n${table(result)}\n`);
    say(`figures written to ${jsonPath}`);
  } finally {
    await stopAll();
  }
}

function comparisonRow(concurrency: number, segments: Segment[]): ComparisonRow {
  const side = (kind: Segment['kind']) => {
    const own = segments.filter((g) => g.kind === kind && g.concurrency === concurrency);
    const completed = own.reduce((a, g) => a + g.result.completed, 0);
    const seconds = own.reduce((a, g) => a + g.result.elapsedMs, 0) / 1000;
    const cpu: Record<string, number> = {};
    for (const g of own) for (const [k, v] of Object.entries(g.cpuMs)) cpu[k] = (cpu[k] ?? 0) + v;
    return {
      perSecond: round2(completed / seconds),
      statementsPerCase: Math.round((own.reduce((a, g) => a + g.statements, 0) / Math.max(completed, 1)) * 10) / 10,
      latency: summarise(own.flatMap((g) => g.result.latenciesMs)),
      errors: own.reduce((a, g) => a + g.result.errors, 0),
      cpuMsPerCase: Object.fromEntries(
        Object.entries(cpu).map(([k, v]) => [k, Math.round((v / Math.max(completed, 1)) * 10) / 10]),
      ),
    };
  };
  const noop = side('noop');
  const enrollment = side('enrollment');
  return {
    concurrency,
    noop,
    enrollment,
    throughputRatio: round2(enrollment.perSecond / noop.perSecond),
    p50Ratio: round2(enrollment.latency.p50 / noop.latency.p50),
  };
}

interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

/** The issue's targets, each against what this run measured (null: not measured in this run). */
function targets(r: Record<string, unknown>): Target[] {
  const out: Target[] = [];
  const comparison = (r.comparison as ComparisonRow[] | undefined) ?? [];
  for (const c of [8, 32]) {
    const row = comparison.find((x) => x.concurrency === c);
    out.push({
      target: `enrollment throughput ≥ 0.8 × no-op at concurrency ${c}`,
      measured: row ? `${row.throughputRatio} ×` : 'not run',
      met: row ? row.throughputRatio >= 0.8 : null,
    });
  }
  for (const c of [1, 8]) {
    const row = comparison.find((x) => x.concurrency === c);
    out.push({
      target: `enrollment p50 ≤ 1.3 × no-op at concurrency ${c}`,
      measured: row ? `${row.p50Ratio} ×` : 'not run',
      met: row ? row.p50Ratio <= 1.3 : null,
    });
  }
  const open = r.openCases as { runningWorkflows: number; rssMiB: number } | undefined;
  const memory = r.memory as { peakMiB: number } | undefined;
  out.push({
    target: 'worker/API RSS ≤ 600 MB with 10k running workflows',
    measured: open
      ? `${open.rssMiB.toFixed(0)} MiB with ${open.runningWorkflows} running (peak of the run ${memory?.peakMiB.toFixed(0)} MiB)`
      : 'not run',
    met: open && open.runningWorkflows >= 10_000 ? (memory?.peakMiB ?? open.rssMiB) * 1.048576 <= 600 : null,
  });
  const reads = (r.reads as ReadRow[] | undefined) ?? [];
  const big = reads.at(-1);
  if (big) {
    const worst = Math.max(big.inboxFirstPage.p99, big.inboxDeepPage.p99, big.caseList.p99, big.caseView.p99);
    out.push({
      target: 'inbox and case reads p99 ≤ 50 ms with 100k open cases',
      measured: `${worst} ms (worst of four reads) with ${big.openCases} open cases`,
      met: big.openCases >= 100_000 ? worst <= 50 : null,
    });
  } else out.push({ target: 'inbox and case reads p99 ≤ 50 ms with 100k open cases', measured: 'not run', met: null });
  const burst = r.burst as
    | {
        deadlines: number;
        drained: boolean;
        drainSeconds: number;
        apiReads: LatencySummary;
        apiByKind: Record<string, LatencySummary>;
      }
    | undefined;
  out.push({
    target: '10k deadlines at one instant drained within 5 min, API p99 < 1 s meanwhile',
    measured: burst
      ? `${burst.deadlines} drained in ${burst.drainSeconds.toFixed(0)} s; reads p99 ${burst.apiReads.p99} ms, online enrollment p99 ${burst.apiByKind.enrollment?.p99} ms`
      : 'not run',
    met: burst
      ? burst.deadlines >= 10_000
        ? burst.drained &&
          burst.drainSeconds <= 300 &&
          Math.max(burst.apiReads.p99, burst.apiByKind.enrollment?.p99 ?? 0) < 1000
        : null
      : null,
  });
  return out;
}

/** The table `npm run bench` prints. */
export function table(r: Record<string, unknown>): string {
  const lines: string[] = [];
  const machine = r.machine as {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: number[];
  };
  lines.push(
    `flex-pension benchmark (${String(r.mode)}), ${String(r.startedAt)}: ${machine.cpus} CPU(s) ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}`,
  );
  lines.push(
    `load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${(r.loadAverageAtEnd as number[]).join(' ')}; worker ${JSON.stringify(r.workerTuning)}`,
  );
  const shape = r.historyShape as { enrollment?: Record<string, number>; noop?: Record<string, number> };
  if (shape?.enrollment)
    lines.push(
      `history of one online enrollment: ${fmtShape(shape.enrollment)}; of the no-op workflow: ${shape.noop ? fmtShape(shape.noop) : '-'}`,
    );
  lines.push('');
  lines.push(
    'Comparison (same server and client, interleaved rounds): online enrollment through the API vs the no-op workflow',
  );
  lines.push(
    row([
      'concurrency',
      'no-op wf/s',
      'enrol/s',
      'ratio',
      'p50 no-op → enrol ms',
      'p50 ratio',
      'p99 no-op → enrol ms',
      'CPU ms/case no-op (api+worker/temporal/pg/client)',
      'CPU ms/case enrol',
      'SQL/enrol',
    ]),
  );
  for (const c of (r.comparison as ComparisonRow[] | undefined) ?? []) {
    const cpu = (x: Record<string, number>) =>
      `${x.api_worker}/${x.temporal}/${Number.isNaN(x.postgres) ? '-' : x.postgres}/${x.bench}`;
    lines.push(
      row([
        String(c.concurrency),
        c.noop.perSecond.toFixed(2),
        c.enrollment.perSecond.toFixed(2),
        c.throughputRatio.toFixed(2),
        `${c.noop.latency.p50} → ${c.enrollment.latency.p50}`,
        c.p50Ratio.toFixed(2),
        `${c.noop.latency.p99} → ${c.enrollment.latency.p99}`,
        cpu(c.noop.cpuMsPerCase),
        cpu(c.enrollment.cpuMsPerCase),
        String(c.enrollment.statementsPerCase),
      ]),
    );
  }
  const open = r.openCases as { runningWorkflows: number; rssMiB: number; heapUsedMiB: number } | undefined;
  const burst = r.burst as
    | {
        deadlines: number;
        creation: { settledSeconds: number | null };
        breached: number;
        drained: boolean;
        drainSeconds: number;
        apiReads: LatencySummary;
        apiByKind: Record<string, LatencySummary>;
        cpuMsPerDeadline: Record<string, number>;
      }
    | undefined;
  if (open && burst) {
    lines.push('');
    lines.push('Open cases and the midnight burst (every deadline due at the same instant)');
    lines.push(
      row([
        'deadlines',
        'open cases set up s',
        'running workflows',
        'RSS MiB',
        'heap MiB',
        'drained',
        'drain s',
        'API reads p50/p99 ms',
        'enrol p50/p99 ms',
        'CPU ms/deadline (api+worker/temporal/pg)',
      ]),
    );
    lines.push(
      row([
        String(burst.deadlines),
        burst.creation.settledSeconds?.toFixed(0) ?? '>deadline',
        String(open.runningWorkflows),
        open.rssMiB.toFixed(0),
        open.heapUsedMiB.toFixed(0),
        `${burst.breached}${burst.drained ? '' : ' (timeout)'}`,
        burst.drainSeconds.toFixed(1),
        `${burst.apiReads.p50}/${burst.apiReads.p99}`,
        `${burst.apiByKind.enrollment?.p50}/${burst.apiByKind.enrollment?.p99}`,
        `${burst.cpuMsPerDeadline.api_worker}/${burst.cpuMsPerDeadline.temporal}/${Number.isNaN(burst.cpuMsPerDeadline.postgres) ? '-' : burst.cpuMsPerDeadline.postgres}`,
      ]),
    );
  }
  const reads = (r.reads as ReadRow[] | undefined) ?? [];
  if (reads.length > 0) {
    lines.push('');
    lines.push(
      'Reads through the API, p50/p99 ms (inbox of one agency’s acceptors; case list of the agency’s open cases; one case)',
    );
    lines.push(row(['open cases', 'inbox page 1', 'inbox page 10', 'case list', 'case view', 'inbox total']));
    for (const x of reads) {
      lines.push(
        row([
          String(x.openCases),
          pq(x.inboxFirstPage),
          pq(x.inboxDeepPage),
          pq(x.caseList),
          pq(x.caseView),
          String(x.inboxTotal ?? '-'),
        ]),
      );
    }
  }
  const memory = r.memory as { startMiB: number; peakMiB: number; marks: Record<string, number> } | undefined;
  if (memory) {
    lines.push('');
    lines.push(
      `API/worker process RSS: ${memory.startMiB.toFixed(0)} MiB at start, peak ${memory.peakMiB.toFixed(0)} MiB; ${Object.entries(
        memory.marks,
      )
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ')}`,
    );
  }
  lines.push('');
  lines.push('Targets (ratios measured in this run)');
  for (const t of r.targets as Target[])
    lines.push(`  ${t.met === null ? '  -  ' : t.met ? ' met ' : ' NOT '} ${t.target}: ${t.measured}`);
  return lines.join('\n');
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pq = (l: LatencySummary) => `${l.p50}/${l.p99}`;
const fmtShape = (x: Record<string, number>) =>
  Object.entries(x)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** What one workflow's history holds: events, workflow tasks, activities, timers, children, upserts. */
async function historyShape(client: Client, workflowId: string): Promise<Record<string, number>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const T = temporal.api.enums.v1.EventType;
  const count = (t: temporal.api.enums.v1.EventType) => (history.events ?? []).filter((e) => e.eventType === t).length;
  return {
    events: history.events?.length ?? 0,
    workflowTasks: count(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities: count(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    timers: count(T.EVENT_TYPE_TIMER_STARTED),
    children: count(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
    upserts: count(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    markers: count(T.EVENT_TYPE_MARKER_RECORDED),
  };
}

/** Waits until our processes are nearly idle (< 10 % of a core for 600 ms) or 20 s have passed. */
async function quiesce(meter: CpuMeter): Promise<void> {
  const until = Date.now() + 20_000;
  let quietFor = 0;
  let last = meter.read();
  while (Date.now() < until && quietFor < 3) {
    await sleep(200);
    const now = meter.read();
    const busy = Object.entries(CpuMeter.delta(last, now))
      .filter(([k]) => k !== 'bench')
      .reduce((a, [, v]) => a + (Number.isNaN(v) ? 0 : v), 0);
    quietFor = busy < 30 ? quietFor + 1 : 0;
    last = now;
  }
}

/** The cases of `ids` (consecutive case numbers of one agency and year) that meet `condition`. */
async function countWhere(database: DbHandle, ids: string[], condition: ReturnType<typeof sql>): Promise<number> {
  const res = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from cases where ${inRange(ids)} and ${condition}`,
  );
  return Number(res.rows[0].n);
}

/** SQL for "the case ID is one of `ids`", which insertOpenCases numbers consecutively. */
function inRange(ids: string[], column = sql`id`) {
  return sql`(${column} between ${ids[0]} and ${ids[ids.length - 1]} and length(${column}) = ${ids[0].length})`;
}

/** Polls `done` until it holds (the time it took) or `untilMs` passes (undefined). */
async function waitUntil(done: () => Promise<boolean>, untilMs: number, everyMs = 500): Promise<number | undefined> {
  const start = Date.now();
  for (;;) {
    if (await done()) return Date.now() - start;
    if (Date.now() >= untilMs) return undefined;
    await sleep(Math.min(everyMs, Math.max(untilMs - Date.now(), 1)));
  }
}

/** The system process's RSS sampled every second: at start, the peak, and at named moments. */
function memoryWatch(pid: number) {
  const first = rssMiB(pid)?.rss ?? NaN;
  let peak = first;
  const marks: Record<string, number> = {};
  const timer = setInterval(() => {
    const m = rssMiB(pid);
    if (m) peak = Math.max(peak, m.rss);
  }, 1000);
  timer.unref();
  return {
    mark(name: string) {
      marks[name] = rssMiB(pid)?.rss ?? NaN;
    },
    stop() {
      clearInterval(timer);
      const m = rssMiB(pid);
      return { startMiB: first, peakMiB: Math.max(peak, m?.peak ?? 0), marks };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new PgClient({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
