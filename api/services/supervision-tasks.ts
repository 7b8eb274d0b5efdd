/**
 * Supervision's tasks in the inbox (docs/supervision.md): a sampled case to inspect
 * (`self_inspection`), a finding to rectify (`inspection_followup`, `audit_followup`) and a poor
 * rating to follow up (`satisfaction_followup`). They are claimed and released like any task;
 * completing one records the result here — there is no case workflow to send it to (the case is
 * closed, or the finding is not the workflow's step) — and closes the task in the same transaction.
 *
 * Who inspects: supervisors are known only from their tokens, so there is no roster to assign
 * from. An inspection task is open to the agency's supervisors, and the claim (and again the
 * completion) is refused to one who acted on the case — any event, decision or counter receipt
 * recorded with their ID (403 `separation.handled_case`, recorded in audit_refusals). The case
 * record is the only complete list of who handled a case; a roster would repeat it and go stale.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { inspectionTaskKey } from '../../db/repositories/inspections';
import { caseActorIds, closeSupervisionTask, openSupervisionTask } from '../../db/repositories/supervision';
import type { TaskRow } from '../../db/repositories/tasks';
import { findings, inspectionItems, serviceRatings, tasks } from '../../db/schema';
import {
  FINDING_CATEGORIES,
  isSupervisionStep,
  SUPERVISION_LIMITS,
  SUPERVISION_STEP,
  type SupervisionStep,
} from '../../domain/supervision';
import { addWorkingDays, chinaDateOf, endOfChinaDay, type CalendarSnapshot } from '../../domain/working-days';
import { inspectionRecordedSignal } from '../../workflows/self-inspection';
import { recordRefusal, type Actor } from '../auth/plugin';
import { ApiError, conflict, unprocessable } from '../errors';

export interface SupervisionTaskDeps {
  db: Db;
  temporal: Client;
  now: () => Date;
  calendar: { current(): Promise<CalendarSnapshot> };
}

export interface SupervisionCompletion {
  result: string;
  reason?: string;
  items?: Array<{ code: string; note?: string }>;
}

/** Steps that must be done by someone who took no part in the case. */
const INDEPENDENT_STEPS: readonly SupervisionStep[] = ['self_inspection'];

/** Refuses (403, recorded) a supervisor who acted on the case the step inspects. */
export async function requireIndependent(
  db: Db,
  request: FastifyRequest,
  actor: Actor,
  task: Pick<TaskRow, 'step' | 'caseId' | 'agencyCode' | 'id'>,
): Promise<void> {
  if (!(INDEPENDENT_STEPS as readonly string[]).includes(task.step)) return;
  await requireNotHandled(db, request, actor, task.caseId, task.agencyCode);
}

export async function requireNotHandled(
  db: Db,
  request: FastifyRequest,
  actor: Actor,
  caseId: string,
  agencyCode: string,
): Promise<void> {
  if (!(await caseActorIds(db, caseId)).includes(actor.id)) return;
  await recordRefusal(db, {
    actor,
    action: `${request.method} ${request.routeOptions.url ?? request.url}`,
    code: 'separation.handled_case',
    reason: `${actor.id} acted on case ${caseId} and may not inspect or audit it`,
    caseId,
    agencyCode,
  });
  throw new ApiError(403, 'separation.handled_case', `${actor.id} 经办过本案，不能对本案进行检查或稽核`, 'actor');
}

/** When a follow-up opened now is due: the limit's working days after today, end of that day (China time). */
export async function followUpDue(
  deps: { now: () => Date; calendar: { current(): Promise<CalendarSnapshot> } },
  workingDays: number,
): Promise<Date> {
  const due = addWorkingDays(await deps.calendar.current(), chinaDateOf(deps.now().getTime()), workingDays);
  return new Date(endOfChinaDay(due.dueDate));
}

/** A finding's category codes must be known; 'other' needs its note. */
export function validateFindingItems(
  items: ReadonlyArray<{ code: string; note?: string }> | undefined,
  field = 'items',
): void {
  if (!items?.length) throw unprocessable('finding.items_required', '发现问题须列明问题类别（items）', field);
  for (const it of items) {
    if (!FINDING_CATEGORIES[it.code])
      throw unprocessable(
        'finding.unknown_category',
        `未知的问题类别 "${it.code}"，可用：${Object.keys(FINDING_CATEGORIES).join(' / ')}`,
        field,
      );
    if (it.code === 'other' && !it.note?.trim())
      throw unprocessable('finding.note_required', '以"其他"记录问题须写明具体情况', field);
  }
}

/**
 * Records the completion of a supervision task and closes it, in one transaction; a task already
 * done by the same completion (same Idempotency-Key, same person) answers as before.
 */
