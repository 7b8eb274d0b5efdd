/** Polling for eventually consistent things (visibility, activities finishing after a timer). */

/**
 * Calls `probe` until `done(value)` holds or `timeoutMs` passes; returns the last value either
 * way, so the caller's expect() shows what was seen instead of a bare timeout.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
