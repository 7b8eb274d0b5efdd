/** Builds the worker that runs every case workflow and its activities. */
import type { DataConverter } from '@temporalio/common';
import { type InjectedSinks, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps, type Activities } from '../activities';
import { insertRefusal } from '../db/repositories/audit';
import type { AuditSinks } from '../workflows/shared/trust';

/** Resolves to workflows/index.ts under tsx and to the compiled index.js in production. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Slots and the sticky cache, sized for a 2-core machine from `npm run bench` (docs/performance.md). A cached workflow costs the worker about 0.6 MiB (the workflow thread's heap):
 * 500 cached took the API/worker process to 644 MiB with 1,650 open cases and 938 MiB at the
 * midnight burst, 100 to 418 and 553 MiB, at the same drain rate — a case's history is a few
 * dozen events, so a workflow task that finds its case evicted replays it in milliseconds. An
 * online enrollment is in the cache for the second it runs; 100 hold every case in flight at
 * concurrency 32 with room to spare. Workflow tasks are short and run one at a time on the
 * workflow thread; activities wait on PostgreSQL.
 */
export interface WorkerTuning {
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxCachedWorkflows: number;
}

export const DEFAULT_WORKER_TUNING: WorkerTuning = {
  maxConcurrentWorkflowTaskExecutions: 20,
  maxConcurrentActivityTaskExecutions: 40,
  maxCachedWorkflows: 100,
};

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /**
   * The encrypting data converter (workers/payload-codec.ts `dataConverter`). Required: a worker
   * without it would write personal data into Temporal in the clear. A prebuilt bundle must be
   * built with its failureConverterPath.
   */
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests, production); without it the worker bundles workflowsPath itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  tuning?: Partial<WorkerTuning>;
  /** Replaces single activities (the benchmark moves deadlines; never used in production). */
  activityOverrides?: Partial<Activities>;
}

/**
 * The workflows' refusals (an input without a valid API assertion: workflows/shared/trust.ts)
 * written to audit_refusals outside the sandbox. Not during replay: a refusal is recorded once,
 * when it happens.
 */
export function auditSinks(deps: Pick<ActivityDeps, 'db'>): InjectedSinks<AuditSinks> {
  return {
    audit: {
      refusal: {
        fn: (_info, r) => {
          insertRefusal(deps.db, {
            actorId: r.actorId ?? 'unverified',
            actorRole: r.actorRole ?? 'none',
            agencyCode: r.agencyCode,
            action: `workflow ${r.action}`,
            caseId: r.caseId,
            code: r.code,
            reason: r.reason,
          }).catch((err: unknown) =>
            process.stderr.write(
              `[worker] could not record a refusal (${r.code} on ${r.caseId}): ${err instanceof Error ? err.message : String(err)}\n`,
            ),
          );
        },
        callDuringReplay: false,
      },
    },
  };
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    sinks: auditSinks(setup.deps),
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: { ...createActivities(setup.deps), ...setup.activityOverrides },
    dataConverter: setup.dataConverter,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(setup.identity ? { identity: setup.identity } : {}),
    ...DEFAULT_WORKER_TUNING,
    ...setup.tuning,
    shutdownGraceTime: '10 seconds',
  });
}

/**
 * Runs workers one after another until `stopping()`: if a worker stops on its own (Temporal
 * unreachable for longer than the SDK retries, a fatal poll error), a new one is created once
 * Temporal answers again, so the process stays up and carries on. Resolves when stopped.
 */
export async function superviseWorker(o: {
  first: Worker;
  create: () => Promise<Worker>;
  stopping: () => boolean;
  onRestart?: (worker: Worker) => void;
  log: (message: string, err: unknown) => void;
}): Promise<void> {
  let current: Worker | undefined = o.first;
  for (;;) {
    try {
      if (current) await current.run();
      if (!o.stopping()) o.log('the worker stopped on its own; starting another', undefined);
    } catch (err) {
      if (!o.stopping()) o.log('the worker stopped; starting another when Temporal answers', err);
    }
    if (o.stopping()) return;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (o.stopping()) return;
    current = await o.create().catch(() => undefined);
    if (current) o.onRestart?.(current);
  }
}
