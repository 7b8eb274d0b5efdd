/**
 * The quarterly self-inspection (自查, R-5) through the API and the real selfInspection workflow,
 * on a database of the test's own: the sample is stratified by procedure and risk grade and
 * reproducible from its seed, every sampled case is a task in the supervisors' inbox, a supervisor
 * who acted on a case may not inspect it, the report is issued when the last case is inspected,
 * and a finding's rectification stays open until resolved. Then the quarterly schedule and its
 * round. (The inspection's deadline: test/integration/supervision/deadlines.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import type { ScheduleHandle } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { auditRefusals, inspections } from '../../../db/schema';
import { DEFAULT_SAMPLING_PLAN, drawSample } from '../../../domain/inspection-sample';
import { previousQuarter, quarterOf, quarterRange } from '../../../domain/supervision';
import { ensureSchedule } from '../../../composition/schedules';
import { selfInspectionSchedule, SELF_INSPECTION_SCHEDULE_ID } from '../../../composition/self-inspection-schedule';
import { asUser } from '../../helpers/auth';
import { startPrivateHarness } from '../../helpers/benefits';
import { chinaDate } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { randomAgency, seedCase } from '../../helpers/supervision';
import { eventually } from '../../helpers/wait';
import { selfInspectionWorkflowId } from '../../../workflows/self-inspection';
import { startWorkflow } from '../../../api/services/workflow-starts';

jest.setTimeout(180_000);

let h: Harness;
const A = randomAgency();
const inspector = asUser({ user: 'sup-inspector', role: 'supervisor', agencies: [A] });
const handler = asUser({ user: 'sup-handler', role: 'supervisor', agencies: [A] });
const enrollments: string[] = [];
const claims: { high: string[]; low: string } = { high: [], low: '' };
let stopCase: string;
const schedules: ScheduleHandle[] = [];

const closedIn2025Q1 = (day: string) => ({
  receivedAt: `2025-${day}T09:00:00+08:00`,
  closedAt: `2025-${day}T15:00:00+08:00`,
  outcome: 'approved' as const,
});
const assessed = (highRisk: boolean) => ({
  type: 'claim_assessed',
  at: '2025-02-10T10:00:00+08:00',
  detail: { risk: { highRisk } },
});

beforeAll(async () => {
  h = await startPrivateHarness();
  for (let i = 0; i < 6; i += 1)
    enrollments.push(
      await seedCase(h.db, {
        agencyCode: A,
        procedure: 'enrollment',
        ...closedIn2025Q1(`01-${String(6 + i).padStart(2, '0')}`),
      }),
    );
  // The high-risk claims: the first had its deadline extended by sup-handler (a supervisor who acted on it).
  claims.high.push(
    await seedCase(h.db, {
      agencyCode: A,
      procedure: 'benefit_claim',
      ...closedIn2025Q1('02-20'),
      receivedAt: '2025-02-03T09:00:00+08:00',
      receivedBy: { id: 'clerk-01', role: 'acceptor' },
      events: [
        assessed(true),
        {
          type: 'deadline_extended',
          at: '2025-02-12T10:00:00+08:00',
          actor: { id: 'sup-handler', role: 'supervisor' },
        },
      ],
    }),
  );
  claims.high.push(
    await seedCase(h.db, {
      agencyCode: A,
      procedure: 'benefit_claim',
      ...closedIn2025Q1('03-03'),
      receivedAt: '2025-02-05T09:00:00+08:00',
      events: [assessed(true)],
    }),
  );
  claims.low = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'benefit_claim',
    ...closedIn2025Q1('03-04'),
    receivedAt: '2025-02-06T09:00:00+08:00',
    events: [assessed(false)],
  });
  stopCase = await seedCase(h.db, { agencyCode: A, procedure: 'stop', ...closedIn2025Q1('03-31') });
  // Not in the sample: closed in April, still open, another agency.
  await seedCase(h.db, {
    agencyCode: A,
    procedure: 'enrollment',
    ...closedIn2025Q1('03-31'),
    closedAt: '2025-04-01T09:00:00+08:00',
  });
  await seedCase(h.db, { agencyCode: A, procedure: 'enrollment', receivedAt: '2025-03-10T09:00:00+08:00' });
  await seedCase(h.db, { agencyCode: randomAgency(), procedure: 'enrollment', ...closedIn2025Q1('02-03') });
});
afterAll(async () => {
  for (const s of schedules) await s.delete().catch(() => undefined);
  await h?.stop();
});

const inspectionId = () => selfInspectionWorkflowId(A, '2025Q1');
const report = async () => (await get(h, `/api/v1/inspections/${inspectionId()}`, inspector)).body;
type Task = { taskId: string; caseId: string; step: string; dueDate: string; clause: string };
const inbox = async (query: string): Promise<Task[]> =>
  (await get(h, `/api/v1/tasks?agencyCode=${A}&${query}&limit=200`, inspector)).body.items;

describe('a quarter’s self-inspection of one agency', () => {
  test('started once per agency and quarter; only an ended quarter; bad input named', async () => {
    expect(await post(h, '/api/v1/inspections', { agencyCode: A, quarter: '2025Q1' }, inspector)).toMatchObject({
      status: 202,
      body: { inspectionId: inspectionId(), started: true },
    });
    expect(await post(h, '/api/v1/inspections', { agencyCode: A, quarter: '2025Q1' }, inspector)).toMatchObject({
      status: 202,
      body: { started: false },
    });
    const current = quarterOf(chinaDate(Date.now()));
    expect(await post(h, '/api/v1/inspections', { agencyCode: A, quarter: current }, inspector)).toMatchObject({
      status: 422,
      body: { error: { code: 'inspection.quarter_not_ended', field: 'quarter' } },
    });
    expect(await post(h, '/api/v1/inspections', { agencyCode: A, quarter: '2025Q5' }, inspector)).toMatchObject({
      status: 400,
      body: { error: { field: 'quarter' } },
    });
    expect(await post(h, '/api/v1/inspections', { agencyCode: '620999', quarter: '2025Q1' }, inspector)).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden_agency' } },
    });
  });

  test('the sample: every high-risk claim, at least two of each other stratum, as the seed draws it; one inspection task per sampled case', async () => {
    const r = await eventually(report, (b) => b.summary?.sampled > 0, 20_000);
    expect(r).toMatchObject({
      agencyCode: A,
      quarter: '2025Q1',
      period: quarterRange('2025Q1'),
      status: 'inspecting',
      reportedAt: null,
      report: null,
    });
    expect(r.strata).toEqual([
      { procedure: 'benefit_claim', riskGrade: 'high', population: 2, sampled: 2, inspected: 0, withFindings: 0 },
      { procedure: 'benefit_claim', riskGrade: 'low', population: 1, sampled: 1, inspected: 0, withFindings: 0 },
      { procedure: 'enrollment', riskGrade: 'unknown', population: 6, sampled: 2, inspected: 0, withFindings: 0 },
      { procedure: 'stop', riskGrade: 'unknown', population: 1, sampled: 1, inspected: 0, withFindings: 0 },
    ]);
    // Anyone can draw the same sample again from the quarter's cases and the seed.
    const expectedEnrollments = drawSample(
      enrollments.map((caseId) => ({ caseId, procedure: 'enrollment' })),
      DEFAULT_SAMPLING_PLAN,
      inspectionId(),
    )[0].sampled;
    const sampled = (r.items as Array<{ caseId: string }>).map((i) => i.caseId).sort();
    expect(sampled).toEqual([...claims.high, claims.low, ...expectedEnrollments, stopCase].sort());
    const tasks = await inbox('step=self_inspection');
    expect(tasks.map((t) => t.caseId).sort()).toEqual(sampled);
    expect(tasks.every((t) => t.clause === '10.2.4' && t.dueDate === r.dueDate)).toBe(true);
  });

  test('a supervisor who acted on the case may not claim its inspection (recorded); another does, and a finding opens a rectification task', async () => {
    const [task] = (await inbox('step=self_inspection')).filter((t) => t.caseId === claims.high[0]);
    expect(await post(h, `/api/v1/tasks/${task.taskId}/claim`, {}, handler)).toMatchObject({
      status: 403,
      body: { error: { code: 'separation.handled_case', field: 'actor' } },
    });
    const refusals = await h.db
      .select()
      .from(auditRefusals)
      .where(and(eq(auditRefusals.actorId, 'sup-handler'), eq(auditRefusals.caseId, claims.high[0])));
    expect(refusals).toEqual([
      expect.objectContaining({ code: 'separation.handled_case', action: 'POST /api/v1/tasks/:taskId/claim' }),
    ]);
    expect((await post(h, `/api/v1/tasks/${task.taskId}/claim`, {}, inspector)).status).toBe(200);
    const url = `/api/v1/tasks/${task.taskId}/complete`;
    expect(await post(h, url, { result: 'finding' }, inspector)).toMatchObject({
      status: 422,
      body: { error: { code: 'finding.items_required', field: 'items' } },
    });
    expect(await post(h, url, { result: 'finding', items: [{ code: 'misc' }] }, inspector)).toMatchObject({
      status: 422,
      body: { error: { code: 'finding.unknown_category' } },
    });
    const done = await post(
      h,
      url,
      {
        result: 'finding',
        reason: '核对档案与计发记录',
        items: [{ code: 'amount_incorrect', note: '过渡性养老金视同缴费指数取值有误' }],
      },
      inspector,
    );
    expect(done).toMatchObject({ status: 200, body: { task: { status: 'done', assignee: 'sup-inspector' } } });
    expect(await inbox(`caseId=${claims.high[0]}`)).toEqual([
      expect.objectContaining({ step: 'inspection_followup', clause: '10.2.4' }),
    ]);
  });

  test('when the last sampled case is inspected the written report is issued; the rectification stays open until resolved', async () => {
    for (const t of await inbox('step=self_inspection')) {
      expect((await post(h, `/api/v1/tasks/${t.taskId}/claim`, {}, inspector)).status).toBe(200);
      expect((await post(h, `/api/v1/tasks/${t.taskId}/complete`, { result: 'compliant' }, inspector)).status).toBe(
        200,
      );
    }
    expect(await h.client.workflow.getHandle(inspectionId()).result()).toEqual({
      inspectionId: inspectionId(),
      sampled: 6,
      inspected: 6,
      withFindings: 1,
      notInspected: 0,
      findings: 1,
    });
    const r = await report();
    expect(r.status).toBe('reported');
    expect(r.summary).toEqual({
      population: 10,
      sampled: 6,
      inspected: 6,
      compliant: 5,
      withFindings: 1,
      notInspected: 0,
      findings: 1,
      rectificationsOpen: 1,
      rectificationsResolved: 0,
    });
    expect(r.report.summary).toEqual(r.summary);
    expect(r.findings).toEqual([
      expect.objectContaining({
        caseId: claims.high[0],
        category: 'amount_incorrect',
        clause: '10.1.2',
        text: '过渡性养老金视同缴费指数取值有误',
        recordedBy: 'sup-inspector',
        status: 'open',
        followUp: expect.objectContaining({ status: 'open' }),
      }),
    ]);
    const html = await h.app.inject({
      method: 'GET',
      url: `/api/v1/inspections/${inspectionId()}?format=html`,
      headers: inspector,
    });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('自查报告');
    expect(html.body).toContain('过渡性养老金视同缴费指数取值有误');
    expect(html.body).toContain('整改中');

    const [followUp] = await inbox(`caseId=${claims.high[0]}`);
    expect((await post(h, `/api/v1/tasks/${followUp.taskId}/claim`, {}, handler)).status).toBe(200);
    expect(
      (
        await post(
          h,
          `/api/v1/tasks/${followUp.taskId}/complete`,
          { result: 'resolved', reason: '已重新核定并补发差额' },
          handler,
        )
      ).status,
    ).toBe(200);
    const after = await report();
    expect(after.summary).toMatchObject({ rectificationsOpen: 0, rectificationsResolved: 1 });
    expect(after.findings[0]).toMatchObject({
      status: 'resolved',
      followUp: { status: 'done', resolvedBy: 'sup-handler', resolution: '已重新核定并补发差额' },
    });
    // The report as issued is kept as it was.
    expect(after.report.summary.rectificationsOpen).toBe(1);
    expect((await get(h, `/api/v1/inspections?agencyCode=${A}`, inspector)).body.items).toEqual([
      expect.objectContaining({ inspectionId: inspectionId(), status: 'reported' }),
    ]);
  });
});

test('the quarterly schedule (1 January, April, July, October, 08:00 Beijing) starts a round that inspects the quarter just ended, each agency once', async () => {
  expect(['created', 'updated', 'unchanged']).toContain(
    await ensureSchedule(h.client, selfInspectionSchedule(h.taskQueue)),
  );
  const quarterly = await h.client.schedule.getHandle(SELF_INSPECTION_SCHEDULE_ID).describe();
  expect(quarterly.spec.timezone).toBe('Asia/Shanghai');
  expect(quarterly.spec.calendars![0]).toMatchObject({
    dayOfMonth: [{ start: 1, end: 1, step: 1 }],
    hour: [{ start: 8, end: 8, step: 1 }],
  });
  expect(quarterly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'selfInspectionRound' });
  // 08:00 in Beijing on the 1st is 00:00 UTC the same day.
  expect(quarterly.info.nextActionTimes[0].toISOString()).toMatch(/-(01|04|07|10)-01T00:00:00\.000Z$/);

  const B = randomAgency();
  const quarter = previousQuarter(chinaDate(Date.now()));
  const { from } = quarterRange(quarter);
  await seedCase(h.db, {
    agencyCode: B,
    procedure: 'enrollment',
    receivedAt: `${from}T09:00:00+08:00`,
    closedAt: `${from}T10:00:00+08:00`,
    outcome: 'approved',
  });
  const scheduleId = `test-self-inspection-${randomUUID()}`;
  const handle = h.client.schedule.getHandle(scheduleId);
  schedules.push(handle);
  expect(
    await ensureSchedule(h.client, selfInspectionSchedule(h.taskQueue, { scheduleId, input: { agencies: [B] } })),
  ).toBe('created');
  await handle.trigger();
  const described = await eventually(
    () => handle.describe(),
    (d) => d.info.recentActions.length > 0,
    30_000,
  );
  const round = h.client.workflow.getHandle(described.info.recentActions[0].action.workflow.workflowId);
  expect(await round.result()).toEqual({
    quarter,
    started: [selfInspectionWorkflowId(B, quarter)],
    alreadyStarted: [],
  });
  await eventually(
    () =>
      h.db
        .select()
        .from(inspections)
        .where(eq(inspections.id, selfInspectionWorkflowId(B, quarter))),
    (rows) => rows.length === 1,
    15_000,
  );
  // Run again (a catch-up, a manual trigger): the agency's inspection of the quarter is not started twice.
  const again = await startWorkflow(h.client, {
    type: 'selfInspectionRound',
    options: { taskQueue: h.taskQueue, workflowId: `self-inspection-round-${randomUUID()}`, args: [{ agencies: [B] }] },
  });
  expect(await again.result()).toEqual({
    quarter,
    started: [],
    alreadyStarted: [selfInspectionWorkflowId(B, quarter)],
  });
});
