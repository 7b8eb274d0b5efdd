/**
 * Chinese working-day (工作日) arithmetic over a calendar snapshot, plus the date and China-time
 * helpers it needs. A working day is Monday–Friday, minus public holidays, plus make-up working
 * weekends (调休上班). Dates are ISO strings "YYYY-MM-DD" in the proleptic Gregorian calendar;
 * internally a date is an integer day number (days since 1970-01-01) computed with integer
 * arithmetic only, so no Date object, time zone or locale is involved. Pure and deterministic,
 * so workflows may import it.
 */
import { daysInMonth } from './year-month';

/** A versioned holiday calendar, as loaded from the database (or built from source data). */
export interface CalendarSnapshot {
  /** Calendar version the answer is based on. */
  version: number;
  /** First year whose holiday notice is loaded. */
  firstYear: number;
  /** Last year whose notice is published and loaded. */
  lastYear: number;
  /** YYYY-MM-DD rest days (those on Mon–Fri matter; weekend entries are harmless). */
  holidays: ReadonlySet<string>;
  /** YYYY-MM-DD Saturdays/Sundays that are working days. */
  makeupWorkdays: ReadonlySet<string>;
}

/** Result of counting working days forward from a date of receipt. */
export interface DueDate {
  dueDate: string;
  /** True when a day examined lies outside the calendar's years (counted as a plain weekday). */
  provisional: boolean;
  calendarVersion: number;
}

/** Result of counting the working days in a range. */
export interface WorkingDayCount {
  workingDays: number;
  /** True when a day examined lies outside the calendar's years (counted as a plain weekday). */
  provisional: boolean;
}

const MS_PER_DAY = 86_400_000;
/** China Standard Time is UTC+8 all year; there is no daylight saving time. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** Upper bound on n for addWorkingDays, so a bad input cannot spin a workflow for long. */
const MAX_WORKING_DAYS = 10_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Day number of 0000-01-01 and 9999-12-31, the range a "YYYY-MM-DD" string can express. */
const MIN_DAY = -719_528;
const MAX_DAY = 2_932_896;

/** Inclusive day-number bounds of the years a snapshot covers. */
interface Coverage {
  first: number;
  last: number;
}

/** Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Formats a day number as "YYYY-MM-DD" (H. Hinnant's civil_from_days). */
function formatDay(day: number): string {
  if (!Number.isSafeInteger(day) || day < MIN_DAY || day > MAX_DAY) {
    throw new RangeError(`date out of range (years 0000–9999): day number ${day}`);
  }
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Day number of a "YYYY-MM-DD" string, or null when the string is not an existing date. */
function dayOrNull(date: unknown): number | null {
  if (typeof date !== 'string') return null;
  const match = DATE_PATTERN.exec(date);
  if (match === null) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

/** Day number of a "YYYY-MM-DD" string; throws RangeError naming the argument otherwise. */
function parseDay(date: string, label: string): number {
  const day = dayOrNull(date);
  if (day === null) {
    throw new RangeError(`${label} must be an existing date "YYYY-MM-DD", got ${JSON.stringify(date)}`);
  }
  return day;
}

/** Day of the week of a day number, 0 = Sunday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day-number bounds of the snapshot's years; empty (first > last) when lastYear < firstYear. */
function coverageOf(cal: CalendarSnapshot): Coverage {
  if (!Number.isSafeInteger(cal.firstYear) || !Number.isSafeInteger(cal.lastYear)) {
    throw new RangeError(`calendar years must be integers, got ${cal.firstYear}–${cal.lastYear}`);
  }
  return { first: daysFromCivil(cal.firstYear, 1, 1), last: daysFromCivil(cal.lastYear, 12, 31) };
}

/** True when the day lies outside the covered years. */
function isOutside(cov: Coverage, day: number): boolean {
  return day < cov.first || day > cov.last;
}

/** Working-day test for a day number; a day outside the covered years is a plain weekday. */
function isWorkingOn(cal: CalendarSnapshot, cov: Coverage, day: number): boolean {
  const dow = weekdayOf(day);
  const weekend = dow === 0 || dow === 6;
  if (isOutside(cov, day)) return !weekend;
  const key = formatDay(day);
  return weekend ? cal.makeupWorkdays.has(key) : !cal.holidays.has(key);
}

/** Throws RangeError unless n is an integer from 0 to MAX_WORKING_DAYS. */
function checkWorkingDayCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`n must be an integer from 0 to ${MAX_WORKING_DAYS}, got ${n}`);
  }
}

