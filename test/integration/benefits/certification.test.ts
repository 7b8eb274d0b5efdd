/**
 * The yearly eligibility certification (领取待遇资格认证; R-4, domain.md §8) on the time-skipping
 * test server, on a database of each test's own (payroll runs pay the whole database): certified
 * in time → the next cycle; not certified by the due date → suspended; certified late → resumed
 * and the suspended months paid in arrears by the next run; a death found by the data comparison
 * with the death registry → stopped after the month of death, later payments flagged.
 */
import { temporal } from '@temporalio/proto';
import { certificationWatchId, certificationWatchQuery, type CertificationWatchView } from '../../../workflows/certification';
import { awardOf, paymentsOf, runPayroll, seedPensioner, startPrivateHarness, type Pensioner } from '../../helpers/benefits';
import { testEnv } from '../../helpers/env';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
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

async function startWatch(p: Pensioner) {
  return h.client.workflow.start('certificationWatch', { workflowId: certificationWatchId(p.awardId), taskQueue: h.taskQueue, args: [{ awardId: p.awardId, caseId: p.caseId }] });
}

/** The watch's view from its current run once `done` holds (queried by run ID, so never racing a continue-as-new). */
async function watchView(p: Pensioner, done: (v: CertificationWatchView) => boolean, after?: string): Promise<CertificationWatchView & { runId: string }> {
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

test('certified before the due date: the next certification is due 12 months later, in a fresh run, and nothing is suspended', async () => {
  // Last certified 20 December 2025: due 20 December 2026; the registry comparison (a month
  // before) is already due when the watch starts.
  const p = await seedPensioner(h, { firstPaymentMonth: '2026-10', monthlyAmount: '2300.00', lastCertifiedOn: '2025-12-20' });
  await startWatch(p);
  const first = await watchView(p, (v) => v.status === 'active' && v.comparedFor === '2026-12-20');
  expect(first).toMatchObject({ dueDate: '2026-12-20', suspendedFrom: null });
  expect(await awardOf(h, p.awardId)).toMatchObject({ nextCertificationDue: '2026-12-20' });

  await sleepUntil(chinaNoon('2026-12-09'));
  const certified = await certify(p, { method: 'self_service', requestId: 'face-2026-12-09' });
  expect(certified.status).toBe(200);
  expect(certified.body).toMatchObject({
    outcome: 'certified',
    certifiedOn: '2026-12-09',
    nextCertificationDue: '2027-12-09',
    resumed: false,
    award: { status: 'active', lastCertifiedOn: '2026-12-09', nextCertificationDue: '2027-12-09', certifications: [{ certifiedOn: '2026-12-09', method: 'self_service', requestId: 'face-2026-12-09' }] },
  });
  // The same request again certifies nothing new.
  const again = await certify(p, { method: 'self_service', requestId: 'face-2026-12-09' });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ outcome: 'duplicate', certifiedOn: '2026-12-09', award: { certifications: [expect.objectContaining({ requestId: 'face-2026-12-09' })] } });
  expect(again.body.award.certifications).toHaveLength(1);

  // The certification started the next cycle in a new run (continue-as-new).
  const next = await watchView(p, (v) => v.dueDate === '2027-12-09', first.runId);
  const firstHistory = await h.client.workflow.getHandle(certificationWatchId(p.awardId), first.runId).fetchHistory();
  expect(firstHistory.events!.at(-1)!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

  // The old due date passes: nothing happens.
  await sleepUntil(chinaMidnight('2026-12-22'));
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active', suspendedFrom: null, nextCertificationDue: '2027-12-09' });
  expect(await watchView(p, (v) => v.status === 'active')).toMatchObject({ runId: next.runId, dueDate: '2027-12-09' });
});

