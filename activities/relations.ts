/**
 * The effects of the enrollment and stop procedures on pension relations, each applied in one
 * transaction with the case's closing step, so the relation and the case outcome never disagree.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { stopAwardsForDeath } from '../db/repositories/awards';
import { applyStep } from '../db/repositories/case-steps';
import { notePreReviewDate, planOf } from '../db/repositories/retirement';
import { awards, cases, persons, relations } from '../db/schema';
import type { FlexibleCategory, StopReason } from '../db/schema';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';

export interface RelationDeps {
  db: Db;
}

export async function personOfCase(tx: DbOrTx, caseId: string): Promise<string> {
  const [row] = await tx.select({ personId: cases.personId }).from(cases).where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} does not exist`, 'case.not_found');
  return row.personId;
}

/**
 * Stops the live relation at an agency (S-4), also the effect of a completed transfer out
 * (reason transferred_out, T-6 b). Throws a non-retryable failure when there is none.
 */
export async function stopRelation(
  tx: DbOrTx,
  o: { personId: string; agencyCode: string; reason: StopReason; detail?: string; effectiveDate: string; caseId: string },
): Promise<void> {
  const updated = await tx
    .update(relations)
    .set({
      status: o.reason === 'transferred_out' ? 'transferred_out' : 'stopped',
      stopReason: o.reason,
      stopDetail: o.detail ?? null,
      since: o.effectiveDate,
      lastCaseId: o.caseId,
      updatedAt: new Date(),
    })
    .where(and(eq(relations.personId, o.personId), eq(relations.agencyCode, o.agencyCode), inArray(relations.status, ['contributing', 'interrupted', 'receiving'])))
    .returning({ id: relations.id });
  if (updated.length !== 1) throw ApplicationFailure.nonRetryable('the relation changed during review', 'relation.conflict');
}

/** E-8's effect on the relations: a new contributing relation, or the interrupted one resumed. */
async function applyEnrollment(tx: DbOrTx, personId: string, input: { step: StepRecord; action: 'create' | 'resume'; category: string; agencyCode: string }): Promise<void> {
  const province = input.agencyCode.slice(0, 2);
  const since = chinaDateOf(Date.parse(input.step.occurredAt));
  const category = input.category as FlexibleCategory;
  if (input.action === 'resume') {
    const updated = await tx
      .update(relations)
      .set({ status: 'contributing', agencyCode: input.agencyCode, category, since, lastCaseId: input.step.caseId, updatedAt: new Date() })
      .where(and(eq(relations.personId, personId), eq(relations.provinceCode, province), eq(relations.status, 'interrupted')))
      .returning({ id: relations.id });
    if (updated.length !== 1) {
      throw ApplicationFailure.nonRetryable('the interrupted relation changed during review', 'relation.conflict');
    }
    return;
  }
  const live = await tx
    .select({ id: relations.id })
    .from(relations)
    .where(
      and(eq(relations.personId, personId), eq(relations.provinceCode, province), inArray(relations.status, ['contributing', 'interrupted', 'receiving'])),
    );
  if (live.length > 0) throw ApplicationFailure.nonRetryable('a live relation appeared during review', 'relation.conflict');
  await tx.insert(relations).values({
    personId,
    agencyCode: input.agencyCode,
    provinceCode: province,
    status: 'contributing',
    category,
    since,
    lastCaseId: input.step.caseId,
  });
}

export function createRelationActivities({ db }: RelationDeps) {
  return {
    /**
     * E-8: creates the relation, or resumes the interrupted one in this province (T-1
     * continuation). `notePreReview` (B-7): the person's pre-review date is noted in the same
     * transaction, and the retirement watch is started from it shortly before that date
     * (api/services/watches.ts) rather than by the enrollment.
     */
    async completeEnrollment(input: { step: StepRecord; action: 'create' | 'resume'; category: string; agencyCode: string; notePreReview?: boolean }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const personId = await personOfCase(tx, input.step.caseId);
        await applyEnrollment(tx, personId, input);
        if (input.notePreReview) {
          // After the relation: the plan follows the person's live relation.
          const [person] = await tx.select().from(persons).where(eq(persons.id, personId));
          await notePreReviewDate(tx, personId, await planOf(tx, person, Date.parse(input.step.occurredAt)), { armed: false });
        }
      });
    },

    /**
     * S-4: stops the live relation at this agency with reason and date. A death also stops the
     * person's pension awards after the month of death (overpayments flagged); their IDs are
     * returned so the workflow can end their certification watches.
     */
    async completeStop(input: { step: StepRecord; agencyCode: string; reason: StopReason; detail?: string; effectiveDate: string }): Promise<{ stoppedAwardIds: string[] }> {
      return db.transaction(async (tx) => {
        const personId = await personOfCase(tx, input.step.caseId);
        if (await applyStep(tx, input.step)) {
          await stopRelation(tx, { ...input, caseId: input.step.caseId, personId });
          if (input.reason === 'death') await stopAwardsForDeath(tx, { personId, dateOfDeath: input.effectiveDate, source: 'stop_procedure' });
        }
        // Also on a retry (the step applied already): the awards this death stopped.
        if (input.reason !== 'death') return { stoppedAwardIds: [] };
        const stopped = await tx.select({ id: awards.id }).from(awards).where(and(eq(awards.personId, personId), eq(awards.status, 'stopped')));
        return { stoppedAwardIds: stopped.map((a) => a.id) };
      });
    },
  };
}
