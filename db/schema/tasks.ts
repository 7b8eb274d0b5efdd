/**
 * The staff task inbox: every case step waiting on a person (acceptance, review, collective
 * review, pre-review follow-up…). Workflows open and close tasks through their step records, so
 * the inbox and the workflows never disagree.
 */
import { index, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, updatedAt } from './_columns';
import { cases } from './cases';

export const taskStatusEnum = pgEnum('task_status', ['open', 'claimed', 'done', 'cancelled']);

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Deterministic key from the workflow (`<caseId>:<step>:<n>`): opening twice opens once. */
    taskKey: text('task_key').notNull().unique(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    agencyCode: text('agency_code').notNull(),
    /** The step the case waits for, e.g. acceptance, review, collective_review. */
    step: text('step').notNull(),
    /** The role that may do it: acceptor, reviewer, collective_reviewer, supervisor. */
    role: text('role').notNull(),
    clause: text('clause'),
    /** What to do, for staff (Chinese). */
    title: text('title').notNull(),
    status: taskStatusEnum('status').notNull().default('open'),
    assignee: text('assignee'),
    dueAt: instant('due_at'),
    detail: jsonb('detail').notNull().$type<Record<string, unknown>>().default({}),
    completedAt: instant('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('tasks_inbox').on(t.agencyCode, t.role, t.status), index('tasks_case').on(t.caseId)],
);

export type Task = typeof tasks.$inferSelect;
