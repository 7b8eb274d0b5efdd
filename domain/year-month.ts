/**
 * Year-months ('YYYY-MM') and the calendar dates in them ('YYYY-MM-DD'): the one place that
 * parses, validates, counts and formats them. Arithmetic runs on month indexes
 * (year × 12 + month − 1), integers only. Pure and deterministic, so workflows may import it.
 */
import { RuleInputError } from './errors';

const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Years a year-month may fall in: a birth month of the oldest insured to a late retirement. */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;

/** Parses 'YYYY-MM' (years 1900–2199) into a month index; throws RuleInputError otherwise. */
export function yearMonthIndex(value: string, field = 'yearMonth'): number {
  const m = typeof value === 'string' ? YEAR_MONTH.exec(value) : null;
  const year = m ? Number(m[1]) : NaN;
  const month = m ? Number(m[2]) : NaN;
  if (!m || month < 1 || month > 12 || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RuleInputError(
      field,
      'INVALID_YEAR_MONTH',
      `expected a year-month 'YYYY-MM', got ${JSON.stringify(value)}`,
    );
  }
  return year * 12 + (month - 1);
}

/** True for a 'YYYY-MM' month the rules accept (years 1900–2199). */
export function isYearMonth(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    yearMonthIndex(value);
    return true;
  } catch {
    return false;
  }
}

/** Formats a month index as 'YYYY-MM'. */
export function formatYearMonth(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** Adds (or with a negative n subtracts) whole months to a 'YYYY-MM'. */
export function addMonths(yearMonth: string, n: number): string {
  return formatYearMonth(yearMonthIndex(yearMonth) + n);
}

/**
 * Every month from start to end inclusive ('YYYY-MM'), at most 1200; empty when end is before
 * start or either is not a year-month (the bounds may come from another agency's data).
 */
export function monthsBetween(start: string, end: string): string[] {
  if (!isYearMonth(start) || !isYearMonth(end)) return [];
  const first = yearMonthIndex(start);
  const last = Math.min(yearMonthIndex(end), first + 1199);
  const out: string[] = [];
  for (let i = first; i <= last; i += 1) out.push(formatYearMonth(i));
  return out;
}

/** The 'YYYY-MM' as Chinese text for notices and messages, e.g. '2026-01' → '2026年1月'. */
export function yearMonthChinese(yearMonth: string): string {
  const i = yearMonthIndex(yearMonth);
  return `${Math.floor(i / 12)}年${(i % 12) + 1}月`;
}

/** Number of days of a month (1–12) of a Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The last day of a 'YYYY-MM', as 'YYYY-MM-DD'. */
export function lastDayOfMonth(yearMonth: string): string {
  const i = yearMonthIndex(yearMonth);
  return `${yearMonth}-${String(daysInMonth(Math.floor(i / 12), (i % 12) + 1)).padStart(2, '0')}`;
}

/** True for a real calendar date written 'YYYY-MM-DD' (Gregorian, leap years included). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** `date` plus n months (n may be negative), the day clamped to the month's length. */
export function addMonthsToDate(date: string, n: number, field = 'date'): string {
  if (!isIsoDate(date))
    throw new RuleInputError(field, 'INVALID_DATE', `expected 'YYYY-MM-DD', got ${JSON.stringify(date)}`);
  const ym = addMonths(date.slice(0, 7), n);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(Number(ym.slice(0, 4)), Number(ym.slice(5, 7))));
  return `${ym}-${String(day).padStart(2, '0')}`;
}
