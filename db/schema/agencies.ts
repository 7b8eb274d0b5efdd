/**
 * The directory of social-insurance agencies (社会保险经办机构) this system knows: its own and
 * its counterparts in other provinces. Contact letters carry the receiving agency's bank and
 * postal details from here; the transfer platform routes messages by these codes.
 */
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './_columns';

export const agencies = pgTable('agencies', {
  /** 6-digit administrative division code (社保机构行政区划代码). */
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  provinceCode: text('province_code').notNull(),
  phone: text('phone').notNull(),
  bankName: text('bank_name').notNull(),
  /** 12-digit CNAPS bank code (开户银行行号). */
  bankCode: text('bank_code').notNull(),
  accountName: text('account_name').notNull(),
  accountNumber: text('account_number').notNull(),
  address: text('address').notNull(),
  postcode: text('postcode').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type Agency = typeof agencies.$inferSelect;
