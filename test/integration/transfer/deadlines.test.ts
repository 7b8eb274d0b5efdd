/**
 * Transfer deadlines on the time-skipping test server (T-4, T-5 a; 国办发〔2009〕66号 Art. 8): the
 * receiving agency's installation alone, with the other province held at the simulator so it
 * "never answers". Time is moved on with the test server instead of shortened deadlines. Its
 * clock runs ahead of the wall clock once time was skipped, so the tests assert what the workflow
 * recorded (events, clock snapshots, search attributes through describe()), never SQL
 * now()-derived flags such as the API's `overdue`.
 *
 * Expected dates come from test/helpers/china-calendar.ts, which counts working days with the
 * chinese-days package, independently of the application's calendar. The helper is checked first
 * against dates counted by hand for the week these tests were written (receipt on Sunday
 * 2026-11-29 or Monday 2026-11-30; no holiday until 1 January 2027).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CaseDetail } from '../../../db/repositories/cases';
import { caseViewQuery } from '../../../workflows/shared/messages';
import {
  saCaseStatus,
  saCounterpartDueAt,
  saCounterpartOverdue,
  saOverdue,
  saWaitingOn,
} from '../../../workflows/shared/search-attributes';
import { withAuth } from '../../helpers/auth';
import { createTimeSkippingEnv } from '../../helpers/codec';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { makeIdNumber } from '../../helpers/env';
import { reviewer } from '../../helpers/fixtures';
import { installRuntime, randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { simulator, simulatorMessages } from '../../helpers/transfers';
import { eventually } from '../../helpers/wait';
import { birthDateAged } from '../../helpers/time';

type CaseEvent = CaseDetail['events'][number];

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let inst: Installation;
let codes: { lanzhou: string; xian: string };

async function api(method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) {
  const res = await inst.app.inject({ method, url, payload, headers: withAuth(method, url, payload, headers) });
  return { status: res.statusCode, body: res.json() };
}

async function caseOf(caseId: string): Promise<CaseDetail> {
  const res = await api('GET', `/api/v1/cases/${caseId}`);
  expect(res.status).toBe(200);
  return res.body as CaseDetail;
}

/** Waits (in wall time) until the recorded case satisfies `done`: activities finish after a timer fired. */
async function caseWhen(caseId: string, done: (c: CaseDetail) => boolean): Promise<CaseDetail> {
  return eventually(() => caseOf(caseId), done, 20_000);
}

/** Skips the test server's time to `instant` plus a margin, never backwards. */
async function sleepUntil(instant: number, marginMs = 60_000): Promise<void> {
  const ms = instant + marginMs - (await env.currentTimeMs());
  if (ms > 0) await inst.sleep(ms);
}

const types = (c: { events: Array<{ type: string }> }) => c.events.map((e) => e.type);
const eventsOf = (c: CaseDetail, type: string) => c.events.filter((e: CaseEvent) => e.type === type);

/** The event happened when the timer for `instant` fired: not before, and within the skip margin. */
function expectAt(event: CaseEvent | undefined, instant: number): void {
  expect(event).toBeDefined();
  expect(Date.parse(event!.occurredAt)).toBeGreaterThanOrEqual(instant);
  expect(Date.parse(event!.occurredAt)).toBeLessThan(instant + 60_000);
}

function transferBody(channel: 'online' | 'offline') {
  return {
    agencyCode: codes.lanzhou,
    channel,
    // A man under 50 may transfer (T-2 a): the review finds nothing against it.
    applicant: { idNumber: makeIdNumber({ birthDate: birthDateAged(35, { day: 18 }), sex: 'male' }), name: '王五' },
    fromAgencyCode: codes.xian,
  };
}

test('the working-day helper agrees with dates counted by hand on the Chinese calendar', () => {
  // From Sunday 29 Nov 2026: Mon 30 Nov is the 1st working day, Fri 4 Dec the 5th, Fri 11 Dec
  // the 10th, Tue 15 Dec the 12th (80 % of 15), Fri 18 Dec the 15th.
  expect(workingDaysAfter('2026-11-29', 3)).toBe('2026-12-02');
  expect(workingDaysAfter('2026-11-29', 12)).toBe('2026-12-15');
  expect(workingDaysAfter('2026-11-29', 15)).toBe('2026-12-18');
  // From Monday 30 Nov (that day not counted): the 15th working day is Mon 21 Dec.
  expect(workingDaysAfter('2026-11-30', 12)).toBe('2026-12-16');
  expect(workingDaysAfter('2026-11-30', 15)).toBe('2026-12-21');
  // A reminder sent as Fri 18 Dec ends, i.e. on Sat 19 Dec China time: 5 working days are Mon 21 – Fri 25 Dec.
  expect(workingDaysAfter('2026-12-19', 5)).toBe('2026-12-25');
  // Across National Day 2025 (1–8 Oct off, Sun 28 Sep and Sat 11 Oct worked), as domain.md §7 counts it.
  expect(workingDaysAfter('2025-09-26', 15)).toBe('2025-10-23');
});

