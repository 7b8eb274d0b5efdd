import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findWorkday, isWorkday } from 'chinese-days';
import { chineseDaysCalendarYears, snapshotFromYears, type CalendarYearData } from '../../db/calendar-source';
import {
  addCalendarDays,
  addWorkingDays,
  calendarCovers,
  chinaDateOf,
  compareDates,
  dayOfWeek,
  endOfChinaDay,
  isValidDate,
  isWorkingDay,
  nextWorkingDay,
  startOfChinaDay,
  workingDaysBetween,
  type CalendarSnapshot,
} from '../../domain/working-days';

const years = chineseDaysCalendarYears();

/**
 * chinese-days 1.5.7's own functions shift dates by a day when the process runs west of UTC
 * (e.g. getDayDetail('2026-02-14') says '2026-02-13' under TZ=America/Los_Angeles), so the
 * cross-checks against them run only at UTC or east of it. Our code does not depend on TZ.
 */
const itWithPackageApi = new Date(2025, 0, 1).getTimezoneOffset() <= 0 ? it : it.skip;
const cal: CalendarSnapshot = snapshotFromYears(7, years);

/** Every date from a to b inclusive, listed without the module under test. */
function datesFrom(a: string, b: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${a}T00:00:00Z`); t <= Date.parse(`${b}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Expands "M/D" or "M/D–M/D" items of one year into sorted YYYY-MM-DD dates. */
function expand(year: number, items: string[]): string[] {
  const iso = (md: string): string => {
    const [m, d] = md.split('/');
    return `${year}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  };
  return items.flatMap((item) => {
    const [a, b] = item.split('–');
    return datesFrom(iso(a), iso(b ?? a));
  });
}

const yearData = (year: number): CalendarYearData => {
  const y = years.find((x) => x.year === year);
  if (y === undefined) throw new Error(`no data for ${year}`);
  return y;
};

// The lists of domain.md §7.
const LISTS = {
  2025: {
    holidays: expand(2025, ['1/1', '1/28–2/4', '4/4–4/6', '5/1–5/5', '5/31–6/2', '10/1–10/8']),
    makeup: expand(2025, ['1/26', '2/8', '4/27', '9/28', '10/11']),
  },
  2026: {
    holidays: expand(2026, ['1/1–1/3', '2/15–2/23', '4/4–4/6', '5/1–5/5', '6/19–6/21', '9/25–9/27', '10/1–10/7']),
    makeup: expand(2026, ['1/4', '2/14', '2/28', '5/9', '9/20', '10/10']),
  },
};

describe('chineseDaysCalendarYears', () => {
  it('covers exactly 2004–2026, each year with sorted lists of its own dates', () => {
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    for (const y of years) {
      expect(y.holidays.length).toBeGreaterThan(10);
      expect(y.makeupWorkdays.length).toBeGreaterThan(0);
      for (const list of [y.holidays, y.makeupWorkdays]) {
        expect([...list].sort()).toEqual(list);
        for (const d of list) expect(d.slice(0, 4)).toBe(String(y.year));
      }
      for (const d of y.makeupWorkdays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    }
  });

  it.each([2025, 2026] as const)('%i matches the lists in domain.md §7 exactly', (year) => {
    expect(yearData(year).holidays).toEqual(LISTS[year].holidays);
    expect(yearData(year).makeupWorkdays).toEqual(LISTS[year].makeup);
  });

  it('records the gov.cn notice, or the package for years without one', () => {
    expect(yearData(2026).source).toBe('https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm');
    expect(yearData(2025).source).toBe('https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm');
    expect(yearData(2004).source).toBe('chinese-days@1.5.7');
    expect(yearData(2005).source).toBe('chinese-days@1.5.7');
    expect(yearData(2020).source.split(' ')).toHaveLength(2); // notice + Spring Festival extension
    for (const y of years.filter((x) => x.year >= 2006)) expect(y.source).toMatch(/^https?:\/\/www\.gov\.cn\//);
  });

  it('cites every gov.cn URL that the package source gives for the year', () => {
    // The URL table is transcribed by hand; this catches a typo or a package update.
    const src = readFileSync(
      join(dirname(require.resolve('chinese-days/package.json')), 'src/holidays/generate.ts'),
      'utf8',
    );
    let checked = 0;
    for (const block of src.split(/\n {2}\/\*\*\n/).slice(1)) {
      const year = /^\s*\*\s*(\d{4})\s*\n/.exec(block)?.[1];
      if (year === undefined) continue;
      for (const url of block.split('*/')[0].match(/https?:\/\/www\.gov\.cn\/\S+/g) ?? []) {
        expect(yearData(Number(year)).source.split(' ')).toContain(url);
        checked += 1;
      }
    }
    expect(checked).toBe(24);
  });
});

describe('snapshotFromYears', () => {
  const y = (year: number, holidays: string[] = [], makeupWorkdays: string[] = []): CalendarYearData => ({
    year,
    holidays,
    makeupWorkdays,
    source: 'test',
  });

  it('spans the first to the last year and carries the version', () => {
    expect(cal).toMatchObject({ version: 7, firstYear: 2004, lastYear: 2026 });
    expect(cal.holidays.has('2026-10-07')).toBe(true);
    expect(cal.makeupWorkdays.has('2026-10-10')).toBe(true);
    expect(snapshotFromYears(1, [y(2027), y(2026)])).toMatchObject({ firstYear: 2026, lastYear: 2027 });
  });

  it('rejects gaps, foreign dates, weekday make-up days and an empty list', () => {
    expect(() => snapshotFromYears(1, [y(2024), y(2026)])).toThrow(RangeError);
    expect(() => snapshotFromYears(1, [y(2026, ['2027-01-01'])])).toThrow(RangeError);
    expect(() => snapshotFromYears(1, [y(2026, ['2026-02-30'])])).toThrow(RangeError);
    expect(() => snapshotFromYears(1, [y(2026, [], ['2026-02-13'])])).toThrow(RangeError); // a Friday
    expect(() => snapshotFromYears(1, [y(2026, ['2026-02-14'], ['2026-02-14'])])).toThrow(RangeError);
    expect(() => snapshotFromYears(1, [])).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([2025, 2026] as const)(
    'in %i: listed holidays rest, listed make-up weekends work, otherwise Mon–Fri',
    (year) => {
      const holidays = new Set(LISTS[year].holidays);
      const makeup = new Set(LISTS[year].makeup);
      for (const d of datesFrom(`${year}-01-01`, `${year}-12-31`)) {
        const weekday = ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
        expect([d, isWorkingDay(cal, d)]).toEqual([d, makeup.has(d) || (weekday && !holidays.has(d))]);
      }
    },
  );

  it('knows the 2026 Spring Festival: Sat 2026-02-14 works, Fri 2026-02-20 rests', () => {
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-20')).toBe(false);
    expect(isWorkingDay(cal, '2026-02-28')).toBe(true);
    expect(isWorkingDay(cal, '2026-03-01')).toBe(false); // an ordinary Sunday
  });

  it('knows the 2020 Spring Festival extension (make-up Saturday 2020-02-01 cancelled)', () => {
    expect(isWorkingDay(cal, '2020-01-31')).toBe(false);
    expect(isWorkingDay(cal, '2020-02-01')).toBe(false);
    expect(isWorkingDay(cal, '2020-02-03')).toBe(true);
  });

  itWithPackageApi('agrees with chinese-days isWorkday on every day of 2004–2026', () => {
    const mismatches = datesFrom('2004-01-01', '2026-12-31').filter((d) => isWorkingDay(cal, d) !== isWorkday(d));
    expect(mismatches).toEqual([]);
  });

  it('treats days outside the covered years as plain weekdays', () => {
    expect(isWorkingDay(cal, '2027-10-01')).toBe(true); // really National Day, but no 2027 notice yet
    expect(isWorkingDay(cal, '2027-10-02')).toBe(false); // Saturday
    expect(calendarCovers(cal, '2027-10-01')).toBe(false);
    expect(calendarCovers(cal, '2026-12-31')).toBe(true);
    expect(calendarCovers(cal, '2004-01-01')).toBe(true);
    expect(calendarCovers(cal, '2003-12-31')).toBe(false);
  });

  it('ignores entries outside firstYear–lastYear: those days are plain weekdays', () => {
    const oneYear: CalendarSnapshot = {
      version: 1,
      firstYear: 2026,
      lastYear: 2026,
      holidays: new Set(['2026-12-31', '2027-01-01']),
      makeupWorkdays: new Set(['2026-12-26', '2027-01-02']),
    };
    expect(isWorkingDay(oneYear, '2026-12-31')).toBe(false);
    expect(isWorkingDay(oneYear, '2026-12-26')).toBe(true);
    expect(isWorkingDay(oneYear, '2027-01-01')).toBe(true);
    expect(isWorkingDay(oneYear, '2027-01-02')).toBe(false);
  });

  it('throws RangeError for a bad date', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '2025/10/01', '', 'today', '2025-10-01T00:00']) {
      expect(() => isWorkingDay(cal, bad)).toThrow(RangeError);
    }
  });
});

describe('addWorkingDays', () => {
  it('15 working days after 2025-09-26 is 2025-10-23 (domain.md §7)', () => {
    // 9/28 Sun make-up (1), 9/29 (2), 9/30 (3), 10/1–10/8 rest, 10/9 (4), 10/10 (5),
    // 10/11 Sat make-up (6), 10/13–10/17 (7–11), 10/20–10/23 (12–15).
    expect(addWorkingDays(cal, '2025-09-26', 15)).toEqual({
      dueDate: '2025-10-23',
      provisional: false,
      calendarVersion: 7,
    });
  });

  it.each([
    // 2025-01-01 is a holiday, so the first working day after New Year's Eve is Thu 1/2.
    ['2024-12-31', 1, '2025-01-02'],
    // Fri 1/24; Sat 1/25 rests; Sun 1/26 is a make-up day (1); Mon 1/27 (2); 1/28–2/4 rest; Wed 2/5 (3).
    ['2025-01-24', 1, '2025-01-26'],
    ['2025-01-24', 2, '2025-01-27'],
    ['2025-01-24', 3, '2025-02-05'],
    // Receipt on a holiday: 10/2–10/8 rest, Thu 10/9 is the first working day.
    ['2025-10-01', 1, '2025-10-09'],
    // Fri 2026-02-13: Sat 2/14 make-up (1); 2/15–2/23 rest; Tue 2/24 (2).
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    // Fri 2/27: Sat 2/28 make-up (1); Sun 3/1 rests; Mon 3/2 (2).
    ['2026-02-27', 2, '2026-03-02'],
    // Thu 2026-04-30: 5/1–5/5 rest; Wed 5/6 (1). Fri 5/8: Sat 5/9 make-up (1).
    ['2026-04-30', 1, '2026-05-06'],
    ['2026-05-08', 1, '2026-05-09'],
    // Thu 2026-09-17: Fri 9/18 (1), Sun 9/20 make-up (2), Mon 9/21 (3), …, Thu 9/24 (6), 9/25–9/27 rest, Mon 9/28 (7).
    ['2026-09-17', 7, '2026-09-28'],
  ] as const)('%s + %i working days → %s', (receipt, n, due) => {
    expect(addWorkingDays(cal, receipt, n)).toEqual({ dueDate: due, provisional: false, calendarVersion: 7 });
  });

  it('n = 0 is the same working day, or the next one', () => {
    expect(addWorkingDays(cal, '2025-09-26', 0).dueDate).toBe('2025-09-26'); // ordinary Friday
    expect(addWorkingDays(cal, '2025-10-11', 0).dueDate).toBe('2025-10-11'); // make-up Saturday
    expect(addWorkingDays(cal, '2025-10-18', 0).dueDate).toBe('2025-10-20'); // ordinary Saturday → Monday
    expect(addWorkingDays(cal, '2025-10-01', 0).dueDate).toBe('2025-10-09'); // holiday → after the holiday
    expect(addWorkingDays(cal, '2026-12-31', 0)).toEqual({
      dueDate: '2026-12-31',
      provisional: false,
      calendarVersion: 7,
    });
    expect(addWorkingDays(cal, '2027-01-02', 0)).toEqual({
      dueDate: '2027-01-04',
      provisional: true,
      calendarVersion: 7,
    });
  });

  it('is provisional when a count runs past the last covered year, not when it stays within it', () => {
    // Mon 2026-12-28: 12/29 (1), 12/30 (2), 12/31 (3) — all within 2026.
    expect(addWorkingDays(cal, '2026-12-28', 3)).toEqual({
      dueDate: '2026-12-31',
      provisional: false,
      calendarVersion: 7,
    });
    // The 4th day is Fri 2027-01-01, counted as a plain weekday although it will be New Year's Day.
    expect(addWorkingDays(cal, '2026-12-28', 4)).toEqual({
      dueDate: '2027-01-01',
      provisional: true,
      calendarVersion: 7,
    });
    // Wed 12/30: 12/31 (1), Fri 1/1 (2), Mon 1/4 (3), 1/5 (4), 1/6 (5).
    expect(addWorkingDays(cal, '2026-12-30', 5)).toMatchObject({ dueDate: '2027-01-06', provisional: true });
    expect(addWorkingDays(cal, '2026-06-01', 20).provisional).toBe(false);
  });

  it('is provisional when it examines days before the first covered year', () => {
    expect(addWorkingDays(cal, '2003-12-30', 1)).toMatchObject({ dueDate: '2003-12-31', provisional: true });
    // The receipt day itself is not examined: 2004-01-01 rests, Fri 2004-01-02 is covered.
    expect(addWorkingDays(cal, '2003-12-31', 1)).toMatchObject({ dueDate: '2004-01-02', provisional: false });
  });

  itWithPackageApi('agrees with chinese-days findWorkday for every receipt date in 2024–2026', () => {
    const mismatches: string[] = [];
    for (const d of datesFrom('2024-01-01', '2026-12-31')) {
      for (const n of [1, 5, 15, 30]) {
        if (addWorkingDays(cal, d, n).dueDate !== findWorkday(n, d)) mismatches.push(`${d}+${n}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('nextWorkingDay is the first working day strictly after the date', () => {
    expect(nextWorkingDay(cal, '2025-09-30')).toBe('2025-10-09');
    expect(nextWorkingDay(cal, '2025-10-10')).toBe('2025-10-11');
    expect(nextWorkingDay(cal, '2025-10-11')).toBe('2025-10-13');
  });

  it('validates its inputs', () => {
    expect(() => addWorkingDays(cal, '2025-02-29', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-10-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-10-01', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-10-01', Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-10-01', 1_000_000)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts across the 2025 National Day week (from excluded, to included)', () => {
    expect(workingDaysBetween(cal, '2025-09-30', '2025-10-10')).toEqual({ workingDays: 2, provisional: false }); // 10/9, 10/10
    // 9/28 Sun make-up, 9/29, 9/30, 10/9, 10/10, 10/11 Sat make-up.
    expect(workingDaysBetween(cal, '2025-09-26', '2025-10-12').workingDays).toBe(6);
    expect(workingDaysBetween(cal, '2025-09-30', '2025-10-08').workingDays).toBe(0);
    expect(workingDaysBetween(cal, '2025-09-29', '2025-09-30').workingDays).toBe(1); // to is included
    expect(workingDaysBetween(cal, '2025-09-26', '2025-10-23').workingDays).toBe(15);
  });

  it('is 0 when toDate is not after fromDate', () => {
    expect(workingDaysBetween(cal, '2025-10-10', '2025-10-10')).toEqual({ workingDays: 0, provisional: false });
    expect(workingDaysBetween(cal, '2025-10-10', '2025-09-01')).toEqual({ workingDays: 0, provisional: false });
  });

  it('counts 248 working days in 2025 and in 2026', () => {
    // 2025: 261 weekdays (starts on a Wednesday, 365 days); weekday holidays 1/1, 1/28–1/31, 2/3–2/4,
    // 4/4, 5/1–5/2, 5/5, 6/2, 10/1–10/3, 10/6–10/8 = 18; make-up days 5: 261 − 18 + 5 = 248.
    expect(workingDaysBetween(cal, '2024-12-31', '2025-12-31')).toEqual({ workingDays: 248, provisional: false });
    // 2026: 261 weekdays (starts on a Thursday); weekday holidays 1/1–1/2, 2/16–2/20, 2/23, 4/6,
    // 5/1, 5/4–5/5, 6/19, 9/25, 10/1–10/2, 10/5–10/7 = 19; make-up days 6: 261 − 19 + 6 = 248.
    expect(workingDaysBetween(cal, '2025-12-31', '2026-12-31')).toEqual({ workingDays: 248, provisional: false });
  });

  it('is provisional across New Year 2026/2027', () => {
    // 12/28–12/31 (4) + Fri 1/1 and Mon 1/4–Fri 1/8 counted as plain weekdays (6).
    expect(workingDaysBetween(cal, '2026-12-25', '2027-01-08')).toEqual({ workingDays: 10, provisional: true });
  });

  it('inverts addWorkingDays', () => {
    for (const d of datesFrom('2025-01-01', '2026-11-30').filter((_, i) => i % 3 === 0)) {
      for (const n of [1, 7, 20]) {
        expect(workingDaysBetween(cal, d, addWorkingDays(cal, d, n).dueDate).workingDays).toBe(n);
      }
    }
  });
});

describe('date helpers', () => {
  it('addCalendarDays crosses months, leap days and years', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addCalendarDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addCalendarDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addCalendarDays('2025-10-01', 0)).toBe('2025-10-01');
    expect(() => addCalendarDays('2025-10-01', 0.5)).toThrow(RangeError);
    expect(() => addCalendarDays('9999-12-31', 1)).toThrow(RangeError);
  });

  it('addCalendarDays agrees with Date over four centuries', () => {
    for (let k = -25_000; k < 150_000; k += 997) {
      expect(addCalendarDays('1970-01-01', k)).toBe(new Date(k * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('dayOfWeek is 0 for Sunday', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('2025-10-01')).toBe(3);
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(dayOfWeek('2026-03-01')).toBe(0);
    expect(dayOfWeek('1969-12-28')).toBe(0);
    expect(dayOfWeek('2000-02-29')).toBe(2);
  });

  it('compareDates orders dates and validates them', () => {
    expect(compareDates('2025-10-01', '2025-10-02')).toBe(-1);
    expect(compareDates('2025-10-02', '2025-10-01')).toBe(1);
    expect(compareDates('2025-10-01', '2025-10-01')).toBe(0);
    expect(compareDates('1999-12-31', '2000-01-01')).toBe(-1);
    expect(() => compareDates('2025-1-1', '2025-01-01')).toThrow(RangeError);
  });

  it('isValidDate accepts only existing YYYY-MM-DD dates', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(isValidDate('2025-04-31')).toBe(false);
    expect(isValidDate('2025-00-10')).toBe(false);
    expect(isValidDate(' 2025-01-01')).toBe(false);
  });
});

describe('China-time helpers', () => {
  it('chinaDateOf uses UTC+8', () => {
    expect(chinaDateOf(Date.parse('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    expect(chinaDateOf(Date.UTC(2025, 11, 31, 15, 59, 59, 999))).toBe('2025-12-31');
    expect(chinaDateOf(-1)).toBe('1970-01-01'); // 07:59:59.999 in Beijing
    expect(chinaDateOf(Date.UTC(1969, 11, 31, 15, 59))).toBe('1969-12-31');
    expect(() => chinaDateOf(Number.NaN)).toThrow(RangeError);
  });

  it('start and end of a China day', () => {
    expect(startOfChinaDay('2026-01-01')).toBe(Date.UTC(2025, 11, 31, 16));
    expect(endOfChinaDay('2026-01-01')).toBe(Date.UTC(2026, 0, 1, 16));
    expect(endOfChinaDay('2024-02-28')).toBe(startOfChinaDay('2024-02-29'));
    expect(chinaDateOf(endOfChinaDay('2025-10-23') - 1)).toBe('2025-10-23');
    expect(chinaDateOf(endOfChinaDay('2025-10-23'))).toBe('2025-10-24');
    expect(() => endOfChinaDay('2025-10-32')).toThrow(RangeError);
  });
});
