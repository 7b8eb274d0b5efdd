/**
 * Activity proxies, one per option preset, so no activity is ever called without a timeout.
 * Database steps retry without limit (with backoff capped at a minute): a case must never be
 * lost to a transient outage, and a step that keeps failing shows up as a retrying activity in
 * the Temporal UI for operations staff.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** External systems (other provinces, the tax department, registries): slower, bounded per try. */
export const external = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Remitting funds: the activity heartbeats while the platform answers, so a worker that dies
 * mid-call is noticed within seconds and the retry (same idempotency key) runs on another.
 */
export const remit = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The same database steps run inside the workflow task that needs them (local activities):
 * for what a timer records when it fires — a deadline's reminder or breach — so that a timer
 * costs one workflow task and no activity task. Every deadline of a day falls due at 00:00
 * China time; this halves what the server does for each at that instant. Retried without limit
 * like `db` (past a minute the retries are timers of the workflow).
 */
export const timerStep = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
