/**
 * Whether PostgreSQL and Temporal answer, probed every second with a short timeout each, so that
 * a request that needs one that is down fails at once with 503 and a code instead of waiting for
 * connection timeouts and retries, /health names what is down within two seconds, and nothing
 * else changes: the processes stay up and carry on when the dependency returns.
 */
import { Connection, type Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ApiError } from '../errors';

export type Dependency = 'database' | 'temporal';
export type DependencyState = Record<Dependency, 'ok' | 'unavailable'>;

/** /health's own probe: it must answer within 2 s, so each dependency gets 1.5 s. */
const HEALTH_PROBE_TIMEOUT_MS = 1500;
/** The background probe: a loaded machine may be slow to answer, and one slow answer is not an outage. */
const BACKGROUND_PROBE_TIMEOUT_MS = 3000;
/** Consecutive failed probes before requests are failed fast (a refused connection fails every probe at once). */
const FAILURES_BEFORE_DOWN = 2;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export interface DependencyMonitor {
  /**
   * What requests go by: a dependency is 'unavailable' after two probes in a row failed, and
   * 'ok' again after one that answered (both 'ok' before the first).
   */
  readonly state: DependencyState;
  /** Probes both now (in parallel, each within 1.5 s) and returns what this probe found (/health). */
  probe(): Promise<DependencyState>;
  /** Throws 503 `service.<dependency>_unavailable` when the last probe found it down. */
  require(dependency: Dependency): void;
  /** Stops probing; resolves once no probe is in flight and the probe's connection is closed. */
  stop(): Promise<void>;
}

/**
 * A connection of the monitor's own to the client's frontend, without the SDK's retries: a probe
 * of a frontend that is down fails at once instead of retrying on timers — which would also go on
 * firing after the application closed its connections.
 */
function probeConnectionOf(client: Client): Connection | undefined {
  if (!(client.connection instanceof Connection)) return undefined;
  const o = client.connection.options;
  return Connection.lazy({
    address: o.address,
    credentials: o.credentials,
    channelArgs: o.channelArgs,
    metadata: o.metadata,
    interceptors: [],
  });
}

export function unavailable(dependency: Dependency): ApiError {
  const what = dependency === 'database' ? '数据库（PostgreSQL）' : '流程引擎（Temporal）';
  return new ApiError(503, `service.${dependency}_unavailable`, `${what}暂时不可用，请稍后重试；已受理的案件不受影响`);
}

export function createDependencyMonitor(o: {
  db: Db;
  temporal: Client;
  intervalMs?: number;
  onChange?: (state: DependencyState) => void;
}): DependencyMonitor {
  const state: DependencyState = { database: 'ok', temporal: 'ok' };
  const failures: Record<Dependency, number> = { database: 0, temporal: 0 };
  const probeConnection = probeConnectionOf(o.temporal);
  const askTemporal = (timeoutMs: number): Promise<unknown> =>
    probeConnection
      ? probeConnection.withDeadline(Date.now() + timeoutMs, () => probeConnection.workflowService.getSystemInfo({}))
      : o.temporal.connection.workflowService.getSystemInfo({});
  const check = (dependency: Dependency, timeoutMs: number): Promise<'ok' | 'unavailable'> =>
    within<unknown>(
      dependency === 'database' ? Promise.resolve(o.db.execute(sql`select 1`)) : askTemporal(timeoutMs),
      timeoutMs,
    ).then(
      () => 'ok' as const,
      () => 'unavailable' as const,
    );
  const note = (found: DependencyState): void => {
    let changed = false;
    for (const d of ['database', 'temporal'] as const) {
      failures[d] = found[d] === 'ok' ? 0 : failures[d] + 1;
      const next = found[d] === 'ok' ? 'ok' : failures[d] >= FAILURES_BEFORE_DOWN ? 'unavailable' : state[d];
      if (next !== state[d]) {
        state[d] = next;
        changed = true;
      }
    }
    if (changed) o.onChange?.({ ...state });
  };
  const probeWithin = async (timeoutMs: number): Promise<DependencyState> => {
    const [database, temporal] = await Promise.all([check('database', timeoutMs), check('temporal', timeoutMs)]);
    const found = { database, temporal };
    note(found);
    return found;
  };
  const inFlight = new Set<Promise<unknown>>();
  const tracked = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };
  let background: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    background ??= tracked(probeWithin(BACKGROUND_PROBE_TIMEOUT_MS)).finally(() => (background = undefined));
  }, o.intervalMs ?? 1000);
  timer.unref();
  return {
    state,
    probe: () => tracked(probeWithin(HEALTH_PROBE_TIMEOUT_MS)),
    require(dependency) {
      if (state[dependency] !== 'ok') throw unavailable(dependency);
    },
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
      await probeConnection?.close().catch(() => undefined);
    },
  };
}

const PG_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** Walks an error and its causes. */
function* causes(err: unknown): Generator<Record<string, unknown>> {
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    yield current as Record<string, unknown>;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The database could not be reached (refused, terminated, timed out connecting), as opposed to a query error. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (typeof e.code === 'string' && PG_CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Temporal could not be reached (gRPC UNAVAILABLE or DEADLINE_EXCEEDED somewhere in the chain). */
export function isTemporalUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    if ((e.code === 14 || e.code === 4) && 'details' in e) return true;
    if (typeof e.name === 'string' && e.name === 'ConnectionError') return true;
  }
  return false;
}
