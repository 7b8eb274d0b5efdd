/**
 * An independent oracle for deadlines in tests: counts working days one by one with the
 * chinese-days package's own `isWorkday` (holidays and make-up weekends from the State Council
 * notices), never with the application's calendar store or domain/working-days. Outside the
 * package's years it falls back to Monday–Friday, as the application does (provisionally).
 */
import { isWorkday } from 'chinese-days';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The date in China (UTC+8, no daylight saving) at an instant, "YYYY-MM-DD". */
export function chinaDate(instant: number | string | Date): string {
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 China time of the day after `date`: the instant a deadline on `date` has passed. */
export function endOfChinaDate(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`) + DAY_MS;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * The n-th working day after `receiptDate` (the receipt day itself is not counted); for n = 0
 * the first working day on or after the receipt date ("the same working day").
 */
export function workingDaysAfter(receiptDate: string, n: number): string {
  if (n === 0) {
    let day = receiptDate;
    while (!isWorkday(day)) day = nextDate(day);
    return day;
  }
  let day = receiptDate;
  let counted = 0;
  while (counted < n) {
    day = nextDate(day);
    if (isWorkday(day)) counted += 1;
  }
  return day;
}

/** The last working day on or before `date` (the package's calendar, weekdays past its years). */
export function lastWorkingDayOnOrBefore(date: string): string {
  let day = date;
  while (!isWorkday(day)) day = new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
  return day;
}
