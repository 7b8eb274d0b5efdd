/** Activities every case workflow uses: record a step, and gather the person's relations. */
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { applyStep } from '../db/repositories/case-steps';
import { cases, relations } from '../db/schema';
import type { RelationFact } from '../domain/enrollment';
import type { StepRecord } from '../domain/case-records';

export interface CaseDeps {
  db: Db;
}

export function createCaseActivities({ db }: CaseDeps) {
  return {
    /** Persists one workflow step in one transaction (idempotent by event key). */
    async recordStep(step: StepRecord): Promise<void> {
      await db.transaction((tx) => applyStep(tx, step));
    },

    /** The person's relations as the review rules see them (agency codes and statuses only). */
    async gatherRelationFacts(input: { caseId: string }): Promise<RelationFact[]> {
      return relationFacts(db, input.caseId);
    },

    /** Records the step that starts a review and reads the relations the review decides on: one activity, not two. */
    async recordStepAndGatherRelationFacts(step: StepRecord): Promise<RelationFact[]> {
      await db.transaction((tx) => applyStep(tx, step));
      return relationFacts(db, step.caseId);
    },
  };
}

async function relationFacts(db: DbOrTx, caseId: string): Promise<RelationFact[]> {
  return db
    .select({
      agencyCode: relations.agencyCode,
      provinceCode: relations.provinceCode,
      status: relations.status,
      category: relations.category,
    })
    .from(relations)
    .innerJoin(cases, eq(cases.personId, relations.personId))
    .where(eq(cases.id, caseId));
}
