/**
 * No orphan cases. A case workflow that failed, was terminated or timed out cannot close its
 * own case: the case would stay open for ever, at a stage whose task is gone, and every decision
 * would answer 409. The reconciler compares: open cases in PostgreSQL whose workflow is closed in
 * Temporal are closed here as `failed` — cases row, the event in the hash chain, any live task
 * cancelled — with one task for a supervisor of the agency, who takes the case over (re-files it,
 * informs the applicant) and marks the task done with a note.
 */
import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { appendEvent } from '../../db/repositories/events';
import { cases, tasks } from '../../db/schema';

/** The supervisor's task of a failed case (its step; completing it needs no workflow). */
export const FAILED_CASE_STEP = 'workflow_failed';
export const FAILED_CASE_TITLE = '案件办理流程异常终止：请核查案件、联系申请人并重新受理';

const STATUS_TEXT: Record<string, string> = {
  FAILED: '流程失败',
  TERMINATED: '流程被终止',
  TIMED_OUT: '流程超时',
  COMPLETED: '流程已结束但案件未办结',
  CANCELLED: '流程被取消',
};

/** Closes one case as failed, if it is still open; returns true when it did. */
export async function closeAsFailed(
  db: Db,
  o: { caseId: string; workflowStatus: string; runId?: string; at: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(cases).where(eq(cases.id, o.caseId)).for('update');
    if (!row || row.status !== 'open') return false;
    await tx
      .update(cases)
      .set({
        status: 'closed',
        outcome: 'failed',
        outcomeReason: `workflow_${o.workflowStatus.toLowerCase()}`,
        stage: 'closed',
        waitingOn: null,
        closedAt: o.at,
        clockState: 'stopped',
        updatedAt: o.at,
      })
      .where(eq(cases.id, o.caseId));
    await tx
      .update(tasks)
      .set({ status: 'cancelled', completedAt: o.at, updatedAt: o.at })
      .where(and(eq(tasks.caseId, o.caseId), inArray(tasks.status, ['open', 'claimed'])));
    await tx
      .insert(tasks)
      .values({
        taskKey: `${o.caseId}:${FAILED_CASE_STEP}`,
        caseId: o.caseId,
        agencyCode: row.agencyCode,
        step: FAILED_CASE_STEP,
        role: 'supervisor',
        title: FAILED_CASE_TITLE,
        dueAt: row.dueAt,
        detail: { workflowStatus: o.workflowStatus, stageWhenFailed: row.stage },
      })
      .onConflictDoNothing({ target: tasks.taskKey });
    await appendEvent(tx, {
      caseId: o.caseId,
      eventKey: `${o.caseId}#failed`,
      type: 'case_failed',
      clause: null,
      stage: 'closed',
      actorId: null,
      actorRole: 'system',
      detail: {
        workflowStatus: o.workflowStatus,
        runId: o.runId ?? null,
        stageWhenFailed: row.stage,
        text: STATUS_TEXT[o.workflowStatus] ?? o.workflowStatus,
      },
      occurredAt: o.at,
    });
    return true;
  });
}

/**
 * One pass of the comparison: closed workflows of this task queue whose case is still open in
 * Temporal's view (CaseStatus stays "open" when a workflow dies), checked against PostgreSQL.
 * `since` narrows the visibility query to workflows closed after it (the previous pass).
 */
export async function closeOrphanedCases(
  deps: { db: Db; temporal: Client; taskQueue: string; now?: () => Date },
  since?: Date,
): Promise<string[]> {
  const closed = [
    `TaskQueue = "${deps.taskQueue.replace(/"/g, '')}"`,
    'ExecutionStatus != "Running"',
    'ExecutionStatus != "ContinuedAsNew"',
    'CaseStatus = "open"',
  ];
  if (since) closed.push(`CloseTime > "${since.toISOString()}"`);
  const found: WorkflowExecutionInfo[] = [];
  for await (const execution of deps.temporal.workflow.list({ query: closed.join(' AND ') })) found.push(execution);
  if (found.length === 0) return [];
  const open = await deps.db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        inArray(
          cases.id,
          found.map((e) => e.workflowId),
        ),
        eq(cases.status, 'open'),
      ),
    );
  const openIds = new Set(open.map((r) => r.id));
  const done: string[] = [];
  for (const execution of found.filter((e) => openIds.has(e.workflowId))) {
    // Visibility lags: the execution itself says whether it is really closed.
    const described = await deps.temporal.workflow.getHandle(execution.workflowId).describe();
    const status = described.status.name;
    if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') continue;
    if (
      await closeAsFailed(deps.db, {
        caseId: execution.workflowId,
        workflowStatus: status,
        runId: described.runId,
        at: deps.now?.() ?? new Date(),
      })
    )
      done.push(execution.workflowId);
  }
  return done;
}
