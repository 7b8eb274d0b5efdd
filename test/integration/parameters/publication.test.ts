/**
 * Parameters are published, not edited (issue 9), end to end on a database of each test's own
 * (a publication wakes every waiting case and recalculates every provisional award of its
 * database, so tests must not share one):
 * - a claim whose record needs a value nobody published waits visibly (stage awaiting_parameters,
 *   a supervisor's task naming the values, the search attributes), and two supervisors publishing
 *   the values (one proposes, another approves) let it go on to certification;
 * - a provisional award (the retirement year's 计发基数 and last year's interest rate not yet
 *   published) is recalculated when each is published, with its history of amounts and the
 *   parameter versions behind each, a notice, and the difference for the months already paid
 *   settled by the next payroll run;
 * - the API: reading rows by name, region and date; corrections as new versions; refusals.
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import { awardAmounts, awards, notices, ruleParameters, tasks } from '../../../db/schema';
import { dec, money } from '../../../domain/money';
import { PARAMETER_NAMES } from '../../../domain/parameters';
import { addMonths } from '../../../domain/year-month';
import { asUser, type TestUser } from '../../helpers/auth';
import { paymentsOf, runPayroll, startPrivateHarness } from '../../helpers/benefits';
import {
  acceptor,
  claimBody,
  retiredMan,
  claimConfirmer,
  claimReviewer,
  months,
  putPersonnelFile,
  seedInsured,
} from '../../helpers/claims';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { currentYearMonth } from '../../helpers/time';
import { privateAgency } from '../../helpers/tasks';
import { eventually } from '../../helpers/wait';

jest.setTimeout(180_000);

// Case numbers count per agency and database: an agency of each test's own keeps the workflow
// IDs of these private databases apart on the shared Temporal server.
let agency: string;
let SUPERVISOR_A: TestUser;
let SUPERVISOR_B: TestUser;

let h: Harness;
beforeEach(async () => {
  agency = privateAgency();
  SUPERVISOR_A = { user: 'supervisor-a', role: 'supervisor', agencies: [agency] };
  SUPERVISOR_B = { user: 'supervisor-b', role: 'supervisor', agencies: [agency] };
  h = await startPrivateHarness();
});
afterEach(async () => {
  await h?.stop();
});

async function caseView(caseId: string) {
  return (await get(h, `/api/v1/cases/${caseId}`)).body;
}

/** Proposes a row as supervisor A and approves it as supervisor B: published. */
async function publish(row: {
  name: string;
  region: string;
  validFrom: string;
  validTo?: string;
  value: unknown;
  source?: string;
}) {
  const proposed = await post(
    h,
    '/api/v1/parameters',
    { source: 'test publication', verified: false, ...row },
    asUser(SUPERVISOR_A),
  );
  expect(proposed.status).toBe(201);
  const approved = await post(
    h,
    `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`,
    {},
    asUser(SUPERVISOR_B),
  );
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({
    fanOut: 'started',
    proposal: { status: 'approved', decidedBy: SUPERVISOR_B.user },
  });
  return approved.body as { publicationId: number; version: number };
}

/** A claim filed at the counter, accepted, its file reviewed (no deemed months): the reviewer's answer. */
async function claimToAssessment(idNumber: string) {
  await putPersonnelFile(idNumber, {
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    deemedMonths: 0,
  });
  const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline', agencyCode: agency }));
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const accepted = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    acceptor,
  );
  expect({ status: accepted.status, error: accepted.body.error }).toEqual({ status: 200, error: undefined });
  const reviewed = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '0' }] },
    claimReviewer,
  );
  expect(reviewed.status).toBe(200);
  return { caseId, view: reviewed.body };
}

