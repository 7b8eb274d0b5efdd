/**
 * The task inbox through real workflows on the dev server: what each role and agency sees,
 * claim / release / complete with their conflicts and refusals, filters, sorting and paging,
 * the working days left. Every case here belongs to an agency code of this file alone, so the
 * lists are exact although other test files share the database.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { auditRefusals, cases, decisions } from '../../../db/schema';
import type { TestUser } from '../../helpers/auth';
import { asUser } from '../../helpers/auth';
import { workingDaysAfter, chinaDate } from '../../helpers/china-calendar';
import { enrollmentBody, post, seedRelation, stopBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { inbox, liveTasksOf, privateAgency, taskAction, youngIdNumber, type TaskItem } from '../../helpers/tasks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

function staffOf(agency: string) {
  const u = (user: string, role: TestUser['role']): TestUser => ({
    user: `${user}-${agency}`,
    role,
    agencies: [agency],
  });
  return {
    acceptor: u('acc-1', 'acceptor'),
    acceptor2: u('acc-2', 'acceptor'),
    reviewer: u('rev-1', 'reviewer'),
    supervisor: u('sup-1', 'supervisor'),
    member: u('cr-1', 'collective_reviewer'),
  };
}

/** An offline enrollment with complete materials: it waits for the counter's acceptance check. */
async function offlineEnrollment(agency: string): Promise<string> {
  const res = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({
      agencyCode: agency,
      channel: 'offline',
      applicant: { idNumber: youngIdNumber(), name: '测试人' },
    }),
    asUser(staffOf(agency).acceptor),
  );
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  return res.body.caseId as string;
}

/** An offline stop: it waits for the reviewer. */
async function offlineStop(agency: string): Promise<string> {
  const { idNumber } = await seedRelation(h, { agencyCode: agency, status: 'contributing' });
  const res = await post(
    h,
    '/api/v1/stops',
    stopBody(idNumber, { agencyCode: agency, channel: 'offline', reason: 'voluntary' }),
    asUser(staffOf(agency).acceptor),
  );
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  return res.body.caseId as string;
}

const caseIdsOf = (items: TaskItem[]) => items.map((t) => t.caseId).sort();
const taskOf = async (user: TestUser, caseId: string): Promise<TaskItem> => {
  const res = await inbox(h, user, { caseId });
  expect(res.status).toBe(200);
  expect(res.body.items).toHaveLength(1);
  return res.body.items[0];
};

async function refusalsOf(actorId: string, code: string) {
  return h.db
    .select()
    .from(auditRefusals)
    .where(and(eq(auditRefusals.actorId, actorId), eq(auditRefusals.code, code)));
}

