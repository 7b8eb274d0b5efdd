/**
 * After-the-fact supervision and service evaluation (R-5, V-1, V-2; DB62/T 5079.1—2025 10.2.4
 * and 12): applicants' ratings of closed cases (好差评), the quarterly self-inspection with its
 * sample and report (自查), audits (稽核: routine, special, tip-off) with the cases they cover,
 * the findings of both, each linked to a case, and the public's suggestions with their replies.
 * Follow-up work (a poor rating, a finding to rectify, a case to inspect) is a row of the task
 * inbox (`tasks`, step `self_inspection`, `inspection_followup`, `audit_followup`,
 * `satisfaction_followup`) on the case concerned; these rows name it by its task key.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { StoredSamplingPlan } from '../../domain/inspection-sample';
import { createdAt, instant } from './_columns';
import type { ClockSnapshot } from '../../domain/case-records';
import { cases } from './cases';

/** One rating per closed case (1–5 and a comment), given once by the applicant. */
export const serviceRatings = pgTable(
  'service_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id')
      .notNull()
      .unique()
      .references(() => cases.id),
    agencyCode: text('agency_code').notNull(),
    score: integer('score').notNull(),
    comment: text('comment'),
    /** 'online' (the applicant's own token) or 'counter' (the rating pad at the counter, entered by the acceptor). */
    channel: text('channel').notNull(),
    ratedBy: text('rated_by').notNull(),
    ratedAt: instant('rated_at').notNull(),
    /** Hash of the rating's content: the same rating again is a duplicate, another one a conflict. */
    requestHash: text('request_hash').notNull(),
    /** The follow-up task a poor rating opened (null for 3–5). */
    followUpTaskKey: text('follow_up_task_key'),
    followUpDueAt: instant('follow_up_due_at'),
    followedUpAt: instant('followed_up_at'),
    followedUpBy: text('followed_up_by'),
    followUpNote: text('follow_up_note'),
    createdAt: createdAt(),
  },
  (t) => [
    check('service_ratings_score', sql`${t.score} between 1 and 5`),
    index('service_ratings_agency').on(t.agencyCode, t.ratedAt),
  ],
);

/** A quarter's self-inspection of one agency (ID = its workflow ID, `self-inspection-<agency>-<YYYY>Q<n>`). */
export const inspections = pgTable(
  'inspections',
  {
    id: text('id').primaryKey(),
    agencyCode: text('agency_code').notNull(),
    /** The quarter inspected, e.g. "2026Q1". */
    quarter: text('quarter').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    /** The sampling plan (rates per grade, minimum per stratum) and the seed that drew the sample. */
    plan: jsonb('plan').notNull().$type<StoredSamplingPlan>(),
    seed: text('seed').notNull(),
    /** inspecting → reported. */
    status: text('status').notNull().default('inspecting'),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    dueAt: instant('due_at').notNull(),
    startedAt: instant('started_at').notNull(),
    reportedAt: instant('reported_at'),
    /** The written report as issued (figures, findings, follow-ups at the time). */
    report: jsonb('report').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('inspections_agency_quarter').on(t.agencyCode, t.quarter)],
);

/** A sampled case of an inspection, with its stratum and who inspected it. */
export const inspectionItems = pgTable(
  'inspection_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    inspectionId: text('inspection_id')
      .notNull()
      .references(() => inspections.id),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    procedure: text('procedure').notNull(),
    /** high / medium / low, or unknown when the case records no grade. */
    riskGrade: text('risk_grade').notNull(),
    taskKey: text('task_key').notNull().unique(),
    /** pending → compliant | finding; not_inspected when the report was issued first. */
    status: text('status').notNull().default('pending'),
    inspectedBy: text('inspected_by'),
    inspectedAt: instant('inspected_at'),
    note: text('note'),
  },
  (t) => [uniqueIndex('inspection_items_case').on(t.inspectionId, t.caseId)],
);

