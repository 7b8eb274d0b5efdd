/**
 * An independent statement of the contribution arithmetic, for tests to check the system against
 * (written plainly, without the domain modules' code): the average index over months with the
 * average wage in force each month, and the individual-account ledger year by year. Parameter
 * values come from the parameter table (rows in the domain's shape); a year after the latest row
 * uses the latest one, as the published-parameter rule says.
 */
import Decimal from 'decimal.js';
import type { ParameterValue } from '../../domain/parameters';

type Rows = readonly ParameterValue<unknown>[];

/** The value in force on a date for the region or its province or CN; after the last row, the last row's value. */
export function valueOn(rows: Rows, name: string, region: string, date: string): string {
  const regions = [region, region.slice(0, 4), region.slice(0, 2), 'CN'];
  const candidates = rows.filter((r) => r.name === name && regions.includes(r.region));
  for (const reg of regions) {
    const here = candidates.filter((r) => r.region === reg && r.validFrom <= date && (!r.validTo || date <= r.validTo));
    if (here.length > 0) return String(here.sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0].value);
  }
  const last = candidates.sort((a, b) => (b.validTo ?? b.validFrom).localeCompare(a.validTo ?? a.validFrom))[0];
  if (!last || date <= (last.validTo ?? last.validFrom)) throw new Error(`oracle: no ${name} for ${region} on ${date}`);
  return String(last.value);
}

/** Ī = Σ base / A(month) / n, half-up to 4 decimals. */
export function oracleIndex(rows: Rows, region: string, months: ReadonlyArray<{ yearMonth: string; base: string }>): string {
  let sum = new Decimal(0);
  for (const m of months) sum = sum.plus(new Decimal(m.base).dividedBy(valueOn(rows, 'contribution.averageWage', region, `${m.yearMonth}-01`)));
  return sum.dividedBy(months.length).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);
}

/**
 * The balance on `asOf`: each year, interest on the opening balance (complete years only,
 * rounded to the cent), the year's credits (credit rate × Σ bases, to the cent) and postings.
 */
export function oracleBalance(
  rows: Rows,
  region: string,
  months: ReadonlyArray<{ yearMonth: string; base: string }>,
  postings: ReadonlyArray<{ postedOn: string; amount: string }>,
  asOf: string,
): string {
  const cent = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const firstYear = Math.min(...months.map((m) => Number(m.yearMonth.slice(0, 4))), ...postings.map((p) => Number(p.postedOn.slice(0, 4))));
  const lastYear = Number(asOf.slice(0, 4));
  let balance = new Decimal(0);
  for (let year = firstYear; year <= lastYear; year++) {
    if (asOf >= `${year}-12-31` && balance.gt(0)) balance = balance.plus(cent(balance.times(valueOn(rows, 'account.interestRate', region, `${year}-01-01`))));
    const bases = months.filter((m) => m.yearMonth.startsWith(`${year}-`) && m.yearMonth <= asOf.slice(0, 7)).reduce((s, m) => s.plus(m.base), new Decimal(0));
    if (bases.gt(0)) balance = balance.plus(cent(bases.times(valueOn(rows, 'contribution.accountCreditRate', region, `${year}-01-01`))));
    for (const p of postings.filter((x) => x.postedOn.startsWith(`${year}-`) && x.postedOn <= asOf)) balance = balance.plus(p.amount);
  }
  return balance.toFixed(2);
}
