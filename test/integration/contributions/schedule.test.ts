/**
 * Temporal Schedules on the dev server (the time-skipping test server has none): ensureSchedule
 * creates, leaves alone and updates; startSystem creates `tax-feed-daily` (daily 02:00
 * Asia/Shanghai, taxFeedPull on the system's task queue); triggering the schedule runs
 * taxFeedPull, which imports the simulator's records. The system runs on a scratch database and
 * an in-process simulator of its own, so the feed and its cursor belong to this test.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, type ScheduleHandle } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { eq, sql } from 'drizzle-orm';
import { contributionBatches } from '../../../db/schema';
import {
  auditAnchorSchedule,
  AUDIT_ANCHOR_SCHEDULE_ID,
  ensureSchedule,
  ensureSystemSchedules,
  taxFeedSchedule,
  TAX_FEED_SCHEDULE_ID,
} from '../../../composition/schedules';
import { startSystem } from '../../../composition/system';
import { buildGovernmentSimulator } from '../../../simulators/government/app';
import { withAuth } from '../../helpers/auth';
import { testDataConverter, testPayloadKeys } from '../../helpers/codec';
import { monthsOf, rec, registerPerson } from '../../helpers/contributions';
import { testEnv, uniqueName } from '../../helpers/env';
import { createScratchDatabase } from '../../helpers/scratch-db';

let connection: Connection;
let client: Client;
const created: ScheduleHandle[] = [];

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed by an earlier test file in this jest worker.
  }
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
});
afterAll(async () => {
  for (const h of created) await h.delete().catch(() => undefined);
  await connection?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('ensureSchedule', () => {
  test('creates a missing schedule, leaves an identical one alone, updates a changed spec or action and keeps its state', async () => {
    const scheduleId = `test-schedule-${randomUUID()}`;
    const handle = client.schedule.getHandle(scheduleId);
    created.push(handle);
    const definition = taxFeedSchedule('tq-one', { scheduleId });

    expect(await ensureSchedule(client, definition)).toBe('created');
    expect(await ensureSchedule(client, definition)).toBe('unchanged');
    await handle.pause('paused by the test');

    const hourly = { ...definition, spec: { intervals: [{ every: '1 hour' }] } };
    expect(await ensureSchedule(client, hourly)).toBe('updated');
    let d = await handle.describe();
    expect(d.spec.intervals).toEqual([{ every: 3_600_000 }]);
    expect(d.spec.calendars).toEqual([]);
    expect(d.state.paused).toBe(true);
    expect(await ensureSchedule(client, hourly)).toBe('unchanged');

    expect(await ensureSchedule(client, { ...hourly, action: { ...hourly.action, taskQueue: 'tq-two' } })).toBe(
      'updated',
    );
    d = await handle.describe();
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'taxFeedPull', taskQueue: 'tq-two' });
    expect(d.state.paused).toBe(true);
    expect(d.policies.overlap).toBe('SKIP');
  });

  test('two processes ensuring the same new schedule at once both succeed, with one schedule', async () => {
    const scheduleId = `test-schedule-${randomUUID()}`;
    created.push(client.schedule.getHandle(scheduleId));
    const definition = taxFeedSchedule('tq-race', { scheduleId });
    const results = await Promise.all([
      ensureSchedule(client, definition),
      ensureSchedule(client, definition),
      ensureSchedule(client, definition),
    ]);
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r !== 'created').every((r) => r === 'unchanged')).toBe(true);
  });
});

describe('tax-feed-daily', () => {
  test('startSystem creates it (02:00 Asia/Shanghai, taxFeedPull on the system queue); triggering the schedule imports the feed', async () => {
    const scratch = await createScratchDatabase({ migrate: true });
    const simulator = await buildGovernmentSimulator();
    const governmentUrl = await simulator.listen({ host: '127.0.0.1', port: 0 });
    const taskQueue = uniqueName('tq-system');
    const system = await startSystem({
      databaseUrl: scratch.url,
      temporalAddress: testEnv.temporalAddress,
      namespace: 'default',
      taskQueue,
      personKeySecret: testEnv.personKeySecret,
      auth: testEnv.auth,
      assertions: testEnv.assertions,
      payloadKeys: testPayloadKeys(),
      supplementWorkingDays: 10,
      platformUrl: testEnv.platformUrl,
      governmentUrl,
      workflowBundle: { codePath: testEnv.workflowBundlePath },
      reconcileEveryMs: 3_600_000,
    });
    try {
      const daily = await client.schedule.getHandle(TAX_FEED_SCHEDULE_ID).describe();
      expect(daily.spec.timezone).toBe('Asia/Shanghai');
      expect(daily.spec.calendars).toHaveLength(1);
      expect(daily.spec.calendars![0]).toMatchObject({
        hour: [{ start: 2, end: 2, step: 1 }],
        minute: [{ start: 0, end: 0, step: 1 }],
      });
      expect(daily.action).toMatchObject({ type: 'startWorkflow', workflowType: 'taxFeedPull', taskQueue });
      expect(daily.policies.overlap).toBe('SKIP');
      // The next run is at 02:00 in Beijing (UTC+8), i.e. 18:00 UTC.
      expect(daily.info.nextActionTimes[0].toISOString()).toMatch(/T18:00:00\.000Z$/);
      // A second start finds it as it should be.
      expect((await ensureSystemSchedules(client, { taskQueue }))[TAX_FEED_SCHEDULE_ID]).toBe('unchanged');

      // The records the tax department has for two people registered here.
      const db = scratch.handle().db;
      const a = await registerPerson(db, { agencyCode: '620102' });
      const b = await registerPerson(db, { agencyCode: '620102', status: 'interrupted', since: '2025-01-01' });
      const records = [
        rec(a, '620102', '2025-01', '5000'),
        rec(a, '620102', '2025-02', '5000'),
        rec(b, '620102', '2025-03', '8000'),
      ];
      await fetch(`${governmentUrl}/admin/tax/contributions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });

      // Triggered like the 02:00 run (a schedule of this test's own with the same definition,
      // so another test's start-up cannot point the shared `tax-feed-daily` elsewhere meanwhile).
      const scheduleId = `test-tax-feed-${randomUUID()}`;
      const handle = client.schedule.getHandle(scheduleId);
      created.push(handle);
      expect(await ensureSchedule(client, taxFeedSchedule(taskQueue, { scheduleId }))).toBe('created');
      await handle.trigger();
      const workflowId = await until(
        'the triggered run',
        async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId,
      );
      expect(workflowId).toMatch(/^tax-feed-pull-/);
      const run = client.workflow.getHandle(workflowId);
      expect((await run.describe()).type).toBe('taxFeedPull');
      expect(await run.result()).toMatchObject({
        pages: 1,
        rows: 3,
        accepted: 3,
        duplicates: 0,
        refused: 0,
        resumed: 1,
      });
      expect(await monthsOf(db, a.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
      expect(await monthsOf(db, b.personId)).toEqual(['2025-03 8000.00']);
      const batches = await db
        .select({ reference: contributionBatches.reference })
        .from(contributionBatches)
        .where(eq(contributionBatches.source, 'tax_feed'));
      expect(batches).toEqual([{ reference: '3' }]);

      // The staff read of the same records, through the system's API.
      const res = await system.app.inject({
        method: 'GET',
        url: `/api/v1/persons/${a.personKey}/contributions`,
        headers: withAuth('GET', '/api/v1/persons'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        personKey: a.personKey,
        totalMonths: 2,
        batches: [{ source: 'tax_feed', reference: '3', months: 2 }],
      });

      // The hourly audit anchor is one of the system's schedules too; a run anchors the chains
      // of this database (the import above appended no case events: a case's events do).
      const hourly = await client.schedule.getHandle(AUDIT_ANCHOR_SCHEDULE_ID).describe();
      expect(hourly.spec.timezone).toBe('Asia/Shanghai');
      expect(hourly.spec.calendars![0]).toMatchObject({ minute: [{ start: 7, end: 7, step: 1 }] });
      expect(hourly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'auditAnchor', taskQueue });
      const anchorScheduleId = `test-anchor-${randomUUID()}`;
      const anchorHandle = client.schedule.getHandle(anchorScheduleId);
      created.push(anchorHandle);
      expect(await ensureSchedule(client, auditAnchorSchedule(taskQueue, { scheduleId: anchorScheduleId }))).toBe(
        'created',
      );
      await anchorHandle.trigger();
      const anchorRunId = await until(
        'the triggered anchor run',
        async () => (await anchorHandle.describe()).info.recentActions[0]?.action.workflow.workflowId,
      );
      expect(await client.workflow.getHandle(anchorRunId).result()).toMatchObject({ created: false, upToEventId: 0 });
      const rows = await db.execute<{ n: string }>(sql`select count(*)::text as n from audit_anchors`);
      expect(rows.rows[0].n).toBe('0');
    } finally {
      await system.stop();
      await simulator.close();
      await scratch.drop();
    }
  });
});
