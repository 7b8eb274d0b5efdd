import {
  ageAt,
  claimEligibility,
  claimRefusalNotice,
  claimRelationReasons,
  firstPaymentMonth,
  missingClaimMaterials,
  type ClaimEligibilityInput,
} from '../../domain/claim';
import { DEFAULT_MINIMUM_YEARS_TABLE } from '../../domain/minimum-years';

const man1966: ClaimEligibilityInput = {
  birthYearMonth: '1966-01',
  sex: 'male',
  originalAge: 60,
  currentYearMonth: '2026-11',
  contributionMonths: 186,
  minimumYearsTable: DEFAULT_MINIMUM_YEARS_TABLE,
};
const codes = (items: ReadonlyArray<{ code: string }>) => items.map((i) => i.code);

describe('claimEligibility (B-1)', () => {
  test('a man born 1966-01 reaches 60y4m in 2026-05 and, with 186 ≥ 180 months, is entitled', () => {
    const e = claimEligibility(man1966);
    expect(e).toMatchObject({
      eligible: true,
      reasons: [],
      options: [],
      retirementYearMonth: '2026-05',
      kind: 'on_time',
      minimumYear: 2026,
      minimumContributionMonths: 180,
    });
    expect(e.statutory.statutoryAge).toEqual({ years: 60, months: 4 });
    expect(e.ageAtRetirement).toEqual({ years: 60, months: 4 });
  });

  test('age not reached: refused with the statutory month and the option to apply then', () => {
    // Born 1968-01: 10 months of delay → 60y10m in 2028-11; early retirement is possible from the original age, 2028-01.
    const e = claimEligibility({ ...man1966, birthYearMonth: '1968-01' });
    expect(e.eligible).toBe(false);
    expect(codes(e.reasons)).toEqual(['age_not_reached']);
    expect(e.reasons[0].text).toContain('60周岁10个月');
    expect(e.reasons[0].text).toContain('2028年11月');
    expect(codes(e.options)).toEqual(['option_apply_at_statutory_age', 'option_early_retirement']);
    expect(e.options[1].text).toContain('最早2028年1月');
    // Short of the minimum of the earliest year (180 months in 2028): no early option.
    expect(codes(claimEligibility({ ...man1966, birthYearMonth: '1968-01', contributionMonths: 179 }).options)).toEqual(
      ['option_apply_at_statutory_age', 'option_extend_contributions', 'option_lump_sum', 'option_transfer'],
    );
  });

  test('age not reached but past the original age with the minimum met: early retirement is offered', () => {
    // Born 1965-11: 60 in 2025-11, 3 months of delay → statutory 2026-02; at 2025-12 the early window is open.
    const e = claimEligibility({ ...man1966, birthYearMonth: '1965-11', currentYearMonth: '2025-12' });
    expect(codes(e.reasons)).toEqual(['age_not_reached']);
    expect(codes(e.options)).toEqual(['option_apply_at_statutory_age', 'option_early_retirement']);
  });

  test('minimum years not met for the statutory year: refused with the shortfall and the three options', () => {
    const e = claimEligibility({ ...man1966, contributionMonths: 170 });
    expect(codes(e.reasons)).toEqual(['minimum_years_not_met']);
    expect(e.reasons[0].text).toContain('14年2个月');
    expect(e.reasons[0].text).toContain('2026年的最低缴费年限15年');
    expect(e.reasons[0].text).toContain('尚差10个月');
    expect(codes(e.options)).toEqual(['option_extend_contributions', 'option_lump_sum', 'option_transfer']);
  });

  test('the minimum of the year that applies: statutory age in 2032 → 16y6m (198 months)', () => {
    // Born 1970-09 man: delay floor(68/4)+1 = 18 → 61y6m → 2032-03; check in 2032-04 → year 2032 → 198 months.
    const e = claimEligibility({
      ...man1966,
      birthYearMonth: '1970-09',
      currentYearMonth: '2032-04',
      contributionMonths: 197,
    });
    expect(e.minimumYear).toBe(2032);
    expect(e.minimumContributionMonths).toBe(198);
    expect(codes(e.reasons)).toEqual(['minimum_years_not_met']);
  });

  test('flexible early and late retirement months inside the window; outside or in the future are refused', () => {
    expect(claimEligibility({ ...man1966, retireAt: '2026-02' })).toMatchObject({
      eligible: true,
      kind: 'early',
      retirementYearMonth: '2026-02',
      ageAtRetirement: { years: 60, months: 1 },
    });
    expect(claimEligibility({ ...man1966, retireAt: '2026-09' })).toMatchObject({
      eligible: true,
      kind: 'late',
      minimumYear: 2026,
    });
    expect(codes(claimEligibility({ ...man1966, retireAt: '2025-12' }).reasons)).toEqual(['retire_at_outside_window']);
    expect(codes(claimEligibility({ ...man1966, retireAt: '2027-01' }).reasons)).toEqual(['retire_at_not_reached']);
  });

  test('every reason at once: outside the window and short of the minimum', () => {
    const e = claimEligibility({ ...man1966, retireAt: '2025-12', contributionMonths: 100 });
    expect(codes(e.reasons)).toEqual(['retire_at_outside_window', 'minimum_years_not_met']);
  });

  test('a woman with original age 50 born 1976-03 reaches 50y8m in 2026-11', () => {
    const e = claimEligibility({ ...man1966, sex: 'female', originalAge: 50, birthYearMonth: '1976-03' });
    expect(e).toMatchObject({
      eligible: true,
      retirementYearMonth: '2026-11',
      ageAtRetirement: { years: 50, months: 8 },
    });
  });
});

