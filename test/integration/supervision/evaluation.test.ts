/**
 * Service evaluation (V-1) and satisfaction ratings (好差评), through the API, on a database of
 * the test's own so every figure is exact. March 2025 (no public holiday, Monday 3 March): cases
 * on time, late (a deadline breach), paused for supplements (one and two notice rounds), withdrawn
 * while paused, refused — with the working days of each derived by hand below — rated by their
 * applicants at the counter, one poor rating followed up through the inbox.
 */
import { eq } from 'drizzle-orm';
import { serviceRatings } from '../../../db/schema';
import { asUser } from '../../helpers/auth';
import { startPrivateHarness } from '../../helpers/benefits';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { noticeRound, randomAgency, seedCase } from '../../helpers/supervision';

let h: Harness;
const A = randomAgency();
let B = randomAgency();
while (B === A) B = randomAgency();
const counter = asUser({ user: 'clerk-eval', role: 'acceptor', agencies: [A, B] });
const supervisor = asUser({ user: 'sup-eval', role: 'supervisor', agencies: [A, B] });
const breach = (at: string) => ({ type: 'deadline_breached', at });
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startPrivateHarness();
  // Enrollment, same working day (5.1.4): on time (0 working days).
  ids.E1 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    channel: 'online',
    receivedAt: '2025-03-03T09:00:00+08:00',
    closedAt: '2025-03-03T09:00:05+08:00',
    outcome: 'approved',
  });
  // Late: due Monday 3 March, breached at 00:00 on the 4th, closed Thursday: 3 working days (4, 5, 6).
  ids.E2 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    receivedAt: '2025-03-03T10:00:00+08:00',
    closedAt: '2025-03-06T15:00:00+08:00',
    outcome: 'approved',
    events: [breach('2025-03-04T00:00:00+08:00')],
  });
  // Paused: notice on receipt (Tuesday 4th), supplement Monday 10th, closed at once: 0 working days.
  ids.E3 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    channel: 'online',
    receivedAt: '2025-03-04T10:00:00+08:00',
    closedAt: '2025-03-10T09:00:02+08:00',
    outcome: 'approved',
    events: noticeRound('2025-03-04T10:00:01+08:00', '2025-03-10T09:00:00+08:00'),
    notices: [{ round: 1, at: '2025-03-04T10:00:01+08:00' }],
  });
  // Claim with two notice rounds: 2 working days (4, 5) before the first pause, 1 (11) before the
  // second, then 14th → 20th: 4 (17–20). 7 in all; on time (20 working days, 8.1.3).
  ids.C1 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'benefit_claim',
    receivedAt: '2025-03-03T09:00:00+08:00',
    closedAt: '2025-03-20T16:00:00+08:00',
    outcome: 'approved',
    consumedWorkingDays: 3,
    events: [
      ...noticeRound('2025-03-05T11:00:00+08:00', '2025-03-10T10:00:00+08:00'),
      ...noticeRound('2025-03-11T10:00:00+08:00', '2025-03-14T10:00:00+08:00'),
    ],
    notices: [
      { round: 1, at: '2025-03-05T11:00:00+08:00', kind: 'return_for_completion' },
      { round: 2, at: '2025-03-11T10:00:00+08:00', kind: 'return_for_completion' },
    ],
  });
  // Claim received Friday 28 February, due the 20th working day (Friday 28 March), refused Monday
  // 31 March: late, 21 working days (every working day of March).
  ids.C2 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'benefit_claim',
    receivedAt: '2025-02-28T09:00:00+08:00',
    closedAt: '2025-03-31T10:00:00+08:00',
    outcome: 'refused',
    outcomeReason: 'minimum_years_not_met,age_not_reached',
    events: [breach('2025-03-29T00:00:00+08:00')],
  });
  // Withdrawn while paused: 2 working days (4, 5) before the notice, nothing after.
  ids.W1 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'benefit_claim',
    receivedAt: '2025-03-03T09:00:00+08:00',
    closedAt: '2025-03-20T00:00:00.100+08:00',
    outcome: 'withdrawn',
    outcomeReason: 'supplement_deadline_passed',
    consumedWorkingDays: 2,
    events: noticeRound('2025-03-05T10:00:00+08:00'),
    notices: [{ round: 1, at: '2025-03-05T10:00:00+08:00', kind: 'return_for_completion' }],
  });
  // Agency B: a stop refused at once.
  ids.S1 = await seedCase(h.db, {
    agencyCode: B,
    procedure: 'stop',
    channel: 'online',
    receivedAt: '2025-03-12T09:00:00+08:00',
    closedAt: '2025-03-12T09:00:03+08:00',
    outcome: 'refused',
    outcomeReason: 'no_relation_here',
  });
  // Open, breached in March: counted among the breaches only.
  ids.O1 = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'transfer_in',
    receivedAt: '2025-03-03T09:00:00+08:00',
    events: [breach('2025-03-25T00:00:00+08:00')],
  });
  // Outside the period: closed 1 April (breached 2 April), closed 28 February.
  await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    receivedAt: '2025-03-31T09:00:00+08:00',
    closedAt: '2025-04-02T09:00:00+08:00',
    outcome: 'approved',
    events: [breach('2025-04-01T00:00:00+08:00')],
  });
  await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    receivedAt: '2025-02-27T09:00:00+08:00',
    closedAt: '2025-02-28T09:00:00+08:00',
    outcome: 'approved',
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('satisfaction ratings (好差评)', () => {
  test('an open case cannot be rated; a closed one is rated once, the same rating again is a duplicate, another is refused', async () => {
    expect(await post(h, `/api/v1/cases/${ids.O1}/rating`, { score: 3 }, counter)).toMatchObject({
      status: 409,
      body: { error: { code: 'case.not_closed' } },
    });
    const first = await post(h, `/api/v1/cases/${ids.E1}/rating`, { score: 4, comment: '办理很快' }, counter);
    expect(first).toMatchObject({
      status: 201,
      body: { caseId: ids.E1, score: 4, comment: '办理很快', channel: 'counter', poor: false, followUp: null },
    });
    expect(await post(h, `/api/v1/cases/${ids.E1}/rating`, { score: 4, comment: '办理很快' }, counter)).toMatchObject({
      status: 200,
      body: { score: 4, ratedAt: first.body.ratedAt },
    });
    expect(await post(h, `/api/v1/cases/${ids.E1}/rating`, { score: 5 }, counter)).toMatchObject({
      status: 409,
      body: { error: { code: 'rating.already_rated' } },
    });
    expect(await h.db.select().from(serviceRatings).where(eq(serviceRatings.caseId, ids.E1))).toHaveLength(1);
  });

  test('bad input is 400 naming the field; another agency’s counter finds no such case (404, docs/auth.md); nothing is written', async () => {
    expect(await post(h, `/api/v1/cases/${ids.C1}/rating`, { score: 6 }, counter)).toMatchObject({
      status: 400,
      body: { error: { field: 'score' } },
    });
    expect(await post(h, `/api/v1/cases/${ids.C1}/rating`, { score: 3, colour: 'red' }, counter)).toMatchObject({
      status: 400,
      body: { error: { field: 'colour' } },
    });
    const elsewhere = asUser({ user: 'clerk-x', role: 'acceptor', agencies: ['620999'] });
    expect(await post(h, `/api/v1/cases/${ids.C1}/rating`, { score: 3 }, elsewhere)).toMatchObject({
      status: 404,
      body: { error: { code: 'case.not_found' } },
    });
    expect(await h.db.select().from(serviceRatings).where(eq(serviceRatings.caseId, ids.C1))).toHaveLength(0);
  });

  test('a poor rating opens a follow-up task due in 5 working days; the supervisor’s follow-up through the inbox is recorded', async () => {
    expect((await post(h, `/api/v1/cases/${ids.C1}/rating`, { score: 5 }, counter)).status).toBe(201);
    expect(
      (await post(h, `/api/v1/cases/${ids.S1}/rating`, { score: 2, comment: '等候时间长' }, counter)).body,
    ).toMatchObject({ poor: true });
    const poor = await post(
      h,
      `/api/v1/cases/${ids.C2}/rating`,
      { score: 1, comment: '不予办理的原因没有讲清楚' },
      counter,
    );
    const due = workingDaysAfter(chinaDate(Date.now()), 5);
    expect(poor).toMatchObject({
      status: 201,
      body: {
        poor: true,
        followUp: { status: 'open', dueAt: new Date(endOfChinaDate(due)).toISOString(), followedUpAt: null },
      },
    });

    const inbox = await get(h, `/api/v1/tasks?caseId=${ids.C2}`, supervisor);
    expect(inbox.body.items).toEqual([
      expect.objectContaining({
        step: 'satisfaction_followup',
        role: 'supervisor',
        dueDate: due,
        clause: '12.2',
        status: 'open',
      }),
    ]);
    const taskId = inbox.body.items[0].taskId as string;
    // Not a case step: counter staff do not see it, nor may they claim it.
    expect((await get(h, `/api/v1/tasks?caseId=${ids.C2}`, counter)).body.total).toBe(0);
    expect(await post(h, `/api/v1/tasks/${taskId}/claim`, {}, counter)).toMatchObject({
      status: 403,
      body: { error: { code: 'task.forbidden_role' } },
    });
    expect((await post(h, `/api/v1/tasks/${taskId}/claim`, {}, supervisor)).status).toBe(200);
    expect(await post(h, `/api/v1/tasks/${taskId}/complete`, { result: 'resolved' }, supervisor)).toMatchObject({
      status: 422,
      body: { error: { code: 'decision.reason_required', field: 'reason' } },
    });
    expect(
      await post(h, `/api/v1/tasks/${taskId}/complete`, { result: 'closed', reason: 'x' }, supervisor),
    ).toMatchObject({ status: 422, body: { error: { code: 'decision.invalid_result', field: 'result' } } });
    const done = await post(
      h,
      `/api/v1/tasks/${taskId}/complete`,
      { result: 'resolved', reason: '已电话回访，重新解释缴费年限要求' },
      { ...supervisor, 'idempotency-key': 'followup-c2' },
    );
    expect(done).toMatchObject({
      status: 200,
      body: { task: { status: 'done', assignee: 'sup-eval' }, case: { caseId: ids.C2, status: 'closed' } },
    });
    // The same completion again answers the same; another one finds the task closed.
    expect(
      (
        await post(
          h,
          `/api/v1/tasks/${taskId}/complete`,
          { result: 'resolved', reason: '已电话回访，重新解释缴费年限要求' },
          { ...supervisor, 'idempotency-key': 'followup-c2' },
        )
      ).status,
    ).toBe(200);
    expect(
      await post(h, `/api/v1/tasks/${taskId}/complete`, { result: 'resolved', reason: '再次' }, supervisor),
    ).toMatchObject({ status: 409, body: { error: { code: 'task.closed' } } });
    expect((await get(h, `/api/v1/cases/${ids.C2}/rating`, supervisor)).body).toMatchObject({
      score: 1,
      followUp: { status: 'done', followedUpBy: 'sup-eval', note: '已电话回访，重新解释缴费年限要求' },
    });
  });
});

