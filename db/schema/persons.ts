/**
 * Insured persons. The ID number is the social-security number (社会保险法 Art. 58); it is
 * stored once here and looked up by equality, but never leaves the database in a log line,
 * a workflow ID or a search attribute: Temporal only ever sees `person_key`, an HMAC of it.
 */
import { sql } from 'drizzle-orm';
import { date, index, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './_columns';

export const sexEnum = pgEnum('sex', ['male', 'female']);

export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Pseudonymous key (HMAC-SHA256 of the ID number under a secret), safe for Temporal. */
    personKey: text('person_key').notNull().unique(),
    /** Normalised 18-character resident ID number. */
    idNumber: text('id_number').notNull().unique(),
    name: text('name').notNull(),
    /** Derived from the ID number (17th digit). */
    sex: sexEnum('sex').notNull(),
    /** Derived from the ID number (digits 7–14). */
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    phone: text('phone'),
    /** County code of the household registration (户籍地), when known. */
    householdCode: text('household_code'),
    /** Birth date as the personnel file records it, when it was corrected or differs (B-7 pre-review). */
    fileBirthDate: date('file_birth_date', { mode: 'string' }),
    /** Original retirement age for a woman (50 worker / 55 cadre), when the file decides it; else the province parameter. */
    originalRetirementAge: integer('original_retirement_age'),
    /** Date work started (参加工作时间), from the personnel file, when known. */
    workStartDate: date('work_start_date', { mode: 'string' }),
    /**
     * B-7: the pre-review date the person's plan gives while a pre-review is ahead (null when
     * none is), written when an enrollment closes and whenever the retirement watch plans. The
     * watch is started from it shortly before that date (api/services/watches.ts).
     */
    preReviewOn: date('pre_review_on', { mode: 'string' }),
    /** The pre-review date a retirement watch was last started (or planned) for. */
    retirementWatchArmedFor: date('retirement_watch_armed_for', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The watches to start: a pre-review date no watch has been started for yet.
    index('persons_retirement_watch_due')
      .on(t.preReviewOn)
      .where(sql`${t.preReviewOn} is not null and ${t.retirementWatchArmedFor} is distinct from ${t.preReviewOn}`),
  ],
);

export type Person = typeof persons.$inferSelect;
export type NewPerson = typeof persons.$inferInsert;
