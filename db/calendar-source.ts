/**
 * Source data for the working-day calendar: China's holidays and make-up working weekends per
 * year, taken from the npm package chinese-days (dist/chinese-days.json, the JSON file its README
 * documents), and the conversion of such yearly lists into a CalendarSnapshot. Not for
 * workflows: it reads a package file at load time.
 */
import rawChineseDays from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { dayOfWeek, isValidDate, type CalendarSnapshot } from '../domain/working-days';

/** One year of the holiday calendar, as stored in the versioned calendar table. */
export interface CalendarYearData {
  year: number;
  /** Every official rest day of that year's holidays, weekends included, YYYY-MM-DD, sorted. */
  holidays: string[];
  /** Saturdays and Sundays that are working days (调休上班), YYYY-MM-DD, sorted. */
  makeupWorkdays: string[];
  /** The notice URL(s) the package cites, space-separated, or `chinese-days@<version>`. */
  source: string;
}

/** Shape of chinese-days.json: date → "English name,中文名,statutory days". */
interface ChineseDaysJson {
  holidays: Record<string, string>;
  /** Make-up working days (the package's name); all of them fall on weekends. */
  workdays: Record<string, string>;
  /** Weekday rest days created by 调休 (a subset of holidays); not needed here. */
  inLieuDays: Record<string, string>;
}

/** Package name and installed version, the fallback source. */
export const CHINESE_DAYS_SOURCE = `chinese-days@${chineseDaysPackage.version}`;

/**
 * Notice URLs per year, transcribed from the comments of chinese-days src/holidays/generate.ts
 * (the yearly State Council notice first, then amendments). The package files dates by the year
 * they fall in, so a year whose late-December days were set by the next year's notice also lists
 * that notice. 2004 and 2005 cite no gov.cn page and fall back to CHINESE_DAYS_SOURCE.
 */
const NOTICE_URLS: Readonly<Record<number, readonly string[]>> = {
  2006: [
    'http://www.gov.cn/jrzg/2005-12/22/content_133837.htm',
    'http://www.gov.cn/fwxx/sh/2006-12/18/content_471877.htm', // 2006-12-30/31 worked (2007 notice)
  ],
  2007: [
    'http://www.gov.cn/fwxx/sh/2006-12/18/content_471877.htm',
    'http://www.gov.cn/zwgk/2007-12/18/content_837184.htm', // 2007-12-29..31 (2008 notice)
  ],
  2008: ['http://www.gov.cn/zwgk/2007-12/18/content_837184.htm'],
  2009: ['http://www.gov.cn/zwgk/2008-12/10/content_1174014.htm'],
  2010: ['http://www.gov.cn/zwgk/2009-12/08/content_1482691.htm'],
  2011: [
    'http://www.gov.cn/zwgk/2010-12/10/content_1762643.htm',
    'http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm', // 2011-12-31 worked (2012 notice)
  ],
  2012: ['http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm'],
  2013: ['http://www.gov.cn/zwgk/2012-12/10/content_2286598.htm'],
  2014: ['http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm'],
  2015: [
    'http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm',
    'http://www.gov.cn/zhengce/content/2015-05/13/content_9742.htm', // 9/3 victory day
  ],
  2016: ['http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm'],
  2017: ['http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm'],
  2018: [
    'http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm',
    'http://www.gov.cn/xinwen/2018-12/06/content_5346287.htm', // 2018-12-29..31 (2019 notice)
  ],
  2019: [
    'http://www.gov.cn/xinwen/2018-12/06/content_5346287.htm',
    'http://www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm', // Labour Day amended
  ],
  2020: [
    'http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm',
    'http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm', // Spring Festival extended
  ],
  2021: ['http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm'],
  2022: [
    'http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm',
    'http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm', // 2022-12-31 (2023 notice)
  ],
  2023: ['http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm'],
  2024: ['https://www.gov.cn/zhengce/content/202310/content_6911527.htm'],
  2025: ['https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm'],
  2026: ['https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm'],
};

/** Groups date keys by calendar year into sorted lists. */
function byYear(dates: Iterable<string>): Map<number, string[]> {
  const years = new Map<number, string[]>();
  for (const date of dates) {
    if (!isValidDate(date)) throw new Error(`chinese-days data holds a bad date: ${date}`);
    const year = Number(date.slice(0, 4));
    const list = years.get(year) ?? [];
    list.push(date);
    years.set(year, list);
  }
  for (const list of years.values()) list.sort();
  return years;
}

/** The source text recorded for a year. */
function sourceOf(year: number): string {
  const urls = NOTICE_URLS[year];
  return urls === undefined ? CHINESE_DAYS_SOURCE : urls.join(' ');
}

/** China's holidays and make-up working weekends for every year chinese-days has data for. */
export function chineseDaysCalendarYears(): CalendarYearData[] {
  const data = rawChineseDays as ChineseDaysJson;
  const holidays = byYear(Object.keys(data.holidays));
  const makeup = byYear(Object.keys(data.workdays));
  const years = [...new Set([...holidays.keys(), ...makeup.keys()])].sort((a, b) => a - b);
  return years.map((year) => ({
    year,
    holidays: holidays.get(year) ?? [],
    makeupWorkdays: makeup.get(year) ?? [],
    source: sourceOf(year),
  }));
}

/** Throws unless the year's dates belong to it and make-up days are weekends not also holidays. */
function checkYear(y: CalendarYearData): void {
  const inYear = (d: string): boolean => isValidDate(d) && Number(d.slice(0, 4)) === y.year;
  const bad = [...y.holidays, ...y.makeupWorkdays].find((d) => !inYear(d));
  if (bad !== undefined) throw new RangeError(`calendar year ${y.year} holds a date outside it: ${bad}`);
  const holidays = new Set(y.holidays);
  for (const d of y.makeupWorkdays) {
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6) throw new RangeError(`make-up workday ${d} is not a Saturday or Sunday`);
    if (holidays.has(d)) throw new RangeError(`${d} is both a holiday and a make-up workday`);
  }
}

/** Builds a snapshot from consecutive years of calendar data (throws on gaps or bad dates). */
export function snapshotFromYears(version: number, years: CalendarYearData[]): CalendarSnapshot {
  if (years.length === 0) throw new RangeError('snapshotFromYears needs at least one year');
  const sorted = [...years].sort((a, b) => a.year - b.year);
  sorted.forEach((y, i) => {
    if (i > 0 && y.year !== sorted[i - 1].year + 1) {
      throw new RangeError(`calendar years must be consecutive: ${sorted[i - 1].year} then ${y.year}`);
    }
    checkYear(y);
  });
  return {
    version,
    firstYear: sorted[0].year,
    lastYear: sorted[sorted.length - 1].year,
    holidays: new Set(sorted.flatMap((y) => y.holidays)),
    makeupWorkdays: new Set(sorted.flatMap((y) => y.makeupWorkdays)),
  };
}
