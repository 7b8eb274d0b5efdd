/**
 * Benefits (section 8): contribution batches received from the tax department, deemed years
 * recognised from the personnel file, awards with every input and component of the pension,
 * monthly payments (one per award and month, never twice), payroll runs, eligibility
 * certifications and overpayments to recover.
 */
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ParameterUsed } from '../../domain/parameter-resolver';
import { sql } from 'drizzle-orm';
import { createdAt, instant, updatedAt } from './_columns';
import { cases } from './cases';
import { persons } from './persons';

/** One delivery of contribution records: a tax-feed pull, a batch the tax department pushed, or an imported file. */
export const contributionBatches = pgTable(
  'contribution_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** tax_feed (pulled), tax_push (pushed through the API) or file. */
    source: text('source').notNull(),
    /** The file name, or the feed cursor the batch covered. */
    reference: text('reference').notNull(),
    accepted: integer('accepted').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    refused: integer('refused').notNull().default(0),
    /** Every refused row with its line and reason (no personal data beyond the line number). */
    refusals: jsonb('refusals').notNull().$type<Array<{ line: number; reason: string }>>().default([]),
    receivedAt: instant('received_at').notNull(),
    finishedAt: instant('finished_at'),
    /** Relations interrupted (中断缴费) by the batch's notices that contributions stopped. */
    interrupted: integer('interrupted').notNull().default(0),
    /** A pushed batch: the sender's Idempotency-Key, the hash of its body and who sent it. */
    requestKey: text('request_key'),
    requestHash: text('request_hash'),
    submittedBy: text('submitted_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contribution_batches_request')
      .on(t.source, t.requestKey)
      .where(sql`${t.requestKey} is not null`),
  ],
);

/** Personnel files (人事档案) retrieved by the agency through the archive service for a claim. */
export const personnelFiles = pgTable(
  'personnel_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    /** The archive service's request reference (idempotency). */
    requestRef: text('request_ref').notNull().unique(),
    caseId: text('case_id').references(() => cases.id),
    requestedAt: instant('requested_at').notNull(),
    receivedAt: instant('received_at'),
    /** Birth date as the file records it (it may disagree with the ID number). */
    fileBirthDate: date('file_birth_date', { mode: 'string' }),
    workStartDate: date('work_start_date', { mode: 'string' }),
    /** Deemed contribution months (视同缴费年限) the file supports, before recognition. */
    deemedMonths: integer('deemed_months'),
    content: jsonb('content').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('personnel_files_person').on(t.personId)],
);

/** Deemed months recognised by the file review (never recomputed from dates). */
export const deemedPeriods = pgTable(
  'deemed_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    months: integer('months').notNull(),
    caseId: text('case_id').references(() => cases.id),
    recognisedOn: date('recognised_on', { mode: 'string' }).notNull(),
    recognisedBy: text('recognised_by').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('deemed_periods_case').on(t.caseId)],
);

export const awardStatusEnum = pgEnum('award_status', ['active', 'suspended', 'stopped']);

/** A certified pension entitlement (B-8) with every input and each component, for audit. */
export const awards = pgTable(
  'awards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id)
      .unique(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    agencyCode: text('agency_code').notNull(),
    certifiedOn: date('certified_on', { mode: 'string' }).notNull(),
    /** B-9: the month after certification, YYYY-MM. */
    firstPaymentMonth: text('first_payment_month').notNull(),
    monthlyAmount: numeric('monthly_amount', { precision: 12, scale: 2 }).notNull(),
    basic: numeric('basic', { precision: 12, scale: 2 }).notNull(),
    account: numeric('account', { precision: 12, scale: 2 }).notNull(),
    transitional: numeric('transitional', { precision: 12, scale: 2 }).notNull(),
    divisor: text('divisor').notNull(),
    /** Every input of the computation (base wage, index, months, balance, age, parameters). */
    inputs: jsonb('inputs').notNull().$type<Record<string, unknown>>(),
    /** Formula and steps with the actual numbers. */
    working: jsonb('working').notNull().$type<Record<string, unknown>>(),
    ruleVersion: text('rule_version').notNull(),
    /**
     * True while the amount rests on a stand-in for a value not yet published (the interest rate
     * of a year, the 计发基数 of the retirement year): recalculated when it is published.
     */
    provisional: boolean('provisional').notNull().default(false),
    /** Every parameter row the amount used, with its version and verified flag (and the stand-ins). */
    parameters: jsonb('parameters').notNull().$type<ParameterUsed[]>().default([]),
    /** The parameter-set version (highest publication) the amount was computed with. */
    parameterSetVersion: integer('parameter_set_version'),
    status: awardStatusEnum('status').notNull().default('active'),
    /** First unpaid month while suspended (not certified in time). */
    suspendedFrom: text('suspended_from'),
    /** Last month paid when stopped (the month of death). */
    stoppedAfter: text('stopped_after'),
    lastCertifiedOn: date('last_certified_on', { mode: 'string' }),
    nextCertificationDue: date('next_certification_due', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('awards_status').on(t.status), index('awards_person').on(t.personId)],
);

/** Monthly payments: one row per award and month (regular or in arrears), so no month is paid twice. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id')
      .notNull()
      .references(() => awards.id),
    /** The month paid for, YYYY-MM. */
    month: text('month').notNull(),
    amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
    /** regular, or arrears (a suspended month paid on resumption). */
    kind: text('kind').notNull(),
    /** The payroll run that paid it (YYYY-MM of the run). */
    runMonth: text('run_month').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('payments_award_month').on(t.awardId, t.month), index('payments_run').on(t.runMonth)],
);

