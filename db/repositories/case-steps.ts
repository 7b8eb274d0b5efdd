/**
 * Applying a workflow step to the database: the event, the case projection, and whatever the
 * step produced (notice, decision, materials), in the caller's transaction. Idempotent: the
 * event key is unique, so an activity retry applies nothing twice.
 */
import { and, asc, eq, inArray, lt, notInArray, sql } from 'drizzle-orm';
import type { Material } from '../../domain/materials';
import { SUPERVISION_STEPS } from '../../domain/supervision';
import type { StepRecord } from '../../domain/case-records';
import type { DbOrTx } from '../client';
import { caseMaterials, cases, decisions, notices, tasks } from '../schema';
import { fileArchive } from './archives';
import { appendEventToLockedCase } from './events';

/**
 * The task a step closes. The workflow names a key; when several tasks of the same case and step
 * are open at once (the seats of a collective review, all alike) it names them in order, so the
 * seat the deciding member claimed in the inbox is closed instead, and otherwise an unclaimed
 * seat before one someone else holds. Only the number of open seats is the workflow's to say.
 */
async function taskToClose(tx: DbOrTx, key: string, actorId: string | undefined): Promise<string | undefined> {
  const [named] = await tx
    .select({ id: tasks.id, caseId: tasks.caseId, step: tasks.step })
    .from(tasks)
    .where(eq(tasks.taskKey, key));
  if (!named) return undefined;
  const live = await tx
    .select({ id: tasks.id, taskKey: tasks.taskKey, status: tasks.status, assignee: tasks.assignee })
    .from(tasks)
    .where(and(eq(tasks.caseId, named.caseId), eq(tasks.step, named.step), inArray(tasks.status, ['open', 'claimed'])))
    .orderBy(asc(tasks.taskKey))
    // Locked, so a claim cannot slip in between choosing the seat and closing it.
    .for('update');
  const pick =
    live.find((t) => t.status === 'claimed' && actorId !== undefined && t.assignee === actorId) ??
    live.find((t) => t.taskKey === key && t.status === 'open') ??
    live.find((t) => t.status === 'open') ??
    live.find((t) => t.taskKey === key) ??
    live[0];
  return pick?.id;
}

/** The electronic-copy columns of a material (电子要件: hash, size, media type), null when absent. */
export function electronicCopy(m: Material): {
  contentHash: string | null;
  sizeBytes: number | null;
  mediaType: string | null;
} {
  return { contentHash: m.contentHash ?? null, sizeBytes: m.size ?? null, mediaType: m.type ?? null };
}

/**
 * Returns false when the step had already been applied. `effects` runs in the same transaction
 * after the case row is updated and before a closed case is filed, so what the closing step
 * produces (a certified award) is in the archive record.
 */
