/**
 * Pension insurance relations (养老保险关系): one row per relation a person holds at an
 * agency. A person holds at most one live relation (contributing, interrupted or receiving)
 * per province; stopped and transferred-out rows are kept as history.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './_columns';
import { persons } from './persons';

export const relationStatusEnum = pgEnum('relation_status', [
  'contributing',
  'interrupted',
  'stopped',
  'transferred_out',
  'receiving',
]);

/**
 * The E-2 category of a flexibly employed person, or `employee` for a relation held through an
 * employer (企业职工): such a relation becomes interrupted when the tax department reports that
 * contributions stopped, and E-7 b lets the person enrol as flexibly employed from there.
 */
export const flexibleCategoryEnum = pgEnum('flexible_category', [
  'individual_business',
  'part_time',
  'other_flexible',
  'employee',
]);

export const stopReasonEnum = pgEnum('stop_reason', [
  'death',
  'transferred_out',
  'voluntary',
  'settled_abroad',
  'other',
]);

export const relations = pgTable(
  'pension_relations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    agencyCode: text('agency_code').notNull(),
    /** First two digits of the agency code; "in this province" compares these. */
    provinceCode: text('province_code').notNull(),
    status: relationStatusEnum('status').notNull(),
    /** The E-2 category for a flexibly employed person, `employee` for one held through an employer; null for relations taken over by transfer. */
    category: flexibleCategoryEnum('category'),
    /** Date the current status began. */
    since: date('since', { mode: 'string' }).notNull(),
    /** True when this is a temporary contribution account (临时缴费账户, 国办发〔2009〕66号 Art. 5). */
    temporaryAccount: boolean('temporary_account').notNull().default(false),
    stopReason: stopReasonEnum('stop_reason'),
    stopDetail: text('stop_detail'),
    /** The case that last changed this relation. */
    lastCaseId: text('last_case_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('pension_relations_one_live_per_province')
      .on(t.personId, t.provinceCode)
      .where(sql`${t.status} in ('contributing', 'interrupted', 'receiving')`),
    index('pension_relations_agency_status').on(t.agencyCode, t.status),
  ],
);

export type Relation = typeof relations.$inferSelect;
export type RelationStatus = (typeof relationStatusEnum.enumValues)[number];
export type FlexibleCategory = (typeof flexibleCategoryEnum.enumValues)[number];
export type StopReason = (typeof stopReasonEnum.enumValues)[number];