/**
 * The history of an award's amount: the certified amount (seq 1) and every recalculation
 * (待遇重算) after a parameter it stood on provisionally was published, each with the
 * parameter versions behind it. The award row always holds the latest.
 */
export const awardAmounts = pgTable(
  'award_amounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id')
      .notNull()
      .references(() => awards.id),
    seq: integer('seq').notNull(),
    /** 'certified' or 'recalculated'. */
    reason: text('reason').notNull(),
    /** First month paid at this amount (YYYY-MM). */
    effectiveFrom: text('effective_from').notNull(),
    monthlyAmount: numeric('monthly_amount', { precision: 12, scale: 2 }).notNull(),
    basic: numeric('basic', { precision: 12, scale: 2 }).notNull(),
    account: numeric('account', { precision: 12, scale: 2 }).notNull(),
    transitional: numeric('transitional', { precision: 12, scale: 2 }).notNull(),
    divisor: text('divisor').notNull(),
    provisional: boolean('provisional').notNull(),
    parameters: jsonb('parameters').notNull().$type<ParameterUsed[]>(),
    parameterSetVersion: integer('parameter_set_version'),
    /** The publication that caused a recalculation. */
    publicationId: integer('publication_id'),
    working: jsonb('working').notNull().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('award_amounts_award_seq').on(t.awardId, t.seq),
    uniqueIndex('award_amounts_award_publication').on(t.awardId, t.publicationId),
  ],
);

/**
 * A difference owed after a recalculation: positive is paid to the pensioner (补发), negative is
 * recovered (追回), both by the next payroll run, which settles it exactly once.
 */
export const awardAdjustments = pgTable(
  'award_adjustments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id')
      .notNull()
      .references(() => awards.id),
    awardAmountId: uuid('award_amount_id')
      .notNull()
      .references(() => awardAmounts.id)
      .unique(),
    amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
    /** Every month already paid, with what was paid, what is owed now and the difference. */
    months: jsonb('months').notNull().$type<Array<{ month: string; paid: string; owed: string; difference: string }>>(),
    /** The payroll run that settled it (YYYY-MM); null while pending. */
    settledInRun: text('settled_in_run'),
    createdAt: createdAt(),
  },
  (t) => [
    index('award_adjustments_pending')
      .on(t.awardId)
      .where(sql`${t.settledInRun} is null`),
  ],
);

export const payrollRuns = pgTable('payroll_runs', {
  month: text('month').primaryKey(),
  status: text('status').notNull(),
  paid: integer('paid').notNull().default(0),
  arrears: integer('arrears').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  /** Recalculation differences settled by the run, and their net sum (recoveries negative). */
  adjustments: integer('adjustments').notNull().default(0),
  adjustmentTotal: numeric('adjustment_total', { precision: 16, scale: 2 }).notNull().default('0'),
  total: numeric('total', { precision: 16, scale: 2 }).notNull().default('0'),
  /** Progress log: one line per batch. */
  log: jsonb('log').notNull().$type<Array<{ at: string; message: string }>>().default([]),
  startedAt: instant('started_at').notNull(),
  finishedAt: instant('finished_at'),
});

/** Eligibility certifications (领取待遇资格认证), once every 12 months. */
export const certifications = pgTable(
  'certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id')
      .notNull()
      .references(() => awards.id),
    certifiedOn: date('certified_on', { mode: 'string' }).notNull(),
    /** data_comparison, self_service, visit. */
    method: text('method').notNull(),
    requestId: text('request_id').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('certifications_award').on(t.awardId)],
);

/** Payments made after entitlement ended (e.g. after the month of death), to be recovered. */
export const overpayments = pgTable(
  'overpayments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id')
      .notNull()
      .references(() => awards.id),
    month: text('month').notNull(),
    amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('overpayments_award_month').on(t.awardId, t.month)],
);

export type Award = typeof awards.$inferSelect;
