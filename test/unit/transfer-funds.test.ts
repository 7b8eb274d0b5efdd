import { computeTransferFunds, type TransferFundsInput } from '../../domain/transfer-funds';
import { TransferRuleError } from '../../domain/transfer-errors';

const account = { before1998Personal: '1234.56', from1998ToLastYearEnd: '45678.90', currentYearPrincipal: '3400.00' };

function errorOf(fn: () => unknown): TransferRuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TransferRuleError) return e;
    throw e;
  }
  throw new Error('expected a TransferRuleError');
}

describe('computeTransferFunds', () => {
  it('two full years at 8500 transfer 2 × 12 × 8500 × 12% = 24480.00 of pooled fund', () => {
    // 12 × 8500 × 0.12 = 12240.00 per year; 12240 + 12240 = 24480.00
    const r = computeTransferFunds({
      years: [
        { year: 2023, months: 12, monthlyBase: '8500' },
        { year: 2024, months: 12, monthlyBase: '8500' },
      ],
      account: { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
    });
    expect(r.pooledFund).toBe('24480.00');
    expect(r.individualAccount).toBe('0.00');
    expect(r.total).toBe('24480.00');
  });

  it('a 1996–2025 history with a part year: pre-1998 years add nothing, the part year counts by months', () => {
    /* Hand computation (pooled rate 12%):
     *   1996: 12 × 1800.00 → before 1998, nothing          =     0
     *   1997: 12 × 2000.00 → before 1998, nothing          =     0
     *   1998: 12 × 2400.00 × 0.12 = 28800 × 0.12           =  3456.00
     *   2023: 12 × 8500.00 × 0.12                          = 12240.00
     *   2024: 12 × 8500.00 × 0.12                          = 12240.00
     *   2025:  5 × 8500.55 × 0.12 = 42502.75 × 0.12        =  5100.33
     *   ⑤ = 3456 + 12240 + 12240 + 5100.33                 = 33036.33
     *   ④ = 1234.56 + 45678.90 + 3400.00                   = 50313.46
     *   ⑥ = 50313.46 + 33036.33                            = 83349.79
     */
    const input: TransferFundsInput = {
      years: [
        { year: 1996, months: 12, monthlyBase: '1800.00' },
        { year: 1997, months: 12, monthlyBase: '2000.00' },
        { year: 1998, months: 12, monthlyBase: '2400.00' },
        { year: 2023, months: 12, monthlyBase: '8500.00' },
        { year: 2024, months: 12, monthlyBase: '8500.00' },
        { year: 2025, months: 5, monthlyBase: '8500.55' },
      ],
      account,
    };
    const r = computeTransferFunds(input);
    expect(r.pooledFund).toBe('33036.33');
    expect(r.individualAccount).toBe('50313.46');
    expect(r.total).toBe('83349.79');
    expect(r.items).toEqual(account);

    // The working shows every year with its actual numbers.
    const steps = Object.fromEntries(r.working.steps.map((s) => [s.item, s]));
    expect(steps['⑤ 1996 (years[0])'].value).toBe('0.00');
    expect(steps['⑤ 1997 (years[1])'].value).toBe('0.00');
    expect(steps['⑤ 2025 (years[5]), exact, not rounded']).toEqual({
      item: '⑤ 2025 (years[5]), exact, not rounded',
      expression: '0.12 × 8500.55 × 5',
      value: '5100.33',
    });
    expect(steps['⑤ pooledFund'].expression).toBe('round_half_up(3456.00 + 12240.00 + 12240.00 + 5100.33, 0.01)');
    expect(steps['④ individualAccount'].expression).toBe('1234.56 + 45678.90 + 3400.00');
    expect(steps['⑥ total'].expression).toBe('50313.46 + 33036.33');
    expect(r.working.parameters).toContainEqual(
      expect.objectContaining({ name: 'transfer.pooledRate', value: '0.12', source: '国办发〔2009〕66号 第四条' }),
    );
    expect(r.working.ruleVersion).toBe('transfer-funds/1');
    expect(r.working.inputs).toEqual({ years: input.years, account, pooledRate: '0.12' });
  });

  it('only years before 1998 give a pooled fund of 0.00', () => {
    const r = computeTransferFunds({
      years: [
        { year: 1995, months: 12, monthlyBase: '900' },
        { year: 1997, months: 6, monthlyBase: '1000' },
      ],
      account: { before1998Personal: '500.5', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
    });
    expect(r.pooledFund).toBe('0.00');
    expect(r.individualAccount).toBe('500.50');
    expect(r.total).toBe('500.50');
  });

  it('rounds the sum once, not each year', () => {
    // 1 × 1000.21 × 0.12 = 120.0252 per year. Sum 240.0504 → 240.05.
    // Rounding each year first would give 120.03 + 120.03 = 240.06.
    const r = computeTransferFunds({
      years: [
        { year: 2020, months: 1, monthlyBase: '1000.21' },
        { year: 2021, months: 1, monthlyBase: '1000.21' },
      ],
      account: { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
    });
    expect(r.pooledFund).toBe('240.05');
    expect(r.working.steps[0].value).toBe('120.0252');
  });

  it('rounds half up at the cent', () => {
    // 7 × 8500.55 × 0.12 = 7140.462; 1 × 1000.01 × 0.12 = 120.0012 → 7260.4632 → 7260.46
    // 1 × 1000.05 × 0.12 = 120.006 alone → 120.01 (half up on the third decimal 6)
    expect(
      computeTransferFunds({
        years: [
          { year: 2025, months: 7, monthlyBase: '8500.55' },
          { year: 2024, months: 1, monthlyBase: '1000.01' },
        ],
        account: { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
      }).pooledFund,
    ).toBe('7260.46');
    expect(
      computeTransferFunds({
        years: [{ year: 2024, months: 1, monthlyBase: '1000.05' }],
        account: { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
      }).pooledFund,
    ).toBe('120.01');
  });

  it('accepts two segments of the same year while their months add up to 12 at most', () => {
    // 2024: 4 × 6000 × 0.12 = 2880; 8 × 8000 × 0.12 = 7680; total 10560.00
    const r = computeTransferFunds({
      years: [
        { year: 2024, months: 4, monthlyBase: '6000' },
        { year: 2024, months: 8, monthlyBase: '8000' },
      ],
      account: { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' },
    });
    expect(r.pooledFund).toBe('10560.00');
  });

  it('uses a pooled rate given as a parameter and records it', () => {
    const r = computeTransferFunds(
      { years: [{ year: 2024, months: 12, monthlyBase: '1000' }], account },
      { pooledRate: '0.10', pooledRateSource: 'test source' },
    );
    expect(r.pooledFund).toBe('1200.00');
    expect(r.working.parameters[0]).toEqual(
      expect.objectContaining({ name: 'transfer.pooledRate', value: '0.10', source: 'test source' }),
    );
  });

  describe('validation', () => {
    it('reports months outside 1–12 with the field path', () => {
      const e = errorOf(() =>
        computeTransferFunds({
          years: [
            { year: 2020, months: 12, monthlyBase: '1000' },
            { year: 2021, months: 12, monthlyBase: '1000' },
            { year: 2022, months: 13, monthlyBase: '1000' },
          ],
          account,
        }),
      );
      expect(e.code).toBe('transfer.invalid_months');
      expect(e.field).toBe('years[2].months');
    });

    it('lists every invalid field at once', () => {
      const e = errorOf(() =>
        computeTransferFunds({
          years: [
            { year: 1949, months: 0, monthlyBase: '-1' },
            { year: 2020, months: 2.5, monthlyBase: '1000.123' },
          ],
          account: { before1998Personal: '-5', from1998ToLastYearEnd: 'abc', currentYearPrincipal: '1' },
        }),
      );
      expect(e.issues.map((i) => i.field)).toEqual([
        'years[0].year',
        'years[0].months',
        'years[0].monthlyBase',
        'years[1].months',
        'years[1].monthlyBase',
        'account.before1998Personal',
        'account.from1998ToLastYearEnd',
      ]);
      expect(e.field).toBe('years[0].year');
      expect(e.message).toContain('years[1].monthlyBase');
    });

    it('refuses a year listed twice whose months overlap', () => {
      const e = errorOf(() =>
        computeTransferFunds({
          years: [
            { year: 2020, months: 12, monthlyBase: '1000' },
            { year: 2021, months: 12, monthlyBase: '1000' },
            { year: 2020, months: 1, monthlyBase: '1000' },
          ],
          account,
        }),
      );
      expect(e.code).toBe('transfer.year_months_exceed_12');
      expect(e.field).toBe('years[2].year');
      expect(e.message).toContain('2020年度重复');
    });

    it('refuses a year above 2100 and an invalid pooled rate', () => {
      const e = errorOf(() =>
        computeTransferFunds({ years: [{ year: 2101, months: 1, monthlyBase: '1' }], account }, { pooledRate: '1.5' }),
      );
      expect(e.issues.map((i) => i.field)).toEqual(['params.pooledRate', 'years[0].year']);
    });

    it('refuses a missing account and a missing history', () => {
      const e = errorOf(() => computeTransferFunds({} as TransferFundsInput));
      expect(e.issues.map((i) => i.field)).toEqual(['years', 'account']);
    });
  });
});
