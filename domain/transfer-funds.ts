/**
 * Funds that move with a cross-province transfer of the basic pension relation
 * (国办发〔2009〕66号 Art. 4): the individual account (④ = ① + ② + ③) and the pooled fund
 * (⑤ = 12% of each year's actual contribution base from 1998-01-01, part years by months).
 * Backs POST /api/v1/rules/transfer-funds and the transfer-out workflow.
 * Pure and deterministic, so workflows may import it.
 */
import type { Working, WorkingStep } from './audit';
import { dec, isMoneyString, money, type Dec } from './money';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';

export const TRANSFER_FUNDS_RULE_VERSION = 'transfer-funds/1';
export const DEFAULT_POOLED_RATE = '0.12';
export const POOLED_RATE_SOURCE = '国办发〔2009〕66号 第四条';
/** Years before this one transfer no pooled fund (Art. 4: "1998年1月1日之前...不转移统筹基金"). */
export const POOLED_FUND_FIRST_YEAR = 1998;
export const MIN_YEAR = 1950;
export const MAX_YEAR = 2100;

/** One year (or one segment of a year) of the contribution history. */
export interface TransferFundsYear {
  year: number;
  /** Months actually paid in this row, 1–12. */
  months: number;
  /** Monthly contribution base (月缴费基数), a money string. */
  monthlyBase: string;
}

/** Items ①②③ of the information sheet (信息表). */
export interface TransferAccountItems {
  /** ① 1998年1月1日前账户中个人缴费累计储存额 */
  before1998Personal: string;
  /** ② 1998年1月1日至调转上年末个人账户累计储存额 */
  from1998ToLastYearEnd: string;
  /** ③ 调转当年记入个人账户本金金额 */
  currentYearPrincipal: string;
}

export interface TransferFundsInput {
  years: TransferFundsYear[];
  account: TransferAccountItems;
}

export interface TransferFunds {
  /** ④ 个人账户基金转移额 = ① + ② + ③ */
  individualAccount: string;
  /** ⑤ 统筹基金转移额 */
  pooledFund: string;
  /** ⑥ 转移基金总额 = ④ + ⑤ */
  total: string;
  working: Working;
  /** ①②③ as two-decimal strings. */
  items: TransferAccountItems;
}

export interface TransferFundsParams {
  /** Share of each year's base transferred as pooled fund; default '0.12'. */
  pooledRate?: string;
  /** Where a non-default rate comes from, recorded in the working. */
  pooledRateSource?: string;
}

const ACCOUNT_FIELDS = ['before1998Personal', 'from1998ToLastYearEnd', 'currentYearPrincipal'] as const;
const ACCOUNT_LABELS: Record<(typeof ACCOUNT_FIELDS)[number], string> = {
  before1998Personal: '①1998年1月1日前个人缴费累计储存额',
  from1998ToLastYearEnd: '②1998年1月1日至调转上年末个人账户累计储存额',
  currentYearPrincipal: '③调转当年记入个人账户本金金额',
};

/** True for a money string that is not negative ("0", "12.5", "8500.00"). */
export function isNonNegativeMoneyString(value: unknown): value is string {
  return typeof value === 'string' && isMoneyString(value) && !value.startsWith('-');
}

function isRateString(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,3}(\.\d{1,10})?$/.test(value) && dec(value).lte(1);
}

/**
 * Every problem with the input, in field order; empty when the input is valid.
 * Rows of the same year are segments of that year: they are accepted while their months add
 * up to at most 12, and a row that pushes the year past 12 months is refused as a duplicate.
 */
export function validateTransferFundsInput(
  input: TransferFundsInput,
  params?: TransferFundsParams,
): TransferRuleIssue[] {
  const issues: TransferRuleIssue[] = [];
  const push = (code: string, field: string, message: string) => issues.push({ code, field, message });

  if (params?.pooledRate !== undefined && !isRateString(params.pooledRate)) {
    push(TransferErrorCode.invalidRate, 'params.pooledRate', '统筹基金转移比例应为0至1之间的小数');
  }

  const years: unknown = input?.years;
  if (!Array.isArray(years)) {
    push(TransferErrorCode.required, 'years', '缺少历年缴费记录（应为数组）');
  } else {
    const monthsByYear = new Map<number, { months: number; firstIndex: number }>();
    years.forEach((raw: unknown, i: number) => {
      const row = (raw ?? {}) as Partial<Record<keyof TransferFundsYear, unknown>>;
      const yearOk =
        typeof row.year === 'number' && Number.isInteger(row.year) && row.year >= MIN_YEAR && row.year <= MAX_YEAR;
      if (!yearOk)
        push(TransferErrorCode.invalidYear, `years[${i}].year`, `年度应为${MIN_YEAR}至${MAX_YEAR}之间的整数`);
      const monthsOk =
        typeof row.months === 'number' && Number.isInteger(row.months) && row.months >= 1 && row.months <= 12;
      if (!monthsOk) push(TransferErrorCode.invalidMonths, `years[${i}].months`, '月数应为1至12之间的整数');
      if (!isNonNegativeMoneyString(row.monthlyBase)) {
        push(TransferErrorCode.invalidAmount, `years[${i}].monthlyBase`, '月缴费基数应为不小于0、最多两位小数的金额');
      }
      if (yearOk && monthsOk) {
        const year = row.year as number;
        const seen = monthsByYear.get(year);
        if (!seen) {
          monthsByYear.set(year, { months: row.months as number, firstIndex: i });
        } else {
          seen.months += row.months as number;
          if (seen.months > 12) {
            push(
              TransferErrorCode.yearMonthsExceed12,
              `years[${i}].year`,
              `${year}年度重复：与第${seen.firstIndex + 1}行同一年度，月数合计${seen.months}个月，超过12个月`,
            );
          }
        }
      }
    });
  }

  const account = input?.account as Partial<Record<(typeof ACCOUNT_FIELDS)[number], unknown>> | undefined;
  if (account === undefined || account === null || typeof account !== 'object') {
    push(TransferErrorCode.required, 'account', '缺少个人账户转移项目①②③');
  } else {
    for (const key of ACCOUNT_FIELDS) {
      if (!isNonNegativeMoneyString(account[key])) {
        push(
          TransferErrorCode.invalidAmount,
          `account.${key}`,
          `${ACCOUNT_LABELS[key]}应为不小于0、最多两位小数的金额`,
        );
      }
    }
  }
  return issues;
}