test('a claim needing a value nobody published waits on a supervisor with a task naming it; two supervisors publish each value and the claim goes on to certification', async () => {
  const { idNumber, retirementYearMonth } = retiredMan({ monthsAgo: 2 });
  // 1994: before the first published average wage (1996-07) and the first credit rate (1998).
  await seedInsured(h, {
    idNumber,
    agencyCode: agency,
    records: [
      ...months('1994-01', '1994-12').map((yearMonth) => ({ yearMonth, base: '300.00' })),
      ...months('2010-01', addMonths(retirementYearMonth, -1)).map((yearMonth) => ({ yearMonth, base: '3000.00' })),
    ],
  });
  const { caseId, view } = await claimToAssessment(idNumber);

  // Waiting, visibly: stage, whom, the task, the note, the search attributes.
  expect(view).toMatchObject({ status: 'open', stage: 'awaiting_parameters', waitingOn: 'supervisor' });
  const missingEvent = view.events.find((e: { type: string }) => e.type === 'parameters_missing');
  expect(missingEvent.detail.missing).toEqual([
    { name: PARAMETER_NAMES.averageWage, region: agency, year: 1994 },
    { name: PARAMETER_NAMES.accountCreditRate, region: agency, onDate: '1994-01-01' },
  ]);
  const inbox = await get(h, `/api/v1/tasks?step=publish_parameters&caseId=${caseId}`, asUser(SUPERVISOR_A));
  expect(inbox.status).toBe(200);
  const task = inbox.body.items.find((t: { caseId: string }) => t.caseId === caseId);
  expect(task).toMatchObject({ step: 'publish_parameters', role: 'supervisor', status: 'open' });
  expect(task.title).toContain(`contribution.averageWage 1994 (${agency})`);
  expect(task.title).toContain(`contribution.accountCreditRate 1994-01-01 (${agency})`);
  const described = await h.client.workflow.getHandle(caseId).describe();
  expect(described.searchAttributes).toMatchObject({ CaseStage: ['awaiting_parameters'], WaitingOn: ['supervisor'] });
  const details = await h.client.workflow.getHandle(caseId).describe();
  expect(details.status.name).toBe('RUNNING');
  expect(details.raw.pendingActivities ?? []).toEqual([]);

  // The proposer cannot approve their own proposal.
  const proposed = await post(
    h,
    '/api/v1/parameters',
    {
      name: PARAMETER_NAMES.averageWage,
      region: '62',
      validFrom: '1994-01-01',
      validTo: '1994-12-31',
      value: '300',
      source: '甘肃统计年鉴1994（测试）',
      verified: false,
    },
    asUser(SUPERVISOR_A),
  );
  expect(proposed.status).toBe(201);
  const own = await post(
    h,
    `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`,
    {},
    asUser(SUPERVISOR_A),
  );
  expect(own.status).toBe(403);
  expect(own.body.error.code).toBe('separation.own_proposal');
  expect((await caseView(caseId)).stage).toBe('awaiting_parameters');
  const approved = await post(
    h,
    `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`,
    {},
    asUser(SUPERVISOR_B),
  );
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ version: 1, fanOut: 'started' });

  // Woken: it computes again and now waits only for the credit rate, with a task of its own.
  const second = await eventually(
    () => caseView(caseId),
    (c) => c.events.filter((e: { type: string }) => e.type === 'parameters_missing').length === 2,
    90_000,
  );
  expect(second.events.filter((e: { type: string }) => e.type === 'parameters_missing')[1].detail.missing).toEqual([
    { name: PARAMETER_NAMES.accountCreditRate, region: agency, onDate: '1994-01-01' },
  ]);
  expect(second.stage).toBe('awaiting_parameters');
  const caseTasks = await h.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.caseId, caseId), eq(tasks.step, 'publish_parameters')));
  expect(caseTasks.map((t) => t.status).sort()).toEqual(['done', 'open']);

  await publish({
    name: PARAMETER_NAMES.accountCreditRate,
    region: '62',
    validFrom: '1994-01-01',
    validTo: '1997-12-31',
    value: '0.11',
  });
  const assessed = await eventually(
    () => caseView(caseId),
    (c) => c.stage === 'review' && c.waitingOn === 'reviewer',
    90_000,
  );
  expect(assessed).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
  const assessment = assessed.events.find((e: { type: string }) => e.type === 'claim_assessed').detail;
  expect(assessment).toMatchObject({
    eligible: true,
    contributions: { localMonths: 12 + months('2010-01', addMonths(retirementYearMonth, -1)).length },
  });
  expect(
    (
      await h.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.step, 'publish_parameters')))
    ).every((t) => t.status === 'done'),
  ).toBe(true);

  const certified = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    claimConfirmer,
  );
  expect(certified.status).toBe(200);
  expect(certified.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  // the certified claim's archive record holds its award.
  const archive = await get(
    h,
    `/api/v1/archives/${caseId}`,
    asUser({ user: 'auditor-9', role: 'auditor', agencies: [agency] }),
  );
  expect(archive.status).toBe(200);
  expect(archive.body.content.award).toMatchObject({
    awardId: certified.body.award.awardId,
    monthlyAmount: certified.body.award.monthlyAmount,
    provisional: certified.body.award.provisional,
  });
  // The award records the rows it used, with their versions: the two just published among them.
  const used = certified.body.award.parameters as Array<{
    name: string;
    region: string;
    validFrom: string;
    version: number;
    verified: boolean;
  }>;
  expect(used).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: PARAMETER_NAMES.averageWage,
        region: '62',
        validFrom: '1994-01-01',
        version: 1,
        verified: false,
      }),
      expect.objectContaining({
        name: PARAMETER_NAMES.accountCreditRate,
        region: '62',
        validFrom: '1994-01-01',
        version: 1,
        verified: false,
      }),
    ]),
  );
});

