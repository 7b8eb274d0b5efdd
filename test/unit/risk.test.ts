import { RuleInputError } from '../../domain/errors';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import type { ParameterValue } from '../../domain/parameters';
import {
  assessClaimRisk,
  backPaidMonths,
  collectiveReviewOutcome,
  RISK_PARAMETER_NAMES,
  riskParametersFrom,
  type ClaimRiskFacts,
  type RiskParameters,
} from '../../domain/risk';

const seed = PARAMETER_SEED as readonly ParameterValue<unknown>[];

describe('risk parameters', () => {
  test('the seed has every risk parameter for Gansu, each with a source, and a Lanzhou county finds them through its province', () => {
    const p = riskParametersFrom(seed, '620102', '2026-11-30');
    expect(p).toMatchObject({
      deemedMonthsThreshold: 180,
      backPaidMonthsThreshold: 36,
      amountBandMinRatio: '0.2',
      amountBandMaxRatio: '1.5',
      collectiveQuorum: 3,
    });
    expect(p.parameters.map((u) => u.name).sort()).toEqual(Object.values(RISK_PARAMETER_NAMES).sort());
    for (const u of p.parameters) expect(u.source).toMatch(/DB62\/T 5079\.1—2025/);
  });

  test('a region without rows is a lookup error, not a silent default', () => {
    expect(() => riskParametersFrom(seed, '110101', '2026-11-30')).toThrow(/risk\./);
  });

  test('a province can override a value with a later row; a malformed row is refused', () => {
    const override: ParameterValue<unknown>[] = [
      ...seed,
      {
        name: RISK_PARAMETER_NAMES.collectiveQuorum,
        region: '6201',
        validFrom: '2026-01-01',
        value: 5,
        source: 'Lanzhou rule',
      },
    ];
    expect(riskParametersFrom(override, '620102', '2026-06-01').collectiveQuorum).toBe(5);
    expect(riskParametersFrom(override, '620102', '2025-12-31').collectiveQuorum).toBe(3);
    const bad: ParameterValue<unknown>[] = [
      ...seed,
      { name: RISK_PARAMETER_NAMES.collectiveQuorum, region: '6201', validFrom: '2026-01-01', value: 0, source: 'x' },
    ];
    expect(() => riskParametersFrom(bad, '620102', '2026-06-01')).toThrow(RuleInputError);
    const band: ParameterValue<unknown>[] = [
      ...seed,
      {
        name: RISK_PARAMETER_NAMES.amountBandMaxRatio,
        region: '6201',
        validFrom: '2026-01-01',
        value: '0.1',
        source: 'x',
      },
    ];
    expect(() => riskParametersFrom(band, '620102', '2026-06-01')).toThrow(/0 ≤ min < max/);
  });
});

