/**
 * Benefit claims (B-1..B-6, B-8, B-9) end to end: HTTP API → Temporal dev server → worker →
 * PostgreSQL and the archive simulator. Dates are real: the certification date is today. The
 * claimants are derived from today (test/helpers/time.ts) — a man who reached his statutory
 * retirement age two months ago, one who reaches it in about two years — and the expected
 * figures from the parameter table (the seed the installation publishes) through an oracle that
 * spells the arithmetic out (test/helpers/pension-oracle.ts), so the tests mean the same in any
 * year: the record as of the end of the retirement month, the 计发基数 of the retirement year
 * (the latest published one standing in, provisionally, while it is not published), the
 * interest of every complete year (the latest published rate standing in for a year not yet
 * published).
 */
import type { CaseDetail } from '../../../db/repositories/cases';
import { ParameterResolver } from '../../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../../domain/parameter-seed';
import { computePension, pensionParametersForRetirement, type PensionInput } from '../../../domain/pension';
import { certificationWatchQuery } from '../../../workflows/certification';
import { chinaDate } from '../../helpers/china-calendar';
import {
  acceptor,
  birthDateOf,
  claimBody,
  claimConfirmer,
  claimReviewer,
  deemedOf,
  localYearsFor,
  manRetiringLater,
  minimumMonthsIn,
  putPersonnelFile,
  recordsBefore,
  relationOf,
  retiredMan,
  seedInsured,
  tasksOf,
} from '../../helpers/claims';
import { post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { oraclePension, oraclePensionTable, oracleRecord, standIns } from '../../helpers/pension-oracle';
import {
  addMonths,
  chineseMonths,
  chineseYearMonth,
  currentYearMonth,
  endOfMonth,
  monthRange,
} from '../../helpers/time';
import { eventually } from '../../helpers/wait';
import { certificationWatchId } from '../../../workflows/certification';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Event = CaseDetail['events'][number];
const types = (c: { events: Array<{ type: string }> }) => c.events.map((e) => e.type);
const eventOf = (c: { events: Event[] }, type: string) => c.events.find((e) => e.type === type);
const codes = (items: ReadonlyArray<{ code: string }>) => items.map((i) => i.code);

/** The parameter table the claims are computed with: the seed, as the installation publishes it. */
const parameterTable = () => new ParameterResolver(PARAMETER_SEED, '620102');

/** A man who reached his statutory age two months ago, with the two complete years before his retirement year paid locally at 6000. */
async function insuredMan() {
  const man = retiredMan();
  const seeded = await seedInsured(h, { idNumber: man.idNumber, records: recordsBefore(man.retirementYearMonth, 2) });
  return { ...man, ...seeded };
}

describe('an approved claim (B-1, B-8, B-9)', () => {
  test('offline: accepted, file retrieved, deemed months recognised, reviewed, certified — the award to the cent, the relation receiving, payment from next month', async () => {
    // A man whose statutory age was reached two months ago (R); local records at 6000 for the
    // complete years before R's year (two, or more when the minimum of R's year needs them), the
    // year before those taken over from Shaanxi at 5000, and 4800.00 of account money that came
    // with it, posted in March of the first local year; 150 of the file's 160 deemed months.
    // On 2026-12-03 that is R = 2026-10 (born 1966-05, 60y5m), 2024–2025 local, 2023
    // transferred: 36 + 150 = 186 ≥ 180 months; Ī = (12×5000/6861 + 12×6000/7194 + 12×6000/7338)
    // / 36 = 0.7935; account 5760.00 (2024) + 86.40 interest + 5760.00 (2025) + 4800.00 + 72.00
    // = 16478.40; C = 7746, the 2025 计发基数 standing in for 2026's (provisional); divisor
    // 139 − 7 × 5/12 → 136.1; basic 1076.66, account 121.08, transitional 921.97.
    const man = retiredMan();
    const { idNumber } = man;
    const R = man.retirementYearMonth;
    const deemedMonths = 150;
    const localYears = localYearsFor(R, { otherMonths: deemedMonths + 12 });
    const records = recordsBefore(R, localYears);
    const firstLocalYear = Number(records[0].yearMonth.slice(0, 4));
    const transferredYear = firstLocalYear - 1;
    const postedOn = `${firstLocalYear}-03-01`;
    const { personId } = await seedInsured(h, {
      idNumber,
      records,
      transferred: [
        {
          regionCode: '610102',
          year: transferredYear,
          start: `${transferredYear}-01`,
          end: `${transferredYear}-12`,
          months: 12,
          monthlyBase: '5000.00',
        },
      ],
      transfersIn: [{ amount: '4800.00', postedOn }],
    });
    await putPersonnelFile(idNumber, { birthDate: man.birthDate, workStartDate: '1983-07-01', deemedMonths: 160 });

    // The expected figures: the record as of the end of R, the pension of R, from the table.
    const table = parameterTable();
    const record = oracleRecord(
      {
        local: records,
        transferred: [{ months: monthRange(`${transferredYear}-01`, `${transferredYear}-12`), base: '5000.00' }],
        postings: [{ amount: '4800.00', postedOn }],
        asOf: endOfMonth(R),
      },
      table,
    );
    const totalMonths = record.actualMonths + deemedMonths;
    const minimum = minimumMonthsIn(Number(R.slice(0, 4)));
    expect(totalMonths).toBeGreaterThanOrEqual(minimum);
    const pensionTable = oraclePensionTable(table, R);
    const expected = oraclePension(
      {
        baseWage: pensionTable.baseWage,
        averageIndex: record.averageIndex,
        contributionMonths: totalMonths,
        deemedMonths,
        accountBalance: record.accountBalance,
        age: man.statutoryAge,
      },
      pensionTable,
    );
    const provisional = standIns(table);

    const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      procedure: 'benefit_claim',
      status: 'open',
      stage: 'acceptance',
      waitingOn: 'staff',
      award: null,
    });
    const caseId: string = created.body.caseId;
    expect(caseId).toMatch(/^benefit-claim-620102-\d{4}-\d{6}$/);
    expect(created.body.clock).toMatchObject({ budgetWorkingDays: 20, clause: '8.1.3', state: 'running' });

    const accepted = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      acceptor,
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });
    expect(eventOf(accepted.body, 'personnel_file_received')?.detail).toMatchObject({
      polls: 1,
      deemedMonths: 160,
      birthDateMatchesId: true,
    });

    // The reviewer recognises fewer months than the file shows, with the reason (8.2.3.1).
    const tooMany = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '161' }] },
      claimReviewer,
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('file_review.invalid_deemed_months');
    const noReason = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '150' }] },
      claimReviewer,
    );
    expect(noReason.body.error.code).toBe('decision.reason_required');
    const recognised = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      {
        step: 'file_review',
        result: 'recognise',
        items: [{ code: 'deemed_months', note: '150' }],
        reason: '1983-07至1984-04学徒期不计视同缴费',
      },
      claimReviewer,
    );
    expect(recognised.status).toBe(200);
    expect(recognised.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    expect(await deemedOf(h, caseId)).toEqual([
      expect.objectContaining({ months: 150, recognisedBy: 'reviewer-07', personId }),
    ]);

    const assessed = eventOf(recognised.body, 'claim_assessed')!;
    expect(assessed.detail).toMatchObject({
      eligible: true,
      reasons: [],
      retirement: {
        statutoryAge: man.statutoryAge,
        statutoryYearMonth: R,
        retirementYearMonth: R,
        kind: 'on_time',
        minimumContributionMonths: minimum,
        birthDateSource: 'personnel_file',
      },
      contributions: {
        asOf: endOfMonth(R),
        actualMonths: localYears * 12 + 12,
        localMonths: localYears * 12,
        transferredMonths: 12,
        overlapMonths: 0,
        deemedMonths,
        totalMonths,
        averageIndex: record.averageIndex,
        accountBalance: record.accountBalance,
      },
      pension: {
        basic: expected.basic,
        account: expected.account,
        transitional: expected.transitional,
        total: expected.total,
        divisor: expected.divisor,
        baseWage: pensionTable.baseWage,
      },
      risk: { highRisk: false, reasons: [] },
      provisional: provisional.length > 0,
    });
    // Each stand-in named: the parameter and the year it stands in for.
    const named = (assessed.detail as { provisionalParameters: Array<{ name: string; year: number; standIn: string }> })
      .provisionalParameters;
    expect(named.map((p) => `${p.name} ${p.year}`).sort()).toEqual(provisional);

    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      claimConfirmer,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved', stage: 'closed', waitingOn: null });
    const certifiedOn = chinaDate(Date.now());
    expect(approved.body.award).toMatchObject({
      status: 'active',
      basic: expected.basic,
      account: expected.account,
      transitional: expected.transitional,
      monthlyAmount: expected.total,
      divisor: expected.divisor,
      certifiedOn,
      firstPaymentMonth: addMonths(certifiedOn.slice(0, 7), 1),
    });
    const award = approved.body.award;
    expect(award.inputs.pension).toEqual({
      baseWage: pensionTable.baseWage,
      averageIndex: record.averageIndex,
      contributionMonths: totalMonths,
      deemedMonths,
      accountBalance: record.accountBalance,
      age: man.statutoryAge,
      yearsRounding: pensionTable.yearsRounding,
    });
    expect(award.inputs.parameters.map((p: { name: string }) => p.name)).toEqual([
      'pension.baseWage',
      'pension.divisorTable',
      'pension.divisorMethod',
      'pension.transitionalCoefficient',
      'pension.yearsRounding',
    ]);
    expect(award.inputs.provisional).toBe(provisional.length > 0);
    expect(
      award.inputs.parametersUsed
        .filter((p: { provisional?: boolean }) => p.provisional)
        .map((p: { name: string; year: number }) => `${p.name} ${p.year}`)
        .sort(),
    ).toEqual(provisional);
    expect(award.inputs.contributions.working.rules).toContain('transferred');
    expect(award.working.steps.find((s: { item: string }) => s.item === 'basic').expression).toContain(
      `${pensionTable.baseWage} × (1 + ${record.averageIndex}) / 2 × ${expected.contributionYears} × 1%`,
    );
    // An auditor recomputes the award from its stored inputs and the parameter rows it records.
    const rows = pensionParametersForRetirement(parameterTable(), award.inputs.retirement.retirementYearMonth)!;
    const recomputed = computePension(award.inputs.pension as PensionInput, rows);
    expect([recomputed.basic, recomputed.account, recomputed.transitional, recomputed.total]).toEqual([
      expected.basic,
      expected.account,
      expected.transitional,
      expected.total,
    ]);

    expect(await relationOf(h, personId)).toMatchObject({
      status: 'receiving',
      since: certifiedOn,
      lastCaseId: caseId,
    });
    const outcome = approved.body.notices.find((n: { kind: string }) => n.kind === 'outcome');
    expect(outcome.text).toContain(`核定基本养老金月标准${expected.total}元`);
    expect(outcome.text).toContain(`基础养老金${expected.basic}元`);
    // A provisional amount says so (预发), and only then.
    expect(outcome.text.includes('暂定（预发）')).toBe(provisional.length > 0);
    expect(types(approved.body)).toEqual(
      expect.arrayContaining([
        'personnel_file_requested',
        'deemed_months_recognised',
        'claim_assessed',
        'entitlement_certified',
        'certification_watch_started',
      ]),
    );
    expect(types(approved.body)).not.toContain('collective_review_required');
    expect(eventOf(approved.body, 'certification_watch_started')?.detail).toMatchObject({
      workflowId: certificationWatchId(award.awardId),
    });
    expect(approved.body.decisions.map((d: { step: string; actor: { id: string } }) => [d.step, d.actor.id])).toEqual([
      ['acceptance', 'clerk-01'],
      ['file_review', 'reviewer-07'],
      ['review', 'reviewer-09'],
    ]);
    expect((await tasksOf(h, caseId)).every((t) => t.status === 'done')).toBe(true);
    // The certification watch is started by name and abandoned: it exists whether or not its type is registered yet.
    const watch = await h.client.workflow.getHandle(certificationWatchId(award.awardId)).describe();
    expect(watch.type).toBe('certificationWatch');
    // Started by the claim (a parent workflow: trusted without the API's assertion), it runs.
    expect(
      await eventually(
        () => h.client.workflow.getHandle(`certification-${award.awardId}`).query(certificationWatchQuery),
        (v) => v.dueDate !== null,
      ),
    ).toMatchObject({ status: 'active' });

    // Receiving now: a second claim is refused (8.1.2) without retrieving the file again.
    const again = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    expect(types(again.body)).not.toContain('personnel_file_requested');
    const refused = await post(
      h,
      `/api/v1/cases/${again.body.caseId}/decisions`,
      { step: 'review', result: 'refuse' },
      claimConfirmer,
    );
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'already_receiving' });
  });
});

