/**
 * Risk control (section 10) end to end, on a database of each test's own (a register
 * publication and a payroll run reach the whole database):
 * - the register: read, re-graded by two supervisors, and the new grade driving the
 *   control of the next case (R-3, R-4: high-risk business of any procedure goes to collective
 *   review, after its electronic materials);
 * - data comparison (10.2.2) at enrollment: the death registry and the national register of
 *   insured people in other provinces;
 * - the monthly comparison of pensioners with the death registry before the payroll pays: the
 *   award stops at once and what was paid after the death goes to a recovery case.
 */
import { and, eq } from 'drizzle-orm';
import { awards, cases, overpayments } from '../../../db/schema';
import { applicantOf, asUser, type TestUser } from '../../helpers/auth';
import { paymentsOf, runPayroll, seedPensioner, startPrivateHarness } from '../../helpers/benefits';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { privateAgency } from '../../helpers/tasks';
import { addMonths, currentYearMonth } from '../../helpers/time';
import { eventually } from '../../helpers/wait';

jest.setTimeout(180_000);

let h: Harness;
let agency: string;
let supervisorA: TestUser;
let supervisorB: TestUser;
beforeEach(async () => {
  agency = privateAgency();
  supervisorA = { user: 'sup-risk-a', role: 'supervisor', agencies: [agency] };
  supervisorB = { user: 'sup-risk-b', role: 'supervisor', agencies: [agency] };
  h = await startPrivateHarness();
});
afterEach(async () => {
  await h?.stop();
});

async function simulator(base: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
}
const registerDeath = (idNumber: string, dateOfDeath: string) =>
  simulator(testEnv.governmentUrl, `/admin/death-registry/${idNumber}`, { dateOfDeath });
const insuredElsewhere = (idNumber: string, agencyCode: string) =>
  simulator(testEnv.platformUrl, `/admin/insured/${idNumber}`, { relations: [{ agencyCode, status: 'contributing' }] });
const scan = (kind: string, ref: string) => ({
  kind,
  ref,
  contentHash: 'b'.repeat(60) + '0abc',
  size: 98_304,
  type: 'image/jpeg',
});

test('the register is published like a parameter; re-graded by two supervisors, it sends the next case that touches the point to collective review after its scans', async () => {
  const first = await get(h, '/api/v1/risk/register', asUser(supervisorA));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ region: '62', version: 1 });
  const points = first.body.points as Array<{ key: string; grade: string }>;
  expect(points.map((p) => p.key)).toEqual(
    expect.arrayContaining([
      'enrollment.eligibility',
      'benefit_claim.amount',
      'benefit_claim.entitlement',
      'benefits.payment_after_death',
    ]),
  );
  expect(points.find((p) => p.key === 'enrollment.insured_elsewhere')?.grade).toBe('medium');
  expect(
    (await get(h, '/api/v1/risk/register', asUser({ user: 'aud-1', role: 'auditor', agencies: [agency] }))).status,
  ).toBe(200);
  expect(
    (await get(h, '/api/v1/risk/register', asUser({ user: 'clerk-1', role: 'acceptor', agencies: [agency] }))).status,
  ).toBe(403);

  const regraded = points.map((p) => (p.key === 'enrollment.insured_elsewhere' ? { ...p, grade: 'high' } : p));
  const proposed = await post(
    h,
    '/api/v1/risk/register',
    { points: regraded, source: '2026年第四季度风险评估：跨省重复参保比中率上升' },
    asUser(supervisorA),
  );
  expect(proposed.status).toBe(201);
  expect(proposed.body).toMatchObject({ status: 'proposed', version: 2 });
  expect(
    (await post(h, `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`, {}, asUser(supervisorA))).body
      .error.code,
  ).toBe('separation.own_proposal');
  expect(
    (await post(h, `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`, {}, asUser(supervisorB)))
      .status,
  ).toBe(200);
  const second = await get(h, '/api/v1/risk/register', asUser(supervisorA));
  expect(second.body).toMatchObject({ version: 2 });
  expect(second.body.points.find((p: { key: string }) => p.key === 'enrollment.insured_elsewhere').grade).toBe('high');
  const bad = await post(
    h,
    '/api/v1/risk/register',
    { points: [{ ...points[0], grade: 'severe' }], source: 'x' },
    asUser(supervisorA),
  );
  expect(bad.status).toBe(400);

  // An enrollment of someone the national register shows insured in Shaanxi: high-risk now.
  const idNumber = makeIdNumber();
  await insuredElsewhere(idNumber, '610102');
  const applicant = asUser(applicantOf(idNumber));
  const created = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ agencyCode: agency, applicant: { idNumber, name: '测试人' } }),
    applicant,
  );
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    status: 'open',
    stage: 'awaiting_e_materials',
    waitingOn: 'staff',
    riskGrade: 'high',
  });
  expect(created.body.riskPoints).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        key: 'enrollment.insured_elsewhere',
        grade: 'high',
        registerVersion: 2,
        detail: { agencies: ['610102'] },
      }),
      expect.objectContaining({ key: 'enrollment.eligibility', grade: 'medium' }),
    ]),
  );
  const caseId = created.body.caseId as string;
  expect((await h.client.workflow.getHandle(caseId).describe()).searchAttributes).toMatchObject({
    RiskGrade: ['high'],
  });
  const uploaded = await post(
    h,
    `/api/v1/cases/${caseId}/materials`,
    { materials: [scan('id_card', 'scan-1')] },
    applicant,
  );
  expect(uploaded.body).toMatchObject({ stage: 'collective_review' });
  for (const m of ['cr-r1', 'cr-r2', 'cr-r3']) {
    expect(
      (
        await post(
          h,
          `/api/v1/cases/${caseId}/decisions`,
          { step: 'collective_review', result: 'approve', reason: '外省关系已中断，登记后转入' },
          asUser({ user: m, role: 'collective_reviewer', agencies: [agency] }),
        )
      ).status,
    ).toBe(200);
  }
  const done = (await get(h, `/api/v1/cases/${caseId}`, asUser(supervisorA))).body;
  expect(done).toMatchObject({ status: 'closed', outcome: 'approved', followUp: 'transfer_in_required' });
});

