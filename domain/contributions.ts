/**
 * Figures derived from a flexible worker's monthly contribution records: contribution months,
 * the average contribution index Ī and the individual-account ledger.
 *
 * Conventions (documented choices, see each function):
 * - Several records for the same month (e.g. a payment split in two) are merged by summing
 *   their bases; a month counts once.
 * - Ī is averaged over months: Ī = Σₘ (xₘ / A_year(m)) / n, n = number of actual contribution
 *   months, rounded half-up to 4 decimals as on the award forms (e.g. 1.2458).
 * - Ledger: 8% (the credit rate) of each month's base is credited; a year's interest is the
 *   year's rate on the balance at 1 January only, so credits of a year earn interest from the
 *   next year; interest is credited at year end (31 December), so the year containing `asOf`
 *   earns none unless asOf is 31 December. Each row is rounded to the cent.
 * Pure and deterministic, so workflows may import it.
 */
import type Decimal from 'decimal.js';
import type { ParameterUse, Working, WorkingStep } from './audit';
import { RuleInputError } from './errors';
import { Dec, dec, toCents } from './money';
import { PARAMETER_NAMES } from './parameters';
import { formatYearMonth, isIsoDate, yearMonthIndex } from './year-month';
import { parseDecimal, showDecimal } from './pension';

/** Version of this module's arithmetic; bump when it changes. */
export const CONTRIBUTIONS_RULE_VERSION = 'contributions/2026.1';

/** One month's contribution: the declared base (decimal string, CNY per month). */
export interface ContributionRecord {
  yearMonth: string;
  base: string;
}

/** A value with, optionally, its source (a ParameterValue<string> row fits). */
export type SourcedValue = string | { value: string; source: string; validFrom?: string; name?: string };

interface MonthBase {
  index: number;
  year: number;
  base: Decimal;
  records: number;
}

function valueOf(v: SourcedValue): string {
  return typeof v === 'string' ? v : v.value;
}

function use(name: string, v: SourcedValue, label?: string): ParameterUse {
  if (typeof v === 'string')
    return { name, value: label ? `${label}: ${v}` : v, source: 'supplied by the caller without a source' };
  return {
    name: v.name ?? name,
    value: label ? `${label}: ${v.value}` : v.value,
    source: v.source,
    validFrom: v.validFrom,
  };
}

/** Validates the records and merges them into one base per month, sorted by month. */
function mergeByMonth(records: readonly ContributionRecord[]): MonthBase[] {
  if (!Array.isArray(records)) throw new RuleInputError('records', 'NO_RECORDS', 'records must be an array');
  const byMonth = new Map<number, MonthBase>();
  records.forEach((r, i) => {
    const index = yearMonthIndex(r?.yearMonth, `records[${i}].yearMonth`);
    const base = parseDecimal(`records[${i}].base`, r.base);
    if (!base.isPositive() || base.isZero())
      throw new RuleInputError(`records[${i}].base`, 'NON_POSITIVE_AMOUNT', `base must be positive, got ${r.base}`);
    const prev = byMonth.get(index);
    if (prev) {
      prev.base = prev.base.plus(base);
      prev.records += 1;
    } else {
      byMonth.set(index, { index, year: Math.floor(index / 12), base, records: 1 });
    }
  });
  return [...byMonth.values()].sort((a, b) => a.index - b.index);
}

function groupByYear(months: readonly MonthBase[]): Map<number, MonthBase[]> {
  const out = new Map<number, MonthBase[]>();
  for (const m of months) {
    const list = out.get(m.year);
    if (list) list.push(m);
    else out.set(m.year, [m]);
  }
  return out;
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), dec(0));
}

/** Number of distinct contribution months in the records (a month with several records counts once). */
export function contributionMonths(records: readonly ContributionRecord[]): number {
  return mergeByMonth(records).length;
}

/** Result of {@link averageIndex}. */
export interface AverageIndexResult {
  /** Ī rounded half-up to 4 decimals, e.g. "1.2458". */
  averageIndex: string;
  /** n: the number of distinct contribution months averaged over. */
  months: number;
  working: Working;
}

/**
 * The average contribution index Ī = Σₘ (xₘ / A_year(m)) / n over the n distinct contribution
 * months m, with xₘ the month's base and A the average wage parameter of the month's year
 * (`averageWageByYear`, keyed by year, e.g. { "2024": "7194" }; pass ParameterValue rows to
 * carry their sources). Month-based averaging weights each year by its months, so partial
 * years count exactly. Computed exactly (Σ per year = Σ bases ÷ A) and rounded half-up to
 * 4 decimals. Throws RuleInputError for no records or a year without an average wage.
 */
