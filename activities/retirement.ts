/**
 * Activities of the retirement watch and the pre-review (B-7, 8.2.3.1). The workflows pass the
 * pseudonymous person key and case IDs only; birth dates, the file and the contribution history
 * are read here, and the notice that names them is written here, so no personal data enters
 * Temporal. Every "now" comes from the workflow (its clock, skipped in tests), never the wall clock.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadParameters } from '../db/parameters-store';
import { applyStep } from '../db/repositories/case-steps';
import {
  liveRelation,
  notePreReviewDate,
  planOf,
  preReviewCaseFor,
  scheduleOf,
  type RetirementWatchPlan,
} from '../db/repositories/retirement';
import {
  caseCounters,
  cases,
  contributionRecords,
  deemedPeriods,
  persons,
  personnelFiles,
  transferredPeriods,
} from '../db/schema';
import { minimumContributionMonths, minimumYearsTableFromParameters } from '../domain/minimum-years';
import { preReviewFindings, preReviewNotice, type PreReviewFindingCode } from '../domain/pre-review';
import { addCalendarDays, chinaDateOf, workingDaysBetween, type CalendarSnapshot } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';
import { caseNumber, caseWorkflowId } from '../domain/case-ids';

export interface RetirementDeps {
  db: Db;
  calendar: { current(): Promise<CalendarSnapshot> };
}

export type { RetirementWatchPlan } from '../db/repositories/retirement';

export type OpenPreReviewResult =
  | {
      status: 'opened' | 'exists';
      caseId: string;
      agencyCode: string;
      receivedAt: string;
      followUpWorkingDays: number;
      closed: boolean;
    }
  | { status: 'blocked'; blockedBy: string }
  | { status: 'not_insured' };

/** The pre-review's outcome as the workflow sees it: codes and month counts only. */
export interface PreReviewSummary {
  findings: PreReviewFindingCode[];
  retirementYearMonth: string;
  recognisedMonths: number;
  minimumMonths: number;
  missingMonths: number;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e?.code ?? e?.cause?.code) === '23505';
}

