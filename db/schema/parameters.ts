/**
 * Dated rule parameters (计发基数, average wages, divisor table, rates…), each with its source
 * document. The rules read them as data; a new year's value is a new row, never a code change.
 *
 * Parameters are published, not edited: a supervisor proposes a row, a second supervisor
 * approves it, and the approval publishes it (a publication). Correcting a published value
 * publishes a new version of the same key (name, region, validFrom); the old version stays,
 * marked superseded, so every award and sheet that used it can still say exactly what it used.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, exactJsonb, instant } from './_columns';

/** One publication: the seed rows of a release, or one approved proposal. */
export const parameterPublications = pgTable('parameter_publications', {
  /** The parameter-set version: every computation records the highest publication it saw. */
  id: serial('id').primaryKey(),
  /** 'seed' (reference data shipped with a release) or 'proposal' (approved by two supervisors). */
  kind: text('kind').notNull(),
  publishedBy: text('published_by').notNull(),
  publishedAt: instant('published_at').notNull().defaultNow(),
  note: text('note'),
  /**
   * When the cases waiting on parameters were woken and the provisional awards recalculated
   * (the `parametersPublished` workflow finished); null until then, so the reconciler can
   * start it again after a crash.
   */
  fannedOutAt: instant('fanned_out_at'),
});

export const ruleParameters = pgTable(
  'rule_parameters',
  {
    name: text('name').notNull(),
    /** 'CN' for national values, a province or city code prefix for local ones. */
    region: text('region').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    /** 1 when the key is first published, +1 for each published correction. */
    version: integer('version').notNull().default(1),
    value: exactJsonb('value').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    /** Read in the official text or an official figure quoted by a government source (grades A/B). */
    verified: boolean('verified').notNull().default(false),
    publicationId: integer('publication_id').references(() => parameterPublications.id),
    /** Set when a later version of the same key was published; superseded rows are never used. */
    supersededAt: instant('superseded_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.region, t.validFrom, t.version] }),
    index('rule_parameters_current')
      .on(t.name, t.region, t.validFrom)
      .where(sql`${t.supersededAt} is null`),
  ],
);

/** A proposed row: published only when a second supervisor approves it (four eyes). */
export const parameterProposals = pgTable(
  'parameter_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    region: text('region').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    value: exactJsonb('value').notNull(),
    source: text('source').notNull(),
    note: text('note'),
    verified: boolean('verified').notNull(),
    /** proposed → approved (published) | rejected. */
    status: text('status').notNull().default('proposed'),
    proposedBy: text('proposed_by').notNull(),
    proposedAt: instant('proposed_at').notNull().defaultNow(),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
    decisionReason: text('decision_reason'),
    publicationId: integer('publication_id').references(() => parameterPublications.id),
    /** The version the approval published. */
    publishedVersion: integer('published_version'),
    /** The proposer's Idempotency-Key and the hash of the body it came with (same key, other body: refused). */
    requestKey: text('request_key'),
    requestHash: text('request_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    index('parameter_proposals_open')
      .on(t.status)
      .where(sql`${t.status} = 'proposed'`),
    uniqueIndex('parameter_proposals_request')
      .on(t.proposedBy, t.requestKey)
      .where(sql`${t.requestKey} is not null`),
  ],
);

export type ParameterProposal = typeof parameterProposals.$inferSelect;
export type ParameterPublication = typeof parameterPublications.$inferSelect;
