/**
 * The inbox query can be answered from the partial inbox indexes (migration 0005): PostgreSQL
 * is asked for the plan of the very query the API runs, with sequential scans disabled so the
 * answer does not depend on how few rows the test database holds.
 */
import type { PoolClient } from 'pg';
import { createDb, type DbHandle } from '../../../db/client';
import { inboxPageQuery, type TaskFilter } from '../../../db/repositories/tasks';
import { testEnv } from '../../helpers/env';

let handle: DbHandle;
let client: PoolClient;
beforeAll(async () => {
  handle = createDb(testEnv.databaseUrl, { max: 1 });
  client = await handle.pool.connect();
});
afterAll(async () => {
  client?.release();
  await handle?.close();
});

async function planOf(f: Partial<TaskFilter>): Promise<string> {
  const filter: TaskFilter = {
    agencies: ['620102'],
    roles: ['acceptor'],
    now: new Date(),
    sort: 'dueAt',
    order: 'asc',
    limit: 50,
    offset: 0,
    ...f,
  };
  const query = inboxPageQuery(handle.db, filter).toSQL();
  await client.query('begin');
  try {
    await client.query('set local enable_seqscan = off');
    const res = await client.query<{ 'QUERY PLAN': string }>(`explain ${query.sql}`, query.params);
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback');
  }
}

/**
 * Which of the inbox indexes the planner takes (and whether it sorts afterwards) depends on
 * the rows it sees, so the test asks only that the live-task partial indexes (the inbox indexes
 * on agency and role or on agency alone, or the claimed-task index) answer the query and that
 * the tasks table is never scanned whole. (test/integration/db/read-plans.test.ts checks the
 * plans on 20,000 open cases, where they must also read in order and stop at the page.)
 */
test('a role’s inbox of one agency is read through a partial inbox index, in either order, with any filter', async () => {
  for (const f of [
    {},
    { sort: 'createdAt' as const },
    { order: 'desc' as const },
    { status: 'claimed' as const, overdue: true },
    { step: 'review', procedure: 'stop' },
  ]) {
    const plan = await planOf(f);
    expect({
      f,
      plan,
      inboxIndex: /tasks_inbox_(agency_)?(due|due_desc|created)|tasks_assignee/.test(plan),
      seqScan: plan.includes('Seq Scan on tasks'),
    }).toEqual({ f, plan, inboxIndex: true, seqScan: false });
    if (!plan.includes('tasks_assignee')) expect(plan).toMatch(/Index Cond: \(\(?agency_code = '620102'::text\)/);
  }
});
