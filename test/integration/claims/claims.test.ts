/**
 * Benefit claims (B-1..B-6, B-8, B-9) end to end: HTTP API → Temporal dev server → worker →
 * PostgreSQL and the archive simulator. Dates are real: the certification date is today and the
 * parameters are those in force today (the hand-computed case assumes a day in 2026, when the
 * 计发基数 is 7746 and 2025 is the last complete interest year).
 */
import type { CaseView } from '../../../db/repositories/cases';
import { ParameterResolver } from '../../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../../domain/parameter-seed';
import { computePension, pensionParametersForRetirement, type PensionInput } from '../../../domain/pension';
import { chinaDate } from '../../helpers/china-calendar';
import {
  acceptor,
  claimantIdNumber,
  claimBody,
  claimConfirmer,
  claimReviewer,
  deemedOf,
  months,
  putPersonnelFile,
  relationOf,
  seedInsured,
  tasksOf,
} from '../../helpers/claims';
import { post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Event = CaseView['events'][number];
const types = (c: { events: Array<{ type: string }> }) => c.events.map((e) => e.type);
const eventOf = (c: { events: Event[] }, type: string) => c.events.find((e) => e.type === type);
const codes = (items: ReadonlyArray<{ code: string }>) => items.map((i) => i.code);

function nextMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A man born 1966-01 (statutory age 60y4m, reached 2026-05) with 2024–2025 paid locally at 6000. */
async function insuredMan(o: { birthYearMonth?: string; records?: Array<{ yearMonth: string; base: string }> } = {}) {
  const idNumber = claimantIdNumber(o.birthYearMonth ?? '1966-01', 'male');
  const seeded = await seedInsured(h, { idNumber, records: o.records ?? months('2024-01', '2025-12').map((yearMonth) => ({ yearMonth, base: '6000.00' })) });
  return seeded;
}

describe('an approved claim (B-1, B-8, B-9)', () => {
  test('offline: accepted, file retrieved, deemed months recognised, reviewed, certified — the award to the cent, the relation receiving, payment from next month', async () => {
    const idNumber = claimantIdNumber('1966-01', 'male');
    const { personId } = await seedInsured(h, {
      idNumber,
      records: months('2024-01', '2025-12').map((yearMonth) => ({ yearMonth, base: '6000.00' })),
      transferred: [{ regionCode: '610102', year: 2023, start: '2023-01', end: '2023-12', months: 12, monthlyBase: '5000.00' }],
      transfersIn: [{ amount: '4800.00', postedOn: '2024-03-01' }],
    });
    const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
    await putPersonnelFile(idNumber, { birthDate, workStartDate: '1983-07-01', deemedMonths: 160 });

    const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ procedure: 'benefit_claim', status: 'open', stage: 'acceptance', waitingOn: 'staff', award: null });
    const caseId: string = created.body.caseId;
    expect(caseId).toMatch(/^benefit-claim-620102-\d{4}-\d{6}$/);
    expect(created.body.clock).toMatchObject({ budgetWorkingDays: 20, clause: '8.1.3', state: 'running' });

    const accepted = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, acceptor);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });
    expect(eventOf(accepted.body, 'personnel_file_received')?.detail).toMatchObject({ polls: 1, deemedMonths: 160, birthDateMatchesId: true });

    // The reviewer recognises fewer months than the file shows, with the reason (8.2.3.1).
    const tooMany = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '161' }] }, claimReviewer);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('file_review.invalid_deemed_months');
    const noReason = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '150' }] }, claimReviewer);
    expect(noReason.body.error.code).toBe('decision.reason_required');
    const recognised = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '150' }], reason: '1983-07至1984-04学徒期不计视同缴费' },
      claimReviewer,
    );
    expect(recognised.status).toBe(200);
    expect(recognised.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    expect(await deemedOf(h, caseId)).toEqual([expect.objectContaining({ months: 150, recognisedBy: 'reviewer-07', personId })]);

    // The assessment, by hand:
    //  months: 24 local (2024–2025) + 12 transferred (2023) = 36 actual; + 150 deemed = 186 ≥ 180 (2026 minimum).
    //  Ī = (12×5000/6861 + 12×6000/7194 + 12×6000/7338) / 36 = (8.745081 + 10.008340 + 9.811938) / 36 = 0.793482 → 0.7935.
    //  account: 2024 credit 8% × 72000 = 5760.00; 2025 interest 5760.00 × 1.50% = 86.40, credit 5760.00 → 11606.40;
    //  2026 not complete → 11606.40. Transfer-in 4800.00 (2024-03) earns from 2025: 4800.00 × 1.50% = 72.00 → 4872.00.
    //  balance 11606.40 + 4872.00 = 16478.40.
    const assessed = eventOf(recognised.body, 'claim_assessed')!;
    expect(assessed.detail).toMatchObject({
      eligible: true,
      reasons: [],
      retirement: { statutoryAge: { years: 60, months: 4 }, statutoryYearMonth: '2026-05', retirementYearMonth: '2026-05', kind: 'on_time', minimumContributionMonths: 180, birthDateSource: 'personnel_file' },
      contributions: { actualMonths: 36, localMonths: 24, transferredMonths: 12, overlapMonths: 0, deemedMonths: 150, totalMonths: 186, averageIndex: '0.7935', accountBalance: '16478.40' },
      risk: { highRisk: false, reasons: [] },
    });

    const approved = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, claimConfirmer);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved', stage: 'closed', waitingOn: null });
    const certifiedOn = chinaDate(Date.now());
    // C = 7746 (计发基数 from 2026-01-01); N = 186/12 = 15.50; deemed 150/12 = 12.50; age 60y4m.
    //  basic        = 7746 × (1 + 0.7935) / 2 × 15.50 × 1% = 1076.6649525 → 1076.66
    //  divisor      = 139 + (132 − 139) × 4/12 = 136.666… → 136.7 (Gansu: interpolate, 1 dp)
    //  account      = 16478.40 ÷ 136.7 = 120.5442… → 120.54
    //  transitional = 7746 × 0.7935 × 12.50 × 1.2% = 921.96765 → 921.97
    //  total        = 1076.66 + 120.54 + 921.97 = 2119.17
    expect(approved.body.award).toMatchObject({
      status: 'active',
      basic: '1076.66',
      account: '120.54',
      transitional: '921.97',
      monthlyAmount: '2119.17',
      divisor: '136.7',
      certifiedOn,
      firstPaymentMonth: nextMonth(certifiedOn),
    });
    const award = approved.body.award;
    expect(award.inputs.pension).toEqual({
      baseWage: '7746',
      averageIndex: '0.7935',
      contributionMonths: 186,
      deemedMonths: 150,
      accountBalance: '16478.40',
      age: { years: 60, months: 4 },
      yearsRounding: 'half-up',
    });
    expect(award.inputs.parameters.map((p: { name: string }) => p.name)).toEqual([
      'pension.baseWage',
      'pension.divisorTable',
      'pension.divisorMethod',
      'pension.transitionalCoefficient',
      'pension.yearsRounding',
    ]);
    expect(award.inputs.contributions.working.rules).toContain('transferred');
    expect(award.working.steps.find((s: { item: string }) => s.item === 'basic').expression).toContain('7746 × (1 + 0.7935) / 2 × 15.50 × 1%');
    // An auditor recomputes the award from its stored inputs and the parameter rows it records.
    const table = pensionParametersForRetirement(new ParameterResolver(PARAMETER_SEED, '620102'), award.inputs.retirement.retirementYearMonth)!;
    const recomputed = computePension(award.inputs.pension as PensionInput, table);
    expect([recomputed.basic, recomputed.account, recomputed.transitional, recomputed.total]).toEqual(['1076.66', '120.54', '921.97', '2119.17']);

    expect(await relationOf(h, personId)).toMatchObject({ status: 'receiving', since: certifiedOn, lastCaseId: caseId });
    const outcome = approved.body.notices.find((n: { kind: string }) => n.kind === 'outcome');
    expect(outcome.text).toContain('2119.17');
    expect(outcome.text).toContain('基础养老金1076.66元');
    expect(types(approved.body)).toEqual(expect.arrayContaining(['personnel_file_requested', 'deemed_months_recognised', 'claim_assessed', 'entitlement_certified', 'certification_watch_started']));
    expect(types(approved.body)).not.toContain('collective_review_required');
    expect(eventOf(approved.body, 'certification_watch_started')?.detail).toMatchObject({ workflowId: `certification-${award.awardId}` });
    expect(approved.body.decisions.map((d: { step: string; actor: { id: string } }) => [d.step, d.actor.id])).toEqual([
      ['acceptance', 'clerk-01'],
      ['file_review', 'reviewer-07'],
      ['review', 'reviewer-09'],
    ]);
    expect((await tasksOf(h, caseId)).every((t) => t.status === 'done')).toBe(true);
    // The certification watch is started by name and abandoned: it exists whether or not its type is registered yet.
    const watch = await h.client.workflow.getHandle(`certification-${award.awardId}`).describe();
    expect(watch.type).toBe('certificationWatch');

    // Receiving now: a second claim is refused (8.1.2) without retrieving the file again.
    const again = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    expect(types(again.body)).not.toContain('personnel_file_requested');
    const refused = await post(h, `/api/v1/cases/${again.body.caseId}/decisions`, { step: 'review', result: 'refuse' }, claimConfirmer);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'already_receiving' });
  });
});