/** Audits (稽核): routine, special (a query over cases) and tip-off driven (its own clock). */
export const audits = pgTable(
  'audits',
  {
    /** `audit-<agency>-<year>-<number>`; a tip-off audit's workflow has the same ID. */
    id: text('id').primaryKey(),
    agencyCode: text('agency_code').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** routine / special: the query that selected the cases; tip_off: how the tip-off came in. */
    scope: jsonb('scope').notNull().$type<Record<string, unknown>>(),
    /** The tip-off's content as received (may name people: never sent to Temporal or logged). */
    tipOff: text('tip_off'),
    /** open → concluded. */
    status: text('status').notNull().default('open'),
    openedBy: text('opened_by').notNull(),
    openedAt: instant('opened_at').notNull(),
    /** Tip-offs: the clock (working days from receipt), as the workflow last recorded it. */
    receivedAt: instant('received_at'),
    dueDate: date('due_date', { mode: 'string' }),
    dueAt: instant('due_at'),
    clock: jsonb('clock').$type<ClockSnapshot>(),
    overdue: boolean('overdue').notNull().default(false),
    workflowId: text('workflow_id'),
    conclusion: text('conclusion'),
    concludedBy: text('concluded_by'),
    concludedAt: instant('concluded_at'),
    requestKey: text('request_key'),
    requestHash: text('request_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audits_agency_status').on(t.agencyCode, t.status),
    uniqueIndex('audits_request')
      .on(t.openedBy, t.requestKey)
      .where(sql`${t.requestKey} is not null`),
  ],
);

/** Per-agency, per-year audit number counter. */
export const auditCounters = pgTable(
  'audit_counters',
  {
    agencyCode: text('agency_code').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyCode, t.year] })],
);

/** The cases an audit covers: selected by its query, named by a tip-off, or reached by a finding. */
export const auditCases = pgTable(
  'audit_cases',
  {
    auditId: text('audit_id')
      .notNull()
      .references(() => audits.id),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    source: text('source').notNull(),
    addedAt: instant('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.auditId, t.caseId] }), index('audit_cases_case').on(t.caseId)],
);

/** A finding of a self-inspection or an audit, always about one case; rectification is a follow-up task. */
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 'inspection' or 'audit'. */
    source: text('source').notNull(),
    inspectionId: text('inspection_id').references(() => inspections.id),
    auditId: text('audit_id').references(() => audits.id),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    category: text('category').notNull(),
    text: text('text').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: instant('recorded_at').notNull(),
    /** The follow-up task (rectification); null when nothing is to be rectified. */
    followUpTaskKey: text('follow_up_task_key'),
    /** open (to rectify) → resolved; noted when nothing is to be rectified. */
    status: text('status').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: instant('resolved_at'),
    resolution: text('resolution'),
    /** Idempotency of a finding recorded through the API. */
    requestKey: text('request_key'),
  },
  (t) => [
    index('findings_case').on(t.caseId),
    index('findings_inspection').on(t.inspectionId),
    index('findings_audit').on(t.auditId),
    uniqueIndex('findings_request')
      .on(t.recordedBy, t.requestKey)
      .where(sql`${t.requestKey} is not null`),
  ],
);

/** The public's suggestions and complaints (V-2), each with a reply due in working days. */
export const feedback = pgTable(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agencyCode: text('agency_code'),
    procedure: text('procedure'),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** How to reach the sender for the reply (a phone number or address); personal data, never logged. */
    contact: text('contact'),
    receivedAt: instant('received_at').notNull(),
    replyDueDate: date('reply_due_date', { mode: 'string' }).notNull(),
    replyDueAt: instant('reply_due_at').notNull(),
    /** open → replied. */
    status: text('status').notNull().default('open'),
    reply: text('reply'),
    repliedBy: text('replied_by'),
    repliedAt: instant('replied_at'),
    requestKey: text('request_key'),
    requestHash: text('request_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    index('feedback_open')
      .on(t.replyDueAt)
      .where(sql`${t.status} = 'open'`),
    uniqueIndex('feedback_request')
      .on(t.requestKey)
      .where(sql`${t.requestKey} is not null`),
  ],
);

export type ServiceRating = typeof serviceRatings.$inferSelect;
export type Inspection = typeof inspections.$inferSelect;
export type InspectionItem = typeof inspectionItems.$inferSelect;
export type Audit = typeof audits.$inferSelect;
export type Finding = typeof findings.$inferSelect;
export type Feedback = typeof feedback.$inferSelect;