test('the inbox lists exactly the open steps of the caller’s role and agencies; a supervisor sees every role', async () => {
  const ag = privateAgency();
  const other = privateAgency();
  const s = staffOf(ag);
  const e1 = await offlineEnrollment(ag);
  const e2 = await offlineEnrollment(ag);
  const st = await offlineStop(ag);
  const elsewhere = await offlineEnrollment(other);

  const acc = await inbox(h, s.acceptor);
  expect(acc.status).toBe(200);
  expect(acc.body.total).toBe(2);
  expect(caseIdsOf(acc.body.items)).toEqual([e1, e2].sort());
  const caseRows = await h.db
    .select()
    .from(cases)
    .where(inArray(cases.id, [e1, e2]));
  for (const item of acc.body.items) {
    const c = caseRows.find((x) => x.id === item.caseId)!;
    expect(item).toMatchObject({
      procedure: 'enrollment',
      agencyCode: ag,
      step: 'acceptance',
      clause: '5.2.1.2',
      title: '受理审查：核对申请材料',
      role: 'acceptor',
      status: 'open',
      assignee: null,
      claimedAt: null,
      dueAt: c.dueAt!.toISOString(),
      dueDate: c.dueDate,
      overdue: false,
      completedAt: null,
    });
  }

  const rev = await inbox(h, s.reviewer);
  expect(rev.body.total).toBe(1);
  expect(rev.body.items[0]).toMatchObject({
    caseId: st,
    procedure: 'stop',
    step: 'review',
    role: 'reviewer',
    title: '审核：确认审核结论',
  });

  const sup = await inbox(h, s.supervisor);
  expect(caseIdsOf(sup.body.items)).toEqual([e1, e2, st].sort());
  expect(sup.body.total).toBe(3);

  // Collective reviewers of the agency have nothing; the other agency's acceptor sees only its own case.
  expect((await inbox(h, s.member)).body).toEqual({ total: 0, totalCapped: false, nextCursor: null, items: [] });
  expect(caseIdsOf((await inbox(h, staffOf(other).acceptor)).body.items)).toEqual([elsewhere]);
  // An officer of both agencies sees both; narrowing to an agency they do not serve is refused and recorded.
  const both: TestUser = { user: `acc-both-${ag}`, role: 'acceptor', agencies: [ag, other] };
  expect(caseIdsOf((await inbox(h, both)).body.items)).toEqual([e1, e2, elsewhere].sort());
  expect(caseIdsOf((await inbox(h, both, { agencyCode: other })).body.items)).toEqual([elsewhere]);
  const foreign = await inbox(h, s.acceptor, { agencyCode: other });
  expect(foreign.status).toBe(403);
  expect(foreign.body.error?.code).toBe('auth.forbidden_agency');
  expect(await refusalsOf(s.acceptor.user, 'auth.forbidden_agency')).toHaveLength(1);

  // Once accepted, the enrollment leaves the acceptor's inbox and enters the reviewer's.
  const [t1] = acc.body.items.filter((t) => t.caseId === e1);
  expect((await taskAction(h, s.acceptor, t1.taskId, 'claim')).status).toBe(200);
  const done = await taskAction(h, s.acceptor, t1.taskId, 'complete', { result: 'accept' });
  expect(done.status).toBe(200);
  expect(caseIdsOf((await inbox(h, s.acceptor)).body.items)).toEqual([e2]);
  const reviewNow = await inbox(h, s.reviewer);
  expect(caseIdsOf(reviewNow.body.items)).toEqual([e1, st].sort());
  expect(reviewNow.body.items.find((t) => t.caseId === e1)).toMatchObject({
    step: 'review',
    clause: '5.2.2.1',
    status: 'open',
    assignee: null,
  });

  // Without a token, or with a role that has no inbox, the inbox is refused.
  expect((await h.app.inject({ method: 'GET', url: '/api/v1/tasks' })).statusCode).toBe(401);
  const applicant = await h.app.inject({
    method: 'GET',
    url: '/api/v1/tasks',
    headers: asUser({ user: 'someone', role: 'applicant' }),
  });
  expect(applicant.statusCode).toBe(403);
  expect(applicant.json().error.code).toBe('auth.forbidden_role');
});

