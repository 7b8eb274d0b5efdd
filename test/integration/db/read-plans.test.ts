/**
 * The inbox and the case list stay cheap however many cases are open: PostgreSQL's own plans,
 * run with EXPLAIN ANALYZE on a database of the test's own holding 20,000 open cases with their
 * tasks (statistics gathered, nothing forced), show every page — the first one and one deep in
 * the list after a cursor — read off an index in the list's order (no sort, no sequential scan)
 * and about as many rows as the page needs, and every total looking at no more than
 * TOTAL_CAP + 1 rows (a sequential scan is fine there when the planner expects most rows to
 * match: it stops at the cap).
 */
import { createDb, type DbHandle } from '../../../db/client';
import { caseListCountQuery, caseListPageQuery, type CaseListFilter } from '../../../db/repositories/cases';
import { encodeCursor, TOTAL_CAP } from '../../../db/repositories/paging';
import { inboxCountQuery, inboxPageQuery, type TaskFilter } from '../../../db/repositories/tasks';
import { bootstrapReferenceData } from '../../../db/seed/bootstrap';
import { insertOpenCases } from '../../../scripts/bench/data';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/scratch-db';

const OPEN_CASES = 20_000;
const PAGE = 50;

let scratch: ScratchDatabase;
let handle: DbHandle;
beforeAll(async () => {
  scratch = await createScratchDatabase({ migrate: true });
  handle = createDb(scratch.url, { max: 1 });
  await bootstrapReferenceData(handle.db);
  // Open cases waiting on the counter, each with its acceptance task, due over the next 20 days.
  await insertOpenCases(handle.db, {
    count: OPEN_CASES,
    agencyCode: '620102',
    salt: 'plans',
    withTasks: true,
    nowMs: Date.now(),
  });
  await insertOpenCases(handle.db, {
    count: 2_000,
    agencyCode: '620103',
    salt: 'plans-other',
    withTasks: true,
    nowMs: Date.now(),
  });
});
afterAll(async () => {
  await handle?.close();
  await scratch?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The executed plan of a drizzle query: its node types, the indexes it used, the most rows any scan looked at (kept or filtered out). */
async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql, params } = query.toSQL();
  const res = await handle.pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
    `explain (analyze, format json) ${sql}`,
    params,
  );
  const all = nodes(res.rows[0]['QUERY PLAN'][0].Plan);
  const scans = all.filter((n) => n['Node Type'].includes('Scan'));
  return {
    types: [...new Set(all.map((n) => n['Node Type']))],
    indexes: [...new Set(scans.map((n) => n['Index Name']).filter(Boolean))],
    rowsRead: Math.max(
      ...scans.map((n) => (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops']),
    ),
  };
}

/**
 * A page read in order off one of `indexes`: no sort, no sequential scan, and about the page (and
 * its one look-ahead row) read — twice that at most, for rows a filter drops on the way.
 */
function expectIndexedPage(plan: Awaited<ReturnType<typeof planOf>>, ...indexes: string[]) {
  expect({
    plan,
    sorted: plan.types.some((t) => t.includes('Sort')),
    seqScan: plan.types.includes('Seq Scan'),
    usesIndex: plan.indexes.some((i) => indexes.includes(i!)),
  }).toEqual({
    plan,
    sorted: false,
    seqScan: false,
    usesIndex: true,
  });
  expect(plan.rowsRead).toBeLessThanOrEqual(2 * (PAGE + 1));
}

const acceptorInbox = (over: Partial<TaskFilter> = {}): TaskFilter => ({
  agencies: ['620102'],
  roles: ['acceptor'],
  now: new Date(),
  sort: 'dueAt',
  order: 'asc',
  limit: PAGE,
  offset: 0,
  ...over,
});

/** The sort key of the 10,000th task in an order, as a cursor carries it. */
async function cursorDeepIn(f: TaskFilter): Promise<string> {
  const [row] = await inboxPageQuery(handle.db, { ...f, limit: 1, offset: 10_000 });
  const due = row.keyDueAt ?? (f.order === 'asc' ? 'infinity' : '-infinity');
  const key = f.sort === 'createdAt' ? [row.keyCreatedAt, row.id] : [due, row.keyCreatedAt, row.id];
  return encodeCursor({ sort: `${f.sort}:${f.order}`, key });
}

test.each([
  // An acceptor's tasks are all of the agency's here, so the agency's index serves as well.
  ['dueAt', 'asc', 'tasks_inbox_due', 'tasks_inbox_agency_due'],
  ['dueAt', 'desc', 'tasks_inbox_due_desc', 'tasks_inbox_due_desc'],
  ['createdAt', 'asc', 'tasks_inbox_created', 'tasks_inbox_created'],
  ['createdAt', 'desc', 'tasks_inbox_created', 'tasks_inbox_created'],
] as const)(
  'an acceptor’s inbox by %s %s: the first page and one 10,000 tasks deep are read off %s',
  async (sort, order, ...indexes) => {
    const f = acceptorInbox({ sort, order });
    expectIndexedPage(await planOf(inboxPageQuery(handle.db, f)), ...indexes);
    expectIndexedPage(await planOf(inboxPageQuery(handle.db, { ...f, cursor: await cursorDeepIn(f) })), ...indexes);
  },
);

test('a supervisor’s inbox (every role of the agency) by due time: the first page and one 10,000 tasks deep are read off tasks_inbox_agency_due', async () => {
  const f = acceptorInbox({ roles: undefined });
  expectIndexedPage(await planOf(inboxPageQuery(handle.db, f)), 'tasks_inbox_agency_due');
  expectIndexedPage(
    await planOf(inboxPageQuery(handle.db, { ...f, cursor: await cursorDeepIn(f) })),
    'tasks_inbox_agency_due',
  );
});

/** A total stops at the cap: it looks at about TOTAL_CAP + 1 rows (twice that at most, for rows a filter drops on the way). */
const aboutTheCap = 2 * (TOTAL_CAP + 1);

test('the inbox total stops at the cap, with or without filters, and counts an agency with few tasks without looking at the others', async () => {
  for (const f of [
    acceptorInbox(),
    acceptorInbox({ status: 'open' }),
    acceptorInbox({ procedure: 'enrollment' }),
    acceptorInbox({ roles: undefined }),
    acceptorInbox({ agencies: ['620103'] }),
  ]) {
    const plan = await planOf(inboxCountQuery(handle.db, f));
    expect({ f: { ...f, now: undefined }, plan, withinCap: plan.rowsRead <= aboutTheCap }).toEqual({
      f: { ...f, now: undefined },
      plan,
      withinCap: true,
    });
  }
});

const agencyList = (over: Partial<CaseListFilter> = {}): CaseListFilter => ({
  status: 'open',
  agencyCode: '620102',
  limit: PAGE,
  offset: 0,
  ...over,
});

test('the case list of an agency, and of every agency, newest first: the first page and one deep in the list are read off an index', async () => {
  for (const f of [agencyList(), agencyList({ agencyCode: '620103' }), agencyList({ agencyCode: undefined })]) {
    expectIndexedPage(await planOf(caseListPageQuery(handle.db, f)), 'cases_list_agency', 'cases_list_status');
    const [row] = await caseListPageQuery(handle.db, {
      ...f,
      limit: 1,
      offset: f.agencyCode === '620103' ? 1_500 : 10_000,
    });
    const cursor = encodeCursor({ sort: 'receivedAt:desc', key: [row.keyReceivedAt, row.caseId] });
    expectIndexedPage(
      await planOf(caseListPageQuery(handle.db, { ...f, cursor })),
      'cases_list_agency',
      'cases_list_status',
    );
    const count = await planOf(caseListCountQuery(handle.db, f));
    expect(count.rowsRead).toBeLessThanOrEqual(aboutTheCap);
  }
});
