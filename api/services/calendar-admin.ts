/**
 * Publishing a year of the working-day calendar (from the State Council's yearly notice): the
 * year is validated, stored as a new calendar version with every other year unchanged, and every
 * open case whose deadline was provisional is told to re-project it.
 */
import type { Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import type { CalendarYearData } from '../../db/calendar-source';
import { importCalendarYears, loadCalendarYears, type CalendarImportResult } from '../../db/calendar-store';
import type { Db } from '../../db/client';
import { cases } from '../../db/schema';
import { dayOfWeek, isValidDate } from '../../domain/working-days';
import { calendarPublishedSignal } from '../../workflows/shared/messages';
import { unprocessable } from '../errors';

export function validateCalendarYear(y: CalendarYearData): void {
  for (const [list, field] of [
    [y.holidays, 'holidays'],
    [y.makeupWorkdays, 'makeupWorkdays'],
  ] as const) {
    list.forEach((d, i) => {
      if (!isValidDate(d) || !d.startsWith(`${y.year}-`))
        throw unprocessable('calendar.date_outside_year', `${field}[${i}]: ${d} 不在 ${y.year} 年内`, `${field}[${i}]`);
    });
  }
  y.makeupWorkdays.forEach((d, i) => {
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6)
      throw unprocessable('calendar.makeup_not_weekend', `makeupWorkdays[${i}]: ${d} 不是周末`, `makeupWorkdays[${i}]`);
    if (y.holidays.includes(d))
      throw unprocessable(
        'calendar.day_both_kinds',
        `makeupWorkdays[${i}]: ${d} 同时列为节假日`,
        `makeupWorkdays[${i}]`,
      );
  });
}

export async function publishCalendarYear(
  db: Db,
  temporal: Client,
  year: CalendarYearData,
): Promise<CalendarImportResult & { reprojected: string[] }> {
  validateCalendarYear(year);
  const current = await loadCalendarYears(db);
  if (current.length > 0 && year.year > current[current.length - 1].year + 1) {
    throw unprocessable(
      'calendar.year_gap',
      `year: ${current[current.length - 1].year + 1} 年尚未发布，不能跳过`,
      'year',
    );
  }
  // The years stay contiguous: a year before the first is published only as the one just before it.
  if (current.length > 0 && year.year < current[0].year - 1) {
    throw unprocessable(
      'calendar.year_gap',
      `year: 日历从 ${current[0].year} 年开始，只能补发 ${current[0].year - 1} 年，不能跳过中间的年份`,
      'year',
    );
  }
  const merged = [
    ...current.filter((y) => y.year !== year.year),
    { ...year, holidays: [...year.holidays].sort(), makeupWorkdays: [...year.makeupWorkdays].sort() },
  ];
  const result = await importCalendarYears(db, merged, year.source, `year ${year.year} published`);
  const reprojected: string[] = [];
  if (result.created) {
    const open = await db
      .select({ id: cases.id })
      .from(cases)
      .where(
        and(
          eq(cases.status, 'open'),
          sql`((${cases.clock}->>'provisional')::boolean is true or exists (select 1 from jsonb_each(coalesce(${cases.clocks}, '{}'::jsonb)) c where (c.value->>'provisional')::boolean))`,
        ),
      );
    for (const { id } of open) {
      await temporal.workflow
        .getHandle(id)
        .signal(calendarPublishedSignal)
        .then(() => reprojected.push(id))
        .catch(() => undefined);
    }
  }
  return { ...result, reprojected };
}