describe('assessClaimRisk', () => {
  const params: RiskParameters = riskParametersFrom(seed, '62', '2026-11-30');
  const plain: ClaimRiskFacts = {
    idBirthDate: '1966-01-15',
    fileBirthDate: '1966-01-15',
    recognisedDeemedMonths: 150,
    lumpSumDeclared: false,
    backPaidMonths: 0,
    monthlyTotal: '2000.00',
    baseWage: '7746',
  };
  const codes = (f: ClaimRiskFacts) => assessClaimRisk(f, params).reasons.map((r) => r.code);

  test('an ordinary claim is not high-risk and carries the quorum and the parameters used', () => {
    const a = assessClaimRisk(plain, params);
    expect(a).toMatchObject({ highRisk: false, reasons: [], quorum: 3 });
    expect(a.parameters).toHaveLength(5);
  });

  test('a file birth date that disagrees with the ID number is high-risk; no file date is not', () => {
    expect(codes({ ...plain, fileBirthDate: '1965-09-10' })).toEqual(['birth_date_mismatch']);
    expect(assessClaimRisk({ ...plain, fileBirthDate: '1965-09-10' }, params).reasons[0].text).toContain('1965-09-10');
    expect(codes({ ...plain, fileBirthDate: null })).toEqual([]);
  });

  test('deemed months at the threshold are high-risk, one below are not', () => {
    expect(codes({ ...plain, recognisedDeemedMonths: 180 })).toEqual(['deemed_months_high']);
    expect(codes({ ...plain, recognisedDeemedMonths: 179 })).toEqual([]);
  });

  test('a declared lump sum is high-risk; back-paid months from the threshold are too', () => {
    expect(codes({ ...plain, lumpSumDeclared: true })).toEqual(['lump_sum_back_payment']);
    expect(codes({ ...plain, backPaidMonths: 36 })).toEqual(['back_paid_months_high']);
    expect(codes({ ...plain, backPaidMonths: 35 })).toEqual([]);
  });

  test('the amount band is inclusive: 20% and 150% of the base wage pass, a cent outside does not', () => {
    // 7746 × 0.2 = 1549.20; 7746 × 1.5 = 11619.00
    expect(codes({ ...plain, monthlyTotal: '1549.20' })).toEqual([]);
    expect(codes({ ...plain, monthlyTotal: '1549.19' })).toEqual(['amount_outside_band']);
    expect(codes({ ...plain, monthlyTotal: '11619.00' })).toEqual([]);
    expect(codes({ ...plain, monthlyTotal: '11619.01' })).toEqual(['amount_outside_band']);
    expect(assessClaimRisk({ ...plain, monthlyTotal: '11619.01' }, params).reasons[0].text).toContain(
      '1549.20至11619.00元',
    );
    // Without a computed pension the band is not checked.
    expect(codes({ ...plain, monthlyTotal: null })).toEqual([]);
  });

  test('every reason is listed at once, in a fixed order', () => {
    expect(
      codes({
        ...plain,
        fileBirthDate: '1965-09-10',
        recognisedDeemedMonths: 200,
        lumpSumDeclared: true,
        backPaidMonths: 40,
        monthlyTotal: '100.00',
      }),
    ).toEqual([
      'birth_date_mismatch',
      'deemed_months_high',
      'lump_sum_back_payment',
      'back_paid_months_high',
      'amount_outside_band',
    ]);
  });

  test('a negative or fractional deemed month count is an input error', () => {
    expect(() => assessClaimRisk({ ...plain, recognisedDeemedMonths: -1 }, params)).toThrow(RuleInputError);
    expect(() => assessClaimRisk({ ...plain, recognisedDeemedMonths: 1.5 }, params)).toThrow(RuleInputError);
  });
});

describe('backPaidMonths', () => {
  test('counts months paid more than 12 months after the month; missing payment dates do not count', () => {
    expect(
      backPaidMonths([
        { yearMonth: '2020-01', paidOn: '2021-01-31' }, // 12 months later: not in arrears
        { yearMonth: '2020-01', paidOn: '2021-02-01' }, // 13 months: in arrears
        { yearMonth: '2015-06', paidOn: '2025-06-30' },
        { yearMonth: '2024-03', paidOn: null },
        { yearMonth: '2024-04' },
      ]),
    ).toBe(2);
  });
});

describe('collectiveReviewOutcome', () => {
  const vote = (actorId: string, result: string) => ({ actorId, result, reason: 'r' });

  test('approved by a strict majority of the quorum: 2 of 3 approves, 1 of 3 refuses', () => {
    expect(collectiveReviewOutcome([vote('a', 'approve'), vote('b', 'refuse'), vote('c', 'approve')], 3)).toMatchObject(
      { approved: true, approvals: 2, refusals: 1, quorum: 3 },
    );
    expect(collectiveReviewOutcome([vote('a', 'approve'), vote('b', 'refuse'), vote('c', 'refuse')], 3)).toMatchObject({
      approved: false,
      approvals: 1,
      refusals: 2,
    });
    expect(
      collectiveReviewOutcome([vote('a', 'approve'), vote('b', 'approve'), vote('c', 'approve')], 3).approved,
    ).toBe(true);
  });

  test('an even quorum refuses on a tie; the rule is stated for the record', () => {
    const tie = collectiveReviewOutcome(
      [vote('a', 'approve'), vote('b', 'approve'), vote('c', 'refuse'), vote('d', 'refuse')],
      4,
    );
    expect(tie.approved).toBe(false);
    expect(tie.rule).toContain('3票及以上');
    expect(collectiveReviewOutcome([vote('a', 'approve')], 1).approved).toBe(true);
  });

  test('the votes must be exactly the quorum, from distinct members', () => {
    expect(() => collectiveReviewOutcome([vote('a', 'approve'), vote('b', 'approve')], 3)).toThrow(RuleInputError);
    expect(() =>
      collectiveReviewOutcome([vote('a', 'approve'), vote('a', 'approve'), vote('b', 'approve')], 3),
    ).toThrow(/once/);
    expect(() => collectiveReviewOutcome([], 0)).toThrow(RuleInputError);
  });
});
