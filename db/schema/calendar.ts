/**
 * The working-day calendar as versioned data: every import (the chinese-days package, or a new
 * year's State Council notice entered by staff) creates a new version holding all years; cases
 * record which version their deadlines used.
 */
import { date, integer, pgEnum, pgTable, primaryKey, serial, text } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';

export const calendarDayKindEnum = pgEnum('calendar_day_kind', ['holiday', 'makeup_workday']);

export const calendarVersions = pgTable('calendar_versions', {
  version: serial('version').primaryKey(),
  firstYear: integer('first_year').notNull(),
  lastYear: integer('last_year').notNull(),
  /** Where the data came from, e.g. "chinese-days@1.5.7" or the notice's URL. */
  source: text('source').notNull(),
  /** SHA-256 of the day list, so re-importing identical data creates no new version. */
  checksum: text('checksum').notNull().unique(),
  note: text('note'),
  createdAt: createdAt(),
});

export const calendarDays = pgTable(
  'calendar_days',
  {
    version: integer('version')
      .notNull()
      .references(() => calendarVersions.version),
    date: date('date', { mode: 'string' }).notNull(),
    kind: calendarDayKindEnum('kind').notNull(),
    /** The notice the day comes from. */
    source: text('source').notNull(),
  },
  (t) => [primaryKey({ columns: [t.version, t.date] })],
);