test('claim, release and complete: conflicts, refusals, idempotency; the workflow closes the task and keeps the claim', async () => {
  const ag = privateAgency();
  const s = staffOf(ag);
  const caseId = await offlineEnrollment(ag);
  const task = await taskOf(s.acceptor, caseId);

  const claimed = await taskAction(h, s.acceptor, task.taskId, 'claim');
  expect(claimed.status).toBe(200);
  expect(claimed.body).toMatchObject({ taskId: task.taskId, status: 'claimed', assignee: s.acceptor.user });
  expect(claimed.body.claimedAt).toEqual(expect.any(String));
  const again = await taskAction(h, s.acceptor, task.taskId, 'claim');
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ status: 'claimed', assignee: s.acceptor.user, claimedAt: claimed.body.claimedAt });

  const taken = await taskAction(h, s.acceptor2, task.taskId, 'claim');
  expect(taken.status).toBe(409);
  expect(taken.body.error).toMatchObject({ code: 'task.claimed_by_other', assignee: s.acceptor.user });
  expect((await taskAction(h, s.acceptor2, task.taskId, 'release')).body.error.code).toBe('task.claimed_by_other');
  expect((await taskAction(h, s.acceptor2, task.taskId, 'complete', { result: 'accept' })).body.error.code).toBe(
    'task.claimed_by_other',
  );

  // Another role, another agency: 403, recorded.
  const wrongRole = await taskAction(h, s.reviewer, task.taskId, 'claim');
  expect(wrongRole.status).toBe(403);
  expect(wrongRole.body.error.code).toBe('task.forbidden_role');
  expect(await refusalsOf(s.reviewer.user, 'task.forbidden_role')).toEqual([
    expect.objectContaining({ caseId, agencyCode: ag }),
  ]);
  const outsider = staffOf(privateAgency()).acceptor;
  // Another agency's task is "not found", as if it did not exist (recorded with the real reason).
  const wrongAgency = await taskAction(h, outsider, task.taskId, 'complete', { result: 'accept' });
  expect(wrongAgency.status).toBe(404);
  expect(wrongAgency.body.error.code).toBe('task.not_found');
  expect(await refusalsOf(outsider.user, 'auth.forbidden_agency')).toEqual([
    expect.objectContaining({ caseId, agencyCode: ag }),
  ]);
  expect((await taskAction(h, s.acceptor, '00000000-0000-4000-8000-000000000000', 'claim')).status).toBe(404);
  expect((await taskAction(h, s.acceptor, 'not-a-uuid', 'claim')).status).toBe(400);

  // A supervisor releases anyone's claim; then the second acceptor takes it.
  const released = await taskAction(h, s.supervisor, task.taskId, 'release');
  expect(released.status).toBe(200);
  expect(released.body).toMatchObject({ status: 'open', assignee: null, claimedAt: null });
  expect((await taskAction(h, s.acceptor, task.taskId, 'complete', { result: 'accept' })).body.error.code).toBe(
    'task.not_claimed',
  );
  expect((await taskAction(h, s.acceptor2, task.taskId, 'claim')).body).toMatchObject({
    status: 'claimed',
    assignee: s.acceptor2.user,
  });

  // The workflow refuses an invalid decision: 422, recorded, and the task stays claimed.
  const invalid = await taskAction(h, s.acceptor2, task.taskId, 'complete', { result: 'approve' });
  expect(invalid.status).toBe(422);
  expect(invalid.body.error.code).toBe('decision.invalid_result');
  expect(await refusalsOf(s.acceptor2.user, 'decision.invalid_result')).toHaveLength(1);
  expect(await taskOf(s.acceptor2, caseId)).toMatchObject({ status: 'claimed', assignee: s.acceptor2.user });

  const key = { 'idempotency-key': `accept-${caseId}` };
  const completed = await taskAction(h, s.acceptor2, task.taskId, 'complete', { result: 'accept' }, key);
  expect(completed.status).toBe(200);
  expect(completed.body.task).toMatchObject({
    taskId: task.taskId,
    status: 'done',
    assignee: s.acceptor2.user,
    completedAt: expect.any(String),
  });
  expect(completed.body.case).toEqual({
    caseId,
    status: 'open',
    stage: 'review',
    waitingOn: 'reviewer',
    outcome: null,
  });
  const repeated = await taskAction(h, s.acceptor2, task.taskId, 'complete', { result: 'accept' }, key);
  expect(repeated.status).toBe(200);
  expect(repeated.body).toEqual(completed.body);
  const afterDone = await taskAction(h, s.acceptor2, task.taskId, 'complete', { result: 'accept' });
  expect(afterDone.status).toBe(409);
  expect(afterDone.body.error.code).toBe('task.closed');
  expect((await taskAction(h, s.acceptor2, task.taskId, 'claim')).body.error.code).toBe('task.closed');
  const recorded = await h.db.select().from(decisions).where(eq(decisions.caseId, caseId));
  expect(recorded.map((d) => [d.step, d.result, d.actorId, d.actorRole])).toEqual([
    ['acceptance', 'accept', s.acceptor2.user, 'acceptor'],
  ]);

  // The review task: claimed, then the workflow writes to the case (a deadline extension moves
  // the due time of the live task) and the claim survives.
  const review = await taskOf(s.reviewer, caseId);
  expect((await taskAction(h, s.reviewer, review.taskId, 'claim')).status).toBe(200);
  const extended = await post(
    h,
    `/api/v1/cases/${caseId}/deadline-extension`,
    { workingDays: 5, reason: '需核实参保身份' },
    asUser(s.supervisor),
  );
  expect(extended.status).toBe(200);
  const afterExtension = await taskOf(s.reviewer, caseId);
  expect(afterExtension).toMatchObject({ status: 'claimed', assignee: s.reviewer.user, dueAt: extended.body.dueAt });
  expect(Date.parse(afterExtension.dueAt!)).toBeGreaterThan(Date.parse(review.dueAt!));
  expect(afterExtension.dueDate).toBe(extended.body.dueDate);

  const approved = await taskAction(h, s.reviewer, review.taskId, 'complete', { result: 'approve' });
  expect(approved.status).toBe(200);
  expect(approved.body.case).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(approved.body.task).toMatchObject({ status: 'done', assignee: s.reviewer.user });
  expect(await liveTasksOf(h, caseId)).toEqual([]);
  expect((await inbox(h, s.supervisor, { caseId })).body).toEqual({
    total: 0,
    totalCapped: false,
    nextCursor: null,
    items: [],
  });
});

