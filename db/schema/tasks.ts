/**
 * The staff task inbox: every case step waiting on a person (acceptance, review, collective
 * review, pre-review follow-up…). Workflows open and close tasks through their step records, so
 * the inbox and the workflows never disagree.
 */
import { sql } from 'drizzle-orm';
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
    /** Who claimed the task (staff user ID from the bearer token); kept when the task closes. */
    assignee: text('assignee'),
    claimedAt: instant('claimed_at'),
    /** The case's statutory due instant, kept current by every step of the case (extensions). */
    dueAt: instant('due_at'),
    detail: jsonb('detail').notNull().$type<Record<string, unknown>>().default({}),
    completedAt: instant('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The inbox (GET /api/v1/tasks) reads only live tasks of an agency and role, in the order of
    // its sorts (db/repositories/tasks.ts writes the same expressions): by due time, tasks without
    // one last, either way; by age. A page after a cursor is a range of one of these.
    index('tasks_inbox_due')
      .on(t.agencyCode, t.role, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'claimed')`),
    index('tasks_inbox_due_desc')
      .on(t.agencyCode, t.role, sql`coalesce(${t.dueAt}, '-infinity'::timestamptz) desc`, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'claimed')`),
    index('tasks_inbox_created')
      .on(t.agencyCode, t.role, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'claimed')`),
    // A supervisor's inbox (every role of the agency), by due time.
    index('tasks_inbox_agency_due')
      .on(t.agencyCode, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.createdAt, t.id)
      .where(sql`${t.status} in ('open', 'claimed')`),
    index('tasks_assignee')
      .on(t.assignee)
      .where(sql`${t.status} = 'claimed'`),
    index('tasks_case').on(t.caseId),
  ],
);

export type Task = typeof tasks.$inferSelect;