test('a provisional award is recalculated when each value it stood on is published; its history keeps every amount with its parameters, the pensioner gets a notice, and the next payroll settles the difference', async () => {
  const { idNumber, retirementYearMonth } = retiredMan({ monthsAgo: 3 });
  const retirementYear = Number(retirementYearMonth.slice(0, 4));
  // The table as it stands before the retirement year's 计发基数 and last year's interest rate are
  // published (whatever year this runs in).
  await h.db
    .delete(ruleParameters)
    .where(
      and(eq(ruleParameters.name, PARAMETER_NAMES.baseWage), gte(ruleParameters.validFrom, `${retirementYear}-01-01`)),
    );
  await h.db
    .delete(ruleParameters)
    .where(
      and(
        eq(ruleParameters.name, PARAMETER_NAMES.interestRate),
        gte(ruleParameters.validFrom, `${retirementYear - 1}-01-01`),
      ),
    );
  const [standInBase] = await h.db
    .select({ value: sql<string>`${ruleParameters.value} #>> '{}'`, validFrom: ruleParameters.validFrom })
    .from(ruleParameters)
    .where(eq(ruleParameters.name, PARAMETER_NAMES.baseWage))
    .orderBy(sql`${ruleParameters.validFrom} desc`)
    .limit(1);

  await seedInsured(h, {
    idNumber,
    agencyCode: agency,
    records: months(`${retirementYear - 16}-01`, addMonths(retirementYearMonth, -1)).map((yearMonth) => ({
      yearMonth,
      base: '5000.00',
    })),
  });
  const { caseId, view } = await claimToAssessment(idNumber);
  expect(view.stage).toBe('review');
  const assessment = view.events.find((e: { type: string }) => e.type === 'claim_assessed').detail;
  expect(assessment.provisional).toBe(true);
  expect(
    assessment.provisionalParameters.map((p: { name: string; year: number }) => `${p.name} ${p.year}`).sort(),
  ).toEqual(
    [`${PARAMETER_NAMES.baseWage} ${retirementYear}`, `${PARAMETER_NAMES.interestRate} ${retirementYear - 1}`].sort(),
  );
  const certified = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    claimConfirmer,
  );
  expect(certified.status).toBe(200);
  const awardId: string = certified.body.award.awardId;
  expect(certified.body.award).toMatchObject({ provisional: true });
  expect((await get(h, `/api/v1/awards/${awardId}`)).body).toMatchObject({
    provisional: true,
    amounts: [{ seq: 1, reason: 'certified', provisional: true }],
  });
  expect(certified.body.notices.find((n: { kind: string }) => n.kind === 'outcome').text).toContain('暂定（预发）');
  const first = certified.body.award.monthlyAmount as string;

  // Paid for two months already (as if certified two months ago: the dev server cannot run a
  // payroll for a month not yet begun), by the real payroll run: one in arrears, one regular.
  const paidFrom = addMonths(currentYearMonth(), -1);
  await h.db.update(awards).set({ firstPaymentMonth: paidFrom }).where(eq(awards.id, awardId));
  expect(await runPayroll(h, currentYearMonth())).toEqual({
    month: currentYearMonth(),
    paid: 1,
    arrears: 1,
    skipped: 0,
    adjustments: 0,
    adjustmentTotal: '0.00',
    total: money(dec(first).times(2)),
  });

  // The 计发基数 of the retirement year is published: recalculated, still provisional (interest).
  const base = money(dec(standInBase.value).plus(100)).replace(/\.00$/, '');
  const one = await publish({
    name: PARAMETER_NAMES.baseWage,
    region: '62',
    validFrom: `${retirementYear}-01-01`,
    validTo: `${retirementYear}-12-31`,
    value: base,
  });
  const afterBase = await eventually(
    () => get(h, `/api/v1/awards/${awardId}`),
    (r) => r.body.amounts?.length === 2,
    90_000,
  );
  const second = afterBase.body.amounts[1];
  expect(second).toMatchObject({
    seq: 2,
    reason: 'recalculated',
    provisional: true,
    publicationId: one.publicationId,
    effectiveFrom: addMonths(currentYearMonth(), 1),
  });
  expect(second.parameters).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: PARAMETER_NAMES.baseWage, value: base, year: retirementYear, version: 1 }),
    ]),
  );
  expect(dec(second.monthlyAmount).gt(first)).toBe(true);
  expect(afterBase.body.adjustments).toEqual([
    expect.objectContaining({ amount: money(dec(second.monthlyAmount).minus(first).times(2)), settledInRun: null }),
  ]);

  // Last year's interest rate is published: recalculated again, now final.
  const two = await publish({
    name: PARAMETER_NAMES.interestRate,
    region: 'CN',
    validFrom: `${retirementYear - 1}-01-01`,
    validTo: `${retirementYear - 1}-12-31`,
    value: '0.0300',
  });
  const afterRate = await eventually(
    () => get(h, `/api/v1/awards/${awardId}`),
    (r) => r.body.amounts?.length === 3,
    90_000,
  );
  const third = afterRate.body.amounts[2];
  expect(third).toMatchObject({ seq: 3, reason: 'recalculated', provisional: false, publicationId: two.publicationId });
  expect(afterRate.body).toMatchObject({ provisional: false, monthlyAmount: third.monthlyAmount });
  // The second difference is owed on top of the first: never counted twice.
  const owed = [
    money(dec(second.monthlyAmount).minus(first).times(2)),
    money(dec(third.monthlyAmount).minus(second.monthlyAmount).times(2)),
  ];
  expect(afterRate.body.adjustments.map((a: { amount: string }) => a.amount)).toEqual(owed);

  // The pensioner is told each time.
  const sent = await h.db
    .select()
    .from(notices)
    .where(and(eq(notices.caseId, caseId), eq(notices.kind, 'recalculation')));
  expect(sent.map((n) => n.round).sort()).toEqual([1, 2]);
  expect(sent.find((n) => n.round === 2)!.text).toContain(`重新核定，基本养老金月标准为${third.monthlyAmount}元`);
  expect(sent.find((n) => n.round === 1)!.text).toContain('本标准仍为暂定标准');

  // The next run settles both differences once; a further run settles nothing.
  const net = money(dec(owed[0]).plus(owed[1]));
  expect(await runPayroll(h, currentYearMonth())).toMatchObject({
    paid: 1,
    arrears: 1,
    adjustments: 2,
    adjustmentTotal: net,
    total: money(dec(first).times(2).plus(net)),
  });
  expect(
    (await get(h, `/api/v1/awards/${awardId}`)).body.adjustments.every(
      (a: { settledInRun: string }) => a.settledInRun === currentYearMonth(),
    ),
  ).toBe(true);
  expect(await runPayroll(h, currentYearMonth())).toMatchObject({ adjustments: 2, adjustmentTotal: net });
  expect(await paymentsOf(h, awardId)).toHaveLength(2);
  expect(await h.db.select().from(awardAmounts).where(eq(awardAmounts.awardId, awardId))).toHaveLength(3);
  const run = await get(h, `/api/v1/payroll/runs/${currentYearMonth()}`);
  expect(run.body.log.map((l: { message: string }) => l.message).join('\n')).toContain(
    `结算重算差额2笔（净额${net}元）`,
  );
});

