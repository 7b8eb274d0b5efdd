/**
 * The yearly eligibility certification (领取待遇资格认证; R-4, domain.md §8) on the time-skipping
 * test server, on a database of each test's own (payroll runs pay the whole database): certified
 * in time → the next cycle; not certified by the due date → suspended; certified late → resumed
 * and the suspended months paid in arrears by the next run; a death found by the data comparison
 * with the death registry → stopped after the month of death, later payments flagged.
 * The dates are set relative to the test server's today (its clock starts at the wall clock's):
 * a certification due in two to four weeks, the payroll months around it; the comments give the
 * dates of a run starting on 2026-12-03.
 */
import { temporal } from '@temporalio/proto';
import { startCertificationWatch } from '../../../api/services/certification-watches';
import {
  certificationWatchId,
  certificationWatchQuery,
  type CertificationWatchView,
} from '../../../workflows/certification';
import {
  awardOf,
  paymentsOf,
  runPayroll,
  seedPensioner,
  startPrivateHarness,
  type Pensioner,
} from '../../helpers/benefits';
import { testEnv } from '../../helpers/env';
import { chinaDate } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { addDays, addMonths, addYears } from '../../helpers/time';
import { eventually } from '../../helpers/wait';

jest.setTimeout(180_000);

const EventType = temporal.api.enums.v1.EventType;
const chinaMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const chinaNoon = (date: string) => Date.parse(`${date}T12:00:00+08:00`);

let h: Harness;
beforeEach(async () => {
  h = await startPrivateHarness({ timeSkipping: true });
});
afterEach(async () => {
  await h?.stop();
});

async function sleepUntil(instant: number): Promise<void> {
  const ms = instant - (await h.timeSkipping!.currentTimeMs());
  if (ms > 0) await h.sleep(ms);
}

/** Starts the watch as the API does, signed at the test server's (skipped) time. */
async function startWatch(p: Pensioner) {
  const now = await h.timeSkipping!.currentTimeMs();
  return startCertificationWatch(h.client, h.taskQueue, { ...testEnv.assertions, now: () => now }, p);
}

/** The watch's view from its current run once `done` holds (queried by run ID, so never racing a continue-as-new). */
async function watchView(
  p: Pensioner,
  done: (v: CertificationWatchView) => boolean,
  after?: string,
): Promise<CertificationWatchView & { runId: string }> {
  const id = certificationWatchId(p.awardId);
  const found = await eventually(
    async () => {
      const d = await h.client.workflow.getHandle(id).describe();
      if (d.runId === after || d.status.name !== 'RUNNING') return undefined;
      return { ...(await h.client.workflow.getHandle(id, d.runId).query(certificationWatchQuery)), runId: d.runId };
    },
    (v) => v !== undefined && done(v),
    20_000,
  );
  expect(found && done(found)).toBe(true);
  return found!;
}

const certify = (p: Pensioner, body: object) => post(h, `/api/v1/awards/${p.awardId}/certifications`, body);

/** The test server's date in China. */
async function serverToday(): Promise<string> {
  return chinaDate(await h.timeSkipping!.currentTimeMs());
}

/**
 * A due date 17 to about 25 days after `today`, on the 6th to the 28th of its month: every month
 * has that day (so do the dates a year and a month before it), the payroll of its month (on the
 * 5th) runs before it, and the data comparison a month before it is already due today.
 */
function dueDateAfter(today: string): string {
  const d = addDays(today, 17);
  const day = Number(d.slice(8, 10));
  if (day > 28) return `${addMonths(d.slice(0, 7), 1)}-06`;
  return day < 6 ? `${d.slice(0, 7)}-06` : d;
}

/** Sleeps until 12:00 China time on `date`, unless that has passed (the step then runs now). */
async function atNoonOf(date: string): Promise<void> {
  await sleepUntil(chinaNoon(date));
}

