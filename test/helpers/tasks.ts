/** The task inbox through the real API, and the check that workflows and the task table agree. */
import { randomInt } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { cases, tasks } from '../../db/schema';
import { caseViewQuery, settleUpdate } from '../../workflows/shared/messages';
import { asUser, type TestUser } from './auth';
import { makeIdNumber } from './env';
import type { Harness } from './harness';
import { birthDateAged } from './time';
import type { TaskItem } from '../../api/services/tasks';

export type { TaskItem };

/**
 * An agency code of this test file alone (agency codes are not a closed list for cases), so
 * "exactly these tasks" holds while other test files add tasks to the shared database.
 */
export function privateAgency(): string {
  return `62${String(randomInt(5000, 10000)).padStart(4, '0')}`;
}

export async function inbox(h: Harness, user: TestUser, query: Record<string, string | number | boolean> = {}) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/tasks${qs ? `?${qs}` : ''}`, headers: asUser(user) });
  return {
    status: res.statusCode,
    body: res.json<
      { total: number; totalCapped: boolean; nextCursor: string | null; items: TaskItem[] } & {
        error?: { code: string };
      }
    >(),
  };
}

export async function taskAction(
  h: Harness,
  user: TestUser,
  taskId: string,
  action: 'claim' | 'release' | 'complete',
  body?: object,
  headers: Record<string, string> = {},
) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1/tasks/${taskId}/${action}`,
    headers: { ...asUser(user), ...headers },
    ...(body === undefined ? {} : { payload: body }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** Claims the task and submits the decision as `user`; expects both to succeed. */
export async function claimAndComplete(h: Harness, user: TestUser, taskId: string, body: object) {
  const claimed = await taskAction(h, user, taskId, 'claim');
  if (claimed.status !== 200)
    throw new Error(`claim ${taskId} as ${user.user}: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  const done = await taskAction(h, user, taskId, 'complete', body);
  if (done.status !== 200)
    throw new Error(`complete ${taskId} as ${user.user}: ${done.status} ${JSON.stringify(done.body)}`);
  return done.body as {
    task: TaskItem;
    case: { caseId: string; status: string; stage: string; waitingOn: string | null; outcome: string | null };
  };
}

/** An applicant far from retirement (no retirement pre-review starts when the enrollment is approved). */
export function youngIdNumber(): string {
  return makeIdNumber({
    birthDate: birthDateAged(randomInt(27, 37), { extraMonths: randomInt(0, 12), day: randomInt(10, 20) }),
  });
}

/** Every case of an agency. */
export async function caseIdsOfAgency(h: Harness, agencyCode: string): Promise<string[]> {
  return (await h.db.select({ id: cases.id }).from(cases).where(eq(cases.agencyCode, agencyCode))).map((r) => r.id);
}

/** The live (open or claimed) task rows of a case. */
export async function liveTasksOf(h: Harness, caseId: string) {
  return h.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.caseId, caseId), inArray(tasks.status, ['open', 'claimed'])));
}

/**
 * What the workflow says (caseView query) and what the table holds, for one case: the step it
 * awaits and the steps of its live tasks with their count, the stage and status of the case row.
 */
export async function workflowAndTable(h: Harness, caseId: string) {
  const handle = h.client.workflow.getHandle(caseId);
  // A running case is first settled (it has done all it can without outside input).
  const running = (await handle.describe()).status.name === 'RUNNING';
  const view = running ? await handle.executeUpdate(settleUpdate) : await handle.query(caseViewQuery);
  const live = await liveTasksOf(h, caseId);
  const [row] = await h.db
    .select({ status: cases.status, stage: cases.stage, waitingOn: cases.waitingOn })
    .from(cases)
    .where(eq(cases.id, caseId));
  return {
    workflow: { awaitingStep: view.awaitingStep, status: view.status, stage: view.stage, waitingOn: view.waitingOn },
    table: {
      steps: [...new Set(live.map((t) => t.step))],
      live: live.length,
      status: row.status,
      stage: row.stage,
      waitingOn: row.waitingOn,
    },
  };
}