/** Shows an exact intermediate with at least two decimals and without losing digits. */
function exact(value: Dec): string {
  return value.decimalPlaces() <= 2 ? value.toFixed(2) : value.toFixed();
}

/**
 * Computes ①..⑥ of the information sheet. Throws TransferRuleError listing every invalid field.
 *
 * Rounding: each year's pooled amount (rate × base × months) is kept exact, the amounts are
 * summed and only the total ⑤ is rounded half-up to the cent. 66号 does not say where to round;
 * rounding once, at the figure that is transferred, is the usual reading and never drifts by
 * more than half a cent (UNVERIFIED against the national transfer system).
 */
export function computeTransferFunds(input: TransferFundsInput, params?: TransferFundsParams): TransferFunds {
  const issues = validateTransferFundsInput(input, params);
  if (issues.length > 0) throw TransferRuleError.of(issues);

  const rateText = params?.pooledRate ?? DEFAULT_POOLED_RATE;
  const rate = dec(rateText);
  const rateSource =
    params?.pooledRateSource ?? (params?.pooledRate === undefined ? POOLED_RATE_SOURCE : 'caller-supplied parameter');

  const steps: WorkingStep[] = [];
  let pooledExact = dec(0);
  const terms: string[] = [];
  input.years.forEach((row, i) => {
    if (row.year < POOLED_FUND_FIRST_YEAR) {
      steps.push({
        item: `⑤ ${row.year} (years[${i}])`,
        expression: `${row.year} < ${POOLED_FUND_FIRST_YEAR}: no pooled fund transferred for years before 1998-01-01`,
        value: '0.00',
      });
      return;
    }
    const amount = rate.times(dec(row.monthlyBase)).times(row.months);
    pooledExact = pooledExact.plus(amount);
    terms.push(exact(amount));
    steps.push({
      item: `⑤ ${row.year} (years[${i}]), exact, not rounded`,
      expression: `${rateText} × ${row.monthlyBase} × ${row.months}`,
      value: exact(amount),
    });
  });
  const pooledFund = money(pooledExact);
  steps.push({
    item: '⑤ pooledFund',
    expression: terms.length > 0 ? `round_half_up(${terms.join(' + ')}, 0.01)` : 'no year from 1998 on: 0',
    value: pooledFund,
  });

  const items: TransferAccountItems = {
    before1998Personal: money(input.account.before1998Personal),
    from1998ToLastYearEnd: money(input.account.from1998ToLastYearEnd),
    currentYearPrincipal: money(input.account.currentYearPrincipal),
  };
  const individualAccount = money(
    dec(items.before1998Personal).plus(items.from1998ToLastYearEnd).plus(items.currentYearPrincipal),
  );
  steps.push({
    item: '④ individualAccount',
    expression: `${items.before1998Personal} + ${items.from1998ToLastYearEnd} + ${items.currentYearPrincipal}`,
    value: individualAccount,
  });
  const total = money(dec(individualAccount).plus(pooledFund));
  steps.push({ item: '⑥ total', expression: `${individualAccount} + ${pooledFund}`, value: total });

  const working: Working = {
    formula:
      '⑤ = round_half_up(Σ over years ≥ 1998 of pooledRate × monthlyBase × months, 0.01) ' +
      '(each year exact, only the sum rounded); ④ = ① + ② + ③; ⑥ = ④ + ⑤',
    inputs: {
      years: input.years.map((r) => ({ year: r.year, months: r.months, monthlyBase: r.monthlyBase })),
      account: { ...input.account },
      pooledRate: rateText,
    },
    steps,
    parameters: [
      { name: 'transfer.pooledRate', value: rateText, source: rateSource, validFrom: '2010-01-01' },
      {
        name: 'transfer.pooledFundFirstYear',
        value: String(POOLED_FUND_FIRST_YEAR),
        source: POOLED_RATE_SOURCE,
        validFrom: '2010-01-01',
      },
      {
        name: 'transfer.pooledFundRounding',
        value: 'sum exact yearly amounts, round the total half-up to 0.01',
        source: 'UNVERIFIED: 66号 does not specify rounding; usual reading',
      },
    ],
    ruleVersion: TRANSFER_FUNDS_RULE_VERSION,
  };

  return { individualAccount, pooledFund, total, working, items };
}
