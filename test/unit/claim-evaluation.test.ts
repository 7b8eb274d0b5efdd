/** The claim's evaluation as pure steps (domain/claim-evaluation.ts), on the seeded parameters. */
import { personnelFileProblems } from '../../domain/claim';
import {
  claimRetirementFacts,
  contributionSummaryOf,
  evaluateClaimOn,
  type ClaimantFacts,
  type ContributionSummary,
} from '../../domain/claim-evaluation';
import { claimAssessmentOf, computedAwardOf } from '../../domain/claim-results';
import type { ProvincialSummary } from '../../domain/contribution-summary';
import { MissingParametersError, ParameterResolver } from '../../domain/parameter-resolver';
import { PARAMETER_NAMES } from '../../domain/parameters';
import { PARAMETER_SEED } from '../../domain/parameter-seed';

const REGION = '620102';
const rows = PARAMETER_SEED;

const provincial = (o: Partial<ProvincialSummary> = {}): ProvincialSummary => ({
  asOf: '2026-05-31',
  actualMonths: 180,
  localMonths: 170,
  transferredMonths: 12,
  overlapMonths: 2,
  averageIndex: '1.0000',
  accountBalance: '60000.00',
  provisional: false,
  parametersUsed: [],
  months: [],
  ledger: null,
  creditRateByYear: {},
  working: {
    rules: 'r',
    index: null,
    account: null,
    months: { local: 170, transferred: [], overlap: [] },
    ruleVersion: 'v',
  },
  ...o,
});

const summary = (o: Partial<ContributionSummary> = {}): ContributionSummary => ({
  ...contributionSummaryOf(provincial(), { asOf: '2026-05-31', caseId: 'case-1', deemed: [], records: [] }),
  ...o,
});

const man1966: ClaimantFacts = { person: { birthDate: '1966-01-15', sex: 'male', originalRetirementAge: null } };

describe('contributionSummaryOf', () => {
  test("the case's own recognition of deemed months counts, else the latest one; late payments up to asOf are counted", () => {
    const deemed = [
      { caseId: 'pre-review', months: 24, recognisedOn: '2026-03-01', recognisedBy: 'r1' },
      { caseId: 'case-1', months: 36, recognisedOn: '2026-01-01', recognisedBy: 'r2' },
    ];
    const records = [
      { yearMonth: '2020-01', paidOn: '2022-06-01' },
      { yearMonth: '2026-06', paidOn: '2028-01-01' },
    ];
    const s = contributionSummaryOf(provincial(), { asOf: '2026-05-31', caseId: 'case-1', deemed, records });
    expect(s).toMatchObject({
      deemedMonths: 36,
      totalMonths: 216,
      backPaidMonths: 1,
      deemedSource: { caseId: 'case-1', recognisedBy: 'r2' },
    });
    const other = contributionSummaryOf(provincial(), { asOf: '2026-05-31', caseId: 'case-9', deemed, records: [] });
    expect(other).toMatchObject({ deemedMonths: 24, totalMonths: 204, backPaidMonths: 0 });
    expect(
      contributionSummaryOf(provincial(), { asOf: '2026-05-31', caseId: 'case-9', deemed: [], records: [] }),
    ).toMatchObject({ deemedMonths: 0, deemedSource: null });
  });
});

