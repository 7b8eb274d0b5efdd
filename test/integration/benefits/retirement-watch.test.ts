/**
 * The retirement watch and the pre-review (B-7, 8.2.3.1) on the time-skipping test server: the
 * real API, worker and activities; the enrollment notes the person's pre-review date and the
 * watch is started from it, as the reconciler does once the date is near (here at once). Years
 * are skipped with h.sleep(); each test has a test server and persons of its own. The persons are
 * born so that their retirement lies some years after the test server's start (its clock starts
 * at today's date), and the expected months, dates and minimum years are derived from that birth
 * month with the statutory tables spelled out in test/helpers/time.ts and the parameter table.
 */
import { and, eq } from 'drizzle-orm';
import { WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';
import { armDueRetirementWatches } from '../../../api/services/watches';
import { temporal } from '@temporalio/proto';
import type { CaseDetail } from '../../../db/repositories/cases';
import { personKeyOf } from '../../../db/repositories/persons';
import { auditRefusals, cases, persons } from '../../../db/schema';
import { retirementWatchId, retirementWatchQuery, type RetirementWatchView } from '../../../workflows/retirement-watch';
import { seedContributionMonths, tasksOf } from '../../helpers/benefits';
import { endOfChinaDate, lastWorkingDayOnOrBefore } from '../../helpers/china-calendar';
import { minimumMonthsIn } from '../../helpers/claims';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { asUser, FILE_CORRECTOR } from '../../helpers/auth';
import { enrollmentBody, get, post, reviewer } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import {
  addDays,
  addMonths,
  birthMonthRetiringIn,
  chineseDate,
  chineseMonths,
  chineseYearMonth,
  monthsAgo,
  monthsAhead,
  statutoryRetirementOf,
  type Retirement,
} from '../../helpers/time';
import { eventually } from '../../helpers/wait';

const corrector = asUser(FILE_CORRECTOR);

jest.setTimeout(180_000);

const EventType = temporal.api.enums.v1.EventType;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterEach(async () => {
  await h?.stop();
});

/** 00:00 China time of a date: the instant the watch wakes on a pre-review date. */
const chinaMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

/** The pre-review date of a retirement month: the first day three months before it (8.2.3.1). */
const preReviewDateOf = (r: Retirement) => `${addMonths(r.retirementYearMonth, -3)}-01`;
/** '61周岁5个月', '63周岁'. */
const ageText = (a: { years: number; months: number }) => `${a.years}周岁${a.months ? `${a.months}个月` : ''}`;

async function sleepUntil(instant: number, marginMs: number): Promise<void> {
  const ms = instant + marginMs - (await h.timeSkipping!.currentTimeMs());
  if (ms > 0) await h.sleep(ms);
}

async function enroll(birthDate: string, sex: 'male' | 'female') {
  const idNumber = makeIdNumber({ birthDate, sex });
  const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '预审测试' } }));
  expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
  const [person] = await h.db
    .select({ id: persons.id, preReviewOn: persons.preReviewOn })
    .from(persons)
    .where(eq(persons.personKey, personKey));
  // No watch runs until the pre-review date is near; the reconciler's arming, for this person, ahead of time.
  await expect(h.client.workflow.getHandle(retirementWatchId(personKey)).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
  expect(
    await armDueRetirementWatches({
      db: h.db,
      client: h.client,
      taskQueue: h.taskQueue,
      nowMs: Date.parse(`${person.preReviewOn}T00:00:00+08:00`),
      personKey,
    }),
  ).toBe(1);
  return {
    idNumber,
    personKey,
    personId: person.id,
    preReviewOn: person.preReviewOn,
    watch: h.client.workflow.getHandle(retirementWatchId(personKey)),
  };
}

/** No workflow task or activity pending (see watchView). */
const idle = (d: WorkflowExecutionDescription) =>
  !d.raw.pendingWorkflowTask && (d.raw.pendingActivities ?? []).length === 0;

