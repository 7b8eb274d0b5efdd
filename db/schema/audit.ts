/**
 * Trust: refused attempts (Temporal drops rejected Updates; we record them), anchors over the
 * hash-chained case event log, exported case histories that outlive Temporal's retention, and
 * the archive (A-1..A-3) with its look-up log.
 */
import { bigint, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './_columns';

/** Every refused attempt: who tried what on which case, and why it was refused. */
export const auditRefusals = pgTable(
  'audit_refusals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorId: text('actor_id').notNull(),
    actorRole: text('actor_role').notNull(),
    agencyCode: text('agency_code'),
    /** e.g. "POST /api/v1/cases/:caseId/decisions" or "update decide". */
    action: text('action').notNull(),
    caseId: text('case_id'),
    /** Stable refusal code (e.g. auth.forbidden_role, separation.acceptor_cannot_review). */
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_refusals_case').on(t.caseId), index('audit_refusals_actor').on(t.actorId)],
);

/** A periodic anchor over the heads of every case's event chain. */
export const auditAnchors = pgTable('audit_anchors', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Highest case_events.id covered. */
  upToEventId: bigint('up_to_event_id', { mode: 'number' }).notNull(),
  caseCount: integer('case_count').notNull(),
  /** SHA-256 over the sorted (case ID, head hash) pairs and the previous anchor's hash. */
  hash: text('hash').notNull(),
  previousHash: text('previous_hash'),
  createdAt: createdAt(),
});

/** A closed case's Temporal history, condensed, exported before the engine's retention deletes it. */
export const caseHistories = pgTable('case_histories', {
  caseId: text('case_id').primaryKey(),
  workflowId: text('workflow_id').notNull(),
  runId: text('run_id').notNull(),
  /** The condensed timeline entries taken from the history. */
  entries: jsonb('entries').notNull().$type<Array<Record<string, unknown>>>(),
  /** SHA-256 of the full history (protobuf encoding) as exported. */
  historyHash: text('history_hash').notNull(),
  eventCount: integer('event_count').notNull(),
  exportedAt: instant('exported_at').notNull(),
});

/** a closed case filed with its materials, review records, notices and outcome. */
export const archiveRecords = pgTable(
  'archive_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id').notNull().unique(),
    agencyCode: text('agency_code').notNull(),
    procedure: text('procedure').notNull(),
    /** Retention class per GB/T 31599 (e.g. permanent, 30y, 10y). */
    retentionClass: text('retention_class').notNull(),
    /** The filed content (may hold personal data; served only to authorised roles). */
    content: jsonb('content').notNull().$type<Record<string, unknown>>(),
    /** SHA-256 of the canonical content. */
    contentHash: text('content_hash').notNull(),
    filedAt: instant('filed_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('archive_records_agency').on(t.agencyCode, t.procedure)],
);

/** every look-up of an archive record. */
export const archiveLookups = pgTable(
  'archive_lookups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    archiveId: uuid('archive_id').notNull(),
    caseId: text('case_id').notNull(),
    actorId: text('actor_id').notNull(),
    actorRole: text('actor_role').notNull(),
    purpose: text('purpose'),
    occurredAt: instant('occurred_at').notNull(),
  },
  (t) => [index('archive_lookups_case').on(t.caseId)],
);
