/**
 * Cases: one application handled by one procedure, and everything recorded about it —
 * materials, one-time notices, staff decisions and the append-only event log. A case's ID is
 * its Temporal workflow ID (`<procedure>-<agency>-<year>-<number>`), a business key that
 * carries no personal data. The workflow is the process; these rows are its record and the
 * consistent projection that lists and inboxes read.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ClockSnapshot, NoticeItem } from '../../domain/case-records';
import { createdAt, instant, updatedAt } from './_columns';
import { persons } from './persons';

export const procedureEnum = pgEnum('procedure', [
  'enrollment',
  'stop',
  'transfer_in',
  'transfer_out',
  'benefit_claim',
  'pre_review',
  'recovery',
]);
export const channelEnum = pgEnum('channel', ['online', 'offline', 'platform']);
export const caseStatusEnum = pgEnum('case_status', ['open', 'closed']);
/** failed: the case's workflow failed, was terminated or timed out; a supervisor takes it over (api/services/orphans.ts). */
export const outcomeEnum = pgEnum('case_outcome', ['approved', 'refused', 'withdrawn', 'failed']);
export const clockStateEnum = pgEnum('clock_state', ['running', 'paused', 'stopped']);

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    procedure: procedureEnum('procedure').notNull(),
    agencyCode: text('agency_code').notNull(),
    channel: channelEnum('channel').notNull(),
    status: caseStatusEnum('status').notNull().default('open'),
    stage: text('stage').notNull(),
    /** Who the case waits on: applicant, staff, reviewer, counterpart, system; null when closed. */
    waitingOn: text('waiting_on'),
    outcome: outcomeEnum('outcome'),
    outcomeReason: text('outcome_reason'),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    /** The procedure's application details (never the ID number or the name). */
    application: jsonb('application').notNull().$type<Record<string, unknown>>(),
    /** What must follow this case, e.g. "transfer_in_required" (5.2.2.1 c). */
    followUp: text('follow_up'),
    workflowId: text('workflow_id').notNull().unique(),
    workflowRunId: text('workflow_run_id'),
    receivedAt: instant('received_at').notNull(),
    dueAt: instant('due_at'),
    dueDate: date('due_date', { mode: 'string' }),
    clockState: clockStateEnum('clock_state').notNull().default('running'),
    clock: jsonb('clock').$type<ClockSnapshot>(),
    calendarVersion: integer('calendar_version'),
    /** Secondary clocks: the step limits (e.g. review within 3 working days, 9.2.1 a) and the
     * counterpart's expected reply in a transfer, keyed by name. */
    clocks: jsonb('clocks').$type<Record<string, ClockSnapshot>>(),
    /** When the other province's reply is due (transfers), for lists of cases waiting on it. */
    counterpartDueAt: instant('counterpart_due_at'),
    /** Since when the case waits on `waiting_on`. */
    waitingSince: instant('waiting_since'),
    /** Sequence number of the last workflow step applied to this row (guards against reordering). */
    projectionSeq: integer('projection_seq').notNull().default(0),
    closedAt: instant('closed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('cases_one_open_per_person_procedure')
      .on(t.personId, t.procedure)
      .where(sql`${t.status} = 'open'`),
    // The case list (GET /api/v1/cases), newest first, of an agency or of all: a page after a
    // cursor is a range of one of these.
    index('cases_list_agency').on(t.agencyCode, t.status, t.receivedAt, t.id),
    index('cases_list_status').on(t.status, t.receivedAt, t.id),
    index('cases_procedure_status').on(t.procedure, t.status),
    index('cases_open_due')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
    index('cases_person').on(t.personId),
  ],
);

/** Per-agency, per-year case number counter. */
export const caseCounters = pgTable(
  'case_counters',
  {
    agencyCode: text('agency_code').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.year] })],
);