/**
 * The watch's own view, once `done` holds. Queried by run ID, and — after a change was sent —
 * only once a run other than `after` is current, and only while the run is idle. On the Java
 * time-skipping server a query that races a continue-as-new, or rides on a pending workflow
 * task, is answered late or holds the server's time lock, so the next h.sleep() runs in real time.
 */
async function watchView(
  personKey: string,
  done: (v: RetirementWatchView) => boolean,
  o: { after?: string } = {},
): Promise<RetirementWatchView & { runId: string }> {
  const id = retirementWatchId(personKey);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const d = await h.client.workflow.getHandle(id).describe();
    if (d.runId !== o.after && d.status.name === 'RUNNING' && idle(d)) {
      const view = await h.client.workflow.getHandle(id, d.runId).query(retirementWatchQuery);
      if (done(view)) return { ...view, runId: d.runId };
      if (Date.now() > deadline) return { ...view, runId: d.runId };
    } else if (Date.now() > deadline) {
      throw new Error(`the watch ${id} has no new run (status ${d.status.name})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function preReviewCases(personId: string) {
  return h.db
    .select()
    .from(cases)
    .where(and(eq(cases.personId, personId), eq(cases.procedure, 'pre_review')));
}

test('the watch started for the pre-review date the enrollment noted wakes at 00:00 on the pre-review date computed by hand, and the pre-review sends the notice and opens the staff task', async () => {
  // A man whose statutory retirement month R is about 58 months after the server's today, born on
  // the 20th. By hand for a start on 2026-12-03 (domain.md §1.1): born 20 May 1970, d = (1970 −
  // 1965) × 12 + (5 − 1) = 64, delay = ⌊64 / 4⌋ + 1 = 17 months (table row 1970: 16…18, May =
  // 17), statutory age 61 years 5 months, reached in 2031-10; the pre-review is three months
  // before 2031-10-01, on 2031-07-01.
  const start = await h.timeSkipping!.currentTimeMs();
  const man = birthMonthRetiringIn(monthsAhead(58, start), 'male');
  const R = man.retirementYearMonth;
  const preReview = preReviewDateOf(man);
  const birthDate = `${man.birthYearMonth}-20`;
  const workStart = `${Number(birthDate.slice(0, 4)) + 20}-07-01`;
  const minimum = minimumMonthsIn(Number(R.slice(0, 4)));
  const p = await enroll(birthDate, 'male');
  expect(p.preReviewOn).toBe(preReview);
  await h.db.update(persons).set({ workStartDate: workStart }).where(eq(persons.id, p.personId));
  // 150 months paid, the last six months ago: 12 years 6 months, short of the minimum of R's year.
  await seedContributionMonths(h, { personId: p.personId, from: monthsAgo(156, start), months: 150 });
  expect(minimum).toBeGreaterThan(150 + 3);
  const waiting = await watchView(p.personKey, (v) => v.phase === 'waiting_for_pre_review');
  expect(waiting.plan).toMatchObject({
    status: 'watching',
    retirementYearMonth: R,
    preReviewDate: preReview,
    statutoryAge: man.statutoryAge,
    reviewed: false,
  });
  const wake = chinaMidnight(preReview);

  // The timer names B-7 / 8.2.3.1 in the Temporal UI and is set for exactly that instant.
  const history = await p.watch.fetchHistory();
  const timer = history.events!.find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)!;
  const summary = JSON.parse(Buffer.from(timer.userMetadata!.summary!.data!).toString('utf8')) as string;
  expect(summary).toContain('B-7');
  expect(summary).toContain('8.2.3.1');
  expect(summary).toContain(chineseDate(preReview));
  const wftStarted = history
    .events!.filter(
      (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && Number(e.eventId) < Number(timer.eventId),
    )
    .at(-1)!;
  const startToFire = timer.timerStartedEventAttributes!.startToFireTimeout!;
  const fireAt =
    Number(wftStarted.eventTime!.seconds) * 1000 +
    Math.floor((wftStarted.eventTime!.nanos ?? 0) / 1e6) +
    Number(startToFire.seconds) * 1000 +
    Math.round((startToFire.nanos ?? 0) / 1e6);
  expect(Math.abs(fireAt - wake)).toBeLessThan(1_000);
  // One second before: nothing yet.
  await sleepUntil(wake, -1_000);
  expect(await preReviewCases(p.personId)).toEqual([]);
  expect((await p.watch.query(retirementWatchQuery)).phase).toBe('waiting_for_pre_review');
  // At the pre-review date the case opens, received at that instant.
  await sleepUntil(wake, 1_000);
  const [opened] = await eventually(
    () => preReviewCases(p.personId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(opened).toMatchObject({
    procedure: 'pre_review',
    agencyCode: '620102',
    workflowId: opened.id,
    application: { retirementYearMonth: R, preReviewDate: preReview },
  });
  expect(opened.receivedAt.getTime()).toBeGreaterThanOrEqual(wake);
  expect(opened.receivedAt.getTime()).toBeLessThan(wake + 5_000);
  expect(opened.id).toMatch(new RegExp(`^pre-review-620102-${preReview.slice(0, 4)}-\\d{6}$`));
  const caseOf = async () => (await get(h, `/api/v1/cases/${opened.id}`)).body as CaseDetail;
  const reviewed = await eventually(caseOf, (c) => c.waitingOn === 'staff', 15_000);
  expect(reviewed).toMatchObject({ procedure: 'pre_review', status: 'open', stage: 'review', waitingOn: 'staff' });
  expect(reviewed.events.map((e) => e.type)).toEqual(['case_received', 'pre_review_completed', 'awaiting_decision']);
  expect(reviewed.events[1].detail).toMatchObject({
    findings: ['contribution_shortfall'],
    recognisedMonths: 150,
    minimumMonths: minimum,
    missingMonths: minimum - 150,
  });
  // One notice with every finding, the missing years and the three options.
  expect(reviewed.notices).toHaveLength(1);
  const notice = reviewed.notices[0];
  expect(notice.items.map((i) => i.code)).toEqual(['contribution_shortfall']);
  for (const part of [
    '退休前预审告知书',
    `案件编号：${opened.id}`,
    `按居民身份证号码记载的${chineseDate(birthDate)}认定`,
    ageText(man.statutoryAge),
    `${chineseYearMonth(R)}达到法定退休年龄`,
    `参加工作时间：${chineseDate(workStart)}`,
    '累计缴费年限：12年6个月',
    `${R.slice(0, 4)}年的最低缴费年限为${chineseMonths(minimum)}`,
    `尚差${chineseMonths(minimum - 150)}`,
    `继续按月缴费至退休前可再累计3个月，仍差${chineseMonths(minimum - 153)}`,
    '继续缴费（延长缴费）',
    '一次性缴费',
    '转移接续',
  ]) {
    expect(notice.text).toContain(part);
  }
  // The staff task: follow up before the retirement month (due its last working day before R).
  const [task] = await tasksOf(h, opened.id);
  expect(task).toMatchObject({
    step: 'pre_review_followup',
    role: 'reviewer',
    status: 'open',
    clause: '8.2.3.1',
    title: '退休前预审：核对预审结果并告知参保人（B-7）',
  });
  expect(task.dueAt!.getTime()).toBe(endOfChinaDate(lastWorkingDayOnOrBefore(addDays(`${R}-01`, -1))));
  const done = await post(
    h,
    `/api/v1/cases/${opened.id}/decisions`,
    { step: 'pre_review_followup', result: 'acknowledged', reason: '已电话告知参保人' },
    reviewer,
  );
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ status: 'closed', outcome: 'approved', outcomeReason: 'contribution_shortfall' });
  expect((await tasksOf(h, opened.id))[0]).toMatchObject({ status: 'done' });
  // Pre-reviewed, the watch waits for the retirement month and then ends.
  await watchView(p.personKey, (v) => v.phase === 'watching_until_retirement' && v.preReviewCaseId === opened.id);
  // result() lets the test server skip time until the watch ends: at the retirement month.
  expect(await p.watch.result()).toEqual({
    personKey: p.personKey,
    outcome: 'retirement_reached',
    preReviewCaseId: opened.id,
  });
  expect(await h.timeSkipping!.currentTimeMs()).toBeGreaterThanOrEqual(chinaMidnight(`${R}-01`));
  expect(await preReviewCases(p.personId)).toHaveLength(1);
});

test('a file birth-date correction re-arms the watch for the moved date (continue-as-new: every run stays a few events long)', async () => {
  // A woman (original age 55, the province parameter) born on the 8th, retiring about 55 months
  // after the server's today; her file says she was born a year later, which moves her retirement
  // on by more than a year. From 2026-12-03: born 8 March 1975, d = 62 → 16 months (1975 row:
  // 16…18) → 56 years 4 months → 2031-07, pre-review 2031-04-01; the file's 8 March 1976: d = 74
  // → 19 months → 56 y 7 m → 2032-10, pre-review 2032-07-01.
  const woman = birthMonthRetiringIn(monthsAhead(55, await h.timeSkipping!.currentTimeMs()), 'female', 55);
  const idBirthDate = `${woman.birthYearMonth}-08`;
  const corrected = statutoryRetirementOf(addMonths(woman.birthYearMonth, 12), 'female', 55);
  const fileBirthDate = `${corrected.birthYearMonth}-08`;
  const p = await enroll(idBirthDate, 'female');
  const first = await watchView(p.personKey, (v) => v.phase === 'waiting_for_pre_review');
  expect(first.plan).toMatchObject({
    retirementYearMonth: woman.retirementYearMonth,
    preReviewDate: preReviewDateOf(woman),
  });
  const firstRunId = (await p.watch.describe()).runId;

  // The checks of the correction: fields, dates, who may have an original age, the person.
  const patch = (key: string, body: object, headers: Record<string, string> = corrector) =>
    h.app
      .inject({ method: 'PATCH', url: `/api/v1/persons/${key}`, payload: body, headers })
      .then((r) => ({ status: r.statusCode, body: r.json() }));
  expect((await patch(p.personKey, { reason: '核对档案' })).body.error.code).toBe('validation.nothing_to_change');
  expect((await patch(p.personKey, { fileBirthDate: '1976-02-30', reason: '核对档案' })).body.error.code).toBe(
    'validation.date',
  );
  expect((await patch(p.personKey, { fileBirthDate, reason: '  ' })).body.error.code).toBe('validation.blank');
  expect((await patch(p.personKey, { fileBirthDate, reason: 'x' }, {})).status).toBe(401);
  expect((await patch('P000000000000000000000000', { fileBirthDate, reason: 'x' })).status).toBe(404);

  // The file says she was born a year later.
  const correction = await patch(p.personKey, {
    fileBirthDate,
    reason: `档案最先记载的出生日期为${chineseDate(fileBirthDate)}`,
  });
  expect(correction.status).toBe(200);
  expect(correction.body).toEqual({
    personKey: p.personKey,
    sex: 'female',
    fileBirthDate,
    originalRetirementAge: null,
    retirement: {
      birthDateSource: 'file',
      statutoryAge: corrected.statutoryAge,
      retirementYearMonth: corrected.retirementYearMonth,
      preReviewDate: preReviewDateOf(corrected),
    },
    watch: { workflowId: retirementWatchId(p.personKey), signalled: true },
  });
  const rearmed = await watchView(p.personKey, (v) => v.rearmed === 1 && v.phase === 'waiting_for_pre_review', {
    after: firstRunId,
  });
  expect(rearmed.plan).toMatchObject({
    retirementYearMonth: corrected.retirementYearMonth,
    preReviewDate: preReviewDateOf(corrected),
    birthDateSource: 'file',
  });
  expect(rearmed.lastChange).toMatchObject({
    reason: 'file_corrected',
    fields: ['fileBirthDate'],
    actor: { id: FILE_CORRECTOR.user, role: 'reviewer' },
  });
  // Five more corrections (the original age set and cleared): one short run each.
  let runBefore = rearmed.runId;
  for (let i = 2; i <= 6; i += 1) {
    const res = await patch(p.personKey, { originalRetirementAge: i % 2 === 0 ? 55 : null, reason: `第${i}次核对` });
    expect(res.status).toBe(200);
    runBefore = (
      await watchView(p.personKey, (v) => v.rearmed === i && v.phase === 'waiting_for_pre_review', { after: runBefore })
    ).runId;
  }
  const runs: string[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    runs.push(runId);
    const events: temporal.api.history.v1.IHistoryEvent[] = (
      await h.client.workflow.getHandle(retirementWatchId(p.personKey), runId).fetchHistory()
    ).events!;
    const last: temporal.api.history.v1.IHistoryEvent = events.at(-1)!;
    if (last.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
      expect(runs).toHaveLength(7);
      expect(events.length).toBeLessThan(20);
      break;
    }
    expect(events.length).toBeLessThan(25);
    runId = last.workflowExecutionContinuedAsNewEventAttributes!.newExecutionRunId ?? undefined;
  }
  expect(runs).toHaveLength(7);
  expect((await p.watch.describe()).runId).toBe(runs[6]);
  // The old date passes without a pre-review; the new one opens it.
  await sleepUntil(chinaMidnight(preReviewDateOf(woman)), 86_400_000);
  expect(await preReviewCases(p.personId)).toEqual([]);
  const wake = chinaMidnight(preReviewDateOf(corrected));
  await sleepUntil(wake, 60_000);
  const [opened] = await eventually(
    () => preReviewCases(p.personId),
    (rows) => rows.length === 1,
    15_000,
  );
  expect(opened.application).toMatchObject({
    retirementYearMonth: corrected.retirementYearMonth,
    preReviewDate: preReviewDateOf(corrected),
  });
  expect(opened.receivedAt.getTime()).toBeGreaterThanOrEqual(wake);
  expect(opened.receivedAt.getTime()).toBeLessThan(wake + 60_000);
  const reviewed = await eventually(
    async () => (await get(h, `/api/v1/cases/${opened.id}`)).body as CaseDetail,
    (c) => c.notices.length === 1,
    15_000,
  );
  // The file and the ID number disagree: a finding, and the date used is the file's.
  expect(reviewed.notices[0].items.map((i) => i.code)).toEqual([
    'birth_date_mismatch',
    'work_start_unknown',
    'contribution_shortfall',
  ]);
  expect(reviewed.notices[0].text).toContain(`按档案记载的${chineseDate(fileBirthDate)}认定`);
  expect(reviewed.notices[0].text).toContain(
    `档案记载的出生日期（${chineseDate(fileBirthDate)}）与居民身份证号码记载的出生日期（${chineseDate(idBirthDate)}）不一致`,
  );
});

test('a correction after the pre-review that brings retirement forward: the new pre-review opens once staff have closed the old one', async () => {
  // Born on the 20th of a month (ID), retiring about 58 months after the server's today (from
  // 2026-12-03: 20 May 1970, retirement 2031-10, pre-review 2031-07-01).
  const man = birthMonthRetiringIn(monthsAhead(58, await h.timeSkipping!.currentTimeMs()), 'male');
  const p = await enroll(`${man.birthYearMonth}-20`, 'male');
  await watchView(p.personKey, (v) => v.phase === 'waiting_for_pre_review');
  await sleepUntil(chinaMidnight(preReviewDateOf(man)), 60_000);
  const [first] = await eventually(
    () => preReviewCases(p.personId),
    (rows) => rows.length === 1,
    15_000,
  );
  const pre = await watchView(
    p.personKey,
    (v) => v.phase === 'watching_until_retirement' && v.preReviewCaseId === first.id,
  );

  // Staff find the file says a month earlier: the delay is the same or a month shorter, so the
  // retirement comes one or two months sooner (from 1970-05: April 1970, d = 63 → 16 months →
  // 61 y 4 m → 2031-08) and the pre-review for it is due at once, but the first case is still open.
  const earlier = statutoryRetirementOf(addMonths(man.birthYearMonth, -1), 'male');
  const fileBirthDate = `${earlier.birthYearMonth}-20`;
  expect(earlier.retirementYearMonth < man.retirementYearMonth).toBe(true);
  const res = await h.app.inject({
    method: 'PATCH',
    url: `/api/v1/persons/${p.personKey}`,
    payload: { fileBirthDate, reason: `档案记载出生日期为${chineseDate(fileBirthDate)}` },
    headers: corrector,
  });
  expect(res.json()).toMatchObject({
    retirement: { retirementYearMonth: earlier.retirementYearMonth, preReviewDate: preReviewDateOf(earlier) },
  });
  const blocked = await watchView(p.personKey, (v) => v.phase === 'waiting_for_previous_pre_review', {
    after: pre.runId,
  });
  expect(blocked).toMatchObject({
    rearmed: 1,
    preReviewCaseId: first.id,
    plan: { retirementYearMonth: earlier.retirementYearMonth },
  });
  expect(await preReviewCases(p.personId)).toHaveLength(1);

  // While blocked the watch looks again once a day (a timer that says why).
  const blockedHistory = await h.client.workflow
    .getHandle(retirementWatchId(p.personKey), blocked.runId)
    .fetchHistory();
  const poll = blockedHistory.events!.filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED).at(-1)!;
  expect(Number(poll.timerStartedEventAttributes!.startToFireTimeout!.seconds)).toBe(86_400);
  expect(JSON.parse(Buffer.from(poll.userMetadata!.summary!.data!).toString('utf8'))).toContain(
    `等待前一预审案件 ${first.id} 办结`,
  );

  await eventually(
    async () => (await get(h, `/api/v1/cases/${first.id}`)).body as CaseDetail,
    (c) => c.waitingOn === 'staff',
    15_000,
  );
  const closed = await post(
    h,
    `/api/v1/cases/${first.id}/decisions`,
    { step: 'pre_review_followup', result: 'acknowledged' },
    reviewer,
  );
  expect(closed.body).toMatchObject({ status: 'closed' });
  // The Java test server stops skipping time once a child tells a parent run that has continued
  // as new that it completed, so the watch is not left to its daily look here: the next change
  // (staff record the file's reason once more) makes it look at once.
  const again = await h.app.inject({
    method: 'PATCH',
    url: `/api/v1/persons/${p.personKey}`,
    payload: { fileBirthDate, reason: '前一预审已办结，复核' },
    headers: corrector,
  });
  expect(again.statusCode).toBe(200);
  const both = await eventually(
    () => preReviewCases(p.personId),
    (rows) => rows.length === 2,
    15_000,
  );
  const second = both.find((c) => c.id !== first.id)!;
  expect(second.application).toMatchObject({
    retirementYearMonth: earlier.retirementYearMonth,
    preReviewDate: preReviewDateOf(earlier),
  });
  const view = await eventually(
    async () => (await get(h, `/api/v1/cases/${second.id}`)).body as CaseDetail,
    (c) => c.notices.length === 1,
    15_000,
  );
  expect(view.notices[0].items.map((i) => i.code)).toContain('birth_date_mismatch');
  expect(view.notices[0].text).toContain(`${chineseYearMonth(earlier.retirementYearMonth)}达到法定退休年龄`);
  // Nobody confirms their own work: the file clerk who corrected the birth date does not acknowledge this pre-review.
  await eventually(
    async () => (await get(h, `/api/v1/cases/${second.id}`)).body as CaseDetail,
    (c) => c.waitingOn === 'staff',
    15_000,
  );
  const own = await post(
    h,
    `/api/v1/cases/${second.id}/decisions`,
    { step: 'pre_review_followup', result: 'acknowledged' },
    corrector,
  );
  expect(own).toMatchObject({ status: 403, body: { error: { code: 'separation.own_work' } } });
  expect(await h.db.select().from(auditRefusals).where(eq(auditRefusals.caseId, second.id))).toEqual([
    expect.objectContaining({ actorId: FILE_CORRECTOR.user, actorRole: 'reviewer', code: 'separation.own_work' }),
  ]);
  await watchView(p.personKey, (v) => v.phase === 'watching_until_retirement' && v.preReviewCaseId === second.id);
});
