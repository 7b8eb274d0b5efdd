import { accountLedger, averageIndex, contributionMonths, type ContributionRecord } from '../../domain/contributions';
import { RuleInputError } from '../../domain/errors';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { PARAMETER_NAMES, yearlyParameters, type ParameterValue } from '../../domain/parameters';

/**
 * Hand example. Average wages (test values, not official): A(2023) = 5000, A(2024) = 6000.
 *   month    base          xₘ / A
 *   2023-11  5000          5000 / 5000 = 1.0
 *   2023-12  7500          7500 / 5000 = 1.5
 *   2024-01  3600          3600 / 6000 = 0.6
 *   2024-02  6000          6000 / 6000 = 1.0
 *   2024-03  4500 + 4500   9000 / 6000 = 1.5   (one month paid in two records → merged)
 * n = 5 distinct months; Σ = 1.0 + 1.5 + 0.6 + 1.0 + 1.5 = 5.6; Ī = 5.6 / 5 = 1.12 → "1.1200".
 *
 * Ledger, credit 8%, rates (test values) 2023: 3.97%, 2024: 2.62%, 2025: 1.50%:
 *   2023: opening 0.00; credited 0.08 × 12500 = 1000.00; interest 0 (opening 0) → 1000.00
 *   2024: opening 1000.00; credited 0.08 × 18600 = 1488.00;
 *         interest 1000.00 × 0.0262 = 26.20 (2024 credits earn from 2025) → 2514.20
 *   2025: opening 2514.20; credited 0; interest 2514.20 × 0.015 = 37.713 → 37.71 → 2551.91
 *   as of 2025-06-30 the 2025 year is incomplete: no 2025 interest → 2514.20
 * With an opening balance of 500.00 on 2023-01-01:
 *   2023: 500.00 × 0.0397 = 19.85 → 500.00 + 1000.00 + 19.85 = 1519.85
 *   2024: 1519.85 × 0.0262 = 39.82007 → 39.82 → 1519.85 + 1488.00 + 39.82 = 3047.67
 */
const records: ContributionRecord[] = [
  { yearMonth: '2023-11', base: '5000' },
  { yearMonth: '2023-12', base: '7500' },
  { yearMonth: '2024-01', base: '3600' },
  { yearMonth: '2024-02', base: '6000' },
  { yearMonth: '2024-03', base: '4500' },
  { yearMonth: '2024-03', base: '4500' },
];
const wages = { '2023': '5000', '2024': '6000' };
const rates = { '2023': '0.0397', '2024': '0.0262', '2025': '0.0150' };

describe('contributionMonths', () => {
  test('counts distinct months', () => {
    expect(contributionMonths(records)).toBe(5);
    expect(contributionMonths([])).toBe(0);
  });
  test('rejects malformed records', () => {
    expect(() => contributionMonths([{ yearMonth: '2024-13', base: '1' }])).toThrow(RuleInputError);
    expect(() => contributionMonths([{ yearMonth: '2024-01', base: '-5' }])).toThrow(RuleInputError);
  });
});

describe('averageIndex', () => {
  test('hand example: Ī = 5.6 / 5 = 1.1200', () => {
    const r = averageIndex(records, wages);
    expect(r.averageIndex).toBe('1.1200');
    expect(r.months).toBe(5);
    const steps = r.working.steps;
    expect(steps.map((s) => s.value)).toEqual(['2.5', '3.1', '1.1200']);
    expect(steps[1].expression).toBe('(3600 + 6000 + 9000) ÷ 6000 [3 months]');
  });

  test('rounding to 4 decimals with the seeded Gansu denominators (UNVERIFIED values)', () => {
    // 2023-11, 2023-12 at 5000 and 2024-01…03 at 6000; A(2023) = 6861, A(2024) = 7194:
    // 10000/6861 = 1.457513…, 18000/7194 = 2.502085…, Σ = 3.959598…, ÷ 5 = 0.791919… → 0.7919
    const rows = yearlyParameters(
      PARAMETER_SEED as readonly ParameterValue<string>[],
      PARAMETER_NAMES.averageWage,
      '62',
      [2023, 2024],
    );
    const r = averageIndex(
      [
        { yearMonth: '2023-11', base: '5000' },
        { yearMonth: '2023-12', base: '5000' },
        { yearMonth: '2024-01', base: '6000' },
        { yearMonth: '2024-02', base: '6000' },
        { yearMonth: '2024-03', base: '6000' },
      ],
      rows,
    );
    expect(r.averageIndex).toBe('0.7919');
    expect(r.working.parameters).toHaveLength(2);
    expect(r.working.parameters[0].source).toContain('pension-engine');
  });

  test('a year without an average wage throws', () => {
    expect(() => averageIndex(records, { '2023': '5000' })).toThrow(
      expect.objectContaining({ code: 'MISSING_AVERAGE_WAGE', field: 'averageWageByYear.2024' }),
    );
    expect(() => averageIndex([], wages)).toThrow(expect.objectContaining({ code: 'NO_RECORDS' }));
  });
});

