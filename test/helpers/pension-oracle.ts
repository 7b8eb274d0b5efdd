/**
 * An oracle for the expected figures of a contribution record and a pension, so that tests
 * derive them from the parameter table instead of hard-coding numbers that hold for one year
 * only. It spells the arithmetic out on its own (decimal.js, nothing from domain/ but the
 * ParameterResolver that looks the values up and remembers which were stand-ins):
 *
 * - Ī = Σₘ baseₘ / A(m) / n over every month with a base (local and transferred), A the
 *   average wage in force in the month; rounded half-up to 4 decimals;
 * - account: a year's credit = its credit rate × Σ its local bases, to the cent, plus the money
 *   transferred in that year; a complete year (31 December on or before asOf) earns its interest
 *   rate × the opening balance, to the cent;
 * - pension: C × (1 + Ī) / 2 × N × 1%, balance ÷ divisor, C × Ī × deemed years × coefficient,
 *   each to the cent; N and the deemed years months ÷ 12 to 2 decimals; the divisor of an age
 *   with months interpolated between whole ages and rounded to 1 decimal (Gansu) or the whole
 *   age's (floor).
 */
import Decimal from 'decimal.js';
import type { ParameterResolver } from '../../domain/parameter-resolver';

const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP });
type D = Decimal;
const cents = (d: D) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

const AVERAGE_WAGE = 'contribution.averageWage';
const CREDIT_RATE = 'contribution.accountCreditRate';
const INTEREST_RATE = 'account.interestRate';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`oracle: ${what} is not in the parameter table`);
  return value;
}

export interface OracleRecordInput {
  /** Local months (one record each), at any agency of the province. */
  local: ReadonlyArray<{ yearMonth: string; base: string }>;
  /** Months taken over from another province, with their monthly base (null: months only). */
  transferred?: ReadonlyArray<{ months: readonly string[]; base: string | null }>;
  /** Account money transferred in: posted on a date, earns interest from the next year. */
  postings?: ReadonlyArray<{ amount: string; postedOn: string }>;
  asOf: string;
}

export interface OracleYear {
  year: number;
  opening: string;
  credited: string;
  interest: string;
  closing: string;
}

export interface OracleRecord {
  actualMonths: number;
  localMonths: number;
  transferredMonths: number;
  averageIndex: string;
  accountBalance: string;
  years: OracleYear[];
  /** Closing balance at the end of a year (0.00 before the first year). */
  closingAt(year: number): string;
}

/** The whole record on `asOf`, with the values looked up through `r`. */
export function oracleRecord(input: OracleRecordInput, r: ParameterResolver): OracleRecord {
  const asOfMonth = input.asOf.slice(0, 7);
  const local = input.local.filter((m) => m.yearMonth <= asOfMonth);
  const localSet = new Set(local.map((m) => m.yearMonth));
  if (localSet.size !== local.length) throw new Error('oracle: one record per local month');
  const transferred: Array<{ yearMonth: string; base: string | null }> = [];
  for (const t of input.transferred ?? []) {
    for (const yearMonth of t.months) {
      if (yearMonth <= asOfMonth && !localSet.has(yearMonth) && !transferred.some((x) => x.yearMonth === yearMonth))
        transferred.push({ yearMonth, base: t.base });
    }
  }

  // Ī, month by month.
  const withBase = [...local, ...transferred.filter((t) => t.base !== null)] as Array<{
    yearMonth: string;
    base: string;
  }>;
  let ratios = new D(0);
  for (const m of withBase) {
    const a = need(
      r.inForce<string>(AVERAGE_WAGE, `${m.yearMonth}-01`, { year: Number(m.yearMonth.slice(0, 4)) }),
      `${AVERAGE_WAGE} for ${m.yearMonth}`,
    );
    ratios = ratios.plus(new D(m.base).dividedBy(a.row.value));
  }
  const averageIndex =
    withBase.length === 0 ? '' : ratios.dividedBy(withBase.length).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);

  // The account, year by year.
  const postings = (input.postings ?? []).filter((p) => p.postedOn <= input.asOf);
  const asOfYear = Number(input.asOf.slice(0, 4));
  const yearsWithMoney = [
    ...local.map((m) => Number(m.yearMonth.slice(0, 4))),
    ...postings.map((p) => Number(p.postedOn.slice(0, 4))),
  ];
  const years: OracleYear[] = [];
  if (yearsWithMoney.length > 0) {
    const first = Math.min(...yearsWithMoney);
    let opening = new D(0);
    for (let y = first; y <= asOfYear; y++) {
      const bases = local
        .filter((m) => Number(m.yearMonth.slice(0, 4)) === y)
        .reduce((s, m) => s.plus(m.base), new D(0));
      let credited = new D(0);
      if (!bases.isZero())
        credited = cents(bases.times(need(r.onDate<string>(CREDIT_RATE, `${y}-01-01`), `${CREDIT_RATE} ${y}`).value));
      for (const p of postings.filter((x) => Number(x.postedOn.slice(0, 4)) === y))
        credited = credited.plus(cents(new D(p.amount)));
      let interest = new D(0);
      if (y > first && input.asOf >= `${y}-12-31`) {
        const rate = need(r.forYear<string>(INTEREST_RATE, y), `${INTEREST_RATE} ${y}`).row.value;
        if (opening.gt(0)) interest = cents(opening.times(rate));
      }
      const closing = opening.plus(credited).plus(interest);
      years.push({
        year: y,
        opening: opening.toFixed(2),
        credited: credited.toFixed(2),
        interest: interest.toFixed(2),
        closing: closing.toFixed(2),
      });
      opening = closing;
    }
  }
  const accountBalance = years.at(-1)?.closing ?? '0.00';
  return {
    actualMonths: local.length + transferred.length,
    localMonths: local.length,
    transferredMonths: transferred.length,
    averageIndex,
    accountBalance,
    years,
    closingAt: (year) => [...years].reverse().find((y) => y.year <= year)?.closing ?? '0.00',
  };
}

