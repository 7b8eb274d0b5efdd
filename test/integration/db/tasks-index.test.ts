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
  const filter: TaskFilter = { agencies: ['620102'], roles: ['acceptor'], now: new Date(), sort: 'dueAt', order: 'asc', limit: 50, offset: 0, ...f };
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

test('a role’s inbox of one agency is read through tasks_inbox_due (by due time) or tasks_inbox_created (by age)', async () => {
  expect(await planOf({})).toContain('tasks_inbox_due');
  expect(await planOf({ sort: 'createdAt' })).toContain('tasks_inbox_created');
  expect(await planOf({ status: 'claimed', overdue: true })).toMatch(/tasks_inbox_(due|created)|tasks_assignee/);
});
