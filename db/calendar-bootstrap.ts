/**
 * Makes sure a working-day calendar is loaded: on an empty database the chinese-days data is
 * imported as version 1; when a newer package covers more years than the latest version, those
 * years are appended as a new version. Years staff entered later are never dropped.
 */
import { chineseDaysCalendarYears, CHINESE_DAYS_SOURCE } from './calendar-source';
import {
  importCalendarYears,
  latestCalendarVersion,
  loadCalendarYears,
  type CalendarImportResult,
} from './calendar-store';
import type { DbOrTx } from './client';

export async function bootstrapCalendar(db: DbOrTx): Promise<CalendarImportResult> {
  const packaged = chineseDaysCalendarYears();
  const latest = await latestCalendarVersion(db);
  if (latest === undefined)
    return importCalendarYears(db, packaged, CHINESE_DAYS_SOURCE, 'initial import from the chinese-days package');
  const current = await loadCalendarYears(db, latest);
  const lastYear = current[current.length - 1].year;
  const newer = packaged.filter((y) => y.year > lastYear);
  if (newer.length === 0) return { version: latest, created: false, firstYear: current[0].year, lastYear };
  return importCalendarYears(
    db,
    [...current, ...newer],
    CHINESE_DAYS_SOURCE,
    `years ${newer.map((y) => y.year).join(', ')} from the chinese-days package`,
  );
}