describe('the initial check (B-6): accept, return for completion, refuse', () => {
  test('an online claim with its ID card is accepted by the system and goes on to the file', async () => {
    const { idNumber, birthDate } = await insuredMan();
    await putPersonnelFile(idNumber, { birthDate, deemedMonths: 0 }, false);
    const res = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'open', stage: 'awaiting_personnel_file', waitingOn: 'system' });
    expect(types(res.body)).toEqual([
      'application_received',
      'case_received',
      'materials_accepted',
      'review_started',
      'personnel_file_requested',
    ]);
    expect(res.body.decisions).toEqual([]);
  });

  test('incomplete but completable: one notice returns the claim for completion, the clock pauses, the supplement resumes it', async () => {
    const { idNumber, birthDate } = await insuredMan();
    await putPersonnelFile(idNumber, { birthDate, deemedMonths: 0 }, false);
    const created = await post(
      h,
      '/api/v1/claims',
      claimBody(idNumber, { channel: 'offline', materials: [{ kind: 'personnel_file' }] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(created.body.clock.state).toBe('paused');
    expect(created.body.notices).toHaveLength(1);
    expect(created.body.notices[0]).toMatchObject({
      kind: 'return_for_completion',
      round: 1,
      items: [{ code: 'id_card', text: '有效居民身份证' }],
    });
    expect(created.body.notices[0].text).toContain('一次性告知');

    const supplemented = await post(h, `/api/v1/cases/${created.body.caseId}/materials`, {
      materials: [{ kind: 'id_card', ref: 'scan-2' }],
    });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(supplemented.body.clock.state).toBe('running');

    // The counter may also return it (incomplete) or accept it; it accepts.
    const accepted = await post(
      h,
      `/api/v1/cases/${created.body.caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      acceptor,
    );
    expect(accepted.body.stage).toBe('awaiting_personnel_file');
  });

  test('incomplete and cannot be completed: the counter refuses with every reason and the materials are returned', async () => {
    const { idNumber, personId } = await insuredMan();
    const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }));
    const caseId: string = created.body.caseId;
    expect(created.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });

    const bare = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'refuse' }, acceptor);
    expect(bare.status).toBe(422);
    expect(bare.body.error.code).toBe('decision.reasons_required');
    const unknown = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'refuse', items: [{ code: 'too_old' }] },
      acceptor,
    );
    expect(unknown.body.error.code).toBe('decision.unknown_item');

    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      {
        step: 'acceptance',
        result: 'refuse',
        items: [{ code: 'identity_unverifiable' }, { code: 'other', note: '申请人无法到场核验原件' }],
      },
      acceptor,
    );
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'identity_unverifiable,other',
    });
    expect(refused.body.notices).toHaveLength(1);
    const notice = refused.body.notices[0];
    expect(notice).toMatchObject({
      kind: 'acceptance_refused',
      items: [{ code: 'identity_unverifiable' }, { code: 'other', text: '申请人无法到场核验原件' }],
    });
    expect(notice.text).toContain('不予受理告知书');
    expect(notice.text).toContain('申请材料予以退回');
    expect(eventOf(refused.body, 'acceptance_refused')?.detail).toMatchObject({ materialsReturned: true });
    expect(types(refused.body)).not.toContain('personnel_file_requested');
    expect(await relationOf(h, personId)).toMatchObject({ status: 'contributing' });
  });
});

describe('not eligible (B-1, B-8): refused with the reasons and the options', () => {
  async function claimUpToReview(idNumber: string, deemedMonths: number): Promise<CaseDetail> {
    await putPersonnelFile(idNumber, { birthDate: birthDateOf(idNumber), deemedMonths });
    const created = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(created.body).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });
    const recognised = await post(
      h,
      `/api/v1/cases/${created.body.caseId}/decisions`,
      { step: 'file_review', result: 'recognise' },
      claimReviewer,
    );
    expect(recognised.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    return recognised.body as CaseDetail;
  }

  test('statutory age not reached: the reviewer cannot approve; the refusal lists the reason and the options', async () => {
    // A man whose statutory age comes in about two years; the two complete years before this one
    // paid, and enough deemed months that the minimum of his retirement year is met: only the age is not.
    const man = manRetiringLater({ monthsAhead: 24 });
    const { personId } = await seedInsured(h, {
      idNumber: man.idNumber,
      records: recordsBefore(currentYearMonth(), 2),
    });
    const deemedMonths = minimumMonthsIn(Number(man.retirementYearMonth.slice(0, 4))) - 24 + 4;
    const review = await claimUpToReview(man.idNumber, deemedMonths);
    expect(eventOf(review, 'claim_assessed')?.detail).toMatchObject({
      eligible: false,
      reasons: ['age_not_reached'],
      pension: null,
      retirement: { statutoryAge: man.statutoryAge, statutoryYearMonth: man.retirementYearMonth },
      contributions: { actualMonths: 24, deemedMonths, totalMonths: 24 + deemedMonths },
    });

    const approve = await post(
      h,
      `/api/v1/cases/${review.caseId}/decisions`,
      { step: 'review', result: 'approve' },
      claimConfirmer,
    );
    expect(approve.status).toBe(422);
    expect(approve.body.error.code).toBe('review.not_eligible');
    const refused = await post(
      h,
      `/api/v1/cases/${review.caseId}/decisions`,
      { step: 'review', result: 'refuse' },
      claimConfirmer,
    );
    expect(refused.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'age_not_reached',
      award: null,
    });
    const notice = refused.body.notices.find((n: { kind: string }) => n.kind === 'refusal_reasons');
    expect(codes(notice.items)).toEqual([
      'age_not_reached',
      'option_apply_at_statutory_age',
      'option_early_retirement',
    ]);
    expect(notice.text).toContain('未达到法定退休年龄');
    expect(notice.text).toContain(chineseYearMonth(man.retirementYearMonth));
    expect(notice.text).toContain('您可以选择');
    expect(notice.text).toContain('申请材料予以退回');
    expect(eventOf(refused.body, 'claim_refused')?.detail).toMatchObject({
      reasons: ['age_not_reached'],
      options: ['option_apply_at_statutory_age', 'option_early_retirement'],
      materialsReturned: true,
    });
    expect(await relationOf(h, personId)).toMatchObject({ status: 'contributing' });
  });

  test('minimum years not met (24 actual + 100 deemed = 124 months, below the minimum of the retirement year): refused with the shortfall and the three options', async () => {
    const { idNumber, retirementYearMonth } = await insuredMan();
    const minimum = minimumMonthsIn(Number(retirementYearMonth.slice(0, 4)));
    expect(minimum).toBeGreaterThan(124);
    const review = await claimUpToReview(idNumber, 100);
    expect(eventOf(review, 'claim_assessed')?.detail).toMatchObject({
      eligible: false,
      reasons: ['minimum_years_not_met'],
      retirement: { minimumContributionMonths: minimum },
      contributions: { actualMonths: 24, deemedMonths: 100, totalMonths: 124 },
    });
    const refused = await post(
      h,
      `/api/v1/cases/${review.caseId}/decisions`,
      { step: 'review', result: 'refuse' },
      claimConfirmer,
    );
    expect(refused.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'minimum_years_not_met',
    });
    const notice = refused.body.notices.find((n: { kind: string }) => n.kind === 'refusal_reasons');
    expect(codes(notice.items)).toEqual([
      'minimum_years_not_met',
      'option_extend_contributions',
      'option_lump_sum',
      'option_transfer',
    ]);
    expect(notice.text).toContain('10年4个月');
    expect(notice.text).toContain(`最低缴费年限${chineseMonths(minimum)}`);
    expect(notice.text).toContain(`尚差${chineseMonths(minimum - 124)}`);
    expect(notice.text).toContain('延长缴费');
    expect(notice.text).toContain('一次性缴费');
    expect(notice.text).toContain('转移接续');
  });

  test('a person without a relation at this agency is refused without retrieving a file (8.1.2)', async () => {
    const { idNumber } = retiredMan();
    await seedInsured(h, { idNumber, agencyCode: '620103' });
    const created = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(created.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    const refused = await post(
      h,
      `/api/v1/cases/${created.body.caseId}/decisions`,
      { step: 'review', result: 'refuse' },
      claimConfirmer,
    );
    expect(refused.body).toMatchObject({ outcome: 'refused', outcomeReason: 'not_insured_here' });
    expect(refused.body.notices[0].text).toContain('620103');
  });
});

describe('POST /api/v1/claims input', () => {
  test('a bad retireAt, ID number or channel is 400 naming the field; a repeated Idempotency-Key returns the same case', async () => {
    const { idNumber, birthDate } = await insuredMan();
    const badMonth = await post(h, '/api/v1/claims', claimBody(idNumber, { retireAt: '2026-13' }));
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.error).toMatchObject({ code: 'INVALID_YEAR_MONTH', field: 'retireAt' });
    const badPattern = await post(h, '/api/v1/claims', claimBody(idNumber, { retireAt: '202601' }));
    expect(badPattern.body.error.field).toBe('retireAt');
    const badId = await post(h, '/api/v1/claims', claimBody('620102196601011234'));
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('applicant.idNumber');

    await putPersonnelFile(idNumber, { birthDate, deemedMonths: 0 }, false);
    const key = { 'idempotency-key': `claim-${idNumber}` };
    const first = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }), key);
    const second = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }), key);
    expect(first.status).toBe(201);
    expect(second.body.caseId).toBe(first.body.caseId);
    const other = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('case.already_open');
  });
});
