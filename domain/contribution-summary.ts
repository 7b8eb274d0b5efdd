/**
 * A person's whole record in the province, summarised as the benefit claim and the transfer
 * out need it: actual contribution months, the average contribution index Ī and the
 * individual-account balance, each with its working and every parameter row it used.
 *
 * The record is everything the province holds for the person: the monthly records at every
 * agency of the province (moves within the province need no transfer, T-1), the periods taken
 * over from other provinces (information-sheet part 2 rows) and the account money that came
 * with them. Rules (recorded in every working):
 * - a month paid here and also transferred counts once, with the local base;
 * - Ī = Σₘ xₘ / A_year(m) / n over all actual months, local and transferred, with this
 *   province's average wage of each year (国办发〔2009〕66号 第七条: the claim place computes with
 *   its own average wages) — transferred months without a base count for N only;
 * - the account: each local month credits the credit rate of its year (11% of the base before
 *   2006, 8% from 2006, as published); transferred money is posted in its year and, like a credit,
 *   earns interest from the next year; interest of a year is credited on 31 December.
 * Parameters come from a {@link ParameterResolver}: a year after the latest published one uses
 * the latest value and makes the result provisional; a missing value is reported, never guessed.
 * Pure and deterministic, so workflows may import it.
 */
import type { Working } from './audit';
import {
  accountLedger,
  averageIndex,
  CONTRIBUTIONS_RULE_VERSION,
  type ContributionRecord,
  type LedgerResult,
  type SourcedValue,
} from './contributions';
import { RuleInputError } from './errors';
import { parseDecimal } from './pension';
import { dec, money } from './money';
import { MissingParametersError, type ParameterResolver, type ParameterUsed } from './parameter-resolver';
import { PARAMETER_NAMES, type ParameterValue } from './parameters';
import { formatYearMonth, isIsoDate, yearMonthIndex } from './year-month';

export const SUMMARY_RULE_VERSION = 'contribution-summary/2026.2';

export const SUMMARY_RULES =
  'Months: every local month of every agency in the province, plus transferred months (a month both local and transferred counts once, ' +
  "with the local base). Ī: Σ xₘ / A_year(m) / n over all actual months with a base, this province's yearly average wage " +
  '(contribution.averageWage) for every month (国办发〔2009〕66号 第七条). Account: local months credit contribution.accountCreditRate of their ' +
  'year; transferred account money (information-sheet item ④) is posted in its year; both earn interest (account.interestRate) from the ' +
  'next year, credited on 31 December. A year not yet published uses the latest published value (provisional).';

/** One monthly record: the base, and where and when it was paid. */
export interface RecordMonth {
  yearMonth: string;
  base: string;
  /** The agency of the province that holds it (absent: the caller's own). */
  agencyCode?: string;
  paidOn?: string | null;
}

/** A period taken over from another province. */
export interface TransferredPeriod {
  /** First and last month, 'YYYY-MM'. */
  from: string;
  to: string;
  /** Months actually paid in the period (at most the span). */
  months: number;
  /** Monthly base; without it the months count for N only, not for Ī. */
  monthlyBase?: string;
  /** The other province's region code (information-sheet 行政区划). */
  regionCode?: string;
  transferId?: string;
}

/** Account money that came with a transfer in. */
export interface TransferredMoney {
  amount: string;
  /** Date posted here; earns interest from the next year. */
  postedOn: string;
  entryKey?: string;
}

export interface ProvincialRecord {
  records: RecordMonth[];
  transferred: TransferredPeriod[];
  transfersIn: TransferredMoney[];
}

export interface ProvincialSummary {
  asOf: string;
  actualMonths: number;
  localMonths: number;
  transferredMonths: number;
  /** Transferred months also paid locally (counted once). */
  overlapMonths: number;
  /** Ī to 4 decimals; null without an actual month with a base. */
  averageIndex: string | null;
  accountBalance: string;
  /** True when any value used stands in for a year not yet published. */
  provisional: boolean;
  parametersUsed: ParameterUsed[];
  /** Local months and transferred months with a base, merged (the index's records). */
  months: Array<{
    yearMonth: string;
    base: string | null;
    origin: 'local' | 'transferred';
    agencyCode?: string;
    regionCode?: string;
  }>;
  ledger: LedgerResult | null;
  /** The account credit rate of each local year (decimal strings). */
  creditRateByYear: Record<string, string>;
  working: {
    rules: string;
    index: Working | null;
    account: Working | null;
    months: {
      local: number;
      transferred: Array<{ transferId?: string; regionCode?: string; months: string[]; monthlyBase: string | null }>;
      overlap: string[];
    };
    ruleVersion: string;
  };
}