describe('the initial check (B-6): accept, return for completion, refuse', () => {
  test('an online claim with its ID card is accepted by the system and goes on to the file', async () => {
    const { idNumber } = await insuredMan();
    await putPersonnelFile(idNumber, { birthDate: '1966-01-01', deemedMonths: 0 }, false);
    const res = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'open', stage: 'awaiting_personnel_file', waitingOn: 'system' });
    expect(types(res.body)).toEqual(['application_received', 'case_received', 'materials_accepted', 'review_started', 'personnel_file_requested']);
    expect(res.body.decisions).toEqual([]);
  });

  test('incomplete but completable: one notice returns the claim for completion, the clock pauses, the supplement resumes it', async () => {
    const { idNumber } = await insuredMan();
    await putPersonnelFile(idNumber, { birthDate: '1966-01-01', deemedMonths: 0 }, false);
    const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline', materials: [{ kind: 'personnel_file' }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(created.body.clock.state).toBe('paused');
    expect(created.body.notices).toHaveLength(1);
    expect(created.body.notices[0]).toMatchObject({ kind: 'return_for_completion', round: 1, items: [{ code: 'id_card', text: '有效居民身份证' }] });
    expect(created.body.notices[0].text).toContain('一次性告知');

    const supplemented = await post(h, `/api/v1/cases/${created.body.caseId}/materials`, { materials: [{ kind: 'id_card', ref: 'scan-2' }] });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(supplemented.body.clock.state).toBe('running');

    // The counter may also return it (incomplete) or accept it; it accepts.
    const accepted = await post(h, `/api/v1/cases/${created.body.caseId}/decisions`, { step: 'acceptance', result: 'accept' }, acceptor);
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
    const unknown = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'refuse', items: [{ code: 'too_old' }] }, acceptor);
    expect(unknown.body.error.code).toBe('decision.unknown_item');

    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'refuse', items: [{ code: 'identity_unverifiable' }, { code: 'other', note: '申请人无法到场核验原件' }] },
      acceptor,
    );
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'identity_unverifiable,other' });
    expect(refused.body.notices).toHaveLength(1);
    const notice = refused.body.notices[0];
    expect(notice).toMatchObject({ kind: 'acceptance_refused', items: [{ code: 'identity_unverifiable' }, { code: 'other', text: '申请人无法到场核验原件' }] });
    expect(notice.text).toContain('不予受理告知书');
    expect(notice.text).toContain('申请材料予以退回');
    expect(eventOf(refused.body, 'acceptance_refused')?.detail).toMatchObject({ materialsReturned: true });
    expect(types(refused.body)).not.toContain('personnel_file_requested');
    expect(await relationOf(h, personId)).toMatchObject({ status: 'contributing' });
  });
});

