/**
 * Statutory deadlines on the time-skipping test server: the real API, a real worker with real
 * activities on the shared PostgreSQL, and time moved on with h.sleep() instead of short fake
 * deadlines. Each test gets a test server of its own, so skipping time in one test cannot fire
 * timers of another. The server's clock runs ahead of the wall clock once time was skipped, so
 * the tests assert what the workflow recorded (events, clock snapshots, search attributes) and
 * never SQL `now()`-derived flags such as the API's `overdue`.
 */
import type { CaseDetail } from '../../../db/repositories/cases';
import { saCaseStatus, saDueAt, saOverdue, saWaitingOn } from '../../../workflows/shared/search-attributes';
import { caseViewQuery } from '../../../workflows/shared/messages';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { asUser, SUPERVISOR } from '../../helpers/auth';
import { enrollmentBody, get, post, relationsOf, reviewer, staff } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

const supervisor = asUser(SUPERVISOR);

type CaseEvent = CaseDetail['events'][number];

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timeSkipping: true, supplementWorkingDays: 10 });
});
afterEach(async () => {
  await h?.stop();
});

async function serverNow(): Promise<number> {
  return h.timeSkipping!.currentTimeMs();
}

/** Skips the test server's time to `instant` (plus a margin), never backwards. */
async function sleepUntil(instant: number, marginMs = 60_000): Promise<void> {
  const ms = instant + marginMs - (await serverNow());
  if (ms > 0) await h.sleep(ms);
}

/** The case as the API records it (GET /api/v1/cases/:id). */
async function caseOf(caseId: string): Promise<CaseDetail> {
  const res = await get(h, `/api/v1/cases/${caseId}`);
  expect(res.status).toBe(200);
  return res.body as CaseDetail;
}

/** Waits (in wall time) until the recorded case satisfies `done`; activities finish after the timer fired. */
async function caseWhen(caseId: string, done: (c: CaseDetail) => boolean): Promise<CaseDetail> {
  return eventually(() => caseOf(caseId), done, 15_000);
}

function eventTypes(c: { events: Array<{ type: string }> }): string[] {
  return c.events.map((e) => e.type);
}

test('an offline enrollment with missing materials is withdrawn when the reply date (10 working days) passes with nothing received', async () => {
  const body = enrollmentBody({ channel: 'offline', materials: [] });
  const created = await post(h, '/api/v1/enrollments', body);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
  const caseId: string = created.body.caseId;

  // The reply date, counted by hand: the receipt day is not counted, then 10 working days of the
  // Chinese calendar (weekends off, holidays off, make-up weekends on). The counting helper is
  // first checked against dates counted on paper (across National Day 2025 and 2026, with their
  // make-up Saturdays 11 Oct 2025 and 10 Oct 2026).
  expect(workingDaysAfter('2025-09-26', 15)).toBe('2025-10-23');
  expect(workingDaysAfter('2026-09-24', 10)).toBe('2026-10-15');
  expect(workingDaysAfter('2026-10-03', 0)).toBe('2026-10-08');
  const receiptDate = chinaDate(created.body.receivedAt);
  const replyDueDate = workingDaysAfter(receiptDate, 10);
  expect(created.body.notices).toHaveLength(1);
  expect(created.body.notices[0]).toMatchObject({ kind: 'missing_materials', round: 1, replyDueDate });
  const [y, m, d] = replyDueDate.split('-').map(Number);
  expect(created.body.notices[0].text).toContain(`请于${y}年${m}月${d}日前补齐`);
  expect(created.body.clock).toMatchObject({ state: 'paused', dueDate: null, consumedWorkingDays: 0 });

  // One minute before the end of the reply date the case still waits for the applicant.
  const replyDeadline = endOfChinaDate(replyDueDate);
  await sleepUntil(replyDeadline, -60_000);
  const handle = h.client.workflow.getHandle(caseId);
  expect(await handle.query(caseViewQuery)).toMatchObject({
    status: 'open',
    stage: 'awaiting_supplement',
    waitingOn: 'applicant',
  });

  await sleepUntil(replyDeadline, 60_000);
  const closed = await caseWhen(caseId, (c) => c.status === 'closed');
  expect(closed).toMatchObject({
    status: 'closed',
    stage: 'closed',
    waitingOn: null,
    outcome: 'withdrawn',
    outcomeReason: 'supplement_deadline_passed',
  });
  expect(closed.clock).toMatchObject({ state: 'stopped', overdue: false });
  expect(eventTypes(closed)).toEqual([
    'application_received',
    'case_received',
    'notice_issued',
    'supplement_deadline_passed',
  ]);
  const passed = closed.events[3];
  expect(passed.detail).toMatchObject({ outstanding: ['identity_document'], replyDueDate });
  // Workflow time of the closing step: the end of the reply date in China, not earlier.
  expect(Date.parse(passed.occurredAt)).toBeGreaterThanOrEqual(replyDeadline);
  expect(Date.parse(passed.occurredAt)).toBeLessThan(replyDeadline + 60_000);
  expect(closed.notices.map((n: { kind: string }) => n.kind)).toEqual(['missing_materials', 'outcome']);
  expect(closed.notices[1].text).toContain('视为撤回');
  expect(await relationsOf(h, body.applicant.idNumber)).toEqual([]);

  const result = await handle.result();
  expect(result).toMatchObject({
    status: 'closed',
    outcome: 'withdrawn',
    clock: expect.objectContaining({ state: 'stopped' }),
  });
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(saCaseStatus)).toBe('closed');
});

