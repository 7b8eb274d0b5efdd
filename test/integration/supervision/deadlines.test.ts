/**
 * Supervision's clocks on the time-skipping test server (each test a server of its own): a
 * tip-off audit breaches its 30 working days and is marked overdue, and stays so when concluded
 * late; a self-inspection whose sampled cases nobody inspects issues its report at its
 * 20-working-day deadline, recording them as not inspected and cancelling their tasks.
 */
import { previousQuarter, quarterRange } from '../../../domain/supervision';
import { asUser } from '../../helpers/auth';
import { chinaDate, endOfChinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { randomAgency, seedCase } from '../../helpers/supervision';
import { eventually } from '../../helpers/wait';
import { selfInspectionWorkflowId } from '../../../workflows/self-inspection';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ timeSkipping: true });
});
afterEach(async () => {
  await h?.stop();
});

async function sleepUntil(instant: number, marginMs = 60_000): Promise<void> {
  const ms = instant + marginMs - (await h.timeSkipping!.currentTimeMs());
  if (ms > 0) await h.sleep(ms);
}

test('a tip-off audit not concluded within 30 working days of receipt is overdue, and concluding it later stops the clock', async () => {
  const A = randomAgency();
  const sup = asUser({ user: 'sup-tip', role: 'supervisor', agencies: [A] });
  const opened = await post(
    h,
    '/api/v1/audits',
    { agencyCode: A, kind: 'tip_off', title: '举报稽核', tipOff: { content: '举报内容（测试）', channel: 'letter' } },
    sup,
  );
  expect(opened.status).toBe(201);
  const auditId = opened.body.auditId as string;
  const due = workingDaysAfter(chinaDate(opened.body.receivedAt), 30);
  const audit = () => get(h, `/api/v1/audits/${auditId}`, sup).then((r) => r.body);
  expect(await eventually(audit, (a) => a.dueDate !== null, 15_000)).toMatchObject({ dueDate: due, overdue: false });

  await sleepUntil(endOfChinaDate(due) - 3_600_000);
  expect((await audit()).overdue).toBe(false);
  await sleepUntil(endOfChinaDate(due));
  const breached = await eventually(audit, (a) => a.overdue === true, 15_000);
  expect(breached).toMatchObject({ status: 'open', clock: { overdue: true, dueDate: due } });
  expect((await get(h, `/api/v1/audits?agencyCode=${A}&overdue=true`, sup)).body.items).toEqual([
    expect.objectContaining({ auditId }),
  ]);

  const concluded = await post(
    h,
    `/api/v1/audits/${auditId}/conclusion`,
    { conclusion: '举报事项经核查属实，已移交' },
    sup,
  );
  expect(concluded).toMatchObject({
    status: 200,
    body: { status: 'concluded', overdue: true, clock: { state: 'stopped', overdue: true } },
  });
});

test('a self-inspection nobody works on issues its report at the 20-working-day deadline: the sampled cases are recorded as not inspected', async () => {
  const A = randomAgency();
  const sup = asUser({ user: 'sup-late', role: 'supervisor', agencies: [A] });
  const today = chinaDate(await h.timeSkipping!.currentTimeMs());
  const quarter = previousQuarter(today);
  const { from } = quarterRange(quarter);
  const caseId = await seedCase(h.db, {
    agencyCode: A,
    procedure: 'stop',
    receivedAt: `${from}T09:00:00+08:00`,
    closedAt: `${from}T09:30:00+08:00`,
    outcome: 'approved',
  });
  const inspectionId = selfInspectionWorkflowId(A, quarter);
  expect(await post(h, '/api/v1/inspections', { agencyCode: A, quarter }, sup)).toMatchObject({
    status: 202,
    body: { inspectionId, started: true },
  });
  const report = () => get(h, `/api/v1/inspections/${inspectionId}`, sup).then((r) => r.body);
  const started = await eventually(report, (r) => r.summary?.sampled === 1, 15_000);
  const due = workingDaysAfter(chinaDate(started.startedAt), 20);
  expect(started.dueDate).toBe(due);
  expect((await get(h, `/api/v1/tasks?caseId=${caseId}`, sup)).body.items).toEqual([
    expect.objectContaining({ step: 'self_inspection', dueDate: due }),
  ]);

  await sleepUntil(endOfChinaDate(due));
  expect(await h.client.workflow.getHandle(inspectionId).result()).toEqual({
    inspectionId,
    sampled: 1,
    inspected: 0,
    withFindings: 0,
    notInspected: 1,
    findings: 0,
  });
  const issued = await report();
  expect(issued).toMatchObject({
    status: 'reported',
    summary: { sampled: 1, inspected: 0, notInspected: 1 },
    items: [{ caseId, status: 'not_inspected' }],
  });
  expect((await get(h, `/api/v1/tasks?caseId=${caseId}`, sup)).body.total).toBe(0);
});
