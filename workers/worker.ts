/** Builds the worker that runs every case workflow and its activities. */
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps, type Activities } from '../activities';

/** Resolves to workflows/index.ts under tsx and to the compiled index.js in production. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Slots and the sticky cache, sized for a 2-core machine from `npm run bench` (README,
 * "Performance"). A cached workflow costs the worker about 0.6 MiB (the workflow thread's heap):
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

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
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