test('enrollment compares with the death registry: a person it records as dead is refused', async () => {
  const idNumber = makeIdNumber();
  await registerDeath(idNumber, '2024-03-15');
  const res = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ agencyCode: agency, applicant: { idNumber, name: '测试人' } }),
    asUser(applicantOf(idNumber)),
  );
  expect(res.body).toMatchObject({
    status: 'closed',
    outcome: 'refused',
    outcomeReason: 'applicant_deceased',
    riskGrade: 'high',
  });
  expect(res.body.notices[0].text).toContain('2024-03-15');
});

test('before the payroll pays, pensioners are compared with the death registry: the award stops at once and a recovery case collects what was paid after the death', async () => {
  const month = currentYearMonth();
  const p = await seedPensioner(h, {
    agencyCode: agency,
    firstPaymentMonth: addMonths(month, -3),
    monthlyAmount: '2300.00',
  });
  const other = await seedPensioner(h, {
    agencyCode: agency,
    firstPaymentMonth: addMonths(month, -3),
    monthlyAmount: '1900.00',
  });
  // Paid up to last month, then the death (two months ago) is recorded.
  await runPayroll(h, addMonths(month, -1));
  expect(await paymentsOf(h, p.awardId)).toHaveLength(3);
  const deathMonth = addMonths(month, -2);
  await registerDeath(p.idNumber, `${deathMonth}-10`);

  const totals = await runPayroll(h, month);
  expect(totals).toMatchObject({ paid: 1, total: '1900.00' });
  const [award] = await h.db.select().from(awards).where(eq(awards.id, p.awardId));
  expect(award).toMatchObject({ status: 'stopped', stoppedAfter: deathMonth });
  expect(
    await h.db
      .select({ month: overpayments.month, amount: overpayments.amount })
      .from(overpayments)
      .where(eq(overpayments.awardId, p.awardId)),
  ).toEqual([{ month: addMonths(month, -1), amount: '2300.00' }]);
  expect(await paymentsOf(h, other.awardId)).toHaveLength(4);

  const [recovery] = await eventually(
    () =>
      h.db
        .select()
        .from(cases)
        .where(and(eq(cases.procedure, 'recovery'), eq(cases.personId, p.personId))),
    (rows) => rows.length === 1 && rows[0].stage === 'recovery',
    30_000,
  );
  expect(recovery.application).toMatchObject({
    awardId: p.awardId,
    months: [addMonths(month, -1)],
    total: '2300.00',
    source: 'death_registry',
  });
  const view = (await get(h, `/api/v1/cases/${recovery.id}`, asUser(supervisorA))).body;
  expect(view).toMatchObject({ procedure: 'recovery', status: 'open', waitingOn: 'reviewer', riskGrade: 'high' });
  const written = await post(
    h,
    `/api/v1/cases/${recovery.id}/decisions`,
    { step: 'recovery', result: 'written_off' },
    asUser({ user: 'rev-r', role: 'reviewer', agencies: [agency] }),
  );
  expect(written.body.error.code).toBe('decision.reason_required');
  const recovered = await post(
    h,
    `/api/v1/cases/${recovery.id}/decisions`,
    { step: 'recovery', result: 'recovered' },
    asUser({ user: 'rev-r', role: 'reviewer', agencies: [agency] }),
  );
  expect(recovered.body).toMatchObject({ status: 'closed', outcome: 'approved', outcomeReason: 'recovered' });
  expect(recovered.body.notices.find((n: { kind: string }) => n.kind === 'outcome').text).toContain('2300.00');

  // A re-run of the month opens no second recovery case.
  await runPayroll(h, month);
  expect(
    await h.db
      .select()
      .from(cases)
      .where(and(eq(cases.procedure, 'recovery'), eq(cases.personId, p.personId))),
  ).toHaveLength(1);
});
