import { RuleInputError } from '../../domain/errors';
import { ParameterResolver } from '../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { PARAMETER_NAMES, pickParameter, type ParameterValue } from '../../domain/parameters';
import {
  accountDivisor,
  computePension,
  pensionParametersFrom,
  yearsFromMonths,
  type DivisorTable,
  type PensionInput,
} from '../../domain/pension';

/** domain.md §3.1, 国发〔2005〕38号 附件, copied here independently of the seed. */
const DOC_DIVISORS: Record<number, number> = {
  40: 233,
  41: 230,
  42: 226,
  43: 223,
  44: 220,
  45: 216,
  46: 212,
  47: 208,
  48: 204,
  49: 199,
  50: 195,
  51: 190,
  52: 185,
  53: 180,
  54: 175,
  55: 170,
  56: 164,
  57: 158,
  58: 152,
  59: 145,
  60: 139,
  61: 132,
  62: 125,
  63: 117,
  64: 109,
  65: 101,
  66: 93,
  67: 84,
  68: 75,
  69: 65,
  70: 56,
};

const seedTable = pickParameter(PARAMETER_SEED, PARAMETER_NAMES.divisorTable, '62', '2025-05-01').value as DivisorTable;

describe('divisor (计发月数)', () => {
  test('every age 40–70 equals the §3.1 table', () => {
    for (let age = 40; age <= 70; age++) {
      expect([age, seedTable[String(age)]]).toEqual([age, DOC_DIVISORS[age]]);
      expect(accountDivisor({ years: age, months: 0 }, seedTable, 'interpolate-1dp').divisor.toFixed()).toBe(
        String(DOC_DIVISORS[age]),
      );
    }
    expect(Object.keys(seedTable)).toHaveLength(31);
  });

  test('interpolation at 60y3m: 139 − 7 × 3/12 = 137.25 → 137.3 (Gansu approval form 2026-01-27)', () => {
    expect(accountDivisor({ years: 60, months: 3 }, seedTable, 'interpolate-1dp').divisor.toFixed()).toBe('137.3');
    // 60y6m gives 135.5 by interpolation (the third-party config's 136.1 is not reproduced)
    expect(accountDivisor({ years: 60, months: 6 }, seedTable, 'interpolate-1dp').divisor.toFixed()).toBe('135.5');
  });

  test('floor method uses the whole-age row', () => {
    expect(accountDivisor({ years: 60, months: 3 }, seedTable, 'floor').divisor.toFixed()).toBe('139');
    expect(accountDivisor({ years: 69, months: 11 }, seedTable, 'floor').divisor.toFixed()).toBe('65');
  });

  test('Gansu uses interpolation from 2025, the national fallback is floor', () => {
    expect(pickParameter(PARAMETER_SEED, PARAMETER_NAMES.divisorMethod, '62', '2026-01-27').value).toBe(
      'interpolate-1dp',
    );
    expect(pickParameter(PARAMETER_SEED, PARAMETER_NAMES.divisorMethod, '11', '2026-01-27').value).toBe('floor');
  });

  test('ages outside 40y0m–70y0m are refused', () => {
    expect(() => accountDivisor({ years: 39, months: 11 }, seedTable, 'floor')).toThrow(RuleInputError);
    expect(() => accountDivisor({ years: 70, months: 1 }, seedTable, 'interpolate-1dp')).toThrow(RuleInputError);
    expect(() => accountDivisor({ years: 71, months: 0 }, seedTable, 'floor')).toThrow(RuleInputError);
    expect(accountDivisor({ years: 70, months: 0 }, seedTable, 'interpolate-1dp').divisor.toFixed()).toBe('56');
  });
});

describe('contribution years from months', () => {
  test('430 months → 35.83 and 77 months → 6.42 (half-up)', () => {
    expect(yearsFromMonths(430, 'half-up').toFixed(2)).toBe('35.83');
    expect(yearsFromMonths(77, 'half-up').toFixed(2)).toBe('6.42');
  });
  test('down truncates: 77 → 6.41, 431 → 35.91 (half-up 35.92)', () => {
    expect(yearsFromMonths(77, 'down').toFixed(2)).toBe('6.41');
    expect(yearsFromMonths(431, 'down').toFixed(2)).toBe('35.91');
    expect(yearsFromMonths(431, 'half-up').toFixed(2)).toBe('35.92');
  });
});