describe('claimRetirementFacts', () => {
  test('a man: original age 60, and the record is summarised to the end of the retirement month', () => {
    const resolver = new ParameterResolver(rows, REGION);
    const f = claimRetirementFacts(man1966, { resolver, rows, region: REGION, onDate: '2026-11-15' });
    expect(f).toMatchObject({ originalAge: 60, originalAgeSource: 'men: 60', asOf: '2026-05-31' });
    expect(f.eligibilityInput.birthYearMonth).toBe('1966-01');
  });

  test('before the end of the retirement month the record is summarised to the review date', () => {
    const resolver = new ParameterResolver(rows, REGION);
    expect(claimRetirementFacts(man1966, { resolver, rows, region: REGION, onDate: '2026-05-10' }).asOf).toBe(
      '2026-05-10',
    );
  });

  test("a woman's original age comes from her record, then the personnel file, then the parameter", () => {
    const woman: ClaimantFacts = { person: { birthDate: '1972-03-01', sex: 'female', originalRetirementAge: null } };
    const o = { resolver: new ParameterResolver(rows, REGION), rows, region: REGION, onDate: '2026-11-15' };
    expect(claimRetirementFacts({ ...woman, person: { ...woman.person, originalRetirementAge: 55 } }, o)).toMatchObject(
      { originalAge: 55, originalAgeSource: 'person record' },
    );
    expect(
      claimRetirementFacts({ ...woman, file: { fileBirthDate: '1972-02-01', originalRetirementAge: 55 } }, o),
    ).toMatchObject({
      originalAge: 55,
      originalAgeSource: 'personnel file',
      eligibilityInput: { birthYearMonth: '1972-02' },
    });
    expect(claimRetirementFacts(woman, o).originalAgeSource).toContain(PARAMETER_NAMES.femaleFlexibleOriginalAge);
    const none = new ParameterResolver([], REGION);
    expect(() => claimRetirementFacts(woman, { ...o, resolver: none, rows: [] })).toThrow(MissingParametersError);
  });
});

describe('evaluateClaimOn and the recorded shapes', () => {
  const evaluate = (s: ContributionSummary, c: ClaimantFacts = man1966) => {
    const resolver = new ParameterResolver(rows, REGION);
    const o = { resolver, rows, region: REGION, onDate: '2026-11-15' };
    const facts = claimRetirementFacts(c, o);
    return evaluateClaimOn(c, facts, s, { ...o, parameterSetVersion: 7, lumpSum: false });
  };

  test('an eligible claim has a pension, and the assessment and the award carry its amounts', () => {
    const e = evaluate(summary());
    expect(e).toMatchObject({ eligible: true, reasons: [], region: REGION, parameterSetVersion: 7 });
    expect(e.pension).not.toBeNull();
    const a = claimAssessmentOf(e, '2026-11-15');
    expect(a.pension).toMatchObject({ total: e.pension!.total, baseWage: e.baseWage });
    expect(a.contributions).not.toHaveProperty('working');
    expect(a.contributions).not.toHaveProperty('deemedSource');
    const award = computedAwardOf(e, '2026-11-15');
    expect(award).toMatchObject({
      eligible: true,
      award: {
        certifiedOn: '2026-11-15',
        firstPaymentMonth: '2026-12',
        total: e.pension!.total,
        parameterSetVersion: 7,
      },
    });
  });

  test('without actual contribution records there is no pension and no award', () => {
    const e = evaluate(summary({ averageIndex: null }));
    expect(e.eligible).toBe(false);
    expect(e.reasons.map((r) => r.code)).toEqual(['no_contribution_records']);
    expect(computedAwardOf(e, '2026-11-15')).toEqual({ eligible: false, reasons: e.reasons, options: e.options });
    expect(claimAssessmentOf(e, '2026-11-15').pension).toBeNull();
  });

  test('a file birth date that differs from the ID number decides the age and is a risk reason', () => {
    const e = evaluate(summary(), { ...man1966, file: { fileBirthDate: '1965-12-01' } });
    expect(e.retirement.birthDateSource).toBe('personnel_file');
    expect(e.risk.reasons.map((r) => r.code)).toContain('birth_date_mismatch');
  });
});

describe('personnelFileProblems', () => {
  test('a usable file has none; each unusable field is named', () => {
    expect(personnelFileProblems({ birthDate: '1966-01-15', deemedMonths: 24 })).toEqual([]);
    expect(
      personnelFileProblems({
        birthDate: '1966-02-30',
        workStartDate: 'x',
        deemedMonths: -1,
        originalRetirementAge: 60,
      }),
    ).toEqual(['birthDate', 'workStartDate', 'deemedMonths', 'originalRetirementAge']);
    expect(personnelFileProblems({ birthDate: '1966-01-15', deemedMonths: 1.5, originalRetirementAge: 50 })).toEqual([
      'deemedMonths',
    ]);
  });
});
