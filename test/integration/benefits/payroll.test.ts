/**
 * The monthly payroll (B-9) on the dev server: the real workflow, activities and API on a
 * database of each test's own (a run pays every award of its database for its month). Three
 * months of runs; a re-run of a month pays nothing new; a suspended pensioner is skipped and,
 * once certified again, paid the suspended months in arrears by the next run; a death reported
 * through the stop procedure stops the award after the month of death, flags what was paid for
 * later months and ends the award's certification watch; the `payroll-monthly` schedule.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduleHandle } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { awards, payments } from '../../../db/schema';
import { addMonths } from '../../../domain/year-month';
import { payrollSchedule, PAYROLL_SCHEDULE_ID } from '../../../composition/payroll-schedule';
import { ensureSchedule } from '../../../composition/schedules';
import { startCertificationWatch } from '../../../api/services/certification-watches';
import { certificationWatchQuery } from '../../../workflows/certification';
import { chinaDate } from '../../helpers/china-calendar';
import { awardOf, paymentsOf, runPayroll, seedPensioner, startPrivateHarness } from '../../helpers/benefits';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { testEnv } from '../../helpers/env';
import { addYears, monthsAgo } from '../../helpers/time';
import { eventually } from '../../helpers/wait';

jest.setTimeout(180_000);

let h: Harness;
const schedules: ScheduleHandle[] = [];
beforeEach(async () => {
  h = await startPrivateHarness();
});
afterEach(async () => {
  for (const s of schedules.splice(0)) await s.delete().catch(() => undefined);
  await h?.stop();
});

test('three months of runs pay one payment per pensioner per month; re-running a month pays nothing new and reports the same totals', async () => {
  const a = await seedPensioner(h, { firstPaymentMonth: '2026-08', monthlyAmount: '2000.00' });
  const b = await seedPensioner(h, { firstPaymentMonth: '2026-08', monthlyAmount: '3000.50' });
  // Certified later: first paid in September (B-9, the month after certification).
  const c = await seedPensioner(h, {
    certifiedOn: '2026-08-12',
    firstPaymentMonth: '2026-09',
    monthlyAmount: '1500.25',
  });

  expect(await runPayroll(h, '2026-08')).toEqual({
    month: '2026-08',
    paid: 2,
    arrears: 0,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '5000.50',
  });
  expect(await runPayroll(h, '2026-09')).toEqual({
    month: '2026-09',
    paid: 3,
    arrears: 0,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '6500.75',
  });
  expect(await runPayroll(h, '2026-10')).toEqual({
    month: '2026-10',
    paid: 3,
    arrears: 0,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '6500.75',
  });
  expect(await paymentsOf(h, a.awardId)).toEqual([
    '2026-08 regular 2000.00 2026-08',
    '2026-09 regular 2000.00 2026-09',
    '2026-10 regular 2000.00 2026-10',
  ]);
  expect(await paymentsOf(h, c.awardId)).toEqual([
    '2026-09 regular 1500.25 2026-09',
    '2026-10 regular 1500.25 2026-10',
  ]);

  const before = await h.db.select({ id: payments.id }).from(payments);
  expect(before).toHaveLength(8);
  expect(await runPayroll(h, '2026-09')).toEqual({
    month: '2026-09',
    paid: 3,
    arrears: 0,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '6500.75',
  });
  expect(await runPayroll(h, '2026-08')).toEqual({
    month: '2026-08',
    paid: 2,
    arrears: 0,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '5000.50',
  });
  expect(await h.db.select({ id: payments.id }).from(payments)).toHaveLength(8);
  expect(await paymentsOf(h, b.awardId)).toHaveLength(3);

  const run = await get(h, '/api/v1/payroll/runs/2026-09');
  expect(run.status).toBe(200);
  expect(run.body).toMatchObject({
    month: '2026-09',
    status: 'completed',
    paid: 3,
    arrears: 0,
    skipped: 0,
    total: '6500.75',
  });
  const messages = (run.body.log as Array<{ message: string }>).map((l) => l.message);
  expect(messages).toEqual([
    '开始 2026-09 月养老金发放',
    '第1批：3项待遇，新发放3笔，金额6500.75元',
    '2026-09 月发放完成：正常发放3笔，补发0笔，暂停发放0项，合计6500.75元',
    '重新运行 2026-09 月发放（已发放的月份不会重复发放）',
    '第1批：3项待遇，新发放0笔，金额0.00元',
    '2026-09 月发放完成：正常发放3笔，补发0笔，暂停发放0项，合计6500.75元',
  ]);
  expect((await get(h, '/api/v1/payroll/runs/2026-07')).status).toBe(404);
  expect((await get(h, '/api/v1/payroll/runs/2026-13')).status).toBe(400);
});

test('a suspended pensioner is skipped; certified again, the next run pays the suspended months in arrears', async () => {
  const p = await seedPensioner(h, { firstPaymentMonth: '2026-06', monthlyAmount: '2100.00' });
  const other = await seedPensioner(h, { firstPaymentMonth: '2026-06', monthlyAmount: '1800.00' });
  expect(await runPayroll(h, '2026-07')).toMatchObject({ paid: 2, arrears: 2 });
  // Not certified in time: suspended from August (as the certification watch leaves it).
  await h.db.update(awards).set({ status: 'suspended', suspendedFrom: '2026-08' }).where(eq(awards.id, p.awardId));
  expect(await runPayroll(h, '2026-08')).toEqual({
    month: '2026-08',
    paid: 1,
    arrears: 0,
    skipped: 1,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '1800.00',
  });
  expect(await runPayroll(h, '2026-09')).toEqual({
    month: '2026-09',
    paid: 1,
    arrears: 0,
    skipped: 1,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '1800.00',
  });
  expect(await paymentsOf(h, p.awardId)).toEqual([
    '2026-06 arrears 2100.00 2026-07',
    '2026-07 regular 2100.00 2026-07',
  ]);
  const log = (await get(h, '/api/v1/payroll/runs/2026-09')).body.log as Array<{ message: string }>;
  expect(log.map((l) => l.message)).toContain('第1批：2项待遇，新发放1笔，暂停发放跳过1项，金额1800.00元');

  // A self-service certification through the API (it starts the award's certification watch).
  const certified = await post(h, `/api/v1/awards/${p.awardId}/certifications`, {
    method: 'self_service',
    requestId: `cert-${randomUUID()}`,
  });
  expect(certified.status).toBe(200);
  expect(certified.body).toMatchObject({
    outcome: 'certified',
    resumed: true,
    award: { status: 'active', suspendedFrom: null },
  });

  expect(await runPayroll(h, '2026-10')).toEqual({
    month: '2026-10',
    paid: 2,
    arrears: 2,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '8100.00',
  });
  expect(await paymentsOf(h, p.awardId)).toEqual([
    '2026-06 arrears 2100.00 2026-07',
    '2026-07 regular 2100.00 2026-07',
    '2026-08 arrears 2100.00 2026-10',
    '2026-09 arrears 2100.00 2026-10',
    '2026-10 regular 2100.00 2026-10',
  ]);
  expect(await paymentsOf(h, other.awardId)).toHaveLength(5);
  const award = await get(h, `/api/v1/awards/${p.awardId}`);
  expect(
    award.body.payments.filter((x: { kind: string }) => x.kind === 'arrears').map((x: { month: string }) => x.month),
  ).toEqual(['2026-06', '2026-08', '2026-09']);
});

test('a death through the stop procedure: paid for the month of death, stopped after it, later payments flagged, the certification watch ends', async () => {
  // Last certified six months ago: the next certification (and the registry comparison a month
  // before it) lies months ahead, so the watch only waits.
  const lastCertifiedOn = `${monthsAgo(6)}-01`;
  const p = await seedPensioner(h, { firstPaymentMonth: '2026-08', monthlyAmount: '2500.00', lastCertifiedOn });
  for (const month of ['2026-08', '2026-09', '2026-10']) await runPayroll(h, month);
  const watch = await startCertificationWatch(h.client, h.taskQueue, testEnv.assertions, p);
  const view = await eventually(
    () => watch.query(certificationWatchQuery),
    (v) => v.dueDate === addYears(lastCertifiedOn, 1),
  );
  expect(view).toMatchObject({ status: 'active', dueDate: addYears(lastCertifiedOn, 1), comparedFor: null });

  // The family reports the death on 20 August 2026 (S-1 a); the relation is `receiving`. Online,
  // the stop is approved when the death registry confirms the death (10.2.2, workflows/stop.ts).
  const registered = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${p.idNumber}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dateOfDeath: '2026-08-20' }),
  });
  expect(registered.status).toBe(200);
  const stop = await post(h, '/api/v1/stops', {
    agencyCode: '620102',
    idNumber: p.idNumber,
    reason: 'death',
    effectiveDate: '2026-08-20',
  });
  expect(stop.status).toBe(201);
  expect(stop.body).toMatchObject({ procedure: 'stop', status: 'closed', outcome: 'approved' });

  expect(await watch.result()).toEqual({ awardId: p.awardId, outcome: 'stopped' });
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'stopped', stoppedAfter: '2026-08' });
  const award = await get(h, `/api/v1/awards/${p.awardId}`);
  expect(award.body.overpayments.map((o: { month: string; amount: string }) => `${o.month} ${o.amount}`)).toEqual([
    '2026-09 2500.00',
    '2026-10 2500.00',
  ]);
  expect(award.body.overpayments[0].reason).toContain('2026-08-20');

  expect(await runPayroll(h, '2026-11')).toMatchObject({ paid: 0, arrears: 0, total: '0.00' });
  expect(await paymentsOf(h, p.awardId)).toHaveLength(3);
  const refused = await post(h, `/api/v1/awards/${p.awardId}/certifications`, { method: 'self_service' });
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('award.stopped');
});

test('the payroll-monthly schedule exists (the 5th, 06:00 Asia/Shanghai, payrollRun) and a triggered run pays the current month', async () => {
  const month = chinaDate(Date.now()).slice(0, 7);
  const p = await seedPensioner(h, { firstPaymentMonth: addMonths(month, -2), monthlyAmount: '1999.99' });
  const definition = payrollSchedule(h.taskQueue);
  expect(['created', 'updated', 'unchanged']).toContain(await ensureSchedule(h.client, definition));
  const monthly = await h.client.schedule.getHandle(PAYROLL_SCHEDULE_ID).describe();
  expect(monthly.spec.timezone).toBe('Asia/Shanghai');
  expect(monthly.spec.calendars![0]).toMatchObject({
    dayOfMonth: [{ start: 5, end: 5, step: 1 }],
    hour: [{ start: 6, end: 6, step: 1 }],
  });
  expect(monthly.action).toMatchObject({ type: 'startWorkflow', workflowType: 'payrollRun' });
  expect(monthly.policies.overlap).toBe('SKIP');
  // 06:00 in Beijing on the 5th is 22:00 UTC on the 4th.
  expect(monthly.info.nextActionTimes[0].toISOString()).toMatch(/-04T22:00:00\.000Z$/);

  // Triggered like the monthly run, on a schedule of this test's own with the same definition
  // (so another test's start-up cannot point the shared one at its own task queue meanwhile).
  const scheduleId = `test-payroll-${randomUUID()}`;
  const handle = h.client.schedule.getHandle(scheduleId);
  schedules.push(handle);
  expect(await ensureSchedule(h.client, payrollSchedule(h.taskQueue, { scheduleId }))).toBe('created');
  await handle.trigger();
  const described = await eventually(
    () => handle.describe(),
    (d) => d.info.recentActions.length > 0,
    30_000,
  );
  const workflowId = described.info.recentActions[0].action.workflow.workflowId;
  expect(workflowId).toMatch(/^payroll-monthly-/);
  // The run takes its month from its start in China: the current month, with the two before in arrears.
  expect(await h.client.workflow.getHandle(workflowId).result()).toEqual({
    month,
    paid: 1,
    arrears: 2,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '5999.97',
  });
  expect(await paymentsOf(h, p.awardId)).toEqual([
    `${addMonths(month, -2)} arrears 1999.99 ${month}`,
    `${addMonths(month, -1)} arrears 1999.99 ${month}`,
    `${month} regular 1999.99 ${month}`,
  ]);
  expect((await get(h, `/api/v1/payroll/runs/${month}`)).body).toMatchObject({ status: 'completed', paid: 1 });
});