export async function applyStep(
  tx: DbOrTx,
  step: StepRecord,
  o: { effects?: () => Promise<void> } = {},
): Promise<boolean> {
  const occurredAt = new Date(step.occurredAt);
  const { appended, locked } = await appendEventToLockedCase(tx, {
    caseId: step.caseId,
    eventKey: step.eventKey,
    type: step.type,
    clause: step.clause ?? null,
    stage: step.stage,
    actorId: step.actor?.id ?? null,
    actorRole: step.actor?.role ?? null,
    detail: {
      ...step.detail,
      runId: step.runId,
      seq: step.seq,
      calendarVersion: step.clock.calendarVersion || undefined,
    },
    occurredAt,
  });
  if (!appended) return false;

  const clock = step.clock;
  const newer = await tx
    .update(cases)
    .set({
      stage: step.stage,
      waitingOn: step.waitingOn,
      status: step.status,
      ...(step.outcome ? { outcome: step.outcome, outcomeReason: step.outcomeReason ?? null } : {}),
      ...(step.followUp ? { followUp: step.followUp } : {}),
      ...(step.status === 'closed' ? { closedAt: occurredAt } : {}),
      clock,
      clockState: clock.state,
      dueAt: clock.dueAt ? new Date(clock.dueAt) : null,
      dueDate: clock.dueDate,
      calendarVersion: clock.calendarVersion || null,
      ...(step.clocks
        ? {
            clocks: step.clocks,
            counterpartDueAt:
              step.clocks.counterpart?.dueAt && step.clocks.counterpart.state === 'running'
                ? new Date(step.clocks.counterpart.dueAt)
                : null,
          }
        : {}),
      ...(step.waitingSince !== undefined
        ? { waitingSince: step.waitingSince ? new Date(step.waitingSince) : null }
        : {}),
      workflowRunId: step.runId,
      projectionSeq: step.seq,
      updatedAt: sql`now()`,
    })
    .where(and(eq(cases.id, step.caseId), lt(cases.projectionSeq, step.seq)))
    .returning({ id: cases.id });
  if (newer.length > 0 && clock.dueAt && locked?.dueAt?.getTime() !== Date.parse(clock.dueAt)) {
    // The inbox shows the case's current statutory due time (an extension moves it); status and
    // assignee are left alone, so a claim survives. Tasks opened since carry the same due time;
    // supervision's tasks keep their own.
    await tx
      .update(tasks)
      .set({ dueAt: new Date(clock.dueAt) })
      .where(
        and(
          eq(tasks.caseId, step.caseId),
          inArray(tasks.status, ['open', 'claimed']),
          notInArray(tasks.step, [...SUPERVISION_STEPS]),
        ),
      );
  }

  if (step.notice) {
    const channel =
      locked?.channel ??
      (await tx.select({ channel: cases.channel }).from(cases).where(eq(cases.id, step.caseId)))[0].channel;
    await tx
      .insert(notices)
      .values({
        caseId: step.caseId,
        kind: step.notice.kind,
        round: step.notice.round,
        items: step.notice.items,
        text: step.notice.text,
        channel: channel as (typeof cases.$inferSelect)['channel'],
        replyDueDate: step.notice.replyDueDate ?? null,
        issuedAt: occurredAt,
      })
      .onConflictDoNothing();
  }
  if (step.decision) {
    await tx
      .insert(decisions)
      .values({
        caseId: step.caseId,
        requestId: step.decision.requestId,
        step: step.decision.step,
        result: step.decision.result,
        actorId: step.actor?.id ?? 'unknown',
        actorRole: step.actor?.role ?? 'unknown',
        reason: step.decision.reason ?? null,
        items: step.decision.items ?? null,
        decidedAt: occurredAt,
      })
      .onConflictDoNothing({ target: decisions.requestId });
  }
  if (step.materials && step.materials.items.length > 0) {
    await tx
      .insert(caseMaterials)
      .values(
        step.materials.items.map((m) => ({
          caseId: step.caseId,
          kind: m.kind,
          ref: m.ref ?? null,
          ...electronicCopy(m),
          round: step.materials!.round,
          submittedAt: occurredAt,
        })),
      )
      .onConflictDoNothing();
  }
  if (step.task?.open) {
    const agencyCode =
      locked?.agencyCode ??
      (await tx.select({ agencyCode: cases.agencyCode }).from(cases).where(eq(cases.id, step.caseId)))[0].agencyCode;
    const t = step.task.open;
    await tx
      .insert(tasks)
      .values({
        taskKey: t.key,
        caseId: step.caseId,
        agencyCode,
        step: t.step,
        role: t.role,
        clause: t.clause,
        title: t.title,
        dueAt: t.dueAt ? new Date(t.dueAt) : null,
      })
      .onConflictDoNothing({ target: tasks.taskKey });
  }
  const closing = step.task?.close ? await taskToClose(tx, step.task.close.key, step.actor?.id) : undefined;
  if (closing) {
    await tx
      .update(tasks)
      .set({ status: 'done', completedAt: occurredAt, updatedAt: occurredAt })
      .where(and(eq(tasks.id, closing), inArray(tasks.status, ['open', 'claimed'])));
  }
  if (o.effects) await o.effects();
  if (step.status === 'closed') {
    // the finished case is filed, complete and traceable, in the same transaction.
    await fileArchive(tx, step.caseId, occurredAt);
    // A closed case waits on nobody: any task still open is cancelled. Supervision's tasks on the
    // case (an audit finding to rectify) are not the workflow's and stay.
    await tx
      .update(tasks)
      .set({ status: 'cancelled', completedAt: occurredAt, updatedAt: occurredAt })
      .where(
        and(
          eq(tasks.caseId, step.caseId),
          inArray(tasks.status, ['open', 'claimed']),
          notInArray(tasks.step, [...SUPERVISION_STEPS]),
        ),
      );
  }
  return true;
}