function expand(from: string, to: string, months: number, field: string): string[] {
  const a = yearMonthIndex(from, `${field}.from`);
  const b = yearMonthIndex(to, `${field}.to`);
  if (b < a)
    throw new RuleInputError(`${field}.to`, 'INVALID_YEAR_MONTH', `period ends (${to}) before it starts (${from})`);
  if (!Number.isInteger(months) || months < 0 || months > b - a + 1) {
    throw new RuleInputError(
      `${field}.months`,
      'INVALID_MONTH_COUNT',
      `months must be an integer from 0 to the ${b - a + 1} months of the period, got ${months}`,
    );
  }
  const out: string[] = [];
  for (let i = a; i <= b && out.length < months; i++) out.push(formatYearMonth(i));
  return out;
}

function positive(field: string, value: string): void {
  const d = parseDecimal(field, value);
  if (d.lte(0)) throw new RuleInputError(field, 'NON_POSITIVE_AMOUNT', `must be positive, got ${value}`);
}

function sourced(row: ParameterValue<unknown>): SourcedValue {
  return { value: String(row.value), source: row.source, validFrom: row.validFrom, name: row.name };
}

/**
 * Summarises the record on `asOf`. Throws {@link MissingParametersError} listing every
 * parameter it needs that is not published, and RuleInputError for a malformed record.
 */
