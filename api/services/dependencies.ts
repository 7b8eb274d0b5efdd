/**
 * Whether PostgreSQL and Temporal answer, probed every second with a short timeout each, so that
 * a request that needs one that is down fails at once with 503 and a code instead of waiting for
 * connection timeouts and retries, /health names what is down within two seconds, and nothing
 * else changes: the processes stay up and carry on when the dependency returns.
 */
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ApiError } from '../errors';

export type Dependency = 'database' | 'temporal';
export type DependencyState = Record<Dependency, 'ok' | 'unavailable'>;

/** Within: a probe that has not answered by then counts as down. */
const PROBE_TIMEOUT_MS = 1500;

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
  /** The state of the last probe (both 'ok' before the first). */
  readonly state: DependencyState;
  /** Probes both now (in parallel, each within 1.5 s) and returns the result. */
  probe(): Promise<DependencyState>;
  /** Throws 503 `service.<dependency>_unavailable` when the last probe found it down. */
  require(dependency: Dependency): void;
  stop(): void;
}

export function unavailable(dependency: Dependency): ApiError {
  const what = dependency === 'database' ? '数据库（PostgreSQL）' : '流程引擎（Temporal）';
  return new ApiError(503, `service.${dependency}_unavailable`, `${what}暂时不可用，请稍后重试；已受理的案件不受影响`);
}

export function createDependencyMonitor(o: { db: Db; temporal: Client; intervalMs?: number; onChange?: (state: DependencyState) => void }): DependencyMonitor {
  const state: DependencyState = { database: 'ok', temporal: 'ok' };
  let running: Promise<DependencyState> | undefined;
  const probe = (): Promise<DependencyState> => {
    // Concurrent callers (/health and the timer) share one probe.
    running ??= (async () => {
      const [database, temporal] = await Promise.all([
        within(o.db.execute(sql`select 1`), PROBE_TIMEOUT_MS).then(
          () => 'ok' as const,
          () => 'unavailable' as const,
        ),
        within(o.temporal.connection.workflowService.getSystemInfo({}), PROBE_TIMEOUT_MS).then(
          () => 'ok' as const,
          () => 'unavailable' as const,
        ),
      ]);
      const changed = database !== state.database || temporal !== state.temporal;
      state.database = database;
      state.temporal = temporal;
      if (changed) o.onChange?.({ ...state });
      return { ...state };
    })().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void probe(), o.intervalMs ?? 1000);
  timer.unref();
  return {
    state,
    probe,
    require(dependency) {
      if (state[dependency] !== 'ok') throw unavailable(dependency);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection refused/i;

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
