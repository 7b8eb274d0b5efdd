/**
 * Overdue tasks on the time-skipping test server: the API judges "overdue" and counts the
 * working days at the server's (skipped) time, so time is moved on with h.sleep() past the
 * statutory due date instead of using short fake deadlines.
 */
import { asUser, type TestUser } from '../../helpers/auth';
import { endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { enrollmentBody, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { inbox, privateAgency, taskAction, youngIdNumber } from '../../helpers/tasks';
import { eventually } from '../../helpers/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterAll(async () => {
  await h?.stop();
});

test('a task past its due date is overdue with negative working days remaining; the claim survives the breach record', async () => {
  const ag = privateAgency();
  const acceptor: TestUser = { user: `acc-${ag}`, role: 'acceptor', agencies: [ag] };
  const created = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ agencyCode: ag, channel: 'offline', applicant: { idNumber: youngIdNumber(), name: '测试人' } }),
    asUser(acceptor),
  );
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const dueDate: string = created.body.dueDate;

  const before = await inbox(h, acceptor, { caseId });
  expect(before.body.items).toEqual([expect.objectContaining({ step: 'acceptance', dueDate, overdue: false })]);
  expect(before.body.items[0].workingDaysRemaining).toBeGreaterThanOrEqual(0);
  expect((await inbox(h, acceptor, { caseId, overdue: true })).body.total).toBe(0);
  const taskId = before.body.items[0].taskId;
  expect((await taskAction(h, acceptor, taskId, 'claim')).status).toBe(200);

  // One minute before the end of the due date: not overdue, 0 working days left (due today).
  await h.sleep(endOfChinaDate(dueDate) - 60_000 - (await h.timeSkipping!.currentTimeMs()));
  expect((await inbox(h, acceptor, { caseId })).body.items[0]).toMatchObject({
    overdue: false,
    workingDaysRemaining: 0,
  });

  // Noon on the second working day after the due date: overdue by two working days.
  const later = workingDaysAfter(dueDate, 2);
  await h.sleep(endOfChinaDate(later) - 12 * 3_600_000 - (await h.timeSkipping!.currentTimeMs()));
  const breached = await eventually(
    async () =>
      (await h.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: asUser(acceptor) })).json<{
        events: Array<{ type: string }>;
      }>(),
    (c) => c.events.some((e) => e.type === 'deadline_breached'),
    15_000,
  );
  expect(breached.events.map((e) => e.type)).toContain('deadline_breached');

  const overdue = await inbox(h, acceptor, { overdue: true });
  expect(overdue.body.total).toBe(1);
  expect(overdue.body.items[0]).toMatchObject({
    taskId,
    caseId,
    overdue: true,
    workingDaysRemaining: -2,
    dueDate,
    status: 'claimed',
    assignee: acceptor.user,
  });
  expect((await inbox(h, acceptor, { overdue: false })).body.total).toBe(0);
});
