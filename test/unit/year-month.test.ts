/** Year-months and the dates in them (domain/year-month.ts). */
import { RuleInputError } from '../../domain/errors';
import {
  addMonths,
  addMonthsToDate,
  daysInMonth,
  formatYearMonth,
  isIsoDate,
  isYearMonth,
  lastDayOfMonth,
  monthsBetween,
  yearMonthChinese,
  yearMonthIndex,
} from '../../domain/year-month';

describe('year-months', () => {
  test('a month index round-trips through formatting', () => {
    expect(yearMonthIndex('2026-01')).toBe(2026 * 12);
    expect(formatYearMonth(yearMonthIndex('1999-12'))).toBe('1999-12');
  });

  test('a year-month outside 1900–2199 or with month 00/13 is refused, naming the field', () => {
    for (const bad of ['1899-12', '2200-01', '2026-00', '2026-13', '2026-1', '202601', '']) {
      expect(isYearMonth(bad)).toBe(false);
      expect(() => yearMonthIndex(bad, 'retireAt')).toThrow(RuleInputError);
    }
    expect(isYearMonth(202601)).toBe(false);
    expect(isYearMonth('1900-01')).toBe(true);
    expect(isYearMonth('2199-12')).toBe(true);
  });

  test('months are added and subtracted across year ends', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-02', -14)).toBe('2024-12');
  });

  test('monthsBetween lists every month inclusive, and nothing for a reversed or invalid period', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-02')).toEqual(['2026-02']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
    expect(monthsBetween('2026-13', '2027-01')).toEqual([]);
    expect(monthsBetween('1950-01', '2150-12')).toHaveLength(1200);
  });

  test('the Chinese text of a month has no leading zero', () => {
    expect(yearMonthChinese('2026-01')).toBe('2026年1月');
    expect(yearMonthChinese('2025-12')).toBe('2025年12月');
  });
});

describe('dates', () => {
  test('days in a month follow the Gregorian leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2026-06')).toBe('2026-06-30');
  });

  test('isIsoDate accepts existing dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-04-31')).toBe(false);
    expect(isIsoDate('2025-4-1')).toBe(false);
    expect(isIsoDate(undefined)).toBe(false);
  });

  test('adding months to a date keeps the day, clamped to the month', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2026-05-31', -3)).toBe('2026-02-28');
    expect(() => addMonthsToDate('2026-02-30', 1, 'dueDate')).toThrow(expect.objectContaining({ field: 'dueDate' }));
  });
});