test('filters, sorting and paging; working days remaining from the calendar', async () => {
  const ag = privateAgency();
  const s = staffOf(ag);
  const [e1, e2, e3] = [await offlineEnrollment(ag), await offlineEnrollment(ag), await offlineEnrollment(ag)];
  const st = await offlineStop(ag);

  // e2's deadline is extended: its due time is the latest.
  const extended = await post(
    h,
    `/api/v1/cases/${e2}/deadline-extension`,
    { workingDays: 10, reason: '材料需外部核实' },
    asUser(s.supervisor),
  );
  expect(extended.status).toBe(200);
  const t3 = await taskOf(s.acceptor, e3);
  expect((await taskAction(h, s.acceptor, t3.taskId, 'claim')).status).toBe(200);

  const all = await inbox(h, s.supervisor);
  expect(all.body.total).toBe(4);
  // Default: by due time ascending, ties in creation order; e2 (extended) last.
  const byDue = all.body.items.map((t) => t.caseId);
  expect(byDue[3]).toBe(e2);
  const dues = all.body.items.map((t) => Date.parse(t.dueAt!));
  expect([...dues].sort((a, b) => a - b)).toEqual(dues);
  expect((await inbox(h, s.supervisor, { order: 'desc' })).body.items[0].caseId).toBe(e2);
  expect((await inbox(h, s.supervisor, { sort: 'createdAt' })).body.items.map((t) => t.caseId)).toEqual([
    e1,
    e2,
    e3,
    st,
  ]);
  expect((await inbox(h, s.supervisor, { sort: 'createdAt', order: 'desc' })).body.items.map((t) => t.caseId)).toEqual([
    st,
    e3,
    e2,
    e1,
  ]);

  // Paging keeps the total.
  const page1 = await inbox(h, s.supervisor, { sort: 'createdAt', limit: 2 });
  const page2 = await inbox(h, s.supervisor, { sort: 'createdAt', limit: 2, offset: 2 });
  expect([page1.body.total, page2.body.total]).toEqual([4, 4]);
  expect([...page1.body.items, ...page2.body.items].map((t) => t.caseId)).toEqual([e1, e2, e3, st]);
  // Or by cursor (keyset): each page names the next; the last names none. In every sort and order.
  for (const q of [
    { sort: 'createdAt', order: 'asc' },
    { sort: 'createdAt', order: 'desc' },
    { sort: 'dueAt', order: 'asc' },
    { sort: 'dueAt', order: 'desc' },
  ]) {
    const whole = (await inbox(h, s.supervisor, q)).body.items.map((t) => t.taskId);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i += 1) {
      const page = (await inbox(h, s.supervisor, { ...q, limit: 2, ...(cursor ? { cursor } : {}) })).body as {
        total: number;
        nextCursor: string | null;
        items: Array<{ taskId: string }>;
      };
      expect(page.total).toBe(4);
      paged.push(...page.items.map((t) => t.taskId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect({ q, paged }).toEqual({ q, paged: whole });
  }
  // A cursor only continues the sort it was made for.
  const byAge = (await inbox(h, s.supervisor, { sort: 'createdAt', limit: 1 })).body as { nextCursor: string };
  expect((await inbox(h, s.supervisor, { sort: 'dueAt', cursor: byAge.nextCursor })).body.error?.code).toBe(
    'validation.cursor',
  );
  expect((await inbox(h, s.supervisor, { cursor: 'not-a-cursor' })).status).toBe(400);

  // Filters.
  expect(caseIdsOf((await inbox(h, s.supervisor, { status: 'claimed' })).body.items)).toEqual([e3]);
  expect(caseIdsOf((await inbox(h, s.supervisor, { status: 'open' })).body.items)).toEqual([e1, e2, st].sort());
  expect(caseIdsOf((await inbox(h, s.supervisor, { step: 'review' })).body.items)).toEqual([st]);
  expect(caseIdsOf((await inbox(h, s.supervisor, { procedure: 'stop' })).body.items)).toEqual([st]);
  expect(caseIdsOf((await inbox(h, s.supervisor, { procedure: 'enrollment' })).body.items)).toEqual(
    [e1, e2, e3].sort(),
  );
  expect(caseIdsOf((await inbox(h, s.acceptor, { assignee: 'me' })).body.items)).toEqual([e3]);
  expect((await inbox(h, s.acceptor2, { assignee: 'me' })).body.total).toBe(0);
  expect(caseIdsOf((await inbox(h, s.acceptor, { assignee: 'none' })).body.items)).toEqual([e1, e2].sort());
  expect(caseIdsOf((await inbox(h, s.supervisor, { caseId: e2 })).body.items)).toEqual([e2]);
  expect((await inbox(h, s.supervisor, { overdue: true })).body.total).toBe(0);
  expect((await inbox(h, s.supervisor, { overdue: false })).body.total).toBe(4);
  expect(
    caseIdsOf(
      (await inbox(h, s.supervisor, { procedure: 'enrollment', status: 'open', sort: 'createdAt' })).body.items,
    ),
  ).toEqual([e1, e2].sort());

  // Bad filters are 400 with a stable code.
  const badQueries: Array<Record<string, string | number>> = [
    { sort: 'name' },
    { status: 'done' },
    { limit: 0 },
    { limit: 201 },
    { assignee: 'someone' },
    { procedure: 'x' },
    { extra: 1 },
  ];
  for (const q of badQueries) {
    const bad = await inbox(h, s.supervisor, q);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toMatch(/^validation\./);
  }

  // Working days remaining, checked against the calendar helper: counting that many working
  // days on from today reaches the due date (0 = due today).
  const today = chinaDate(Date.now());
  for (const t of all.body.items) {
    expect(t.dueDate).toBe(chinaDate(Date.parse(t.dueAt!) - 1));
    expect(t.workingDaysRemaining).toEqual(expect.any(Number));
    if (t.workingDaysRemaining === 0) expect(t.dueDate).toBe(today);
    else expect(workingDaysAfter(today, t.workingDaysRemaining!)).toBe(t.dueDate);
  }
  const ext = all.body.items.find((t) => t.caseId === e2)!;
  const plain = all.body.items.find((t) => t.caseId === e1)!;
  expect(ext.dueDate).toBe(extended.body.dueDate);
  expect(ext.workingDaysRemaining!).toBeGreaterThanOrEqual(plain.workingDaysRemaining! + 9);
});