test('a supplement that arrives before the reply date moves the case on to acceptance and resumes the clock', async () => {
  const body = enrollmentBody({ channel: 'offline', materials: [] });
  const created = await post(h, '/api/v1/enrollments', body);
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const replyDueDate = created.body.notices[0].replyDueDate as string;
  expect(replyDueDate).toBe(workingDaysAfter(chinaDate(created.body.receivedAt), 10));

  await h.sleep('3 days');
  const supplementDate = chinaDate(await serverNow());
  expect(supplementDate < replyDueDate).toBe(true);
  const supplemented = await post(h, `/api/v1/cases/${caseId}/materials`, {
    materials: [{ kind: 'id_card', ref: 'scan-2' }],
  });
  expect(supplemented.status).toBe(200);
  expect(supplemented.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  // The clock was paused on the day of receipt (nothing consumed) and now runs again with the
  // remaining budget of the same working day (5.1.4), counted from the day of the supplement.
  const resumedDue = workingDaysAfter(supplementDate, 0);
  expect(supplemented.body.clock).toMatchObject({
    state: 'running',
    budgetWorkingDays: 0,
    consumedWorkingDays: 0,
    extensionWorkingDays: 0,
    dueDate: resumedDue,
    dueAt: new Date(endOfChinaDate(resumedDue)).toISOString(),
    overdue: false,
  });
  expect(eventTypes(supplemented.body)).toEqual([
    'application_received',
    'case_received',
    'notice_issued',
    'materials_supplemented',
    'awaiting_decision',
  ]);
  expect(supplemented.body.materials).toEqual([expect.objectContaining({ kind: 'id_card', round: 1 })]);

  const accepted = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
  expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });

  // Past the old reply date the supplement timer no longer matters: the case stays in review
  // (the resumed same-day clock has breached by then, which shows the time really passed).
  await sleepUntil(endOfChinaDate(replyDueDate));
  const later = await caseWhen(caseId, (c) => eventTypes(c).includes('deadline_breached'));
  expect(later).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  expect(eventTypes(later)).not.toContain('supplement_deadline_passed');
  const approved = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(approved.body.notices.map((n: { kind: string }) => n.kind)).toEqual(['missing_materials']);
  expect(eventTypes(approved.body)).not.toContain('supplement_deadline_passed');
  expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
    expect.objectContaining({ status: 'contributing', lastCaseId: caseId }),
  ]);
});