export function createRetirementActivities({ db, calendar }: RetirementDeps) {
  return {
    /** The watch's plan: when the pre-review is due, and whether it was done for that month. */
    async planRetirementWatch(input: { personKey: string; nowMs: number }): Promise<RetirementWatchPlan> {
      const [person] = await db.select().from(persons).where(eq(persons.personKey, input.personKey));
      if (!person) return { status: 'no_person' };
      const plan = await planOf(db, person, input.nowMs);
      // Kept on the person for the watches started near their date; the watch's own plan
      // marks the date armed (an enrollment armed the watch the old way plans first, then starts it).
      await notePreReviewDate(db, person.id, plan, { armed: true });
      return plan;
    },

    /**
     * Opens the pre-review case for a retirement month (a case row like any other, its ID the
     * workflow ID), or finds the one opened before. While the person has an open pre-review for
     * another month (the birth date was corrected meanwhile) the new one waits: 'blocked', or,
     * with `wait`, a retryable failure until staff close the old one.
     */
    async openPreReviewCase(input: {
      personKey: string;
      retirementYearMonth: string;
      preReviewDate: string;
      nowMs: number;
      wait?: boolean;
    }): Promise<OpenPreReviewResult> {
      try {
        return await db.transaction(async (tx) => {
          const [person] = await tx.select().from(persons).where(eq(persons.personKey, input.personKey));
          const relation = person && (await liveRelation(tx, person.id));
          if (!person || !relation || relation.status === 'receiving') return { status: 'not_insured' } as const;
          const existing = await preReviewCaseFor(tx, person.id, input.retirementYearMonth);
          if (existing) {
            return {
              status: 'exists',
              caseId: existing.id,
              agencyCode: existing.agencyCode,
              receivedAt: existing.receivedAt.toISOString(),
              followUpWorkingDays: Number(existing.application.followUpWorkingDays),
              closed: existing.status === 'closed',
            } as const;
          }
          const [open] = await tx
            .select({ id: cases.id })
            .from(cases)
            .where(and(eq(cases.personId, person.id), eq(cases.procedure, 'pre_review'), eq(cases.status, 'open')));
          if (open) {
            if (input.wait)
              throw ApplicationFailure.retryable(`pre-review ${open.id} is still open`, 'pre_review.previous_open');
            return { status: 'blocked', blockedBy: open.id } as const;
          }
          // The follow-up is due before the retirement month begins: the working days left until then.
          const today = chinaDateOf(input.nowMs);
          const lastDay = addCalendarDays(`${input.retirementYearMonth}-01`, -1);
          const followUpWorkingDays = Math.max(
            workingDaysBetween(await calendar.current(), today, lastDay).workingDays,
            1,
          );
          const year = Number(today.slice(0, 4));
          const [counter] = await tx
            .insert(caseCounters)
            .values({ agencyCode: relation.agencyCode, year, last: 1 })
            .onConflictDoUpdate({
              target: [caseCounters.agencyCode, caseCounters.year],
              set: { last: sql`${caseCounters.last} + 1` },
            })
            .returning({ last: caseCounters.last });
          const caseId = caseWorkflowId('pre_review', relation.agencyCode, caseNumber(year, counter.last));
          const receivedAt = new Date(input.nowMs);
          await tx.insert(cases).values({
            id: caseId,
            procedure: 'pre_review',
            agencyCode: relation.agencyCode,
            channel: 'offline',
            stage: 'received',
            personId: person.id,
            application: {
              trigger: 'retirement_watch',
              retirementYearMonth: input.retirementYearMonth,
              preReviewDate: input.preReviewDate,
              followUpWorkingDays,
            },
            workflowId: caseId,
            receivedAt,
          });
          return {
            status: 'opened',
            caseId,
            agencyCode: relation.agencyCode,
            receivedAt: receivedAt.toISOString(),
            followUpWorkingDays,
            closed: false,
          } as const;
        });
      } catch (err) {
        // Another run opened a pre-review for this person at the same moment: look again.
        if (isUniqueViolation(err))
          throw ApplicationFailure.retryable('a pre-review was opened concurrently', 'pre_review.concurrent');
        throw err;
      }
    },

    /**
     * The pre-review itself (8.2.3.1): compares the birth date on the file with the ID number,
     * checks the date work started and the recognised years (actual, transferred and deemed
     * months) against the minimum for the retirement year, and records the step with the notice
     * listing every finding — in one transaction, idempotent by the step's event key.
     */
    async completePreReview(input: { step: StepRecord; nowMs: number }): Promise<PreReviewSummary> {
      return db.transaction(async (tx) => {
        const [person] = await tx
          .select({ p: persons })
          .from(cases)
          .innerJoin(persons, eq(persons.id, cases.personId))
          .where(eq(cases.id, input.step.caseId));
        if (!person)
          throw ApplicationFailure.nonRetryable(`case ${input.step.caseId} does not exist`, 'case.not_found');
        const p = person.p;
        const relation = await liveRelation(tx, p.id);
        const [c] = await tx
          .select({ agencyCode: cases.agencyCode })
          .from(cases)
          .where(eq(cases.id, input.step.caseId));
        const agencyCode = relation?.agencyCode ?? c.agencyCode;
        const today = chinaDateOf(input.nowMs);
        const params = await loadParameters(tx);
        const schedule = scheduleOf(p, agencyCode, params, today);
        const [archive] = await tx
          .select({ birthDate: personnelFiles.fileBirthDate, workStartDate: personnelFiles.workStartDate })
          .from(personnelFiles)
          .where(and(eq(personnelFiles.personId, p.id), isNotNull(personnelFiles.receivedAt)))
          .orderBy(desc(personnelFiles.receivedAt))
          .limit(1);
        // One connection (the transaction): the queries run one after another.
        const [actual] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(contributionRecords)
          .where(eq(contributionRecords.personId, p.id));
        const [transferred] = await tx
          .select({ n: sql<number>`coalesce(sum(${transferredPeriods.months}), 0)::int` })
          .from(transferredPeriods)
          .where(eq(transferredPeriods.personId, p.id));
        const [deemed] = await tx
          .select({ n: sql<number>`coalesce(sum(${deemedPeriods.months}), 0)::int` })
          .from(deemedPeriods)
          .where(eq(deemedPeriods.personId, p.id));
        const retirementYear = Number(schedule.statutory.retirementYearMonth.slice(0, 4));
        const minimumMonths = minimumContributionMonths(
          retirementYear,
          minimumYearsTableFromParameters(params, agencyCode),
        );
        const facts = {
          today,
          schedule,
          idBirthDate: p.birthDate,
          archiveBirthDate: archive?.birthDate ?? null,
          workStartDate: p.workStartDate ?? archive?.workStartDate ?? null,
          actualMonths: actual.n,
          transferredMonths: transferred.n,
          deemedMonths: deemed.n,
          contributing: relation?.status === 'contributing',
          minimumMonths,
        };
        const result = preReviewFindings(facts);
        const notice = preReviewNotice({ caseId: input.step.caseId, facts, result });
        const summary: PreReviewSummary = {
          findings: result.findings.map((f) => f.code),
          retirementYearMonth: schedule.statutory.retirementYearMonth,
          recognisedMonths: result.recognisedMonths,
          minimumMonths,
          missingMonths: result.missingMonths,
        };
        await applyStep(tx, {
          ...input.step,
          detail: { ...input.step.detail, ...summary, birthDateSource: schedule.birthDateSource },
          notice: {
            kind: 'outcome',
            round: 1,
            items: result.findings.map((f) => ({ code: f.code, text: f.text })),
            text: notice.text,
          },
        });
        return summary;
      });
    },
  };
}
