/**
 * Cross-province transfers (section 9): one row per side of a transfer, every message exchanged
 * through the national transfer platform (inbound and outbound, de-duplicated by message ID),
 * and the fund transfers made exactly once under an idempotency key.
 */
import { index, integer, jsonb, numeric, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { InformationSheet } from '../../domain/information-sheet';
import { createdAt, instant, updatedAt } from './_columns';
import { cases } from './cases';
import { persons } from './persons';

export const transferSideEnum = pgEnum('transfer_side', ['in', 'out']);
export const messageDirectionEnum = pgEnum('message_direction', ['in', 'out']);
export const messageStatusEnum = pgEnum('message_status', ['received', 'delivered', 'refused', 'sent', 'failed']);

export const transfers = pgTable(
  'transfers',
  {
    /** The transfer's correlation ID on the platform: the receiving (transfer-in) case ID. */
    transferId: text('transfer_id').notNull(),
    side: transferSideEnum('side').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    /** This side's agency and the other side's. */
    agencyCode: text('agency_code').notNull(),
    counterpartAgency: text('counterpart_agency').notNull(),
    /** The information sheet as last sent (out) or received (in), and its revision. */
    sheet: jsonb('sheet').$type<InformationSheet>(),
    sheetVersion: integer('sheet_version'),
    /**
     * Out: how the sheet was made — every parameter row it used (version, verified, stand-ins),
     * the parameter-set version, and the provincial record it covers (agencies, transferred-in
     * periods and money). Kept beside the sheet, which goes to the other province as it is.
     */
    sheetBasis: jsonb('sheet_basis').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('transfers_id_side').on(t.transferId, t.side), uniqueIndex('transfers_case').on(t.caseId)],
);

export const platformMessages = pgTable(
  'platform_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Sender-assigned, unique on the platform; duplicates are recognised by it. */
    messageId: text('message_id').notNull(),
    direction: messageDirectionEnum('direction').notNull(),
    type: text('type').notNull(),
    transferId: text('transfer_id'),
    caseId: text('case_id').references(() => cases.id),
    fromAgency: text('from_agency'),
    toAgency: text('to_agency'),
    /** The whole message as sent or received (it may hold personal data: never logged). */
    body: jsonb('body').notNull().$type<Record<string, unknown>>(),
    /** A one-line summary without personal data, for the case history. */
    summary: text('summary').notNull(),
    status: messageStatusEnum('status').notNull(),
    error: text('error'),
    deliveries: integer('deliveries').notNull().default(1),
    occurredAt: instant('occurred_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('platform_messages_id_direction').on(t.messageId, t.direction),
    index('platform_messages_transfer').on(t.transferId),
  ],
);

/** Fund transfers of the transfer-out side: one row per transfer, made once under its key. */
export const fundTransfers = pgTable('fund_transfers', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  transferId: text('transfer_id').notNull(),
  caseId: text('case_id')
    .notNull()
    .references(() => cases.id),
  individualAccount: numeric('individual_account', { precision: 14, scale: 2 }).notNull(),
  pooledFund: numeric('pooled_fund', { precision: 14, scale: 2 }).notNull(),
  total: numeric('total', { precision: 14, scale: 2 }).notNull(),
  /** pending: recorded, not yet confirmed by the platform; sent: the platform accepted it. */
  status: text('status').notNull(),
  platformReference: text('platform_reference'),
  working: jsonb('working').notNull().$type<Record<string, unknown>>(),
  attempts: integer('attempts').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Transfer = typeof transfers.$inferSelect;
export type PlatformMessageRow = typeof platformMessages.$inferSelect;
