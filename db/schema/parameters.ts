/**
 * Dated rule parameters (计发基数, divisor table, rates…), each with its source document. The
 * rules read them as data; a new year's value is a new row, never a code change.
 */
import { date, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './_columns';

export const ruleParameters = pgTable(
  'rule_parameters',
  {
    name: text('name').notNull(),
    /** 'CN' for national values, a province or city code prefix for local ones. */
    region: text('region').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    value: jsonb('value').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.name, t.region, t.validFrom] })],
);
