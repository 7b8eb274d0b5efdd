/**
 * The staff task inbox: what a member of staff may see and do with the tasks the case workflows
 * open (db/repositories/tasks.ts). Claiming and releasing only set the assignee; completing sends
 * the decision to the workflow (decideUpdate), whose own step record closes the task, so the
 * workflow and the table never disagree.
 */
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import type { CalendarSnapshot } from '../../domain/working-days';
import { taskDue } from '../../domain/task-due';
import {
  claimTask,
  decisionByRequest,
  getTask,
  listTasks,
  releaseTask,
  type TaskFilter,
  type TaskRow,
} from '../../db/repositories/tasks';
import { appendEvent } from '../../db/repositories/events';
import { cases, tasks } from '../../db/schema';
import { decideUpdate } from '../../workflows/shared/messages';
import { recordRefusal, requireAgency, type Actor } from '../auth/plugin';
import { CursorError } from '../../db/repositories/paging';
import { bindKey } from './idempotency';
import type { AssertionSigner } from '../auth/assertions';
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../errors';
import { FAILED_CASE_STEP } from './orphans';
import { executeCaseUpdate } from './case-updates';
import { completeSupervisionTask, requireIndependent } from './supervision-tasks';
import { isSupervisionStep } from '../../domain/supervision';

export interface TaskItem {
  taskId: string;
  caseId: string;
  procedure: string;
  agencyCode: string;
  step: string;
  clause: string | null;
  title: string;
  role: string;
  status: string;
  assignee: string | null;
  claimedAt: string | null;
  createdAt: string;
  dueAt: string | null;
  /** The due date (China date) the due instant ends. */
  dueDate: string | null;
  /**
   * Working days after today up to and including the due date (0 = due today); when overdue,
   * minus the working days since the due date. Null without a due time.
   */
  workingDaysRemaining: number | null;
  /** True when the count reaches beyond the published holiday calendar. */
  remainingProvisional: boolean;
  overdue: boolean;
  completedAt: string | null;
}

export interface TaskDeps {
  db: Db;
  temporal: Client;
  assertions: AssertionSigner;
  now: () => Date;
  calendar: { current(): Promise<CalendarSnapshot> };
}