test('not certified by the due date: suspended (payments stop); certified late: resumed, and the next run pays the missed months in arrears', async () => {
  const p = await seedPensioner(h, { firstPaymentMonth: '2026-11', monthlyAmount: '2400.00', lastCertifiedOn: '2025-12-20' });
  expect(await runPayroll(h, '2026-11')).toMatchObject({ paid: 1 });
  await startWatch(p);
  await watchView(p, (v) => v.comparedFor === '2026-12-20');

  await sleepUntil(chinaNoon('2026-12-05'));
  expect(await runPayroll(h, '2026-12')).toMatchObject({ paid: 1, skipped: 0 });

  // Until the end of the due date the award is paid as usual…
  const dueEnd = chinaMidnight('2026-12-21');
  await sleepUntil(dueEnd - 60_000);
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active' });
  // …then it is suspended: December was paid already, so from January.
  await sleepUntil(dueEnd + 60_000);
  const suspended = await eventually(() => awardOf(h, p.awardId), (a) => a.status === 'suspended', 15_000);
  expect(suspended).toMatchObject({ status: 'suspended', suspendedFrom: '2027-01' });
  expect(await watchView(p, (v) => v.status === 'suspended')).toMatchObject({ suspendedFrom: '2027-01' });

  await sleepUntil(chinaNoon('2027-01-05'));
  expect(await runPayroll(h, '2027-01')).toEqual({ month: '2027-01', paid: 0, arrears: 0, skipped: 1, total: '0.00' });
  await sleepUntil(chinaNoon('2027-02-05'));
  expect(await runPayroll(h, '2027-02')).toEqual({ month: '2027-02', paid: 0, arrears: 0, skipped: 1, total: '0.00' });

  await sleepUntil(chinaNoon('2027-02-10'));
  const late = await certify(p, { method: 'visit', requestId: 'visit-2027-02-10' });
  expect(late.status).toBe(200);
  expect(late.body).toMatchObject({ outcome: 'certified', certifiedOn: '2027-02-10', nextCertificationDue: '2028-02-10', resumed: true, award: { status: 'active', suspendedFrom: null } });

  await sleepUntil(chinaNoon('2027-03-05'));
  expect(await runPayroll(h, '2027-03')).toEqual({ month: '2027-03', paid: 1, arrears: 2, skipped: 0, total: '7200.00' });
  expect(await paymentsOf(h, p.awardId)).toEqual([
    '2026-11 regular 2400.00 2026-11',
    '2026-12 regular 2400.00 2026-12',
    '2027-01 arrears 2400.00 2027-03',
    '2027-02 arrears 2400.00 2027-03',
    '2027-03 regular 2400.00 2027-03',
  ]);
  expect(await watchView(p, (v) => v.dueDate === '2028-02-10')).toMatchObject({ status: 'active' });
});

test('the data comparison a month before the due date finds a death in the registry: paid for that month, stopped after it, later payments flagged, the watch ends', async () => {
  const p = await seedPensioner(h, { firstPaymentMonth: '2026-11', monthlyAmount: '2600.00', lastCertifiedOn: '2026-03-15' });
  expect(await runPayroll(h, '2026-11')).toMatchObject({ paid: 1 });
  const watch = await startWatch(p);
  expect(await watchView(p, (v) => v.dueDate === '2027-03-15')).toMatchObject({ comparedFor: null });

  // The civil-affairs record of the death, 10 December 2026, which nobody reported to the agency.
  const registered = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${p.idNumber}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dateOfDeath: '2026-12-10' }),
  });
  expect(registered.status).toBe(200);
  for (const month of ['2026-12', '2027-01', '2027-02']) {
    await sleepUntil(chinaNoon(`${month}-05`));
    expect(await runPayroll(h, month)).toMatchObject({ paid: 1 });
  }
  // Not yet compared: the award is still active the day before the comparison.
  await sleepUntil(chinaNoon('2027-02-14'));
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active' });

  await sleepUntil(chinaMidnight('2027-02-15') + 60_000);
  expect(await eventually(() => awardOf(h, p.awardId), (a) => a.status === 'stopped', 15_000)).toMatchObject({ status: 'stopped', stoppedAfter: '2026-12' });
  expect(await watch.result()).toEqual({ awardId: p.awardId, outcome: 'stopped' });
  const award = await get(h, `/api/v1/awards/${p.awardId}`);
  expect(award.body).toMatchObject({ status: 'stopped', stoppedAfter: '2026-12' });
  expect(award.body.overpayments.map((o: { month: string; amount: string }) => `${o.month} ${o.amount}`)).toEqual(['2027-01 2600.00', '2027-02 2600.00']);
  expect(award.body.overpayments[0].reason).toContain('死亡登记数据比对');

  await sleepUntil(chinaNoon('2027-03-05'));
  expect(await runPayroll(h, '2027-03')).toMatchObject({ paid: 0, arrears: 0 });
  expect(await paymentsOf(h, p.awardId)).toHaveLength(4);
});