describe('claim helpers', () => {
  test('ageAt, first payment month (B-9)', () => {
    expect(ageAt('1966-01', '2026-05')).toEqual({ years: 60, months: 4 });
    expect(firstPaymentMonth('2026-11-29')).toBe('2026-12');
    expect(firstPaymentMonth('2026-12-31')).toBe('2027-01');
  });

  test('the ID card is the only required material (B-5)', () => {
    expect(codes(missingClaimMaterials([]))).toEqual(['id_card']);
    expect(codes(missingClaimMaterials([{ kind: 'social_security_card' }, { kind: 'personnel_file' }]))).toEqual([
      'id_card',
    ]);
    expect(missingClaimMaterials([{ kind: 'id_card' }])).toEqual([]);
  });

  test('relation reasons (B-2): live here is fine; receiving, elsewhere or none are refused', () => {
    expect(
      claimRelationReasons('620102', [{ agencyCode: '620102', provinceCode: '62', status: 'interrupted' }]),
    ).toEqual([]);
    expect(
      codes(claimRelationReasons('620102', [{ agencyCode: '620102', provinceCode: '62', status: 'receiving' }])),
    ).toEqual(['already_receiving']);
    const elsewhere = claimRelationReasons('620102', [
      { agencyCode: '620103', provinceCode: '62', status: 'contributing' },
    ]);
    expect(codes(elsewhere)).toEqual(['not_insured_here']);
    expect(elsewhere[0].text).toContain('620103');
    expect(
      codes(
        claimRelationReasons('620102', [
          { agencyCode: '610102', provinceCode: '61', status: 'contributing' },
          { agencyCode: '620102', provinceCode: '62', status: 'stopped' },
        ]),
      ),
    ).toEqual(['not_insured_here']);
  });

  test('the refusal notice lists every reason, then the options, and returns the materials', () => {
    const text = claimRefusalNotice({
      caseId: 'benefit-claim-620102-2026-000001',
      clause: '8.2.3.2',
      reasons: [{ code: 'minimum_years_not_met', text: 'A' }],
      options: [
        { code: 'option_lump_sum', text: 'B' },
        { code: 'option_transfer', text: 'C' },
      ],
    }).text;
    expect(text).toContain('1. A\n您可以选择：\n1. B\n2. C\n您提交的申请材料予以退回。');
  });
});