export function averageIndex(
  records: readonly ContributionRecord[],
  averageWageByYear: Readonly<Record<string, SourcedValue>>,
  o: { periodOf?: (yearMonth: string) => string } = {},
): AverageIndexResult {
  const months = mergeByMonth(records);
  if (months.length === 0) throw new RuleInputError('records', 'NO_RECORDS', 'no contribution records to average');
  const steps: WorkingStep[] = [];
  const parameters: ParameterUse[] = [];
  const ratios: Decimal[] = [];
  // Months are grouped by the period their average wage covers: the calendar year, unless the
  // caller maps months to periods (a province whose contribution year ran July to June).
  const groups = new Map<string, MonthBase[]>();
  for (const m of months) {
    const key = o.periodOf ? o.periodOf(formatYearMonth(m.index)) : String(m.year);
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  for (const [period, list] of groups) {
    const wage = averageWageByYear[period];
    if (wage === undefined)
      throw new RuleInputError(`averageWageByYear.${period}`, 'MISSING_AVERAGE_WAGE', `no average wage for ${period}`);
    const a = parseDecimal(`averageWageByYear.${period}`, valueOf(wage));
    if (!a.isPositive() || a.isZero())
      throw new RuleInputError(
        `averageWageByYear.${period}`,
        'NON_POSITIVE_AMOUNT',
        `average wage must be positive, got ${valueOf(wage)}`,
      );
    const bases = sum(list.map((m) => m.base));
    const ratio = bases.dividedBy(a);
    ratios.push(ratio);
    parameters.push(use(PARAMETER_NAMES.averageWage, wage, period));
    steps.push({
      item: `Σ xₘ/A ${period}`,
      expression: `(${list.map((m) => m.base.toFixed()).join(' + ')}) ÷ ${a.toFixed()} [${list.length} months]`,
      value: showDecimal(ratio),
    });
  }
  const total = sum(ratios);
  const raw = total.dividedBy(months.length);
  const index = raw.toDecimalPlaces(4, Dec.ROUND_HALF_UP);
  steps.push({
    item: 'Ī',
    expression: `${showDecimal(total)} ÷ ${months.length} = ${showDecimal(raw)} → 4 dp (half-up)`,
    value: index.toFixed(4),
  });
  return {
    averageIndex: index.toFixed(4),
    months: months.length,
    working: {
      formula: 'Ī = Σₘ (xₘ / A_year(m)) / n over the n distinct contribution months; rounded half-up to 4 decimals',
      inputs: {
        records: records.map((r) => ({ yearMonth: r.yearMonth, base: r.base })),
        averageWageByYear: Object.fromEntries(Object.entries(averageWageByYear).map(([k, v]) => [k, valueOf(v)])),
      },
      steps,
      parameters,
      ruleVersion: CONTRIBUTIONS_RULE_VERSION,
    },
  };
}

/** Options of {@link accountLedger}. */
export interface LedgerOptions {
  /** Share of each month's base credited to the account, e.g. "0.08" (or its parameter row). */
  creditRate?: SourcedValue;
  /**
   * The credit rate of each year, keyed by year, where it differs by period (e.g. 11% of the base
   * before 2006, 8% from 2006); a year listed here overrides `creditRate`.
   */
  creditRateByYear?: Readonly<Record<string, SourcedValue>>;
  /** Yearly interest rate as a fraction, keyed by year, e.g. { "2024": "0.0262" } (or parameter rows). */
  interestRateByYear: Readonly<Record<string, SourcedValue>>;
  /** Balance on 1 January of `year` brought forward (e.g. transferred in); default 0 from the first record's year. */
  openingBalance?: { year: number; balance: string };
  /**
   * Money posted to the account in a year other than by monthly credits — the account part of a
   * transfer in (information-sheet item ④). It joins the year's credits and, like them, earns
   * interest from the next year.
   */
  postings?: ReadonlyArray<{ year: number; amount: string; label: string }>;
  /** Date of the balance, 'YYYY-MM-DD': records after its month are left out; its year earns interest only if asOf is 31 December. */
  asOf: string;
}

/** One year of the ledger; amounts are two-decimal strings. */
export interface LedgerRow {
  year: number;
  /** Distinct months credited in the year. */
  months: number;
  opening: string;
  credited: string;
  /** Rate applied (fraction), or null when no interest was due (zero opening or year not complete). */
  interestRate: string | null;
  interest: string;
  closingBalance: string;
  /** False for the year containing asOf unless asOf is 31 December (no interest credited yet). */
  complete: boolean;
}

/** Result of {@link accountLedger}. */
export interface LedgerResult {
  rows: LedgerRow[];
  /** Balance on asOf (closing balance of the last row). */
  balance: string;
  working: Working;
}

function fractionRate(field: string, v: SourcedValue): Decimal {
  const r = parseDecimal(field, valueOf(v));
  if (r.isNegative() || r.gte(1))
    throw new RuleInputError(
      field,
      'INVALID_DECIMAL',
      `rate must be a fraction in [0, 1), e.g. "0.0262", got ${valueOf(v)}`,
    );
  return r;
}

/**
 * The individual-account ledger from the records: one row per calendar year from the opening
 * year (or the first record's year) to asOf's year, gap years included. credited = the credit
 * rate × the year's bases, rounded to the cent; interest = opening balance × the year's rate,
 * rounded to the cent, credited on 31 December (credits of a year earn interest from the next
 * year; the asOf year earns none unless asOf is 31 December); closing = opening + credited +
 * interest. Throws RuleInputError for bad records, a record before the opening year, or a
 * missing rate for a year that earns interest.
 */
export function accountLedger(records: readonly ContributionRecord[], options: LedgerOptions): LedgerResult {
  if (!isIsoDate(options.asOf))
    throw new RuleInputError('asOf', 'INVALID_DATE', `expected 'YYYY-MM-DD', got ${JSON.stringify(options.asOf)}`);
  const rateOf = (year: number): { rate: Decimal; value: SourcedValue } => {
    const value = options.creditRateByYear?.[String(year)] ?? options.creditRate;
    if (value === undefined)
      throw new RuleInputError(`creditRateByYear.${year}`, 'MISSING_CREDIT_RATE', `no account credit rate for ${year}`);
    return {
      rate: fractionRate(
        options.creditRateByYear?.[String(year)] !== undefined ? `creditRateByYear.${year}` : 'creditRate',
        value,
      ),
      value,
    };
  };
  const postings = (options.postings ?? []).map((p, i) => {
    const amount = parseDecimal(`postings[${i}].amount`, p.amount);
    if (amount.isNegative() && !amount.isZero())
      throw new RuleInputError(`postings[${i}].amount`, 'NEGATIVE_AMOUNT', `must not be negative, got ${p.amount}`);
    if (!Number.isInteger(p.year))
      throw new RuleInputError(`postings[${i}].year`, 'YEAR_OUT_OF_RANGE', `must be an integer year, got ${p.year}`);
    return { year: p.year, amount: toCents(amount), label: p.label };
  });
  const asOfMonth = yearMonthIndex(options.asOf.slice(0, 7), 'asOf');
  const endYear = Math.floor(asOfMonth / 12);
  const all = mergeByMonth(records);
  const included = all.filter((m) => m.index <= asOfMonth);
  const excluded = all.length - included.length;

  let opening = dec(0);
  let startYear: number;
  if (options.openingBalance) {
    const y = options.openingBalance.year;
    if (!Number.isInteger(y))
      throw new RuleInputError('openingBalance.year', 'YEAR_OUT_OF_RANGE', `must be an integer year, got ${y}`);
    opening = parseDecimal('openingBalance.balance', options.openingBalance.balance);
    if (opening.isNegative() && !opening.isZero())
      throw new RuleInputError(
        'openingBalance.balance',
        'NEGATIVE_AMOUNT',
        `must not be negative, got ${options.openingBalance.balance}`,
      );
    startYear = y;
  } else {
    const postedYears = postings.filter((p) => p.year <= endYear).map((p) => p.year);
    if (included.length === 0 && postedYears.length === 0)
      throw new RuleInputError(
        'records',
        'NO_RECORDS',
        `no contribution records on or before ${options.asOf} and no opening balance`,
      );
    startYear = Math.min(...included.map((m) => m.year), ...postedYears);
  }
  if (startYear > endYear)
    throw new RuleInputError(
      'openingBalance.year',
      'YEAR_OUT_OF_RANGE',
      `opening year ${startYear} is after asOf ${options.asOf}`,
    );
  const early = included.find((m) => m.year < startYear);
  if (early)
    throw new RuleInputError(
      'records',
      'YEAR_OUT_OF_RANGE',
      `record for ${early.year} precedes the opening balance year ${startYear}`,
    );

  const byYear = groupByYear(included);
  const rows: LedgerRow[] = [];
  const steps: WorkingStep[] = [];
  const parameters: ParameterUse[] = [];
  const ratesUsed = new Set<string>();
  if (excluded > 0)
    steps.push({
      item: 'excluded records',
      expression: `${excluded} month(s) after ${options.asOf.slice(0, 7)} left out`,
      value: String(excluded),
    });

  for (let year = startYear; year <= endYear; year++) {
    const list = byYear.get(year) ?? [];
    const bases = sum(list.map((m) => m.base));
    let creditRate = dec(0);
    if (list.length > 0) {
      const r = rateOf(year);
      creditRate = r.rate;
      const label = typeof r.value === 'string' ? r.value : `${r.value.value}|${r.value.validFrom ?? ''}`;
      if (!ratesUsed.has(label)) {
        ratesUsed.add(label);
        parameters.push(
          use(PARAMETER_NAMES.accountCreditRate, r.value, options.creditRateByYear ? `from ${year}` : undefined),
        );
      }
    }
    const posted = postings.filter((p) => p.year === year);
    const credited = toCents(bases.times(creditRate)).plus(sum(posted.map((p) => p.amount)));
    const complete = options.asOf >= `${year}-12-31`;
    let interest = dec(0);
    let rateText: string | null = null;
    if (complete && opening.gt(0)) {
      const rateValue = options.interestRateByYear[String(year)];
      if (rateValue === undefined)
        throw new RuleInputError(`interestRateByYear.${year}`, 'MISSING_INTEREST_RATE', `no interest rate for ${year}`);
      const rate = fractionRate(`interestRateByYear.${year}`, rateValue);
      interest = toCents(opening.times(rate));
      rateText = rate.toFixed();
      parameters.push(use(PARAMETER_NAMES.interestRate, rateValue, String(year)));
      steps.push({
        item: `interest ${year}`,
        expression: `${opening.toFixed(2)} × ${rate.toFixed()} = ${showDecimal(opening.times(rate))} → cent (half-up)`,
        value: interest.toFixed(2),
      });
    } else {
      steps.push({
        item: `interest ${year}`,
        expression: complete
          ? 'opening balance 0.00'
          : `year not complete on ${options.asOf}: interest is credited on ${year}-12-31`,
        value: '0.00',
      });
    }
    const postedText = posted.map((p) => ` + ${p.amount.toFixed(2)} (${p.label})`).join('');
    steps.push({
      item: `credited ${year}`,
      expression: `${creditRate.toFixed()} × ${bases.toFixed()} [${list.length} months] = ${showDecimal(bases.times(creditRate))} → cent (half-up)${postedText}`,
      value: credited.toFixed(2),
    });
    const closing = opening.plus(credited).plus(interest);
    steps.push({
      item: `closing ${year}`,
      expression: `${opening.toFixed(2)} + ${credited.toFixed(2)} + ${interest.toFixed(2)}`,
      value: closing.toFixed(2),
    });
    rows.push({
      year,
      months: list.length,
      opening: opening.toFixed(2),
      credited: credited.toFixed(2),
      interestRate: rateText,
      interest: interest.toFixed(2),
      closingBalance: closing.toFixed(2),
      complete,
    });
    opening = closing;
  }

  return {
    rows,
    balance: opening.toFixed(2),
    working: {
      formula:
        'credited(y) = round₂(creditRate(y) × Σ bases of y) + postings of y; interest(y) = round₂(opening(y) × rate(y)) if y is complete on asOf, else 0 (credits earn interest from the next year); closing(y) = opening(y) + credited(y) + interest(y); opening(y+1) = closing(y)',
      inputs: {
        records: records.map((r) => ({ yearMonth: r.yearMonth, base: r.base })),
        creditRate: options.creditRate === undefined ? null : valueOf(options.creditRate),
        creditRateByYear: options.creditRateByYear
          ? Object.fromEntries(Object.entries(options.creditRateByYear).map(([k, v]) => [k, valueOf(v)]))
          : null,
        postings: options.postings ?? [],
        interestRateByYear: Object.fromEntries(
          Object.entries(options.interestRateByYear).map(([k, v]) => [k, valueOf(v)]),
        ),
        openingBalance: options.openingBalance ?? null,
        asOf: options.asOf,
      },
      steps,
      parameters,
      ruleVersion: CONTRIBUTIONS_RULE_VERSION,
    },
  };
}