describe('on a time-skipping server of its own per test', () => {
  // Each test has a test server of its own, so skipping time in one cannot fire timers of another.
  beforeEach(async () => {
    codes = randomAgencies();
    installRuntime();
    env = await createTimeSkippingEnv();
    inst = await startInstallation({
      name: 'deadlines_in',
      servedAgencies: [codes.lanzhou],
      directory: [codes.lanzhou, codes.xian],
      timeSkipping: env,
    });
    // The other province is known to the platform but never answers: everything to it is held.
    await simulator(`/agencies/${codes.xian}`, {
      method: 'PUT',
      body: { inboundUrl: 'http://127.0.0.1:9/never-answers', hold: true },
    });
  });
  afterEach(async () => {
    await inst?.stop();
    await env?.teardown();
  });

  test('when the other province never answers the contact letter: a reminder at 80 %, then at 15 working days our deadline and theirs pass, they are reminded, and again every 5 working days; the case stays open', async () => {
    const created = await api('POST', '/api/v1/transfers/in', transferBody('online'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      waitingOn: 'counterpart',
    });
    const caseId: string = created.body.caseId;
    const handle = inst.client.workflow.getHandle(caseId);

    // 9.1.3: 15 working days from receipt (that day not counted); the reminder at 80 % = 12.
    const receiptDate = chinaDate(created.body.receivedAt);
    const dueDate = workingDaysAfter(receiptDate, 15);
    const reminderDate = workingDaysAfter(receiptDate, 12);
    expect(created.body.clock).toMatchObject({
      state: 'running',
      budgetWorkingDays: 15,
      clause: '9.1.3',
      dueDate,
      dueAt: new Date(endOfChinaDate(dueDate)).toISOString(),
      reminderAt: new Date(endOfChinaDate(reminderDate)).toISOString(),
      overdue: false,
      provisional: false,
    });
    // The other side's reply (66号 Art. 8): 15 working days from the day the letter went out.
    const letterSent = created.body.events.find((e: CaseEvent) => e.type === 'contact_letter_sent');
    const counterpartDue = workingDaysAfter(chinaDate(letterSent.occurredAt), 15);
    expect(created.body.clocks.counterpart).toMatchObject({
      state: 'running',
      budgetWorkingDays: 15,
      dueDate: counterpartDue,
      overdue: false,
    });
    const initial = (await handle.describe()).typedSearchAttributes;
    expect(initial.get(saCounterpartDueAt)?.toISOString()).toBe(new Date(endOfChinaDate(counterpartDue)).toISOString());
    expect(initial.get(saCounterpartOverdue)).not.toBe(true);
    expect(initial.get(saOverdue)).toBe(false);
    // The letter itself sits at the platform: the other province does not take deliveries.
    const letter = (await simulatorMessages(caseId)).filter((m) => m.envelope.type === 'contact_letter');
    expect(letter).toEqual([
      expect.objectContaining({ status: 'pending', envelope: expect.objectContaining({ to: codes.xian }) }),
    ]);

    // Just before the reminder instant nothing has happened; just after it, the reminder.
    const reminderAt = endOfChinaDate(reminderDate);
    await sleepUntil(reminderAt, -60_000);
    expect(types(await caseOf(caseId))).not.toContain('deadline_reminder');
    await sleepUntil(reminderAt);
    const reminded = await caseWhen(caseId, (c) => types(c).includes('deadline_reminder'));
    const reminder = eventsOf(reminded, 'deadline_reminder');
    expect(reminder).toHaveLength(1);
    expectAt(reminder[0], reminderAt);
    expect(reminder[0]).toMatchObject({ clause: '9.1.3', detail: expect.objectContaining({ dueDate }) });
    expect(types(reminded)).not.toContain('deadline_breached');
    expect(types(reminded)).not.toContain('counterpart_deadline_breached');
    expect(reminded.clock).toMatchObject({ overdue: false, dueDate });

    // At the end of the 15th working day both clocks run out (the letter went out on the day of receipt).
    expect(counterpartDue).toBe(dueDate);
    const dueAt = endOfChinaDate(dueDate);
    await sleepUntil(dueAt);
    const breached = await caseWhen(
      caseId,
      (c) => types(c).includes('deadline_breached') && types(c).includes('counterpart_reminded'),
    );
    const ours = eventsOf(breached, 'deadline_breached');
    expect(ours).toHaveLength(1);
    expectAt(ours[0], dueAt);
    expect(ours[0]).toMatchObject({ clause: '9.1.3', detail: expect.objectContaining({ dueDate }) });
    const theirs = eventsOf(breached, 'counterpart_deadline_breached');
    expect(theirs).toHaveLength(1);
    expectAt(theirs[0], dueAt);
    expect(theirs[0]).toMatchObject({
      clause: '国办发〔2009〕66号 第八条',
      detail: { clock: 'counterpart', dueDate: counterpartDue },
    });
    const firstReminder = eventsOf(breached, 'counterpart_reminded');
    expect(firstReminder).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ about: 'information_sheet', reminder: 1 }) }),
    ]);
    expectAt(firstReminder[0], dueAt);
    // The case stays open, waiting on the other province; our clock is overdue (and keeps running).
    expect(breached).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      waitingOn: 'counterpart',
      outcome: null,
    });
    expect(breached.clock).toMatchObject({ state: 'running', overdue: true, dueDate });
    // The reply clock starts again: 5 working days counted from the day the reminder went out
    // (the breach instant is 00:00 China time of the day after the due date; that day is not counted).
    const secondDue = workingDaysAfter(chinaDate(dueAt), 5);
    expect(breached.clocks.counterpart).toMatchObject({
      state: 'running',
      budgetWorkingDays: 5,
      dueDate: secondDue,
      overdue: false,
    });
    // The reminder (催办) went to the other province through the platform, and is held there (the
    // platform's first delivery attempt, which notes why it is held, runs on its own schedule).
    const sentReminders = await eventually(
      async () => (await simulatorMessages(caseId)).filter((m) => m.envelope.type === 'reminder'),
      (list) => list.length > 0 && list.every((m) => m.lastError !== undefined && m.lastError !== null),
      10_000,
    );
    expect(sentReminders).toEqual([
      expect.objectContaining({
        status: 'pending',
        envelope: expect.objectContaining({
          from: codes.lanzhou,
          to: codes.xian,
          payload: { about: 'information_sheet', dueDate: counterpartDue },
        }),
      }),
    ]);
    expect(sentReminders[0].lastError).toContain('held');
    expect(breached.messages.filter((m) => m.direction === 'out').map((m) => `${m.type}:${m.status}`)).toEqual([
      'contact_letter:sent',
      'reminder:sent',
    ]);
    // Operations staff find the case in the Temporal UI: overdue, and the other side overdue too.
    const flagged = (await handle.describe()).typedSearchAttributes;
    expect(flagged.get(saOverdue)).toBe(true);
    expect(flagged.get(saCounterpartOverdue)).toBe(true);
    expect(flagged.get(saCounterpartDueAt)?.toISOString()).toBe(new Date(endOfChinaDate(secondDue)).toISOString());
    expect(flagged.get(saCaseStatus)).toBe('open');
    expect(flagged.get(saWaitingOn)).toBe('counterpart');
    expect(await handle.query(caseViewQuery)).toMatchObject({
      status: 'open',
      clock: expect.objectContaining({ overdue: true }),
      expectedMessages: expect.arrayContaining(['information_sheet']),
    });

    // 5 working days later, still no answer: a second reminder, and the reply clock again.
    const secondAt = endOfChinaDate(secondDue);
    await sleepUntil(secondAt);
    const again = await caseWhen(caseId, (c) => eventsOf(c, 'counterpart_reminded').length === 2);
    const secondBreach = eventsOf(again, 'counterpart_deadline_breached');
    expect(secondBreach).toHaveLength(2);
    expectAt(secondBreach[1], secondAt);
    expect(secondBreach[1].detail).toMatchObject({ clock: 'counterpart', dueDate: secondDue });
    expect(eventsOf(again, 'counterpart_reminded')[1]).toMatchObject({
      detail: { about: 'information_sheet', reminder: 2 },
    });
    expect(again.clocks.counterpart).toMatchObject({
      budgetWorkingDays: 5,
      dueDate: workingDaysAfter(chinaDate(secondAt), 5),
    });
    // Our own deadline is passed once, not again.
    expect(eventsOf(again, 'deadline_breached')).toHaveLength(1);
    expect(again).toMatchObject({ status: 'open', stage: 'awaiting_information_sheet', waitingOn: 'counterpart' });
    const reminders = (await simulatorMessages(caseId)).filter((m) => m.envelope.type === 'reminder');
    expect(reminders.map((m) => m.envelope.payload)).toEqual([
      { about: 'information_sheet', dueDate: counterpartDue },
      { about: 'information_sheet', dueDate: secondDue },
    ]);
    expect(reminders.every((m) => m.status === 'pending')).toBe(true);
    const still = (await handle.describe()).typedSearchAttributes;
    expect(still.get(saOverdue)).toBe(true);
    expect(still.get(saCounterpartOverdue)).toBe(true);
    expect(still.get(saCaseStatus)).toBe('open');
  });

  test('an offline application the reviewer leaves for more than 3 working days passes the review limit (9.2.1 a); the reviewer then approves and the contact letter goes out', async () => {
    const created = await api('POST', '/api/v1/transfers/in', transferBody('offline'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
    const caseId: string = created.body.caseId;
    const receiptDate = chinaDate(created.body.receivedAt);
    const reviewDue = workingDaysAfter(receiptDate, 3);
    const dueDate = workingDaysAfter(receiptDate, 15);
    expect(created.body.clocks.review).toMatchObject({
      state: 'running',
      budgetWorkingDays: 3,
      clause: '9.2.1 a',
      dueDate: reviewDue,
      overdue: false,
    });
    expect(created.body.clock).toMatchObject({ state: 'running', dueDate });

    const reviewAt = endOfChinaDate(reviewDue);
    await sleepUntil(reviewAt, -60_000);
    expect(types(await caseOf(caseId))).not.toContain('review_deadline_breached');
    await sleepUntil(reviewAt);
    const late = await caseWhen(caseId, (c) => types(c).includes('review_deadline_breached'));
    const breach = eventsOf(late, 'review_deadline_breached');
    expect(breach).toHaveLength(1);
    expectAt(breach[0], reviewAt);
    expect(breach[0]).toMatchObject({ clause: '9.2.1 a', detail: { clock: 'review', dueDate: reviewDue } });
    // Still with the reviewer; the procedure's own 15 working days have not run out.
    expect(late).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
    expect(late.clocks.review).toMatchObject({ state: 'running', overdue: true, dueDate: reviewDue });
    expect(late.clock).toMatchObject({ state: 'running', overdue: false, dueDate });
    expect(types(late)).not.toContain('deadline_breached');
    expect((await inst.client.workflow.getHandle(caseId).describe()).typedSearchAttributes.get(saOverdue)).toBe(false);

    const approved = await api(
      'POST',
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      waitingOn: 'counterpart',
    });
    const after = types(approved.body);
    expect(after.slice(after.indexOf('review_deadline_breached'))).toEqual([
      'review_deadline_breached',
      'decision_recorded',
      'review_completed',
      'contact_letter_sent',
      'awaiting_counterpart',
    ]);
    expect(approved.body.decisions).toEqual([
      expect.objectContaining({ step: 'review', result: 'approve', actor: { id: 'reviewer-07', role: 'reviewer' } }),
    ]);
    // The review clock stopped, its breach on record; the reply clock starts on the day of the letter.
    expect(approved.body.clocks.review).toMatchObject({ state: 'stopped', overdue: true });
    const letterSent = approved.body.events.find((e: CaseEvent) => e.type === 'contact_letter_sent');
    expect(Date.parse(letterSent.occurredAt)).toBeGreaterThanOrEqual(reviewAt);
    expect(approved.body.clocks.counterpart).toMatchObject({
      state: 'running',
      budgetWorkingDays: 15,
      dueDate: workingDaysAfter(chinaDate(letterSent.occurredAt), 15),
    });
    expect(approved.body.clock).toMatchObject({ state: 'running', overdue: false, dueDate });
    const letter = (await simulatorMessages(caseId)).filter((m) => m.envelope.type === 'contact_letter');
    expect(letter).toEqual([
      expect.objectContaining({ status: 'pending', envelope: expect.objectContaining({ to: codes.xian }) }),
    ]);
  });
});