export const caseMaterials = pgTable(
  'case_materials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind').notNull(),
    ref: text('ref'),
    /**
     * The electronic copy (电子要件, R-4): SHA-256 of the scan, its size and media type; the scan
     * itself is stored elsewhere and named by `ref`. High-risk business needs them before review.
     */
    contentHash: text('content_hash'),
    sizeBytes: integer('size_bytes'),
    mediaType: text('media_type'),
    /** 0 for the application, then 1, 2… for each supplement. */
    round: integer('round').notNull(),
    submittedAt: instant('submitted_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('case_materials_kind_round').on(t.caseId, t.kind, t.round)],
);

export const noticeKindEnum = pgEnum('notice_kind', [
  'missing_materials',
  'refusal_reasons',
  'return_for_completion',
  'acceptance_refused',
  'outcome',
  'recalculation',
]);

/** One-time notices (一次性告知) and outcome notices, each listing every item at once. */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    kind: noticeKindEnum('kind').notNull(),
    round: integer('round').notNull(),
    items: jsonb('items').notNull().$type<NoticeItem[]>(),
    /** The full text as sent to the applicant (Chinese). */
    text: text('text').notNull(),
    channel: channelEnum('channel').notNull(),
    /** Working-day deadline for the applicant's answer, when the notice asks for one. */
    replyDueDate: date('reply_due_date', { mode: 'string' }),
    issuedAt: instant('issued_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notices_case_kind_round').on(t.caseId, t.kind, t.round)],
);

/** Staff decisions (who, role, what, when, why); insert-only. */
export const decisions = pgTable(
  'decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** Idempotency: the Temporal update ID that carried the decision. */
    requestId: text('request_id').notNull().unique(),
    step: text('step').notNull(),
    result: text('result').notNull(),
    actorId: text('actor_id').notNull(),
    actorRole: text('actor_role').notNull(),
    reason: text('reason'),
    items: jsonb('items').$type<NoticeItem[]>(),
    decidedAt: instant('decided_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('decisions_case').on(t.caseId)],
);

/**
 * The append-only event log: every state change of a case, with the clause of the standard
 * it follows. A trigger (see the migration) refuses UPDATE and DELETE.
 */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** Deterministic key from the workflow (`<caseId>#<n>`), so an activity retry adds nothing. */
    eventKey: text('event_key').notNull().unique(),
    type: text('type').notNull(),
    /** Clause of DB62/T 5079.1—2025 the step follows, e.g. "5.2.2.2 a". */
    clause: text('clause'),
    stage: text('stage'),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    detail: jsonb('detail').notNull().$type<Record<string, unknown>>(),
    /** Business time of the event (workflow time). */
    occurredAt: instant('occurred_at').notNull(),
    recordedAt: instant('recorded_at').notNull().defaultNow(),
    /** Position in the case's chain (1, 2, …) and the hash chain: hash = SHA-256(prev_hash ‖ canonical event). */
    chainSeq: integer('chain_seq'),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [index('case_events_case').on(t.caseId, t.id), uniqueIndex('case_events_chain').on(t.caseId, t.chainSeq)],
);

/**
 * The risk points a case touched with the grade the register gave them then; the
 * highest grade decides the controls (collective review of high-risk business).
 */
export const caseRiskPoints = pgTable(
  'case_risk_points',
  {
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    key: text('key').notNull(),
    grade: text('grade').notNull(),
    description: text('description').notNull(),
    /** Version of the published risk register the grade comes from. */
    registerVersion: integer('register_version').notNull(),
    /** Why the case touched it (e.g. the data-comparison finding), no personal data. */
    detail: jsonb('detail').notNull().$type<Record<string, unknown>>().default({}),
    touchedAt: instant('touched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.key] })],
);

/** Idempotency-Key records for POST requests: the same key returns the same case. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    responseStatus: integer('response_status').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

export type Case = typeof cases.$inferSelect;
export type Procedure = (typeof procedureEnum.enumValues)[number];
export type Channel = (typeof channelEnum.enumValues)[number];
export type Outcome = (typeof outcomeEnum.enumValues)[number];
export type Notice = typeof notices.$inferSelect;
export type NoticeKind = (typeof noticeKindEnum.enumValues)[number];
export type CaseEvent = typeof caseEvents.$inferSelect;