export interface OraclePensionInput {
  baseWage: string;
  averageIndex: string;
  contributionMonths: number;
  deemedMonths: number;
  accountBalance: string;
  age: { years: number; months: number };
}

export interface OraclePensionTable {
  divisorTable: Readonly<Record<string, number>>;
  divisorMethod: string;
  transitionalCoefficient: string;
  yearsRounding: string;
}

/** The table values the pension of a retirement month uses, looked up through `r` (the 计发基数 of the retirement year, provisionally the latest). */
export function oraclePensionTable(
  r: ParameterResolver,
  retirementYearMonth: string,
): OraclePensionTable & { baseWage: string } {
  const on = `${retirementYearMonth}-01`;
  const value = <T>(name: string) => need(r.onDate<T>(name, on), `${name} on ${on}`).value;
  return {
    divisorTable: value<Record<string, number>>('pension.divisorTable'),
    divisorMethod: value<string>('pension.divisorMethod'),
    transitionalCoefficient: value<string>('pension.transitionalCoefficient'),
    yearsRounding: value<string>('pension.yearsRounding'),
    baseWage: need(
      r.forYear<string>('pension.baseWage', Number(retirementYearMonth.slice(0, 4))),
      `pension.baseWage ${retirementYearMonth}`,
    ).row.value,
  };
}

export interface OraclePension {
  basic: string;
  account: string;
  transitional: string;
  total: string;
  divisor: string;
  contributionYears: string;
  deemedYears: string;
}

/** The monthly pension, component by component. */
export function oraclePension(p: OraclePensionInput, t: OraclePensionTable): OraclePension {
  const mode = t.yearsRounding === 'half-up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_DOWN;
  const years = (months: number) => new D(months).dividedBy(12).toDecimalPlaces(2, mode);
  const c = new D(p.baseWage);
  const index = new D(p.averageIndex);
  const n = years(p.contributionMonths);
  const deemed = years(p.deemedMonths);
  const lower = new D(t.divisorTable[String(p.age.years)]);
  let divisor = lower;
  if (p.age.months > 0 && t.divisorMethod === 'interpolate-1dp') {
    const upper = new D(t.divisorTable[String(p.age.years + 1)]);
    divisor = lower
      .plus(upper.minus(lower).times(p.age.months).dividedBy(12))
      .toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  }
  const basic = cents(c.times(index.plus(1)).dividedBy(2).times(n).dividedBy(100));
  const account = cents(new D(p.accountBalance).dividedBy(divisor));
  const transitional = cents(c.times(index).times(deemed).times(t.transitionalCoefficient));
  return {
    basic: basic.toFixed(2),
    account: account.toFixed(2),
    transitional: transitional.toFixed(2),
    total: basic.plus(account).plus(transitional).toFixed(2),
    divisor: divisor.toFixed(),
    contributionYears: n.toFixed(2),
    deemedYears: deemed.toFixed(2),
  };
}

/** The stand-ins a resolver handed out, as "name year" (sorted): what a provisional result names. */
export function standIns(r: ParameterResolver): string[] {
  return r
    .provisional()
    .map((u) => `${u.name} ${u.year}`)
    .sort();
}
