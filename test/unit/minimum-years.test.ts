import { RuleInputError } from '../../domain/errors';
import {
  DEFAULT_MINIMUM_YEARS_TABLE,
  formatMonthsChinese,
  minimumContributionMonths,
  minimumYearsTableFromParameters,
} from '../../domain/minimum-years';
import { PARAMETER_SEED } from '../../domain/parameter-seed';

describe('minimum contribution years (domain.md §2, 办法 附件2)', () => {
  // ≤2029: 15y; 2030: 15y6m; … +6 months a year …; ≥2039: 20y
  test.each([
    [2025, 180],
    [2026, 180],
    [2027, 180],
    [2028, 180],
    [2029, 180],
    [2030, 186],
    [2031, 192],
    [2032, 198],
    [2033, 204],
    [2034, 210],
    [2035, 216],
    [2036, 222],
    [2037, 228],
    [2038, 234],
    [2039, 240],
    [2040, 240],
  ])('%i → %i months', (year, months) => {
    expect(minimumContributionMonths(year, DEFAULT_MINIMUM_YEARS_TABLE)).toBe(months);
  });

  test('the default table is the seed’s national rows', () => {
    expect(minimumYearsTableFromParameters(PARAMETER_SEED, 'CN')).toEqual(DEFAULT_MINIMUM_YEARS_TABLE);
    // Gansu has no override, so the national rows apply
    expect(minimumYearsTableFromParameters(PARAMETER_SEED, '620100')).toEqual(DEFAULT_MINIMUM_YEARS_TABLE);
    expect(DEFAULT_MINIMUM_YEARS_TABLE.every((r) => r.source && r.source.length > 0)).toBe(true);
  });

  test('a year before the table throws; a custom table is honoured', () => {
    expect(() => minimumContributionMonths(2000, DEFAULT_MINIMUM_YEARS_TABLE)).toThrow(RuleInputError);
    expect(
      minimumContributionMonths(2031, [
        { fromYear: 2000, months: 100 },
        { fromYear: 2031, months: 111 },
      ]),
    ).toBe(111);
  });

  test('Chinese formatting for notices', () => {
    expect(formatMonthsChinese(180)).toBe('15年');
    expect(formatMonthsChinese(186)).toBe('15年6个月');
    expect(formatMonthsChinese(5)).toBe('5个月');
  });
});
