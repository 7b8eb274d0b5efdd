/**
 * The effect of the enrollment procedure (section 6) on pension relations, applied in one
 * transaction with the case's closing step, so the relation and the case outcome never disagree.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { applyStep } from '../db/repositories/case-steps';
import { personOfCase } from '../db/repositories/relations';
import { notePreReviewDate, planOf } from '../db/repositories/retirement';
import { persons, relations } from '../db/schema';
import type { FlexibleCategory } from '../db/schema';
import { LIVE_RELATION_STATUSES } from '../domain/relation-status';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';

export interface EnrollmentDeps {
  db: Db;
}

/** E-8's effect on the relations: a new contributing relation, or the interrupted one resumed. */
async function applyEnrollment(
  tx: DbOrTx,
  personId: string,
  input: { step: StepRecord; action: 'create' | 'resume'; category: string; agencyCode: string },
): Promise<void> {
  const province = input.agencyCode.slice(0, 2);
  const since = chinaDateOf(Date.parse(input.step.occurredAt));
  const category = input.category as FlexibleCategory;
  if (input.action === 'resume') {
    const updated = await tx
      .update(relations)
      .set({
        status: 'contributing',
        agencyCode: input.agencyCode,
        category,
        since,
        lastCaseId: input.step.caseId,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(relations.personId, personId),
          eq(relations.provinceCode, province),
          eq(relations.status, 'interrupted'),
        ),
      )
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
      and(
        eq(relations.personId, personId),
        eq(relations.provinceCode, province),
        inArray(relations.status, [...LIVE_RELATION_STATUSES]),
      ),
    );
  if (live.length > 0)
    throw ApplicationFailure.nonRetryable('a live relation appeared during review', 'relation.conflict');
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

export function createEnrollmentActivities({ db }: EnrollmentDeps) {
  return {
    /**
     * E-8: creates the relation, or resumes the interrupted one in this province (T-1
     * continuation). `notePreReview` (B-7): the person's pre-review date is noted in the same
     * transaction, and the retirement watch is started from it shortly before that date
     * (api/services/watches.ts) rather than by the enrollment.
     */
    async completeEnrollment(input: {
      step: StepRecord;
      action: 'create' | 'resume';
      category: string;
      agencyCode: string;
      notePreReview?: boolean;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        const personId = await personOfCase(tx, input.step.caseId);
        await applyEnrollment(tx, personId, input);
        if (input.notePreReview) {
          // After the relation: the plan follows the person's live relation.
          const [person] = await tx.select().from(persons).where(eq(persons.id, personId));
          await notePreReviewDate(tx, personId, await planOf(tx, person, Date.parse(input.step.occurredAt)), {
            armed: false,
          });
        }
      });
    },
  };
}
