/**
 * The versioned working-day calendar in PostgreSQL: import a complete set of years as a new
 * version (identical data creates no new version), and load the latest version as a snapshot.
 */
import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { CalendarSnapshot } from '../domain/working-days';
import type { CalendarYearData } from './calendar-source';
import type { DbOrTx } from './client';
import { calendarDays, calendarVersions } from './schema';

export interface CalendarImportResult {
  version: number;
  created: boolean;
  firstYear: number;
  lastYear: number;
}

function checksumOf(years: readonly CalendarYearData[]): string {
  const canonical = [...years]
    .sort((a, b) => a.year - b.year)
    .map((y) => `${y.year}|${[...y.holidays].sort().join(',')}|${[...y.makeupWorkdays].sort().join(',')}`)
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex');
}

/** Stores `years` (the complete calendar) as a new version unless identical data exists. */
export async function importCalendarYears(
  db: DbOrTx,
  years: readonly CalendarYearData[],
  source: string,
  note?: string,
): Promise<CalendarImportResult> {
  if (years.length === 0) throw new Error('a calendar needs at least one year');
  const sorted = [...years].sort((a, b) => a.year - b.year);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].year !== sorted[i - 1].year + 1)
      throw new Error(`calendar years must be contiguous: ${sorted[i - 1].year} → ${sorted[i].year}`);
  }
  const firstYear = sorted[0].year;
  const lastYear = sorted[sorted.length - 1].year;
  const checksum = checksumOf(sorted);
  const existing = await db.select().from(calendarVersions).where(eq(calendarVersions.checksum, checksum));
  if (existing.length > 0) return { version: existing[0].version, created: false, firstYear, lastYear };
  const [row] = await db.insert(calendarVersions).values({ firstYear, lastYear, source, checksum, note }).returning();
  const days = sorted.flatMap((y) => [
    ...y.holidays.map((date) => ({ version: row.version, date, kind: 'holiday' as const, source: y.source })),
    ...y.makeupWorkdays.map((date) => ({
      version: row.version,
      date,
      kind: 'makeup_workday' as const,
      source: y.source,
    })),
  ]);
  for (let i = 0; i < days.length; i += 1000) await db.insert(calendarDays).values(days.slice(i, i + 1000));
  return { version: row.version, created: true, firstYear, lastYear };
}

/** The years of the latest version, to extend with a newly published year. */
export async function loadCalendarYears(db: DbOrTx, version?: number): Promise<CalendarYearData[]> {
  const v = version ?? (await latestCalendarVersion(db));
  if (v === undefined) return [];
  const [meta] = await db.select().from(calendarVersions).where(eq(calendarVersions.version, v));
  const rows = await db.select().from(calendarDays).where(eq(calendarDays.version, v));
  const years = new Map<number, CalendarYearData>();
  for (let y = meta.firstYear; y <= meta.lastYear; y++)
    years.set(y, { year: y, holidays: [], makeupWorkdays: [], source: meta.source });
  for (const r of rows) {
    const year = years.get(Number(r.date.slice(0, 4)));
    if (!year) continue;
    year.source = r.source;
    (r.kind === 'holiday' ? year.holidays : year.makeupWorkdays).push(r.date);
  }
  return [...years.values()].map((y) => ({
    ...y,
    holidays: y.holidays.sort(),
    makeupWorkdays: y.makeupWorkdays.sort(),
  }));
}

export async function latestCalendarVersion(db: DbOrTx): Promise<number | undefined> {
  const [row] = await db
    .select({ version: calendarVersions.version })
    .from(calendarVersions)
    .orderBy(desc(calendarVersions.version))
    .limit(1);
  return row?.version;
}

export async function loadCalendarSnapshot(db: DbOrTx, version: number): Promise<CalendarSnapshot> {
  const [meta] = await db.select().from(calendarVersions).where(eq(calendarVersions.version, version));
  if (!meta) throw new Error(`calendar version ${version} does not exist`);
  const rows = await db.select().from(calendarDays).where(eq(calendarDays.version, version));
  return {
    version,
    firstYear: meta.firstYear,
    lastYear: meta.lastYear,
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.date)),
    makeupWorkdays: new Set(rows.filter((r) => r.kind === 'makeup_workday').map((r) => r.date)),
  };
}

/** Caches snapshots by version; asks the database for the latest version on every call. */
export function createCalendarProvider(db: DbOrTx): { current(): Promise<CalendarSnapshot> } {
  const cache = new Map<number, Promise<CalendarSnapshot>>();
  return {
    async current() {
      const version = await latestCalendarVersion(db);
      if (version === undefined) throw new Error('no working-day calendar is loaded (run the calendar import)');
      let snapshot = cache.get(version);
      if (!snapshot) {
        snapshot = loadCalendarSnapshot(db, version);
        cache.set(version, snapshot);
        snapshot.catch(() => cache.delete(version));
      }
      return snapshot;
    },
  };
}
