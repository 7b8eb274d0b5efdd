/**
 * Contribution history and the individual account. Flexibly employed people pay the tax
 * department; the agency receives one record per person and month (C-1). Periods taken over
 * from another province come from the information sheet; the account ledger holds every credit,
 * interest posting and transfer.
 */
import { date, index, integer, jsonb, numeric, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';
import { persons } from './persons';

export const contributionRecords = pgTable(
  'contribution_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    agencyCode: text('agency_code').notNull(),
    /** The month paid for, YYYY-MM. */
    yearMonth: text('year_month').notNull(),
    /** The declared monthly contribution base (缴费基数). */
    base: numeric('base', { precision: 12, scale: 2 }).notNull(),
    /** The amount paid (20% of the base for flexibly employed persons). */
    amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
    /** tax_feed, batch_import, manual… */
    source: text('source').notNull(),
    sourceReference: text('source_reference'),
    paidOn: date('paid_on', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contribution_records_person_month').on(t.personId, t.yearMonth),
    index('contribution_records_agency').on(t.agencyCode),
  ],
);

/** Periods taken over from another province's information sheet (part 2 rows). */
export const transferredPeriods = pgTable(
  'transferred_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    transferId: text('transfer_id').notNull(),
    regionCode: text('region_code').notNull(),
    year: integer('year').notNull(),
    startYearMonth: text('start_year_month').notNull(),
    endYearMonth: text('end_year_month').notNull(),
    months: integer('months').notNull(),
    monthlyBase: numeric('monthly_base', { precision: 12, scale: 2 }).notNull(),
    row: jsonb('row').notNull().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('transferred_periods_row').on(t.transferId, t.year, t.startYearMonth)],
);

export const accountEntryKindEnum = pgEnum('account_entry_kind', [
  'opening',
  'credit',
  'interest',
  'transfer_in',
  'transfer_out',
  'adjustment',
]);

/** The individual account ledger; `entry_key` makes every posting idempotent. */
export const accountEntries = pgTable(
  'account_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    agencyCode: text('agency_code').notNull(),
    kind: accountEntryKindEnum('kind').notNull(),
    /** Signed amount in CNY. */
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    /** Business date of the posting. */
    postedOn: date('posted_on', { mode: 'string' }).notNull(),
    entryKey: text('entry_key').notNull().unique(),
    caseId: text('case_id'),
    /** Inputs and formula of the amount, for audit. */
    working: jsonb('working').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('account_entries_person').on(t.personId, t.postedOn)],
);