test('the parameter API: rows by name, region and date with versions and sources; a correction is a new version; bad proposals are refused naming the field; proposals are idempotent', async () => {
  const byYear = await get(
    h,
    `/api/v1/parameters?name=${PARAMETER_NAMES.averageWage}&region=620102&onDate=2025-06-01`,
    asUser(SUPERVISOR_A),
  );
  expect(byYear.status).toBe(200);
  expect(byYear.body.rows).toEqual([
    expect.objectContaining({
      name: PARAMETER_NAMES.averageWage,
      region: '62',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
      version: 1,
      value: '7338',
      verified: true,
      superseded: false,
    }),
  ]);
  expect(byYear.body.parameterSetVersion).toBeGreaterThan(0);

  // A correction: the next version of the same key; the old one stays, superseded.
  const corrected = await publish({
    name: PARAMETER_NAMES.averageWage,
    region: '62',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '6816',
    source: '甘人社通〔2023〕301号（测试）',
  });
  expect(corrected.version).toBe(2);
  const history = await get(
    h,
    `/api/v1/parameters?name=${PARAMETER_NAMES.averageWage}&region=62&history=true`,
    asUser(SUPERVISOR_A),
  );
  const of2023 = history.body.rows.filter((r: { validFrom: string }) => r.validFrom === '2023-01-01');
  expect(
    of2023.map((r: { version: number; value: string; superseded: boolean }) => [r.version, r.value, r.superseded]),
  ).toEqual([
    [2, '6816', false],
    [1, '6861', true],
  ]);
  const current = await get(
    h,
    `/api/v1/parameters?name=${PARAMETER_NAMES.averageWage}&onDate=2023-05-01`,
    asUser(SUPERVISOR_A),
  );
  expect(current.body.rows).toEqual([
    expect.objectContaining({ value: '6816', version: 2, publishedBy: SUPERVISOR_B.user }),
  ]);

  const bad = async (body: Record<string, unknown>) =>
    post(
      h,
      '/api/v1/parameters',
      {
        name: PARAMETER_NAMES.interestRate,
        region: 'CN',
        validFrom: '2030-01-01',
        value: '0.02',
        source: 's',
        verified: false,
        ...body,
      },
      asUser(SUPERVISOR_A),
    );
  expect((await bad({ value: '2.62' })).body.error).toMatchObject({ code: 'parameters.invalid_value', field: 'value' });
  expect((await bad({ name: 'no.such' })).body.error).toMatchObject({ code: 'parameters.unknown_name', field: 'name' });
  expect((await bad({ validFrom: '2030-02-30' })).body.error).toMatchObject({
    code: 'validation.date',
    field: 'validFrom',
  });
  expect((await bad({ validTo: '2029-12-31' })).body.error).toMatchObject({
    code: 'validation.date',
    field: 'validTo',
  });
  const elsewhere = await post(
    h,
    '/api/v1/parameters',
    {
      name: PARAMETER_NAMES.baseWage,
      region: '61',
      validFrom: '2030-01-01',
      value: '9000',
      source: 's',
      verified: false,
    },
    asUser(SUPERVISOR_A),
  );
  expect(elsewhere.status).toBe(403);
  expect(elsewhere.body.error.code).toBe('auth.forbidden_region');
  const notSupervisor = await post(
    h,
    '/api/v1/parameters',
    {
      name: PARAMETER_NAMES.baseWage,
      region: '62',
      validFrom: '2030-01-01',
      value: '9000',
      source: 's',
      verified: false,
    },
    asUser({ user: 'clerk-77', role: 'acceptor', agencies: [agency] }),
  );
  expect(notSupervisor.status).toBe(403);

  const key = { 'idempotency-key': `proposal-${Date.now()}` };
  const body = {
    name: PARAMETER_NAMES.baseWage,
    region: '62',
    validFrom: '2040-01-01',
    validTo: '2040-12-31',
    value: '12000',
    source: 's',
    verified: false,
  };
  const once = await post(h, '/api/v1/parameters', body, { ...asUser(SUPERVISOR_A), ...key });
  const twice = await post(h, '/api/v1/parameters', body, { ...asUser(SUPERVISOR_A), ...key });
  expect([once.status, twice.status]).toEqual([201, 200]);
  expect(twice.body.proposalId).toBe(once.body.proposalId);
  const other = await post(h, '/api/v1/parameters', { ...body, value: '13000' }, { ...asUser(SUPERVISOR_A), ...key });
  expect(other.status).toBe(422);
  expect(other.body.error.code).toBe('idempotency.mismatch');
  const approvedTwice = await post(
    h,
    `/api/v1/parameters/proposals/${once.body.proposalId}/approval`,
    {},
    asUser(SUPERVISOR_B),
  );
  expect(approvedTwice.status).toBe(200);
  const again = await post(
    h,
    `/api/v1/parameters/proposals/${once.body.proposalId}/approval`,
    {},
    asUser({ ...SUPERVISOR_B, user: 'supervisor-c' }),
  );
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('parameters.proposal_decided');
});