export function toItem(row: TaskRow, now: Date, cal: CalendarSnapshot): TaskItem {
  const due = row.dueAt ? taskDue(cal, row.dueAt.getTime(), now.getTime()) : undefined;
  return {
    taskId: row.id,
    caseId: row.caseId,
    procedure: row.procedure,
    agencyCode: row.agencyCode,
    step: row.step,
    clause: row.clause,
    title: row.title,
    role: row.role,
    status: row.status,
    assignee: row.assignee,
    claimedAt: row.claimedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt?.toISOString() ?? null,
    dueDate: due?.dueDate ?? null,
    workingDaysRemaining: due?.workingDaysRemaining ?? null,
    remainingProvisional: due?.provisional ?? false,
    overdue: due?.overdue ?? false,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export interface InboxQuery {
  status?: 'open' | 'claimed';
  step?: string;
  procedure?: string;
  caseId?: string;
  agencyCode?: string;
  assignee?: 'me' | 'none';
  overdue?: boolean;
  sort: 'dueAt' | 'createdAt';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  cursor?: string;
}

export interface InboxPage {
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
  items: TaskItem[];
}

export async function listInbox(
  deps: TaskDeps,
  request: FastifyRequest,
  actor: Actor,
  q: InboxQuery,
): Promise<InboxPage> {
  if (q.agencyCode) await requireAgency(deps.db, request, q.agencyCode);
  const now = deps.now();
  const filter: TaskFilter = {
    agencies: actor.agencies,
    roles: actor.role === 'supervisor' ? undefined : [actor.role],
    status: q.status,
    step: q.step,
    procedure: q.procedure,
    caseId: q.caseId,
    agencyCode: q.agencyCode,
    assignee: q.assignee === 'me' ? actor.id : q.assignee === 'none' ? null : undefined,
    overdue: q.overdue,
    now,
    sort: q.sort,
    order: q.order,
    limit: q.limit,
    offset: q.offset,
    cursor: q.cursor,
  };
  let page: Awaited<ReturnType<typeof listTasks>>;
  try {
    page = await listTasks(deps.db, filter);
  } catch (err) {
    if (err instanceof CursorError) throw badRequest('validation.cursor', `cursor: ${err.message}`, 'cursor');
    throw err;
  }
  const cal = await deps.calendar.current();
  return {
    total: page.total,
    totalCapped: page.totalCapped,
    nextCursor: page.nextCursor,
    items: page.rows.map((r) => toItem(r, now, cal)),
  };
}

/**
 * The task, if the actor may act on it: of one of their agencies (else 404 task.not_found, as if it did not exist)
 * and of their role, unless a supervisor (else 403 task.forbidden_role); both recorded.
 */
async function authorisedTask(deps: TaskDeps, request: FastifyRequest, actor: Actor, taskId: string): Promise<TaskRow> {
  const task = await getTask(deps.db, taskId);
  if (!task) throw notFound('task.not_found', `task ${taskId} not found`);
  await requireAgency(
    deps.db,
    request,
    task.agencyCode,
    task.caseId,
    notFound('task.not_found', `task ${taskId} not found`),
  );
  if (actor.role !== 'supervisor' && actor.role !== task.role) {
    const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
    await recordRefusal(deps.db, {
      actor,
      action,
      code: 'task.forbidden_role',
      reason: `task ${taskId} (${task.step}) is for role ${task.role}, not ${actor.role}`,
      caseId: task.caseId,
      agencyCode: task.agencyCode,
    });
    throw new ApiError(403, 'task.forbidden_role', `该待办事项属于"${task.role}"角色，角色 ${actor.role} 无权办理`);
  }
  return task;
}

const closedTask = (task: TaskRow) =>
  conflict('task.closed', task.status === 'done' ? '该待办事项已办结' : '该待办事项已取消（案件已办结）', {
    taskId: task.id,
  });
const claimedByOther = (task: TaskRow) =>
  conflict('task.claimed_by_other', `该待办事项已由 ${task.assignee} 认领`, {
    taskId: task.id,
    assignee: task.assignee,
  });

async function itemOf(deps: TaskDeps, taskId: string): Promise<TaskItem> {
  const row = await getTask(deps.db, taskId);
  if (!row) throw notFound('task.not_found', `task ${taskId} not found`);
  return toItem(row, deps.now(), await deps.calendar.current());
}

/** Claims the task for the actor; idempotent for the same user, 409 when another holds it or it is closed. */
export async function claim(deps: TaskDeps, request: FastifyRequest, actor: Actor, taskId: string): Promise<TaskItem> {
  const task = await authorisedTask(deps, request, actor, taskId);
  // An inspection of a case is claimed only by a supervisor who did not handle it.
  await requireIndependent(deps.db, request, actor, task);
  if (!(await claimTask(deps.db, taskId, actor.id, deps.now()))) {
    const current = (await getTask(deps.db, taskId)) ?? task;
    if (current.status === 'claimed') throw claimedByOther(current);
    throw closedTask(current);
  }
  return itemOf(deps, taskId);
}

/** Releases the task: by its assignee or a supervisor; releasing an unclaimed task changes nothing. */
export async function release(
  deps: TaskDeps,
  request: FastifyRequest,
  actor: Actor,
  taskId: string,
): Promise<TaskItem> {
  const task = await authorisedTask(deps, request, actor, taskId);
  if (task.status === 'done' || task.status === 'cancelled') throw closedTask(task);
  if (task.status === 'claimed') {
    const released = await releaseTask(deps.db, taskId, deps.now(), actor.role === 'supervisor' ? undefined : actor.id);
    if (!released) {
      const current = (await getTask(deps.db, taskId)) ?? task;
      if (current.status === 'claimed') throw claimedByOther(current);
      if (current.status !== 'open') throw closedTask(current);
    }
  }
  return itemOf(deps, taskId);
}

export interface CompleteBody {
  result: string;
  reason?: string;
  items?: Array<{ code: string; note?: string }>;
}

export interface CompleteResult {
  task: TaskItem;
  case: { caseId: string; status: string; stage: string; waitingOn: string | null; outcome: string | null };
}

async function caseSummary(deps: TaskDeps, caseId: string): Promise<CompleteResult['case']> {
  const [row] = await deps.db
    .select({
      caseId: cases.id,
      status: cases.status,
      stage: cases.stage,
      waitingOn: cases.waitingOn,
      outcome: cases.outcome,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  return row;
}

/** The supervisor's handling of a failed case: result `handled` with a note of what was done. */
async function completeFailedCaseTask(
  db: TaskDeps['db'],
  task: TaskRow,
  actor: Actor,
  body: CompleteBody,
): Promise<void> {
  if (body.result !== 'handled')
    throw unprocessable('decision.invalid_result', `"${FAILED_CASE_STEP}"环节的结果只能是 handled`, 'result');
  const note = body.reason?.trim();
  if (!note)
    throw unprocessable(
      'decision.reasons_required',
      '须写明如何处理了该案件（如已重新受理的案件编号、已联系申请人）',
      'reason',
    );
  const at = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(tasks)
      .set({ status: 'done', completedAt: at, updatedAt: at })
      .where(and(eq(tasks.id, task.id), eq(tasks.status, 'claimed')));
    await appendEvent(tx, {
      caseId: task.caseId,
      eventKey: `${task.caseId}#failed-handled`,
      type: 'failed_case_handled',
      clause: null,
      stage: 'closed',
      actorId: actor.id,
      actorRole: actor.role,
      detail: { note },
      occurredAt: at,
    });
  });
}

/**
 * The assignee submits the decision for the task's step. The workflow validates it (step, result,
 * separation of duties) and closes the task with its own step record; a refusal is recorded and
 * answered 403/409/422 by executeCaseUpdate. With an Idempotency-Key, a repeat gets the same
 * answer (the Update ID is derived from it and the decision row remembers it).
 */
export async function complete(
  deps: TaskDeps,
  request: FastifyRequest,
  actor: Actor,
  taskId: string,
  body: CompleteBody,
  idempotencyKey: string | undefined,
): Promise<CompleteResult> {
  const task = await authorisedTask(deps, request, actor, taskId);
  const bound = idempotencyKey
    ? await bindKey(deps.db, {
        route: `POST /api/v1/tasks/${taskId}/complete`,
        callerId: actor.id,
        key: idempotencyKey,
        body,
        caseId: task.caseId,
      })
    : undefined;
  if (isSupervisionStep(task.step)) {
    // Supervision's tasks (docs/supervision.md) are not a workflow's steps: recorded here.
    await completeSupervisionTask(deps, request, actor, task, body, idempotencyKey);
    return { task: await itemOf(deps, taskId), case: await caseSummary(deps, task.caseId) };
  }
  const updateId = bound ? `task:${taskId}:${bound}` : undefined;
  if (task.status === 'done' && updateId) {
    const earlier = await decisionByRequest(deps.db, task.caseId, updateId);
    if (earlier && earlier.actorId === actor.id)
      return { task: await itemOf(deps, taskId), case: await caseSummary(deps, task.caseId) };
  }
  if (task.status === 'done' || task.status === 'cancelled') throw closedTask(task);
  if (task.status === 'open') throw conflict('task.not_claimed', '请先认领该待办事项再提交办理结果', { taskId });
  if (task.assignee !== actor.id) throw claimedByOther(task);
  // A failed case's task: its workflow is gone, so the supervisor's note is recorded here.
  if (task.step === FAILED_CASE_STEP) {
    await completeFailedCaseTask(deps.db, task, actor, body);
    return { task: await itemOf(deps, taskId), case: await caseSummary(deps, task.caseId) };
  }
  await executeCaseUpdate(
    { db: deps.db, temporal: deps.temporal, assertions: deps.assertions },
    {
      caseId: task.caseId,
      agencyCode: task.agencyCode,
      update: decideUpdate,
      arg: {
        step: task.step,
        result: body.result,
        ...(body.reason === undefined ? {} : { reason: body.reason }),
        ...(body.items === undefined ? {} : { items: body.items }),
        actor: { id: actor.id, role: actor.role },
      },
      updateId,
      actor: { id: actor.id, role: actor.role, agencies: actor.agencies },
      action: `POST /api/v1/tasks/${taskId}/complete`,
    },
  );
  return { task: await itemOf(deps, taskId), case: await caseSummary(deps, task.caseId) };
}