describe('accountLedger', () => {
  test('hand example to 2025-12-31', () => {
    const r = accountLedger(records, { creditRate: '0.08', interestRateByYear: rates, asOf: '2025-12-31' });
    expect(r.rows).toEqual([
      {
        year: 2023,
        months: 2,
        opening: '0.00',
        credited: '1000.00',
        interestRate: null,
        interest: '0.00',
        closingBalance: '1000.00',
        complete: true,
      },
      {
        year: 2024,
        months: 3,
        opening: '1000.00',
        credited: '1488.00',
        interestRate: '0.0262',
        interest: '26.20',
        closingBalance: '2514.20',
        complete: true,
      },
      {
        year: 2025,
        months: 0,
        opening: '2514.20',
        credited: '0.00',
        interestRate: '0.015',
        interest: '37.71',
        closingBalance: '2551.91',
        complete: true,
      },
    ]);
    expect(r.balance).toBe('2551.91');
    expect(r.working.steps.find((s) => s.item === 'interest 2025')?.expression).toBe(
      '2514.20 × 0.015 = 37.713 → cent (half-up)',
    );
  });

  test('the asOf year earns no interest before 31 December; later records are left out', () => {
    const r = accountLedger([...records, { yearMonth: '2025-07', base: '6000' }], {
      creditRate: '0.08',
      interestRateByYear: rates,
      asOf: '2025-06-30',
    });
    expect(r.rows[2]).toMatchObject({ year: 2025, interest: '0.00', complete: false, closingBalance: '2514.20' });
    expect(r.balance).toBe('2514.20');
    expect(r.working.steps[0]).toMatchObject({ item: 'excluded records', value: '1' });
  });

  test('opening balance earns interest in its first year', () => {
    const r = accountLedger(records, {
      creditRate: '0.08',
      interestRateByYear: rates,
      openingBalance: { year: 2023, balance: '500.00' },
      asOf: '2024-12-31',
    });
    expect(r.rows.map((x) => [x.interest, x.closingBalance])).toEqual([
      ['19.85', '1519.85'],
      ['39.82', '3047.67'],
    ]);
  });

  test('credits are rounded per year row: 7543.33 × 8% = 603.4664 → 603.47', () => {
    const r = accountLedger([{ yearMonth: '2026-01', base: '7543.33' }], {
      creditRate: '0.08',
      interestRateByYear: {},
      asOf: '2026-01-31',
    });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].credited).toBe('603.47');
    expect(r.balance).toBe('603.47');
  });

  test('a missing rate for a year that earns interest throws', () => {
    expect(() =>
      accountLedger(records, { creditRate: '0.08', interestRateByYear: { '2024': '0.0262' }, asOf: '2025-12-31' }),
    ).toThrow(expect.objectContaining({ code: 'MISSING_INTEREST_RATE', field: 'interestRateByYear.2025' }));
    expect(() => accountLedger(records, { creditRate: '8', interestRateByYear: rates, asOf: '2025-12-31' })).toThrow(
      RuleInputError,
    );
  });

  test('seeded national rates (UNVERIFIED) carry their source into the working', () => {
    const rateRows = yearlyParameters(
      PARAMETER_SEED as readonly ParameterValue<string>[],
      PARAMETER_NAMES.interestRate,
      '62',
      [2024],
    );
    const r = accountLedger(records, { creditRate: '0.08', interestRateByYear: rateRows, asOf: '2024-12-31' });
    expect(r.balance).toBe('2514.20');
    expect(r.working.parameters.find((p) => p.name === PARAMETER_NAMES.interestRate)?.source).toContain(
      'liubigfatty/pension-calculator',
    );
  });
});
