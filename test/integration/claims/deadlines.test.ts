/**
 * The benefit claim's time on the time-skipping test server: the 20-working-day statutory clock
 * (8.1.3) paused while the claim is returned for completion, with its 80 % reminder and breach at
 * dates counted by hand; and the personnel file polled once a working day until the archive
 * releases it. Real API, real worker and activities, the shared PostgreSQL and archive simulator.
 */
import { isWorkday } from 'chinese-days';
import type { CaseDetail } from '../../../db/repositories/cases';
import { caseViewQuery } from '../../../workflows/shared/messages';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import {
  acceptor,
  archivePolls,
  birthDateOf,
  claimBody,
  putPersonnelFile,
  releasePersonnelFile,
  seedRetiredMan,
} from '../../helpers/claims';
import { get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

jest.setTimeout(180_000);

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timeSkipping: true, supplementWorkingDays: 10 });
});
afterEach(async () => {
  await h?.stop();
});

const DAY_MS = 86_400_000;

async function serverNow(): Promise<number> {
  return h.timeSkipping!.currentTimeMs();
}

async function sleepUntil(instant: number, marginMs = 60_000): Promise<void> {
  const ms = instant + marginMs - (await serverNow());
  if (ms > 0) await h.sleep(ms);
}

async function caseOf(caseId: string): Promise<CaseDetail> {
  const res = await get(h, `/api/v1/cases/${caseId}`);
  expect(res.status).toBe(200);
  return res.body as CaseDetail;
}

const caseWhen = (caseId: string, done: (c: CaseDetail) => boolean) => eventually(() => caseOf(caseId), done, 20_000);
const types = (c: { events: Array<{ type: string }> }) => c.events.map((e) => e.type);

/** Working days d with from < d ≤ to, counted one by one with chinese-days (an oracle independent of the application). */
function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = Date.parse(`${from}T00:00:00Z`) + DAY_MS; d <= Date.parse(`${to}T00:00:00Z`); d += DAY_MS) {
    if (isWorkday(new Date(d).toISOString().slice(0, 10))) n += 1;
  }
  return n;
}

/** A man who reached his statutory age two months ago, eligible with the 160 deemed months of his file. */
async function eligibleMan(): Promise<string> {
  return (await seedRetiredMan(h, { deemedMonths: 160 })).idNumber;
}