describe('GET /api/v1/evaluation', () => {
  const url = '/api/v1/evaluation?from=2025-03-01&to=2025-03-31';
  const none = {
    ratings: 0,
    distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    average: null,
    poor: 0,
    poorFollowedUp: 0,
  };

  test('the figures of March 2025, in total, per procedure and per agency, exactly', async () => {
    const res = await get(h, url, supervisor);
    expect(res.status).toBe(200);
    const e = res.body;
    expect(e).toMatchObject({
      from: '2025-03-01',
      to: '2025-03-31',
      agencies: [A, B].sort(),
      procedures: ['enrollment', 'stop', 'benefit_claim', 'transfer_in', 'transfer_out'],
    });
    expect(e.total).toEqual({
      handled: 7,
      approved: 4,
      refused: 2,
      withdrawn: 1,
      onTime: 5,
      late: 2,
      onTimeRate: 0.7143,
      // 0, 0, 0, 2, 3, 7, 21
      handlingWorkingDays: { median: 2, p90: 21, max: 21 },
      pausedCases: 3,
      noticeCases: 3,
      multiRoundNoticeCases: 1,
      oneTimeNoticeRate: 0.6667,
      refusalReasons: [
        { code: 'age_not_reached', count: 1 },
        { code: 'minimum_years_not_met', count: 1 },
        { code: 'no_relation_here', count: 1 },
      ],
      satisfaction: {
        ratings: 4,
        distribution: { '1': 1, '2': 1, '3': 0, '4': 1, '5': 1 },
        average: 3,
        poor: 2,
        poorFollowedUp: 1,
      },
      deadlineBreaches: 3,
    });
    const of = (p: string) => e.byProcedure.find((g: { procedure: string }) => g.procedure === p);
    expect(of('benefit_claim')).toEqual({
      agencyCode: null,
      procedure: 'benefit_claim',
      handled: 3,
      approved: 1,
      refused: 1,
      withdrawn: 1,
      onTime: 2,
      late: 1,
      onTimeRate: 0.6667,
      handlingWorkingDays: { median: 7, p90: 21, max: 21 },
      pausedCases: 2,
      noticeCases: 2,
      multiRoundNoticeCases: 1,
      oneTimeNoticeRate: 0.5,
      refusalReasons: [
        { code: 'age_not_reached', count: 1 },
        { code: 'minimum_years_not_met', count: 1 },
      ],
      satisfaction: {
        ratings: 2,
        distribution: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 1 },
        average: 3,
        poor: 1,
        poorFollowedUp: 1,
      },
      deadlineBreaches: 1,
    });
    expect(of('enrollment')).toMatchObject({
      handled: 3,
      onTime: 2,
      late: 1,
      onTimeRate: 0.6667,
      handlingWorkingDays: { median: 0, p90: 3, max: 3 },
      pausedCases: 1,
      oneTimeNoticeRate: 1,
      deadlineBreaches: 1,
    });
    expect(of('stop')).toMatchObject({
      handled: 1,
      refused: 1,
      onTimeRate: 1,
      handlingWorkingDays: { median: 0, p90: 0, max: 0 },
      oneTimeNoticeRate: null,
      satisfaction: { ratings: 1, average: 2, poor: 1, poorFollowedUp: 0 },
    });
    expect(of('transfer_in')).toMatchObject({
      handled: 0,
      onTimeRate: null,
      handlingWorkingDays: { median: null, p90: null, max: null },
      satisfaction: none,
      deadlineBreaches: 1,
    });
    const agencyA = e.byAgency.find((g: { agencyCode: string }) => g.agencyCode === A);
    // A: 0, 0, 2, 3, 7, 21 — the median of an even count is the mean of the middle two.
    expect(agencyA).toMatchObject({
      handled: 6,
      onTime: 4,
      late: 2,
      onTimeRate: 0.6667,
      handlingWorkingDays: { median: 2.5, p90: 21, max: 21 },
      deadlineBreaches: 3,
      satisfaction: { ratings: 3, average: 3.33 },
    });
    expect(e.byAgency.find((g: { agencyCode: string }) => g.agencyCode === B)).toMatchObject({
      handled: 1,
      onTime: 1,
      deadlineBreaches: 0,
    });
    expect(
      e.byAgencyProcedure.find(
        (g: { agencyCode: string; procedure: string }) => g.agencyCode === A && g.procedure === 'enrollment',
      ),
    ).toMatchObject({ handled: 3, late: 1 });
  });

  test('filters: one agency, one procedure; the CSV has a line per group; the HTML report draws its charts in SVG without JavaScript', async () => {
    const claims = await get(h, `${url}&agency=${A}&procedure=benefit_claim`, supervisor);
    expect(claims.body).toMatchObject({
      agencies: [A],
      procedures: ['benefit_claim'],
      total: { handled: 3, handlingWorkingDays: { median: 7, p90: 21 } },
    });
    const csv = await h.app.inject({ method: 'GET', url: `${url}&format=csv`, headers: supervisor });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 12)).toEqual([
      'scope',
      'agencyCode',
      'procedure',
      'handled',
      'approved',
      'refused',
      'withdrawn',
      'onTime',
      'late',
      'onTimeRate',
      'handlingMedianWorkingDays',
      'handlingP90WorkingDays',
    ]);
    expect(lines[1]).toBe(
      'total,,,7,4,2,1,5,2,0.7143,2,21,21,3,3,1,0.6667,3,4,1,1,0,1,1,3,2,1,age_not_reached:1;minimum_years_not_met:1;no_relation_here:1',
    );
    expect(lines).toHaveLength(1 + 1 + 5 + 2 + 10);
    const html = await h.app.inject({ method: 'GET', url: `${url}&format=html`, headers: supervisor });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('<svg');
    expect(html.body).toContain('按时办结率（按事项）');
    expect(html.body).toContain('71.4%');
    expect(html.body).not.toMatch(/<script/i);
  });

  test('auditors read it too; other roles are refused; bad periods and another agency are refused naming the field', async () => {
    expect(
      (await get(h, url, asUser({ user: 'aud-eval', role: 'auditor', agencies: ['*'] }))).body.total.handled,
    ).toBeGreaterThanOrEqual(7);
    expect(await get(h, url, counter)).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden_role' } } });
    expect(await get(h, '/api/v1/evaluation?from=2025-04-01&to=2025-03-01', supervisor)).toMatchObject({
      status: 400,
      body: { error: { field: 'querystring.from' } },
    });
    expect(await get(h, '/api/v1/evaluation?from=2025-02-30', supervisor)).toMatchObject({
      status: 400,
      body: { error: { code: 'validation.date', field: 'querystring.from' } },
    });
    expect(await get(h, '/api/v1/evaluation?procedure=pre_review', supervisor)).toMatchObject({
      status: 400,
      body: { error: { field: 'querystring.procedure' } },
    });
    expect(await get(h, '/api/v1/evaluation?agency=620999', supervisor)).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden_agency' } },
    });
  });
});
