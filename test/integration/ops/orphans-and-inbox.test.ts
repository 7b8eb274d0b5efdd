/**
 * No orphan cases and a platform inbox bounded by its token (issue 13, findings 5 and 6): a case
 * whose workflow is terminated or fails is closed as `failed` with a supervisor's task; a
 * `transfer_platform` token delivers only for its own agencies; a message naming an agency outside
 * the directory is refused with 422 before any case opens.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { closeOrphanedCases } from '../../../api/services/orphans';
import { agencies, auditRefusals, caseEvents, cases, tasks, transfers } from '../../../db/schema';
import { SAMPLE_AGENCIES } from '../../../db/seed/agencies';
import { asUser, type TestUser } from '../../helpers/auth';
import { makeIdNumber } from '../../helpers/env';
import { enrollmentBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { privateAgency, taskAction } from '../../helpers/tasks';
import { eventually } from '../../helpers/wait';

let h: Harness;
const here = privateAgency();
const elsewhere = privateAgency();
beforeAll(async () => {
  h = await startHarness();
  // Two agencies of this file's own in the directory (so nothing here meets another file's cases).
  await h.db
    .insert(agencies)
    .values(
      [here, elsewhere].map((code) => ({
        ...SAMPLE_AGENCIES[0],
        code,
        provinceCode: code.slice(0, 2),
        name: `测试经办机构${code}`,
      })),
    )
    .onConflictDoNothing();
});
afterAll(async () => {
  await h?.stop();
});

const acceptor: TestUser = { user: 'clerk-orphans', role: 'acceptor', agencies: [here] };
const supervisor: TestUser = { user: 'sup-orphans', role: 'supervisor', agencies: [here] };

describe('a case whose workflow ended without closing it', () => {
  test('is closed as failed by the reconciler: live tasks cancelled, a supervisor task opened, the event chained; the supervisor records the handling', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/enrollments',
      headers: asUser(acceptor),
      payload: enrollmentBody({ agencyCode: here, channel: 'offline' }),
    });
    expect(res.statusCode).toBe(201);
    const caseId = res.json<{ caseId: string }>().caseId;
    await h.client.workflow.getHandle(caseId).terminate('operator error');

    const closed = await eventually(
      () => closeOrphanedCases({ db: h.db, temporal: h.client, taskQueue: h.taskQueue }),
      (ids) => ids.includes(caseId),
      20_000,
      500,
    );
    expect(closed).toContain(caseId);
    const [row] = await h.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({
      status: 'closed',
      outcome: 'failed',
      outcomeReason: 'workflow_terminated',
      stage: 'closed',
      waitingOn: null,
    });
    const caseTasks = await h.db.select().from(tasks).where(eq(tasks.caseId, caseId));
    expect(caseTasks.map((t) => [t.step, t.role, t.status]).sort()).toEqual([
      ['acceptance', 'acceptor', 'cancelled'],
      ['workflow_failed', 'supervisor', 'open'],
    ]);
    const events = await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(events.at(-1)).toMatchObject({
      type: 'case_failed',
      actorRole: 'system',
      detail: expect.objectContaining({ workflowStatus: 'TERMINATED', stageWhenFailed: 'acceptance' }),
    });
    // A second pass finds nothing more to do.
    expect(await closeOrphanedCases({ db: h.db, temporal: h.client, taskQueue: h.taskQueue })).not.toContain(caseId);

    // The API shows the outcome; the supervisor's inbox has the task.
    const view = await h.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: asUser(supervisor) });
    expect(view.json()).toMatchObject({ status: 'closed', outcome: 'failed' });
    const inbox = await h.app.inject({ method: 'GET', url: '/api/v1/tasks', headers: asUser(supervisor) });
    const task = inbox
      .json<{ items: Array<{ taskId: string; caseId: string; step: string }> }>()
      .items.find((t) => t.caseId === caseId);
    expect(task).toMatchObject({ step: 'workflow_failed' });
    expect((await taskAction(h, supervisor, task!.taskId, 'claim')).status).toBe(200);
    const blank = await taskAction(h, supervisor, task!.taskId, 'complete', { result: 'handled' });
    expect(blank).toMatchObject({
      status: 422,
      body: { error: { code: 'decision.reasons_required', field: 'reason' } },
    });
    const done = await taskAction(h, supervisor, task!.taskId, 'complete', {
      result: 'handled',
      reason: '已联系申请人，重新受理',
    });
    expect(done.status).toBe(200);
    const [handled] = await h.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'failed_case_handled')));
    expect(handled).toMatchObject({
      actorId: supervisor.user,
      actorRole: 'supervisor',
      detail: { note: '已联系申请人，重新受理' },
    });
  });
});

function application(to: string, fromAgencyCode: string) {
  return {
    messageId: `msg-${randomUUID()}`,
    type: 'transfer_application',
    transferId: `tr-${randomUUID()}`,
    from: 'platform',
    to,
    sentAt: new Date().toISOString(),
    payload: { person: { idNumber: makeIdNumber({ region: '610102' }), name: '王五' }, fromAgencyCode },
  };
}

describe('the platform inbox', () => {
  test("a transfer_platform token delivers only to its own agencies: another agency's message is 403, recorded, and opens nothing", async () => {
    const token: TestUser = { user: 'transfer-platform', role: 'transfer_platform', agencies: [elsewhere] };
    const message = application(here, elsewhere);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/v1/platform/messages',
      headers: asUser(token),
      payload: message,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'auth.forbidden_agency', field: 'to' } });
    expect(await h.db.select().from(transfers).where(eq(transfers.transferId, message.transferId))).toEqual([]);
    const rows = await h.db
      .select()
      .from(auditRefusals)
      .where(and(eq(auditRefusals.actorRole, 'transfer_platform'), eq(auditRefusals.agencyCode, here)));
    expect(rows.some((r) => r.code === 'auth.forbidden_agency' && r.reason.includes(message.messageId))).toBe(true);

    // The same message with a token for its recipient is delivered.
    const own = await h.app.inject({
      method: 'POST',
      url: '/api/v1/platform/messages',
      headers: asUser({ ...token, agencies: [here] }),
      payload: message,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ status: 'delivered' });
  });

  test('a message naming an agency outside the directory is 422 platform.unknown_agency and opens no case', async () => {
    const platform: TestUser = { user: 'transfer-platform', role: 'transfer_platform', agencies: [here] };
    const message = application(here, '619999');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/platform/messages',
      headers: asUser(platform),
      payload: message,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'platform.unknown_agency', field: 'payload.fromAgencyCode' } });
    expect(await h.db.select().from(transfers).where(eq(transfers.transferId, message.transferId))).toEqual([]);
  });
});