test('20 working days: returned for completion pauses the clock; the reminder (16th working day) and the breach fall on the dates counted by hand', async () => {
  const idNumber = await eligibleMan();
  await putPersonnelFile(idNumber, { birthDate: birthDateOf(idNumber), deemedMonths: 160 });
  const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }));
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const receiptDate = chinaDate(created.body.receivedAt);
  // Received: 20 working days from the day after receipt, reminder after 16 (80 %).
  expect(created.body.clock).toMatchObject({
    state: 'running',
    budgetWorkingDays: 20,
    consumedWorkingDays: 0,
    clause: '8.1.3',
    dueDate: workingDaysAfter(receiptDate, 20),
    reminderAt: new Date(endOfChinaDate(workingDaysAfter(receiptDate, 16))).toISOString(),
  });

  // Three days later the counter finds the ID copy unreadable: returned for completion, the clock pauses.
  await h.sleep('3 days');
  const pauseDate = chinaDate(await serverNow());
  const returned = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'incomplete', items: [{ code: 'id_card', note: '复印件不清晰' }] },
    acceptor,
  );
  expect(returned.status).toBe(200);
  const consumed = workingDaysBetween(receiptDate, pauseDate);
  expect(returned.body).toMatchObject({ stage: 'awaiting_supplement', waitingOn: 'applicant' });
  expect(returned.body.clock).toMatchObject({
    state: 'paused',
    dueDate: null,
    reminderAt: null,
    consumedWorkingDays: consumed,
  });
  expect(returned.body.notices).toEqual([
    expect.objectContaining({
      kind: 'return_for_completion',
      round: 1,
      items: [{ code: 'id_card', text: '有效居民身份证（复印件不清晰）' }],
    }),
  ]);

  // A week later the applicant brings a new copy: the clock resumes with the remaining budget.
  await h.sleep('7 days');
  const resumeDate = chinaDate(await serverNow());
  const supplemented = await post(h, `/api/v1/cases/${caseId}/materials`, {
    materials: [{ kind: 'id_card', ref: 'scan-2' }],
  });
  expect(supplemented.status).toBe(200);
  const dueDate = workingDaysAfter(resumeDate, 20 - consumed);
  const reminderDate = workingDaysAfter(resumeDate, 16 - consumed);
  expect(supplemented.body.clock).toMatchObject({
    state: 'running',
    consumedWorkingDays: consumed,
    dueDate,
    dueAt: new Date(endOfChinaDate(dueDate)).toISOString(),
    reminderAt: new Date(endOfChinaDate(reminderDate)).toISOString(),
  });
  // The paused week does not count: the due date is exactly as many working days later as the pause lasted.
  expect(workingDaysBetween(workingDaysAfter(receiptDate, 20), dueDate)).toBe(
    workingDaysBetween(pauseDate, resumeDate),
  );

  const accepted = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    acceptor,
  );
  expect(accepted.body).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });

  // One minute before the reminder nothing has fired; after it, the reminder is recorded.
  await sleepUntil(endOfChinaDate(reminderDate), -60_000);
  expect(types(await caseOf(caseId))).not.toContain('deadline_reminder');
  await sleepUntil(endOfChinaDate(reminderDate));
  const reminded = await caseWhen(caseId, (c) => types(c).includes('deadline_reminder'));
  const reminder = reminded.events.find((e) => e.type === 'deadline_reminder')!;
  expect(reminder).toMatchObject({ clause: '8.1.3', detail: expect.objectContaining({ dueDate }) });
  expect(Date.parse(reminder.occurredAt)).toBeGreaterThanOrEqual(endOfChinaDate(reminderDate));
  expect(reminded.clock).toMatchObject({ overdue: false });

  await sleepUntil(endOfChinaDate(dueDate), -60_000);
  expect(types(await caseOf(caseId))).not.toContain('deadline_breached');
  await sleepUntil(endOfChinaDate(dueDate));
  const breached = await caseWhen(caseId, (c) => types(c).includes('deadline_breached'));
  const breach = breached.events.find((e) => e.type === 'deadline_breached')!;
  expect(breach.detail).toMatchObject({ dueDate });
  expect(Date.parse(breach.occurredAt)).toBeGreaterThanOrEqual(endOfChinaDate(dueDate));
  expect(breached).toMatchObject({ status: 'open', stage: 'file_review', waitingOn: 'reviewer' });
  expect(breached.clock).toMatchObject({ state: 'running', overdue: true });
  expect(breached.events.filter((e) => e.type === 'deadline_reminder')).toHaveLength(1);
});

test('the personnel file is polled once a working day at 09:00 until the archive releases it', async () => {
  const idNumber = await eligibleMan();
  await putPersonnelFile(idNumber, { birthDate: birthDateOf(idNumber), deemedMonths: 160 }, false);
  const created = await post(h, '/api/v1/claims', claimBody(idNumber));
  expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_personnel_file', waitingOn: 'system' });
  const caseId: string = created.body.caseId;
  const ref = `${caseId}:personnel-file`;
  expect(await archivePolls(ref)).toBe(1);

  // The next polls: 09:00 China time on each following working day.
  let day = chinaDate(created.body.receivedAt);
  for (const expected of [2, 3]) {
    day = workingDaysAfter(day, 1);
    const at = Date.parse(`${day}T09:00:00+08:00`);
    await sleepUntil(at, -60_000);
    expect(await archivePolls(ref)).toBe(expected - 1);
    await sleepUntil(at);
    expect(
      await eventually(
        () => archivePolls(ref),
        (n) => n === expected,
        20_000,
      ),
    ).toBe(expected);
    expect(await h.client.workflow.getHandle(caseId).query(caseViewQuery)).toMatchObject({
      stage: 'awaiting_personnel_file',
      waitingOn: 'system',
    });
  }

  await releasePersonnelFile(idNumber);
  day = workingDaysAfter(day, 1);
  await sleepUntil(Date.parse(`${day}T09:00:00+08:00`));
  const received = await caseWhen(caseId, (c) => c.stage === 'file_review');
  expect(received).toMatchObject({ status: 'open', stage: 'file_review', waitingOn: 'reviewer' });
  const event = received.events.find((e) => e.type === 'personnel_file_received')!;
  expect(event.detail).toMatchObject({ polls: 4, deemedMonths: 160, birthDateMatchesId: true });
  expect(chinaDate(event.occurredAt)).toBe(day);
  expect(new Date(Date.parse(event.occurredAt) + 8 * 3_600_000).getUTCHours()).toBe(9);
  expect(await archivePolls(ref)).toBe(4);
});