describe('computePension', () => {
  // Case 1 retired in 2025-05, before the 2025 计发基数 was published: the form used the latest
  // published one (2024: 7594) provisionally. The parameter table as it stood then has no 2025 row.
  const tableThen = PARAMETER_SEED.filter((p) => !(p.name === PARAMETER_NAMES.baseWage && p.validFrom >= '2025-01-01'));
  const provisionalBase = new ParameterResolver(tableThen, '62').forYear<string>(PARAMETER_NAMES.baseWage, 2025)!;
  const gansuParams = { ...pensionParametersFrom(PARAMETER_SEED, '62', '2025-05-01'), baseWage: provisionalBase.row };

  /**
   * Gansu case 1 (domain.md §3.2, retired 2025-05): the published case gives YEARS, not months
   * (N 35.83, deemed 6.42). The only month counts that print as those years are 430 months
   * (430/12 = 35.833… → 35.83) and 77 months (77/12 = 6.4166… → 6.42 with half-up; 6.41 with
   * truncation), so the case also shows that Gansu rounds the years half-up.
   */
  const case1: PensionInput = {
    baseWage: '7594',
    averageIndex: '1.2458',
    contributionMonths: 430,
    deemedMonths: 77,
    accountBalance: '167590.39',
    age: { years: 60, months: 0 },
  };

  test('published Gansu case 1 reproduces to the cent: 3055.33 + 1205.69 + 728.85 = 4989.87', () => {
    expect(provisionalBase.provisional).toBe(true);
    expect(gansuParams.baseWage?.value).toBe('7594');
    const r = computePension(case1, gansuParams);
    expect(r).toMatchObject({
      basic: '3055.33',
      account: '1205.69',
      transitional: '728.85',
      total: '4989.87',
      divisor: '139',
      contributionYears: '35.83',
      deemedYears: '6.42',
      warnings: [],
    });
    const steps = Object.fromEntries(r.working.steps.map((s) => [s.item, s]));
    expect(steps.basic.expression).toContain('7594 × (1 + 1.2458) / 2 × 35.83 × 1%');
    expect(steps.account.expression).toContain('167590.39 ÷ 139');
    expect(steps.transitional.expression).toContain('7594 × 1.2458 × 6.42 × 1.2%');
    expect(steps.total).toEqual({ item: 'total', expression: '3055.33 + 1205.69 + 728.85', value: '4989.87' });
    expect(r.working.parameters.map((p) => p.name)).toEqual([
      'pension.baseWage',
      'pension.divisorTable',
      'pension.divisorMethod',
      'pension.transitionalCoefficient',
      'pension.yearsRounding',
    ]);
    expect(r.working.parameters.every((p) => p.source.length > 0)).toBe(true);
    expect(r.working.ruleVersion).toMatch(/^pension\//);
  });

  test("rounding 'down' gives 6.41 deemed years and a different transitional pension", () => {
    // 7594 × 1.2458 × 6.41 × 1.2% = 727.709751984 → 727.71 (half-up would be 728.85)
    const r = computePension({ ...case1, yearsRounding: 'down' }, gansuParams);
    expect(r.deemedYears).toBe('6.41');
    expect(r.transitional).toBe('727.71');
    expect(r.contributionYears).toBe('35.83');
    // 431 months: N 35.92 (half-up) vs 35.91 (down)
    // 7594 × 2.2458 / 2 × 35.92% = 3063.00709392 → 3063.01; × 35.91% = 3062.15436366 → 3062.15
    expect(computePension({ ...case1, contributionMonths: 431 }, gansuParams).basic).toBe('3063.01');
    expect(computePension({ ...case1, contributionMonths: 431, yearsRounding: 'down' }, gansuParams).basic).toBe(
      '3062.15',
    );
  });

  test('a man retiring at 60y3m in Gansu gets the interpolated divisor 137.3', () => {
    // 167590.39 ÷ 137.3 = 1220.6146… → 1220.61
    const r = computePension({ ...case1, age: { years: 60, months: 3 } }, { ...gansuParams, baseWage: undefined });
    expect(r.divisor).toBe('137.3');
    expect(r.account).toBe('1220.61');
  });

  test('an index outside 0.6–3.0 is computed but flagged', () => {
    const r = computePension({ ...case1, averageIndex: '3.2' }, gansuParams);
    expect(r.warnings).toEqual(['AVERAGE_INDEX_OUTSIDE_USUAL_RANGE']);
    expect(r.working.steps[0].value).toContain('OUTSIDE');
  });

  test('no deemed months: no transitional pension', () => {
    const r = computePension({ ...case1, deemedMonths: 0 }, gansuParams);
    expect(r.transitional).toBe('0.00');
    expect(r.total).toBe('4261.02');
  });

  test('invalid inputs throw RuleInputError', () => {
    const code = (input: Partial<PensionInput>) => {
      try {
        computePension({ ...case1, ...input }, gansuParams);
      } catch (e) {
        expect(e).toBeInstanceOf(RuleInputError);
        return `${(e as RuleInputError).field}:${(e as RuleInputError).code}`;
      }
      return 'no error';
    };
    expect(code({ contributionMonths: -1 })).toBe('contributionMonths:INVALID_MONTH_COUNT');
    expect(code({ contributionMonths: 12.5 })).toBe('contributionMonths:INVALID_MONTH_COUNT');
    expect(code({ deemedMonths: 431 })).toBe('deemedMonths:DEEMED_EXCEEDS_TOTAL');
    expect(code({ accountBalance: '-1.00' })).toBe('accountBalance:NEGATIVE_AMOUNT');
    expect(code({ averageIndex: '1,2' })).toBe('averageIndex:INVALID_DECIMAL');
    expect(code({ age: { years: 39, months: 0 } })).toBe('age:AGE_OUT_OF_RANGE');
    expect(code({ age: { years: 70, months: 6 } })).toBe('age:AGE_OUT_OF_RANGE');
    expect(code({ baseWage: '7746' })).toBe('baseWage:PARAMETER_MISMATCH');
  });

  test("the 计发基数 is the retirement year's; before it is published the latest stands in, provisionally", () => {
    const seed = PARAMETER_SEED as readonly ParameterValue<unknown>[];
    expect(pensionParametersFrom(seed, '620100', '2025-05-01').baseWage?.value).toBe('7746');
    const resolver = new ParameterResolver(seed, '620100');
    expect(resolver.forYear(PARAMETER_NAMES.baseWage, 2025)).toMatchObject({
      provisional: false,
      row: { value: '7746' },
    });
    const lastYear = Math.max(
      ...seed.filter((p) => p.name === PARAMETER_NAMES.baseWage).map((p) => Number(p.validFrom.slice(0, 4))),
    );
    const next = resolver.forYear(PARAMETER_NAMES.baseWage, lastYear + 1);
    expect(next).toMatchObject({ provisional: true });
    expect(resolver.provisional()).toEqual([
      expect.objectContaining({ name: PARAMETER_NAMES.baseWage, year: lastYear + 1, provisional: true }),
    ]);
  });
});
