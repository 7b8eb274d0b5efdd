/**
 * Audits (稽核, R-5) through the API: routine (a period's closed cases, sampled), special (every
 * case a query selects) and tip-off driven (the tipOffAudit workflow runs its clock in working
 * days from receipt); findings link to cases, may open a rectification task, and are recorded only
 * by a supervisor who did not handle the case; conclusions; idempotent duplicates; bad input.
 * (The tip-off clock's breach: test/integration/supervision/deadlines.test.ts.)
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { signInput } from '../../../api/auth/assertions';
import { auditRefusals, audits, auditCases } from '../../../db/schema';
import { concludeAuditUpdate } from '../../../workflows/tip-off-audit';
import { reconcileTipOffAudits } from '../../../api/services/tip-off-audits';
import { asUser } from '../../helpers/auth';
import { testEnv } from '../../helpers/env';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { noticeRound, randomAgency, seedCase } from '../../helpers/supervision';
import { eventually } from '../../helpers/wait';
import { startWorkflow, tipOffAuditStart } from '../../../api/services/workflow-starts';

let h: Harness;
const A = randomAgency();
const sup = asUser({ user: 'sup-audit', role: 'supervisor', agencies: [A] });
const auditor = asUser({ user: 'aud-audit', role: 'auditor', agencies: [A] });
const c: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const closed = (day: string, more: Partial<Parameters<typeof seedCase>[1]> = {}) =>
    seedCase(h.db, {
      agencyCode: A,
      procedure: 'benefit_claim',
      receivedAt: `2025-${day}T09:00:00+08:00`,
      closedAt: `2025-${day}T16:00:00+08:00`,
      outcome: 'approved',
      ...more,
    });
  c.late = await closed('05-06', { events: [{ type: 'deadline_breached', at: '2025-05-06T12:00:00+08:00' }] });
  c.twoNotices = await closed('05-07', {
    events: noticeRound('2025-05-07T10:00:00+08:00', '2025-05-07T11:00:00+08:00'),
    notices: [
      { round: 1, at: '2025-05-07T10:00:00+08:00' },
      { round: 2, at: '2025-05-07T10:30:00+08:00' },
    ],
  });
  c.handled = await closed('05-08', {
    events: [
      { type: 'deadline_extended', at: '2025-05-08T10:00:00+08:00', actor: { id: 'sup-audit', role: 'supervisor' } },
    ],
  });
  c.refusedStop = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'stop',
    receivedAt: '2025-05-09T09:00:00+08:00',
    closedAt: '2025-05-09T09:00:01+08:00',
    outcome: 'refused',
    outcomeReason: 'no_relation_here',
  });
  c.june = await closed('06-02');
});
afterAll(async () => {
  await h?.stop();
});

const caseIdsOf = (body: { cases: Array<{ caseId: string }> }) => body.cases.map((x) => x.caseId).sort();

test('a special audit covers every case its query selects: late benefit claims, claims with more than one notice round', async () => {
  const late = await post(
    h,
    '/api/v1/audits',
    {
      agencyCode: A,
      kind: 'special',
      title: '超期待遇申领专项稽核',
      query: { procedure: 'benefit_claim', breached: true },
    },
    sup,
  );
  expect(late).toMatchObject({
    status: 201,
    body: { agencyCode: A, kind: 'special', status: 'open', openedBy: 'sup-audit', findings: [] },
  });
  expect(late.body.auditId).toMatch(new RegExp(`^audit-${A}-\\d{4}-\\d{6}$`));
  expect(caseIdsOf(late.body)).toEqual([c.late]);
  const notices = await post(
    h,
    '/api/v1/audits',
    {
      agencyCode: A,
      kind: 'special',
      title: '一次性告知专项稽核',
      query: { multipleNotices: true, from: '2025-05-01', to: '2025-05-31' },
    },
    sup,
  );
  expect(caseIdsOf(notices.body)).toEqual([c.twoNotices]);
  const refused = await post(
    h,
    '/api/v1/audits',
    { agencyCode: A, kind: 'special', title: '不予办理专项稽核', query: { outcome: 'refused' } },
    sup,
  );
  expect(caseIdsOf(refused.body)).toEqual([c.refusedStop]);
  expect(
    await post(
      h,
      '/api/v1/audits',
      { agencyCode: A, kind: 'special', title: '无', query: { procedure: 'transfer_out' } },
      sup,
    ),
  ).toMatchObject({ status: 422, body: { error: { code: 'audit.no_cases', field: 'query' } } });
});

test('a routine audit samples the closed cases of its period (the June case is outside it)', async () => {
  const routine = await post(
    h,
    '/api/v1/audits',
    { agencyCode: A, kind: 'routine', title: '2025年5月日常稽核', query: { from: '2025-05-01', to: '2025-05-31' } },
    sup,
  );
  expect(routine.status).toBe(201);
  const covered = caseIdsOf(routine.body);
  // Three claims (ungraded: at least two of the stratum) and one stop (all of a stratum of one).
  expect(covered).toHaveLength(3);
  expect(covered).toContain(c.refusedStop);
  expect(covered).not.toContain(c.june);
  expect(routine.body.cases.every((x: { source: string }) => x.source === 'sample')).toBe(true);
  expect(
    await post(
      h,
      '/api/v1/audits',
      { agencyCode: A, kind: 'routine', title: '缺期间', query: { from: '2025-05-01' } },
      sup,
    ),
  ).toMatchObject({ status: 400, body: { error: { field: 'query.to' } } });
});

test('a tip-off opens an audit with its own clock in working days; findings link to cases; a handler may not record one; conclusion stops the clock', async () => {
  const received = new Date(Date.now() - 60_000).toISOString();
  const opened = await post(
    h,
    '/api/v1/audits',
    {
      agencyCode: A,
      kind: 'tip_off',
      title: '群众举报：冒领待遇',
      tipOff: {
        content: '举报某参保人已去世仍在领取养老金',
        channel: 'phone',
        receivedAt: received,
        caseIds: [c.late],
      },
    },
    { ...sup, 'idempotency-key': `tip-${A}` },
  );
  expect(opened).toMatchObject({
    status: 201,
    body: { kind: 'tip_off', status: 'open', receivedAt: received, cases: [{ caseId: c.late, source: 'named' }] },
  });
  const auditId = opened.body.auditId as string;
  const due = workingDaysAfter(chinaDate(received), 30);
  const withClock = await eventually(
    () => get(h, `/api/v1/audits/${auditId}`, auditor).then((r) => r.body),
    (b) => b.dueDate !== null,
    15_000,
  );
  expect(withClock).toMatchObject({
    dueDate: due,
    dueAt: new Date(endOfChinaDate(due)).toISOString(),
    overdue: false,
    clock: { state: 'running', budgetWorkingDays: 30, clause: '10.2.4' },
  });
  // The tip-off's content is kept in the database (the workflow's input is the audit's number and dates, TipOffAuditInput).
  const [{ tipOff }] = await h.db.select({ tipOff: audits.tipOff }).from(audits).where(eq(audits.id, auditId));
  expect(tipOff).toBe('举报某参保人已去世仍在领取养老金');
  // The same request again is the same audit; another body under the key is refused.
  expect(
    await post(
      h,
      '/api/v1/audits',
      {
        agencyCode: A,
        kind: 'tip_off',
        title: '群众举报：冒领待遇',
        tipOff: {
          content: '举报某参保人已去世仍在领取养老金',
          channel: 'phone',
          receivedAt: received,
          caseIds: [c.late],
        },
      },
      { ...sup, 'idempotency-key': `tip-${A}` },
    ),
  ).toMatchObject({ status: 200, body: { auditId } });
  expect(
    await post(
      h,
      '/api/v1/audits',
      { agencyCode: A, kind: 'tip_off', title: '另一举报', tipOff: { content: 'x', channel: 'letter' } },
      { ...sup, 'idempotency-key': `tip-${A}` },
    ),
  ).toMatchObject({ status: 422, body: { error: { code: 'idempotency.mismatch' } } });

  // A finding on a case the supervisor handled is refused; on another it links the case and opens a rectification task.
  const findings = `/api/v1/audits/${auditId}/findings`;
  expect(
    await post(h, findings, { caseId: c.handled, category: 'entitlement_review_lax', rectify: true }, sup),
  ).toMatchObject({ status: 403, body: { error: { code: 'separation.handled_case' } } });
  const other = asUser({ user: 'sup-audit-2', role: 'supervisor', agencies: [A] });
  const recorded = await post(
    h,
    findings,
    { caseId: c.handled, category: 'entitlement_review_lax', text: '未比对死亡登记即认定资格', rectify: true },
    { ...other, 'idempotency-key': 'finding-1' },
  );
  expect(recorded.status).toBe(201);
  expect(recorded.body.findings).toEqual([
    expect.objectContaining({
      caseId: c.handled,
      category: 'entitlement_review_lax',
      clause: '10.1.3',
      text: '未比对死亡登记即认定资格',
      recordedBy: 'sup-audit-2',
      status: 'open',
      followUp: expect.objectContaining({ status: 'open' }),
    }),
  ]);
  expect(caseIdsOf(recorded.body)).toEqual([c.late, c.handled].sort());
  expect(
    (
      await post(
        h,
        findings,
        { caseId: c.handled, category: 'entitlement_review_lax', text: '未比对死亡登记即认定资格', rectify: true },
        { ...other, 'idempotency-key': 'finding-1' },
      )
    ).body.findings,
  ).toHaveLength(1);
  expect(await post(h, findings, { caseId: c.late, category: 'nonsense', rectify: false }, other)).toMatchObject({
    status: 422,
    body: { error: { code: 'finding.unknown_category', field: 'category' } },
  });
  expect(
    await post(
      h,
      findings,
      { caseId: 'enrollment-620999-2025-000001', category: 'other', text: 'x', rectify: false },
      other,
    ),
  ).toMatchObject({ status: 422, body: { error: { code: 'audit.unknown_case', field: 'caseId' } } });
  const inbox = await get(h, `/api/v1/tasks?caseId=${c.handled}`, other);
  expect(inbox.body.items).toEqual([expect.objectContaining({ step: 'audit_followup', role: 'supervisor' })]);

  // Concluded: the clock stops, not overdue; the same conclusion again is a duplicate, another is refused.
  const concluded = await post(
    h,
    `/api/v1/audits/${auditId}/conclusion`,
    { conclusion: '经核查，举报不实；发现资格认定审核问题一项，已责令整改' },
    sup,
  );
  expect(concluded).toMatchObject({
    status: 200,
    body: { status: 'concluded', concludedBy: 'sup-audit', overdue: false, clock: { state: 'stopped' } },
  });
  expect(
    (
      await post(
        h,
        `/api/v1/audits/${auditId}/conclusion`,
        { conclusion: '经核查，举报不实；发现资格认定审核问题一项，已责令整改' },
        sup,
      )
    ).status,
  ).toBe(200);
  expect(await post(h, `/api/v1/audits/${auditId}/conclusion`, { conclusion: '另一结论' }, other)).toMatchObject({
    status: 409,
    body: { error: { code: 'audit.concluded' } },
  });
  expect(
    await post(h, findings, { caseId: c.late, category: 'other', text: 'x', rectify: false }, other),
  ).toMatchObject({ status: 409, body: { error: { code: 'audit.concluded' } } });
  expect(await h.client.workflow.getHandle(auditId).result()).toMatchObject({
    status: 'concluded',
    clock: { state: 'stopped', overdue: false },
  });
  // The rectification stays open after the audit is concluded.
  expect((await get(h, `/api/v1/tasks?caseId=${c.handled}`, other)).body.total).toBe(1);
  expect((await get(h, `/api/v1/audits?agencyCode=${A}&kind=tip_off`, auditor)).body.items).toEqual([
    expect.objectContaining({ auditId, status: 'concluded', overdue: false }),
  ]);
});

test('the reconciler starts the clock of a tip-off audit written without one (the API stopped in between), from its receipt', async () => {
  const auditId = `audit-${A}-2025-${String(900_000 + Math.floor(Math.random() * 99_999))}`;
  const receivedAt = new Date(Date.now() - 2 * 86_400_000);
  await h.db.insert(audits).values({
    id: auditId,
    agencyCode: A,
    kind: 'tip_off',
    title: '未启动的举报稽核',
    scope: { channel: 'visit' },
    tipOff: '来访举报（测试）',
    openedBy: 'sup-audit',
    openedAt: new Date(Date.now() - 120_000),
    receivedAt,
    workflowId: auditId,
  });
  const started = await reconcileTipOffAudits({
    db: h.db,
    temporal: h.client,
    taskQueue: h.taskQueue,
    assertions: testEnv.assertions,
  });
  expect(started).toContain(auditId);
  const due = workingDaysAfter(chinaDate(receivedAt), 30);
  expect(
    await eventually(
      () => get(h, `/api/v1/audits/${auditId}`, auditor).then((r) => r.body),
      (b) => b.dueDate !== null,
      15_000,
    ),
  ).toMatchObject({ dueDate: due, clock: { state: 'running' } });
  // Once it has its clock, the reconciler leaves it alone.
  expect(
    await reconcileTipOffAudits({
      db: h.db,
      temporal: h.client,
      taskQueue: h.taskQueue,
      assertions: testEnv.assertions,
    }),
  ).not.toContain(auditId);
});

test('bad input is refused naming the field, and nothing is written', async () => {
  const before = (await h.db.select().from(audits).where(eq(audits.agencyCode, A))).length;
  expect(await post(h, '/api/v1/audits', { agencyCode: A, kind: 'tip_off', title: '无内容' }, sup)).toMatchObject({
    status: 400,
    body: { error: { field: 'tipOff' } },
  });
  expect(
    await post(
      h,
      '/api/v1/audits',
      {
        agencyCode: A,
        kind: 'tip_off',
        title: 't',
        tipOff: { content: 'x', channel: 'phone', caseIds: ['enrollment-620999-2025-000001'] },
      },
      sup,
    ),
  ).toMatchObject({
    status: 422,
    body: { error: { code: 'audit.unknown_case', field: 'tipOff.caseIds[0]' } },
  });
  expect(await post(h, '/api/v1/audits', { agencyCode: A, kind: 'special', title: 't' }, sup)).toMatchObject({
    status: 400,
    body: { error: { field: 'query' } },
  });
  expect(
    await post(h, '/api/v1/audits', { agencyCode: A, kind: 'special', title: 't', query: { from: '2025-02-30' } }, sup),
  ).toMatchObject({ status: 400, body: { error: { field: 'query.from' } } });
  expect(await post(h, '/api/v1/audits', { agencyCode: A, kind: 'audit', title: 't' }, sup)).toMatchObject({
    status: 400,
    body: { error: { field: 'kind' } },
  });
  expect(
    await post(h, '/api/v1/audits', { agencyCode: '620999', kind: 'special', title: 't', query: {} }, sup),
  ).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden_agency' } } });
  expect(
    await post(h, '/api/v1/audits', { agencyCode: A, kind: 'special', title: 't', query: {} }, auditor),
  ).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden_role' } } });
  expect((await h.db.select().from(audits).where(eq(audits.agencyCode, A))).length).toBe(before);
  expect(await h.db.select().from(auditCases).where(eq(auditCases.caseId, 'enrollment-620999-2025-000001'))).toEqual(
    [],
  );
});

test("a tip-off audit's workflow takes neither a start nor a conclusion that the API did not sign: both refused and audited, the audit stays open", async () => {
  const opened = await post(
    h,
    '/api/v1/audits',
    {
      agencyCode: A,
      kind: 'tip_off',
      title: '举报稽核（伪造测试）',
      tipOff: { content: '举报内容（测试）', channel: 'letter' },
    },
    sup,
  );
  expect(opened.status).toBe(201);
  const auditId = opened.body.auditId as string;
  const audited = (caseId: string, code: string) =>
    eventually(
      () =>
        h.db
          .select()
          .from(auditRefusals)
          .where(and(eq(auditRefusals.caseId, caseId), eq(auditRefusals.code, code))),
      (rows) => rows.length > 0,
      10_000,
    );
  // A conclusion straight on Temporal (payload key, no signing key): refused by the validator, nothing concluded.
  const forged = h.client.workflow.getHandle(auditId).executeUpdate(concludeAuditUpdate, {
    args: [{ conclusion: '举报不实', actor: { id: 'sup-audit', role: 'supervisor' } }],
  });
  await expect(forged).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  expect((await audited(auditId, 'assertion.missing'))[0]).toMatchObject({
    action: 'workflow concludeAudit',
    actorId: 'unverified',
    agencyCode: A,
  });
  // Signed by the API for the right audit but naming another supervisor than the one asserted.
  const signedForOther = signInput(
    testEnv.assertions,
    { conclusion: '举报不实', actor: { id: 'sup-audit', role: 'supervisor' } },
    {
      actor: { id: 'sup-audit-2', role: 'supervisor', agencies: [A] },
      caseId: auditId,
      action: 'concludeAudit',
      key: 'who',
    },
  );
  await expect(
    h.client.workflow
      .getHandle(auditId)
      .executeUpdate(concludeAuditUpdate, { args: [signedForOther], updateId: 'who' }),
  ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
  await audited(auditId, 'assertion.actor_mismatch');
  // The workflow records its clock by an activity of its own, which may come after the refusals.
  const after = await eventually(
    () => get(h, `/api/v1/audits/${auditId}`, auditor),
    (res) => res.body.clock !== null,
    30_000,
  );
  expect(after.body).toMatchObject({ status: 'open', clock: { state: 'running' } });

  // A start straight on Temporal, unsigned: the workflow fails before recording a clock.
  const fakeId = `audit-${A}-2099-${String(900_000 + Math.floor(Math.random() * 99_999))}`;
  const handle = await startWorkflow(
    h.client,
    tipOffAuditStart(h.taskQueue, {
      auditId: fakeId,
      agencyCode: A,
      receivedAt: new Date().toISOString(),
      workingDays: 1,
    }),
  );
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'assertion.missing' });
  expect((await audited(fakeId, 'assertion.missing'))[0]).toMatchObject({ action: 'workflow start' });
  // The API's own conclusion still goes through.
  expect(await post(h, `/api/v1/audits/${auditId}/conclusion`, { conclusion: '经核查，举报不实' }, sup)).toMatchObject({
    status: 200,
    body: { status: 'concluded' },
  });
});
