/** Load shapes of the benchmark: a closed loop (N clients back to back) and an open-loop probe. */

export interface LoadResult {
  completed: number;
  errors: number;
  firstError?: string;
  latenciesMs: number[];
  elapsedMs: number;
}

/** `concurrency` clients each run `op` back to back until `durationMs` has passed. */
export async function closedLoop(o: {
  concurrency: number;
  durationMs: number;
  op: (n: number) => Promise<void>;
}): Promise<LoadResult> {
  const result: LoadResult = { completed: 0, errors: 0, latenciesMs: [], elapsedMs: 0 };
  const started = performance.now();
  const until = started + o.durationMs;
  let next = 0;
  const client = async () => {
    while (performance.now() < until) {
      const n = next++;
      const t0 = performance.now();
      try {
        await o.op(n);
        result.latenciesMs.push(performance.now() - t0);
        result.completed += 1;
      } catch (err) {
        result.errors += 1;
        result.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, client));
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Runs `op` over every item with at most `concurrency` at once. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  op: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await op(items[i], i);
      }
    }),
  );
}

/**
 * Starts `op` every `intervalMs` whatever the previous one is doing (an open loop, so a slow
 * answer does not slow the probe down), until `stop()`; returns the latencies by kind.
 */
export function openLoopProbe(o: {
  intervalMs: number;
  kinds: Array<{ name: string; every?: number; op: () => Promise<void> }>;
}) {
  const latencies: Record<string, number[]> = Object.fromEntries(o.kinds.map((k) => [k.name, []]));
  const errors: Record<string, { count: number; first?: string }> = Object.fromEntries(
    o.kinds.map((k) => [k.name, { count: 0 }]),
  );
  const pending = new Set<Promise<void>>();
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    for (const k of o.kinds) {
      if (tick % (k.every ?? 1) !== 0) continue;
      const t0 = performance.now();
      const p = k.op().then(
        () => void latencies[k.name].push(performance.now() - t0),
        (err: unknown) => {
          errors[k.name].count += 1;
          errors[k.name].first ??= err instanceof Error ? err.message : String(err);
        },
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
  }, o.intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.allSettled([...pending]);
      return { latencies, errors };
    },
  };
}