test('certified before the due date: the next certification is due 12 months later, in a fresh run, and nothing is suspended', async () => {
  // Last certified a year before the due date D, 17 days or more from today (2025-12-20, due
  // 2026-12-20); the registry comparison (a month before D) is already due when the watch starts.
  const due = dueDateAfter(await serverToday());
  const p = await seedPensioner(h, {
    firstPaymentMonth: addMonths(due.slice(0, 7), -2),
    monthlyAmount: '2300.00',
    lastCertifiedOn: addYears(due, -1),
  });
  await startWatch(p);
  const first = await watchView(p, (v) => v.status === 'active' && v.comparedFor === due);
  expect(first).toMatchObject({ dueDate: due, suspendedFrom: null });
  expect(await awardOf(h, p.awardId)).toMatchObject({ nextCertificationDue: due });

  // Certified eleven days (or a few more) before D, on a day every month has (2026-12-09).
  let on = addDays(due, -11);
  while (Number(on.slice(8, 10)) > 28) on = addDays(on, -1);
  const next = addYears(on, 1);
  await atNoonOf(on);
  const certified = await certify(p, { method: 'self_service', requestId: `face-${on}` });
  expect(certified.status).toBe(200);
  expect(certified.body).toMatchObject({
    outcome: 'certified',
    certifiedOn: on,
    nextCertificationDue: next,
    resumed: false,
    award: {
      status: 'active',
      lastCertifiedOn: on,
      nextCertificationDue: next,
      certifications: [{ certifiedOn: on, method: 'self_service', requestId: `face-${on}` }],
    },
  });
  // The same request again certifies nothing new.
  const again = await certify(p, { method: 'self_service', requestId: `face-${on}` });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({
    outcome: 'duplicate',
    certifiedOn: on,
    award: { certifications: [expect.objectContaining({ requestId: `face-${on}` })] },
  });
  expect(again.body.award.certifications).toHaveLength(1);

  // The certification started the next cycle in a new run (continue-as-new).
  const nextRun = await watchView(p, (v) => v.dueDate === next, first.runId);
  const firstHistory = await h.client.workflow.getHandle(certificationWatchId(p.awardId), first.runId).fetchHistory();
  expect(firstHistory.events!.at(-1)!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

  // The old due date passes: nothing happens.
  await sleepUntil(chinaMidnight(addDays(due, 2)));
  expect(await awardOf(h, p.awardId)).toMatchObject({
    status: 'active',
    suspendedFrom: null,
    nextCertificationDue: next,
  });
  expect(await watchView(p, (v) => v.status === 'active')).toMatchObject({ runId: nextRun.runId, dueDate: next });
});

test('not certified by the due date: suspended (payments stop); certified late: resumed, and the next run pays the missed months in arrears', async () => {
  // Due on D (2026-12-20), in month M (2026-12); paid since the month before M (2026-11).
  const due = dueDateAfter(await serverToday());
  const m = (n: number) => addMonths(due.slice(0, 7), n);
  const p = await seedPensioner(h, {
    firstPaymentMonth: m(-1),
    monthlyAmount: '2400.00',
    lastCertifiedOn: addYears(due, -1),
  });
  expect(await runPayroll(h, m(-1))).toMatchObject({ paid: 1 });
  await startWatch(p);
  await watchView(p, (v) => v.comparedFor === due);

  await atNoonOf(`${m(0)}-05`);
  expect(await runPayroll(h, m(0))).toMatchObject({ paid: 1, skipped: 0 });

  // Until the end of the due date the award is paid as usual…
  const dueEnd = chinaMidnight(addDays(due, 1));
  await sleepUntil(dueEnd - 60_000);
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active' });
  // …then it is suspended: M was paid already, so from the month after (2027-01).
  await sleepUntil(dueEnd + 60_000);
  const suspended = await eventually(
    () => awardOf(h, p.awardId),
    (a) => a.status === 'suspended',
    15_000,
  );
  expect(suspended).toMatchObject({ status: 'suspended', suspendedFrom: m(1) });
  expect(await watchView(p, (v) => v.status === 'suspended')).toMatchObject({ suspendedFrom: m(1) });

  await atNoonOf(`${m(1)}-05`);
  expect(await runPayroll(h, m(1))).toEqual({
    month: m(1),
    paid: 0,
    arrears: 0,
    skipped: 1,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '0.00',
  });
  await atNoonOf(`${m(2)}-05`);
  expect(await runPayroll(h, m(2))).toEqual({
    month: m(2),
    paid: 0,
    arrears: 0,
    skipped: 1,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '0.00',
  });

  const lateOn = `${m(2)}-10`;
  await atNoonOf(lateOn);
  const late = await certify(p, { method: 'visit', requestId: `visit-${lateOn}` });
  expect(late.status).toBe(200);
  expect(late.body).toMatchObject({
    outcome: 'certified',
    certifiedOn: lateOn,
    nextCertificationDue: addYears(lateOn, 1),
    resumed: true,
    award: { status: 'active', suspendedFrom: null },
  });

  await atNoonOf(`${m(3)}-05`);
  expect(await runPayroll(h, m(3))).toEqual({
    month: m(3),
    paid: 1,
    arrears: 2,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: '7200.00',
  });
  expect(await paymentsOf(h, p.awardId)).toEqual([
    `${m(-1)} regular 2400.00 ${m(-1)}`,
    `${m(0)} regular 2400.00 ${m(0)}`,
    `${m(1)} arrears 2400.00 ${m(3)}`,
    `${m(2)} arrears 2400.00 ${m(3)}`,
    `${m(3)} regular 2400.00 ${m(3)}`,
  ]);
  expect(await watchView(p, (v) => v.dueDate === addYears(lateOn, 1))).toMatchObject({ status: 'active' });
});

test('the data comparison a month before the due date finds a death in the registry: paid for that month, stopped after it, later payments flagged, the watch ends', async () => {
  // This month M0 (2026-12); paid since the month before; due on the 15th three months on
  // (2027-03-15), compared with the registry on the 15th two months on (2027-02-15).
  const m0 = (await serverToday()).slice(0, 7);
  const m = (n: number) => addMonths(m0, n);
  const due = `${m(3)}-15`;
  const p = await seedPensioner(h, {
    firstPaymentMonth: m(-1),
    monthlyAmount: '2600.00',
    lastCertifiedOn: addYears(due, -1),
  });
  expect(await runPayroll(h, m(-1))).toMatchObject({ paid: 1 });
  const watch = await startWatch(p);
  expect(await watchView(p, (v) => v.dueDate === due)).toMatchObject({ comparedFor: null });

  // Three payrolls while the registry knows of no death (each payroll batch is compared with it
  // too, activities/recovery.ts: a death it finds stops the award before paying).
  for (const month of [m(0), m(1), m(2)]) {
    await atNoonOf(`${month}-05`);
    expect(await runPayroll(h, month)).toMatchObject({ paid: 1 });
  }
  // Then civil affairs registers, late, a death on the 10th of M0 that nobody reported to the agency.
  const registered = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${p.idNumber}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dateOfDeath: `${m(0)}-10` }),
  });
  expect(registered.status).toBe(200);
  // Not yet compared: the award is still active the day before the comparison.
  await atNoonOf(`${m(2)}-14`);
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active' });

  await sleepUntil(chinaMidnight(`${m(2)}-15`) + 60_000);
  expect(
    await eventually(
      () => awardOf(h, p.awardId),
      (a) => a.status === 'stopped',
      15_000,
    ),
  ).toMatchObject({ status: 'stopped', stoppedAfter: m(0) });
  expect(await watch.result()).toEqual({ awardId: p.awardId, outcome: 'stopped' });
  const award = await get(h, `/api/v1/awards/${p.awardId}`);
  expect(award.body).toMatchObject({ status: 'stopped', stoppedAfter: m(0) });
  expect(award.body.overpayments.map((o: { month: string; amount: string }) => `${o.month} ${o.amount}`)).toEqual([
    `${m(1)} 2600.00`,
    `${m(2)} 2600.00`,
  ]);
  expect(award.body.overpayments[0].reason).toContain('死亡登记数据比对');

  await atNoonOf(`${m(3)}-05`);
  expect(await runPayroll(h, m(3))).toMatchObject({ paid: 0, arrears: 0 });
  expect(await paymentsOf(h, p.awardId)).toHaveLength(4);
});
