/** Builds the worker that runs every case workflow and its activities. */
import type { DataConverter } from '@temporalio/common';
import { type InjectedSinks, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { insertRefusal } from '../db/repositories/audit';
import type { AuditSinks } from '../workflows/shared/trust';

/** Resolves to workflows/index.ts under tsx and to the compiled index.js in production. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

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
          insertRefusal(deps.db, { actorId: r.actorId ?? 'unverified', actorRole: r.actorRole ?? 'none', agencyCode: r.agencyCode, action: `workflow ${r.action}`, caseId: r.caseId, code: r.code, reason: r.reason }).catch(
            (err: unknown) => process.stderr.write(`[worker] could not record a refusal (${r.code} on ${r.caseId}): ${err instanceof Error ? err.message : String(err)}\n`),
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
    activities: createActivities(setup.deps),
    dataConverter: setup.dataConverter,
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(setup.identity ? { identity: setup.identity } : {}),
    // Sized for a 2-core machine: workflow tasks are short, activities are I/O bound.
    maxConcurrentWorkflowTaskExecutions: 20,
    maxConcurrentActivityTaskExecutions: 40,
    maxCachedWorkflows: 500,
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
