/**
 * The clock of the fixtures: "today" in China and dates derived from it, so that no test depends
 * on the year it runs in (issue 9, item 8). A fixture states what it needs relative to now —
 * a man whose statutory retirement month was two months ago, a woman aged 33, the last complete
 * year — and the test derives its expectations from the same values.
 *
 * The statutory retirement months here are an oracle of their own: the delay schedules of
 * 《国务院关于渐进式延迟法定退休年龄的办法》附件1–3 spelled out (start cohort, birth months per
 * month of delay, cap), independent of domain/retirement-age.ts, so the tests can check the
 * application's numbers against them.
 */
import { chinaDate } from './china-calendar';

/** A month index: year × 12 + month − 1. */
function index(yearMonth: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  if (!m) throw new Error(`not a year-month: ${yearMonth}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

function format(i: number): string {
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Today's date in China, 'YYYY-MM-DD' (of `nowMs`, default the wall clock). */
export function today(nowMs: number = Date.now()): string {
  return chinaDate(nowMs);
}

/** The current month in China, 'YYYY-MM'. */
export function currentYearMonth(nowMs: number = Date.now()): string {
  return today(nowMs).slice(0, 7);
}

/** The current year in China. */
export function currentYear(nowMs: number = Date.now()): number {
  return Number(today(nowMs).slice(0, 4));
}

/** 'YYYY-MM' plus n months (n may be negative). */
export function addMonths(yearMonth: string, n: number): string {
  return format(index(yearMonth) + n);
}

/** The month n months before the current one. */
export function monthsAgo(n: number, nowMs: number = Date.now()): string {
  return addMonths(currentYearMonth(nowMs), -n);
}

/** The month n months after the current one. */
export function monthsAhead(n: number, nowMs: number = Date.now()): string {
  return addMonths(currentYearMonth(nowMs), n);
}

/** Months from `from` to `to` (positive when `to` is later). */
export function monthsBetween(from: string, to: string): number {
  return index(to) - index(from);
}

/** Every month from `from` to `to` inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = index(from); i <= index(to); i++) out.push(format(i));
  return out;
}

/** A date plus n days (n may be negative), 'YYYY-MM-DD'. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The last day of a month, 'YYYY-MM-DD'. */
export function endOfMonth(yearMonth: string): string {
  return addDays(`${addMonths(yearMonth, 1)}-01`, -1);
}

/** The same day n years later (29 February becomes 28 February in a common year). */
export function addYears(date: string, n: number): string {
  const year = Number(date.slice(0, 4)) + n;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = date.slice(5) === '02-29' && !leap ? '02-28' : date.slice(5);
  return `${String(year).padStart(4, '0')}-${day}`;
}

/**
 * A birth date at which someone is `years` full years old today (周岁): born `years` years and
 * `extraMonths` months (default 3) before the current month, on `day` (default the 14th).
 */
export function birthDateAged(years: number, o: { nowMs?: number; extraMonths?: number; day?: number } = {}): string {
  const month = addMonths(currentYearMonth(o.nowMs), -(years * 12 + (o.extraMonths ?? 3)));
  return `${month}-${String(o.day ?? 14).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Statutory retirement (an oracle independent of domain/retirement-age.ts).

export type Sex = 'male' | 'female';

/** 办法 附件1–3: original age, first delayed cohort, birth months per month of delay, cap. */
const SCHEDULES = {
  60: { startCohort: '1965-01', perStep: 4, cap: 36 },
  55: { startCohort: '1970-01', perStep: 4, cap: 36 },
  50: { startCohort: '1975-01', perStep: 2, cap: 60 },
} as const;

export interface Retirement {
  birthYearMonth: string;
  /** The month the statutory age is reached. */
  retirementYearMonth: string;
  statutoryAge: { years: number; months: number };
  delayMonths: number;
}

/** The statutory retirement month of a birth month (men: original age 60; women 55 or 50). */
export function statutoryRetirementOf(
  birthYearMonth: string,
  sex: Sex,
  originalAge: 50 | 55 | 60 = sex === 'male' ? 60 : 55,
): Retirement {
  if ((sex === 'male') !== (originalAge === 60)) throw new Error(`no schedule for ${sex} ${originalAge}`);
  const s = SCHEDULES[originalAge];
  const d = index(birthYearMonth) - index(s.startCohort);
  const delayMonths = d < 0 ? 0 : Math.min(Math.floor(d / s.perStep) + 1, s.cap);
  const ageMonths = originalAge * 12 + delayMonths;
  return {
    birthYearMonth,
    retirementYearMonth: format(index(birthYearMonth) + ageMonths),
    statutoryAge: { years: Math.floor(ageMonths / 12), months: ageMonths % 12 },
    delayMonths,
  };
}

/**
 * Someone whose statutory retirement month is `target`; when no birth month reaches it exactly
 * (the delay steps up by a month every few birth months, so some months are skipped), the one
 * retiring in the latest month before it.
 */
export function birthMonthRetiringIn(
  target: string,
  sex: Sex,
  originalAge: 50 | 55 | 60 = sex === 'male' ? 60 : 55,
): Retirement {
  const t = index(target);
  let best: Retirement | undefined;
  // Birth months from the longest possible age (original + cap) to the original age.
  for (let b = t - (originalAge * 12 + SCHEDULES[originalAge].cap); b <= t - originalAge * 12; b++) {
    const r = statutoryRetirementOf(format(b), sex, originalAge);
    if (index(r.retirementYearMonth) <= t && (!best || index(r.retirementYearMonth) > index(best.retirementYearMonth)))
      best = r;
  }
  if (!best) throw new Error(`nobody retires in or before ${target}`);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Dates and durations as the notices write them.

/** '2031-10' → '2031年10月'. */
export function chineseYearMonth(yearMonth: string): string {
  return `${Number(yearMonth.slice(0, 4))}年${Number(yearMonth.slice(5, 7))}月`;
}

/** '2031-07-01' → '2031年7月1日'. */
export function chineseDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** 186 → '15年6个月', 180 → '15年', 4 → '4个月'. */
export function chineseMonths(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  if (years === 0) return `${rest}个月`;
  return rest === 0 ? `${years}年` : `${years}年${rest}个月`;
}