/** True when the string is an existing date written "YYYY-MM-DD". */
export function isValidDate(date: string): boolean {
  return dayOrNull(date) !== null;
}

/** Compares two "YYYY-MM-DD" dates: negative, zero or positive like a sort comparator (-1, 0, 1). */
export function compareDates(a: string, b: string): number {
  const da = parseDay(a, 'a');
  const db = parseDay(b, 'b');
  return da < db ? -1 : da > db ? 1 : 0;
}

/** The date n calendar days after (n < 0: before) the given date. */
export function addCalendarDays(date: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  return formatDay(parseDay(date, 'date') + n);
}

/** Day of the week of a "YYYY-MM-DD" date: 0 = Sunday, 1 = Monday, …, 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return weekdayOf(parseDay(date, 'date'));
}

/** True when the date lies within the years whose holiday notice the snapshot holds. */
export function calendarCovers(cal: CalendarSnapshot, date: string): boolean {
  return !isOutside(coverageOf(cal), parseDay(date, 'date'));
}

/** Whether the date is a working day; outside the covered years, Mon–Fri count (check calendarCovers). */
export function isWorkingDay(cal: CalendarSnapshot, date: string): boolean {
  return isWorkingOn(cal, coverageOf(cal), parseDay(date, 'date'));
}

/**
 * "n working days after receipt": the day of receipt is not counted, counting starts the next
 * day (民法典 Art. 201), and the due date is the n-th working day after receiptDate. n = 0 means
 * "the same working day": receiptDate if it is a working day, else the next working day.
 * `provisional` is true when a day examined lies outside the covered years.
 */
export function addWorkingDays(cal: CalendarSnapshot, receiptDate: string, n: number): DueDate {
  const start = parseDay(receiptDate, 'receiptDate');
  checkWorkingDayCount(n);
  const cov = coverageOf(cal);
  // n = 0 is "the first working day on or after receipt", i.e. one working day after the eve.
  let day = n === 0 ? start - 1 : start;
  let remaining = n === 0 ? 1 : n;
  let provisional = false;
  while (remaining > 0) {
    day += 1;
    if (isOutside(cov, day)) provisional = true;
    if (isWorkingOn(cal, cov, day)) remaining -= 1;
  }
  return { dueDate: formatDay(day), provisional, calendarVersion: cal.version };
}

/** The first working day strictly after the date; same as addWorkingDays(cal, date, 1).dueDate. */
export function nextWorkingDay(cal: CalendarSnapshot, date: string): string {
  return addWorkingDays(cal, date, 1).dueDate;
}

/**
 * Counts the working days d with fromDate < d ≤ toDate (fromDate excluded, toDate included, the
 * same convention as addWorkingDays, so workingDaysBetween(c, r, addWorkingDays(c, r, n).dueDate)
 * is n for n ≥ 1); 0 when toDate ≤ fromDate. `provisional` is true when a day examined lies
 * outside the covered years.
 */
export function workingDaysBetween(cal: CalendarSnapshot, fromDate: string, toDate: string): WorkingDayCount {
  const from = parseDay(fromDate, 'fromDate');
  const to = parseDay(toDate, 'toDate');
  const cov = coverageOf(cal);
  let workingDays = 0;
  let provisional = false;
  for (let day = from + 1; day <= to; day += 1) {
    if (isOutside(cov, day)) provisional = true;
    if (isWorkingOn(cal, cov, day)) workingDays += 1;
  }
  return { workingDays, provisional };
}

/** The date in China (UTC+8) at the given instant, as "YYYY-MM-DD". */
export function chinaDateOf(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`epochMs must be a finite number, got ${epochMs}`);
  return formatDay(Math.floor((epochMs + CHINA_OFFSET_MS) / MS_PER_DAY));
}

/** Epoch milliseconds of 00:00 China time (+08:00) on the date. */
export function startOfChinaDay(date: string): number {
  return parseDay(date, 'date') * MS_PER_DAY - CHINA_OFFSET_MS;
}

/** Epoch milliseconds of 00:00 China time on the following day: the deadline instant for a due date. */
export function endOfChinaDay(date: string): number {
  return startOfChinaDay(date) + MS_PER_DAY;
}
