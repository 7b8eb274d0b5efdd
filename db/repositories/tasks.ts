/**
 * The staff task inbox in PostgreSQL. Workflows open and close tasks through their step records
 * (case-steps.ts applyStep); this module only reads them and sets or clears the claim. A claim
 * never changes whether a task is live: `done` and `cancelled` are the workflow's to write.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { cappedTotal, decodeCursor, encodeCursor, instantParam, TOTAL_CAP } from './paging';
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
  /** Continue after the page a `nextCursor` ended (keyset paging; `offset` is then ignored). */
  cursor?: string;
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

/**
 * The inbox's sort keys, written exactly as the partial inbox indexes are (db/schema/tasks.ts),
 * so a page is read off an index in order: by due time, tasks without one last (due time
 * ±infinity), ties in creation order, then by ID; by creation, ties by ID in the same direction.
 */
const dueAsc = sql`coalesce(${tasks.dueAt}, 'infinity'::timestamptz)`;
const dueDesc = sql`coalesce(${tasks.dueAt}, '-infinity'::timestamptz)`;

function sortOf(f: Pick<TaskFilter, 'sort' | 'order'>) {
  const name = `${f.sort}:${f.order}`;
  if (f.sort === 'createdAt') {
    return f.order === 'asc'
      ? {
          name,
          orderBy: [asc(tasks.createdAt), asc(tasks.id)],
          after: (k: Array<string | null>) =>
            sql`(${tasks.createdAt}, ${tasks.id}) > (${instantParam(k[0])}, ${k[1]}::uuid)`,
        }
      : {
          name,
          orderBy: [desc(tasks.createdAt), desc(tasks.id)],
          after: (k: Array<string | null>) =>
            sql`(${tasks.createdAt}, ${tasks.id}) < (${instantParam(k[0])}, ${k[1]}::uuid)`,
        };
  }
  return f.order === 'asc'
    ? {
        name,
        orderBy: [asc(dueAsc), asc(tasks.createdAt), asc(tasks.id)],
        after: (k: Array<string | null>) =>
          sql`(${dueAsc} >= ${instantParam(k[0])} and (${dueAsc} > ${instantParam(k[0])} or (${tasks.createdAt}, ${tasks.id}) > (${instantParam(k[1])}, ${k[2]}::uuid)))`,
      }
    : {
        name,
        orderBy: [desc(dueDesc), asc(tasks.createdAt), asc(tasks.id)],
        after: (k: Array<string | null>) =>
          sql`(${dueDesc} <= ${instantParam(k[0])} and (${dueDesc} < ${instantParam(k[0])} or (${tasks.createdAt}, ${tasks.id}) > (${instantParam(k[1])}, ${k[2]}::uuid)))`,
      };
}

/**
 * The instants of a row's sort key as PostgreSQL writes them: microseconds and all, which a
 * JavaScript Date would round to milliseconds (and a cursor then land before its own row).
 */
const keyColumns = {
  keyCreatedAt: sql<string>`${tasks.createdAt}::text`,
  keyDueAt: sql<string | null>`${tasks.dueAt}::text`,
};

/** The sort key of a row, as a cursor holds it. */
function keyOf(
  row: { id: string; keyCreatedAt: string; keyDueAt: string | null },
  f: Pick<TaskFilter, 'sort' | 'order'>,
): Array<string | null> {
  if (f.sort === 'createdAt') return [row.keyCreatedAt, row.id];
  return [row.keyDueAt ?? (f.order === 'asc' ? 'infinity' : '-infinity'), row.keyCreatedAt, row.id];
}

function inboxCondition(f: TaskFilter) {
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
  return and(...where)!;
}

/**
 * The page query of the inbox (exported so a test can EXPLAIN it): one row more than the page,
 * so the caller knows whether another page follows. With a cursor, the rows after it (keyset);
 * else from `offset`.
 */
export function inboxPageQuery(db: DbOrTx, f: TaskFilter) {
  const sort = sortOf(f);
  const after = f.cursor
    ? sort.after(decodeCursor(f.cursor, sort.name, f.sort === 'createdAt' ? 2 : 3).key)
    : undefined;
  return db
    .select({ ...columns, ...keyColumns })
    .from(tasks)
    .innerJoin(cases, eq(cases.id, tasks.caseId))
    .where(after ? and(inboxCondition(f), after) : inboxCondition(f))
    .orderBy(...sort.orderBy)
    .limit(f.limit + 1)
    .offset(f.cursor ? 0 : f.offset);
}

/**
 * The count query of the inbox (exported for EXPLAIN): at most TOTAL_CAP + 1 rows of a constant,
 * in the page's order so that PostgreSQL walks the same index and stops at the cap (unordered, it
 * may gather every matching entry into a bitmap first).
 */
export function inboxCountQuery(db: DbOrTx, f: TaskFilter) {
  const base = db.select({ one: sql<number>`1` }).from(tasks);
  // The case row is only needed to filter by procedure.
  return (f.procedure ? base.innerJoin(cases, eq(cases.id, tasks.caseId)) : base)
    .where(inboxCondition(f))
    .orderBy(...sortOf(f).orderBy)
    .limit(TOTAL_CAP + 1);
}

/**
 * One page of the live tasks the filter selects, the cursor of the next page (when there is one),
 * and how many match in all — counted up to TOTAL_CAP (`totalCapped`: more than that).
 */
export async function listTasks(
  db: DbOrTx,
  f: TaskFilter,
): Promise<{ total: number; totalCapped: boolean; nextCursor: string | null; rows: TaskRow[] }> {
  const page = await inboxPageQuery(db, f);
  const keyed = page.slice(0, f.limit);
  const counted = await inboxCountQuery(db, f);
  const nextCursor =
    page.length > f.limit ? encodeCursor({ sort: sortOf(f).name, key: keyOf(keyed[keyed.length - 1], f) }) : null;
  const rows: TaskRow[] = keyed.map(({ keyCreatedAt: _c, keyDueAt: _d, ...row }) => row);
  return { ...cappedTotal(counted.length), nextCursor, rows };
}

export async function getTask(db: DbOrTx, id: string): Promise<TaskRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(tasks)
    .innerJoin(cases, eq(cases.id, tasks.caseId))
    .where(eq(tasks.id, id));
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
    .where(
      and(
        eq(tasks.id, id),
        sql`(${tasks.status} = 'open' or (${tasks.status} = 'claimed' and ${tasks.assignee} = ${userId}))`,
      ),
    )
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