export function summariseProvincialRecord(
  record: ProvincialRecord,
  o: { asOf: string; resolver: ParameterResolver; withIndex?: boolean },
): ProvincialSummary {
  if (!isIsoDate(o.asOf))
    throw new RuleInputError('asOf', 'INVALID_DATE', `expected 'YYYY-MM-DD', got ${JSON.stringify(o.asOf)}`);
  const asOfMonth = o.asOf.slice(0, 7);
  const r = o.resolver;

  // Every input is checked up front, so an error names the field as the caller gave it.
  record.records.forEach((m, i) => {
    yearMonthIndex(m.yearMonth, `records[${i}].yearMonth`);
    positive(`records[${i}].base`, m.base);
  });
  record.transferred.forEach((t, i) => {
    if (t.monthlyBase !== undefined) positive(`transferred[${i}].monthlyBase`, t.monthlyBase);
  });
  record.transfersIn.forEach((e, i) => {
    if (parseDecimal(`transfersIn[${i}].amount`, e.amount).isNegative())
      throw new RuleInputError(`transfersIn[${i}].amount`, 'NEGATIVE_AMOUNT', `must not be negative, got ${e.amount}`);
    if (!isIsoDate(e.postedOn))
      throw new RuleInputError(
        `transfersIn[${i}].postedOn`,
        'INVALID_DATE',
        `expected 'YYYY-MM-DD', got ${JSON.stringify(e.postedOn)}`,
      );
  });
  const local = record.records.filter((m) => m.yearMonth <= asOfMonth);
  const localMonths = new Map<string, RecordMonth>();
  for (const m of local) {
    const seen = localMonths.get(m.yearMonth);
    // Two records of one month (a split payment) are one month with the bases summed.
    localMonths.set(m.yearMonth, seen ? { ...seen, base: dec(seen.base).plus(m.base).toFixed() } : m);
  }

  const months: ProvincialSummary['months'] = [...localMonths.values()].map((m) => ({
    yearMonth: m.yearMonth,
    base: m.base,
    origin: 'local',
    agencyCode: m.agencyCode,
  }));
  const overlap: string[] = [];
  const transferredWorking: ProvincialSummary['working']['months']['transferred'] = [];
  const seenTransferred = new Set<string>();
  record.transferred.forEach((t, i) => {
    const list = expand(t.from, t.to, t.months, `transferred[${i}]`).filter((m) => m <= asOfMonth);
    transferredWorking.push({
      transferId: t.transferId,
      regionCode: t.regionCode,
      months: list,
      monthlyBase: t.monthlyBase ?? null,
    });
    for (const m of list) {
      if (localMonths.has(m)) overlap.push(m);
      else if (!seenTransferred.has(m)) {
        seenTransferred.add(m);
        months.push({ yearMonth: m, base: t.monthlyBase ?? null, origin: 'transferred', regionCode: t.regionCode });
      }
    }
  });
  months.sort((a, b) => a.yearMonth.localeCompare(b.yearMonth));

  // Ī with the average wage in force in each month that has a base (one row per period it covers).
  // The information sheet needs no index (the receiving province computes its own): withIndex false.
  const indexRecords: ContributionRecord[] =
    o.withIndex === false
      ? []
      : months.filter((m) => m.base !== null).map((m) => ({ yearMonth: m.yearMonth, base: m.base! }));
  const wages: Record<string, SourcedValue> = {};
  const periodOfMonth = new Map<string, string>();
  for (const m of indexRecords) {
    const found = r.inForce(PARAMETER_NAMES.averageWage, `${m.yearMonth}-01`, {
      year: Number(m.yearMonth.slice(0, 4)),
    });
    if (!found) continue;
    const row = found.row;
    const period = found.provisional
      ? `${m.yearMonth.slice(0, 4)} (provisional: ${row.validFrom}…${row.validTo ?? ''})`
      : `${row.validFrom}…${row.validTo ?? ''}`;
    periodOfMonth.set(m.yearMonth, period);
    wages[period] = sourced(row);
  }

  // Account: credit rates of the local years, interest of every complete year from the first one.
  const localRecords: ContributionRecord[] = [...localMonths.values()].map((m) => ({
    yearMonth: m.yearMonth,
    base: m.base,
  }));
  const postings = record.transfersIn
    .filter((e) => e.postedOn <= o.asOf)
    .map((e) => ({
      year: Number(e.postedOn.slice(0, 4)),
      amount: money(e.amount),
      label: `transferred in ${e.postedOn}${e.entryKey ? ` ${e.entryKey}` : ''}`,
    }));
  const creditRates: Record<string, SourcedValue> = {};
  for (const y of [...new Set(localRecords.map((m) => Number(m.yearMonth.slice(0, 4))))]) {
    const row = r.onDate(PARAMETER_NAMES.accountCreditRate, `${y}-01-01`);
    if (row) creditRates[String(y)] = sourced(row);
  }
  const asOfYear = Number(o.asOf.slice(0, 4));
  const lastComplete = o.asOf.endsWith('-12-31') ? asOfYear : asOfYear - 1;
  const firstYear = Math.min(
    ...localRecords.map((m) => Number(m.yearMonth.slice(0, 4))),
    ...postings.map((p) => p.year),
    asOfYear,
  );
  const interest: Record<string, SourcedValue> = {};
  // A year earns interest only on a positive opening balance, i.e. after the first credit or posting.
  for (let y = firstYear + 1; y <= lastComplete; y++) {
    const found = r.forYear(PARAMETER_NAMES.interestRate, y);
    if (found) interest[String(y)] = sourced(found.row);
  }
  if (r.missing.length > 0) throw new MissingParametersError([...r.missing]);

  const index =
    indexRecords.length > 0 ? averageIndex(indexRecords, wages, { periodOf: (ym) => periodOfMonth.get(ym)! }) : null;
  const ledger =
    localRecords.length > 0 || postings.length > 0
      ? accountLedger(localRecords, {
          creditRateByYear: creditRates,
          interestRateByYear: interest,
          postings,
          asOf: o.asOf,
        })
      : null;

  return {
    asOf: o.asOf,
    actualMonths: localMonths.size + seenTransferred.size,
    localMonths: localMonths.size,
    transferredMonths: seenTransferred.size + overlap.length,
    overlapMonths: overlap.length,
    averageIndex: index?.averageIndex ?? null,
    accountBalance: ledger?.balance ?? '0.00',
    provisional: r.provisional().length > 0,
    parametersUsed: r.used(),
    months,
    ledger,
    creditRateByYear: Object.fromEntries(
      Object.entries(creditRates).map(([y, v]) => [y, typeof v === 'string' ? v : v.value]),
    ),
    working: {
      rules: SUMMARY_RULES,
      index: index?.working ?? null,
      account: ledger?.working ?? null,
      months: { local: localMonths.size, transferred: transferredWorking, overlap },
      ruleVersion: `${SUMMARY_RULE_VERSION}; ${CONTRIBUTIONS_RULE_VERSION}`,
    },
  };
}