export async function completeSupervisionTask(
  deps: SupervisionTaskDeps,
  request: FastifyRequest,
  actor: Actor,
  task: TaskRow,
  body: SupervisionCompletion,
  idempotencyKey: string | undefined,
): Promise<void> {
  if (!isSupervisionStep(task.step)) throw new Error(`not a supervision step: ${task.step}`);
  const step = SUPERVISION_STEP[task.step];
  const [row] = await deps.db
    .select({ taskKey: tasks.taskKey, detail: tasks.detail })
    .from(tasks)
    .where(eq(tasks.id, task.id));
  const completion = row.detail.completion as { key?: string; by?: string } | undefined;
  if (task.status === 'done' && idempotencyKey && completion?.key === idempotencyKey && completion.by === actor.id)
    return;
  if (task.status === 'done' || task.status === 'cancelled')
    throw conflict('task.closed', task.status === 'done' ? '该待办事项已办结' : '该待办事项已取消', {
      taskId: task.id,
    });
  if (task.status === 'open')
    throw conflict('task.not_claimed', '请先认领该待办事项再提交办理结果', { taskId: task.id });
  if (task.assignee !== actor.id)
    throw conflict('task.claimed_by_other', `该待办事项已由 ${task.assignee} 认领`, {
      taskId: task.id,
      assignee: task.assignee,
    });
  if (!step.results.includes(body.result))
    throw unprocessable('decision.invalid_result', `"${task.step}"的结果只能是 ${step.results.join(' / ')}`, 'result');
  await requireIndependent(deps.db, request, actor, task);
  const now = deps.now();
  const done = { completion: { key: idempotencyKey ?? null, by: actor.id, result: body.result } };

  if (task.step === 'self_inspection') {
    if (body.result === 'finding') validateFindingItems(body.items);
    const inspectionId = String((row.detail as { inspectionId?: string }).inspectionId);
    const rectifyDue =
      body.result === 'finding' ? await followUpDue(deps, SUPERVISION_LIMITS.rectification) : undefined;
    await deps.db.transaction(async (tx) => {
      const updated = await tx
        .update(inspectionItems)
        .set({ status: body.result, inspectedBy: actor.id, inspectedAt: now, note: body.reason?.trim() || null })
        .where(and(eq(inspectionItems.taskKey, row.taskKey), eq(inspectionItems.status, 'pending')))
        .returning({ id: inspectionItems.id });
      if (updated.length === 0)
        throw conflict('task.closed', '该抽查案件的检查已结束（自查报告已出具）', { taskId: task.id });
      for (const [i, it] of (body.result === 'finding' ? body.items! : []).entries()) {
        const followUpKey = `${inspectionTaskKey(inspectionId, task.caseId)}:followup-${i + 1}`;
        await tx.insert(findings).values({
          source: 'inspection',
          inspectionId,
          caseId: task.caseId,
          category: it.code,
          text: it.note?.trim() || FINDING_CATEGORIES[it.code].text,
          recordedBy: actor.id,
          recordedAt: now,
          followUpTaskKey: followUpKey,
          status: 'open',
        });
        await openSupervisionTask(tx, {
          key: followUpKey,
          caseId: task.caseId,
          agencyCode: task.agencyCode,
          step: 'inspection_followup',
          title: `${SUPERVISION_STEP.inspection_followup.title}：${FINDING_CATEGORIES[it.code].text}`,
          clause: SUPERVISION_STEP.inspection_followup.clause,
          dueAt: rectifyDue!,
          detail: { kind: 'finding', inspectionId },
        });
      }
      await finish(tx, row.taskKey, now, done);
    });
    // Wake the inspection: it looks at its progress and issues the report when nothing is pending.
    await deps.temporal.workflow
      .getHandle(inspectionId)
      .signal(inspectionRecordedSignal)
      .catch(() => undefined);
    return;
  }

  const record = body.reason?.trim();
  if (!record)
    throw unprocessable(
      'decision.reason_required',
      task.step === 'satisfaction_followup' ? '须记录回访及整改情况（reason）' : '须记录整改情况（reason）',
      'reason',
    );
  await deps.db.transaction(async (tx) => {
    if (task.step === 'satisfaction_followup') {
      await tx
        .update(serviceRatings)
        .set({ followedUpAt: now, followedUpBy: actor.id, followUpNote: record })
        .where(eq(serviceRatings.followUpTaskKey, row.taskKey));
    } else {
      await tx
        .update(findings)
        .set({ status: 'resolved', resolvedBy: actor.id, resolvedAt: now, resolution: record })
        .where(and(eq(findings.followUpTaskKey, row.taskKey), eq(findings.status, 'open')));
    }
    await finish(tx, row.taskKey, now, done);
  });
}

async function finish(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  key: string,
  at: Date,
  detail: Record<string, unknown>,
): Promise<void> {
  if (!(await closeSupervisionTask(tx, key, at))) throw conflict('task.closed', '该待办事项已办结');
  await tx
    .update(tasks)
    .set({ detail: sql`${tasks.detail} || ${JSON.stringify(detail)}::jsonb` })
    .where(eq(tasks.taskKey, key));
}
