/**
 * The staff task inbox in PostgreSQL. Workflows open and close tasks through their step records
 * (case-steps.ts applyStep); this module only reads them and sets or clears the claim. A claim
 * never changes whether a task is live: `done` and `cancelled` are the workflow's to write.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { cases, decisions, tasks, type Task } from '../schema';

export const LIVE_STATUSES = ['open', 'claimed'] as const;

export interface TaskRow {
  id: string;
  caseId: string;
  procedure: string;
  agencyCode: string;
  step: string;
  clause: string | null;
  title: string;
  role: string;
  status: Task['status'];
  assignee: string | null;
  claimedAt: Date | null;
  dueAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface TaskFilter {
  /** Agency codes the caller serves; '*' = every agency. */
  agencies: readonly string[];
  /** Roles whose tasks the caller sees (all of them for a supervisor). */
  roles?: readonly string[];
  status?: 'open' | 'claimed';
  step?: string;
  procedure?: string;
  caseId?: string;
  agencyCode?: string;
  /** Only tasks claimed by this user; null = only unclaimed ones. */
  assignee?: string | null;
  overdue?: boolean;
  /** The instant "overdue" is judged at. */
  now: Date;
  sort: 'dueAt' | 'createdAt';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const columns = {
  id: tasks.id,
  caseId: tasks.caseId,
  procedure: cases.procedure,
  agencyCode: tasks.agencyCode,
  step: tasks.step,
  clause: tasks.clause,
  title: tasks.title,
  role: tasks.role,
  status: tasks.status,
  assignee: tasks.assignee,
  claimedAt: tasks.claimedAt,
  dueAt: tasks.dueAt,
  createdAt: tasks.createdAt,
  completedAt: tasks.completedAt,
};

function inboxParts(f: TaskFilter) {
  const where: SQL[] = [inArray(tasks.status, f.status ? [f.status] : [...LIVE_STATUSES])];
  if (!f.agencies.includes('*')) where.push(inArray(tasks.agencyCode, [...f.agencies]));
  if (f.agencyCode) where.push(eq(tasks.agencyCode, f.agencyCode));
  if (f.roles) where.push(inArray(tasks.role, [...f.roles]));
  if (f.step) where.push(eq(tasks.step, f.step));
  if (f.caseId) where.push(eq(tasks.caseId, f.caseId));
  if (f.procedure) where.push(sql`${cases.procedure} = ${f.procedure}`);
  if (f.assignee === null) where.push(sql`${tasks.assignee} is null`);
  else if (f.assignee !== undefined) where.push(and(eq(tasks.status, 'claimed'), eq(tasks.assignee, f.assignee))!);
  const overdue = sql`(${tasks.dueAt} is not null and ${tasks.dueAt} < ${f.now.toISOString()}::timestamptz)`;
  if (f.overdue !== undefined) where.push(f.overdue ? overdue : sql`not ${overdue}`);
  const direction = f.order === 'desc' ? desc : asc;
  // Tasks without a due time come last either way; ties in creation order, then by ID (stable pages).
  const orderBy =
    f.sort === 'createdAt'
      ? [direction(tasks.createdAt), asc(tasks.id)]
      : [f.order === 'desc' ? sql`${tasks.dueAt} desc nulls last` : sql`${tasks.dueAt} asc nulls last`, asc(tasks.createdAt), asc(tasks.id)];
  return { condition: and(...where), orderBy };
}

/** The page query of the inbox (exported so a test can EXPLAIN it). */
export function inboxPageQuery(db: DbOrTx, f: TaskFilter) {
  const { condition, orderBy } = inboxParts(f);
  return db.select(columns).from(tasks).innerJoin(cases, eq(cases.id, tasks.caseId)).where(condition).orderBy(...orderBy).limit(f.limit).offset(f.offset);
}

/** The live tasks the filter selects, one page of them, and how many there are in all. */
export async function listTasks(db: DbOrTx, f: TaskFilter): Promise<{ total: number; rows: TaskRow[] }> {
  const { condition } = inboxParts(f);
  const rows = await inboxPageQuery(db, f);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(tasks).innerJoin(cases, eq(cases.id, tasks.caseId)).where(condition);
  return { total: count.n, rows };
}

export async function getTask(db: DbOrTx, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select(columns).from(tasks).innerJoin(cases, eq(cases.id, tasks.caseId)).where(eq(tasks.id, id));
  return row;
}

/**
 * Claims a live task for `userId`: succeeds when it is open, or already claimed by the same user
 * (idempotent, the first claim time kept). Returns whether the claim is now the user's.
 */
export async function claimTask(db: DbOrTx, id: string, userId: string, at: Date): Promise<boolean> {
  const updated = await db
    .update(tasks)
    .set({
      status: 'claimed',
      assignee: userId,
      claimedAt: sql`coalesce(${tasks.claimedAt}, ${at.toISOString()}::timestamptz)`,
      updatedAt: at,
    })
    .where(and(eq(tasks.id, id), sql`(${tasks.status} = 'open' or (${tasks.status} = 'claimed' and ${tasks.assignee} = ${userId}))`))
    .returning({ id: tasks.id });
  return updated.length > 0;
}

/**
 * Releases a claimed task back to open. With `by`, only when that user holds it; without, whoever
 * holds it (a supervisor). Returns whether a claim was released.
 */
export async function releaseTask(db: DbOrTx, id: string, at: Date, by?: string): Promise<boolean> {
  const updated = await db
    .update(tasks)
    .set({ status: 'open', assignee: null, claimedAt: null, updatedAt: at })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'claimed'), ...(by === undefined ? [] : [eq(tasks.assignee, by)])))
    .returning({ id: tasks.id });
  return updated.length > 0;
}

/** The decision a case recorded for an Update ID (the idempotency key of a completion), if any. */
export async function decisionByRequest(db: DbOrTx, caseId: string, requestId: string) {
  const [row] = await db
    .select({ actorId: decisions.actorId, step: decisions.step, result: decisions.result })
    .from(decisions)
    .where(and(eq(decisions.caseId, caseId), eq(decisions.requestId, requestId)));
  return row;
}