test('an offline case left waiting for staff past its same-working-day limit is marked overdue while open, and staff can still complete it', async () => {
  const body = enrollmentBody({ channel: 'offline', materials: [{ kind: 'id_card', ref: 'scan-1' }] });
  const created = await post(h, '/api/v1/enrollments', body);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  const caseId: string = created.body.caseId;
  const dueDate = workingDaysAfter(chinaDate(created.body.receivedAt), 0);
  expect(created.body.clock).toMatchObject({
    state: 'running',
    budgetWorkingDays: 0,
    dueDate,
    overdue: false,
    clause: '5.1.4',
  });
  const handle = h.client.workflow.getHandle(caseId);
  expect((await handle.describe()).typedSearchAttributes.get(saOverdue)).toBe(false);

  const deadline = endOfChinaDate(dueDate);
  await sleepUntil(deadline);
  const breached = await caseWhen(caseId, (c) => eventTypes(c).includes('deadline_breached'));
  const breach = breached.events.find((e: CaseEvent) => e.type === 'deadline_breached')!;
  expect(breach).toMatchObject({ clause: '5.1.4', detail: expect.objectContaining({ dueDate }) });
  expect(Date.parse(breach.occurredAt)).toBeGreaterThanOrEqual(deadline);
  expect(breached).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  expect(breached.clock).toMatchObject({ state: 'running', overdue: true, dueDate });

  const attributes = (await handle.describe()).typedSearchAttributes;
  expect(attributes.get(saOverdue)).toBe(true);
  expect(attributes.get(saCaseStatus)).toBe('open');
  expect(attributes.get(saWaitingOn)).toBe('staff');

  const accepted = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
  expect(accepted.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  const approved = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(approved.body.clock.state).toBe('stopped');
  expect(eventTypes(approved.body).filter((t) => t === 'deadline_breached')).toHaveLength(1);
  expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
    expect.objectContaining({ status: 'contributing', lastCaseId: caseId }),
  ]);
  expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'approved' });
});

test('the statutory deadline can be extended once with a reason, which moves the due date; a second extension is refused', async () => {
  const created = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ channel: 'offline', materials: [{ kind: 'id_card' }] }),
  );
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const receiptDate = chinaDate(created.body.receivedAt);
  const originalDue = workingDaysAfter(receiptDate, 0);
  expect(created.body.clock).toMatchObject({ state: 'running', dueDate: originalDue });

  const extended = await post(
    h,
    `/api/v1/cases/${caseId}/deadline-extension`,
    { workingDays: 3, reason: '需核实外省参保信息' },
    supervisor,
  );
  expect(extended.status).toBe(200);
  // Extended on the day of receipt: nothing consumed yet, so 3 working days from that day.
  const extendedDue = workingDaysAfter(chinaDate(await serverNow()), 3);
  expect(extendedDue > originalDue).toBe(true);
  expect(extended.body.clock).toMatchObject({
    state: 'running',
    budgetWorkingDays: 0,
    extensionWorkingDays: 3,
    extensionReason: '需核实外省参保信息',
    dueDate: extendedDue,
    dueAt: new Date(endOfChinaDate(extendedDue)).toISOString(),
  });
  const extensionEvent = extended.body.events.find((e: CaseEvent) => e.type === 'deadline_extended');
  expect(extensionEvent).toMatchObject({
    actor: { id: SUPERVISOR.user, role: 'supervisor' },
    detail: expect.objectContaining({ workingDays: 3 }),
  });
  const handle = h.client.workflow.getHandle(caseId);
  expect((await handle.describe()).typedSearchAttributes.get(saDueAt)?.toISOString()).toBe(
    new Date(endOfChinaDate(extendedDue)).toISOString(),
  );

  const again = await post(
    h,
    `/api/v1/cases/${caseId}/deadline-extension`,
    { workingDays: 5, reason: '再次延长' },
    supervisor,
  );
  expect(again.status).toBe(422);
  expect(again.body.error.code).toBe('deadline.already_extended');
  expect((await caseOf(caseId)).clock).toMatchObject({ extensionWorkingDays: 3, dueDate: extendedDue });

  // The watcher re-armed on the new due date: the old one passes silently, the new one breaches.
  await sleepUntil(endOfChinaDate(extendedDue));
  const breached = await caseWhen(caseId, (c) => eventTypes(c).includes('deadline_breached'));
  const breaches = breached.events.filter((e: CaseEvent) => e.type === 'deadline_breached');
  expect(breaches).toHaveLength(1);
  expect(breaches[0].detail).toMatchObject({ dueDate: extendedDue });
  expect(Date.parse(breaches[0].occurredAt)).toBeGreaterThanOrEqual(endOfChinaDate(extendedDue));
  expect(breached.clock).toMatchObject({ overdue: true, extensionWorkingDays: 3 });
});