describe('not eligible (B-1, B-8): refused with the reasons and the options', () => {
  async function claimUpToReview(idNumber: string, deemedMonths: number): Promise<CaseView> {
    const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
    await putPersonnelFile(idNumber, { birthDate, deemedMonths });
    const created = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(created.body).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });
    const recognised = await post(h, `/api/v1/cases/${created.body.caseId}/decisions`, { step: 'file_review', result: 'recognise' }, claimReviewer);
    expect(recognised.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    return recognised.body as CaseView;
  }

  test('statutory age not reached: the reviewer cannot approve; the refusal lists the reason and the options', async () => {
    // Born 1968-01: statutory age 60y10m, reached 2028-11.
    const { idNumber, personId } = await insuredMan({ birthYearMonth: '1968-01' });
    // 24 actual + 160 deemed = 184 months: the minimum is met, only the age is not.
    const review = await claimUpToReview(idNumber, 160);
    expect(eventOf(review, 'claim_assessed')?.detail).toMatchObject({ eligible: false, reasons: ['age_not_reached'], pension: null });

    const approve = await post(h, `/api/v1/cases/${review.caseId}/decisions`, { step: 'review', result: 'approve' }, claimConfirmer);
    expect(approve.status).toBe(422);
    expect(approve.body.error.code).toBe('review.not_eligible');
    const refused = await post(h, `/api/v1/cases/${review.caseId}/decisions`, { step: 'review', result: 'refuse' }, claimConfirmer);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'age_not_reached', award: null });
    const notice = refused.body.notices.find((n: { kind: string }) => n.kind === 'refusal_reasons');
    expect(codes(notice.items)).toEqual(['age_not_reached', 'option_apply_at_statutory_age', 'option_early_retirement']);
    expect(notice.text).toContain('未达到法定退休年龄');
    expect(notice.text).toContain('2028年11月');
    expect(notice.text).toContain('您可以选择');
    expect(notice.text).toContain('申请材料予以退回');
    expect(eventOf(refused.body, 'claim_refused')?.detail).toMatchObject({ reasons: ['age_not_reached'], options: ['option_apply_at_statutory_age', 'option_early_retirement'], materialsReturned: true });
    expect(await relationOf(h, personId)).toMatchObject({ status: 'contributing' });
  });

  test('minimum years not met (24 actual + 100 deemed = 124 < 180 months): refused with the shortfall and the three options', async () => {
    const { idNumber } = await insuredMan();
    const review = await claimUpToReview(idNumber, 100);
    expect(eventOf(review, 'claim_assessed')?.detail).toMatchObject({ eligible: false, reasons: ['minimum_years_not_met'], contributions: { actualMonths: 24, deemedMonths: 100, totalMonths: 124 } });
    const refused = await post(h, `/api/v1/cases/${review.caseId}/decisions`, { step: 'review', result: 'refuse' }, claimConfirmer);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'minimum_years_not_met' });
    const notice = refused.body.notices.find((n: { kind: string }) => n.kind === 'refusal_reasons');
    expect(codes(notice.items)).toEqual(['minimum_years_not_met', 'option_extend_contributions', 'option_lump_sum', 'option_transfer']);
    expect(notice.text).toContain('10年4个月');
    expect(notice.text).toContain('尚差4年8个月');
    expect(notice.text).toContain('延长缴费');
    expect(notice.text).toContain('一次性缴费');
    expect(notice.text).toContain('转移接续');
  });

  test('a person without a relation at this agency is refused without retrieving a file (8.1.2)', async () => {
    const idNumber = claimantIdNumber('1966-01', 'male');
    await seedInsured(h, { idNumber, agencyCode: '620103' });
    const created = await post(h, '/api/v1/claims', claimBody(idNumber));
    expect(created.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    const refused = await post(h, `/api/v1/cases/${created.body.caseId}/decisions`, { step: 'review', result: 'refuse' }, claimConfirmer);
    expect(refused.body).toMatchObject({ outcome: 'refused', outcomeReason: 'not_insured_here' });
    expect(refused.body.notices[0].text).toContain('620103');
  });
});

describe('POST /api/v1/claims input', () => {
  test('a bad retireAt, ID number or channel is 400 naming the field; a repeated Idempotency-Key returns the same case', async () => {
    const { idNumber } = await insuredMan();
    const badMonth = await post(h, '/api/v1/claims', claimBody(idNumber, { retireAt: '2026-13' }));
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.error).toMatchObject({ code: 'INVALID_YEAR_MONTH', field: 'retireAt' });
    const badPattern = await post(h, '/api/v1/claims', claimBody(idNumber, { retireAt: '202601' }));
    expect(badPattern.body.error.field).toBe('retireAt');
    const badId = await post(h, '/api/v1/claims', claimBody('620102196601011234'));
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('applicant.idNumber');

    await putPersonnelFile(idNumber, { birthDate: '1966-01-01', deemedMonths: 0 }, false);
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
