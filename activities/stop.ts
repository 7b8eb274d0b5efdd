/**
 * The effect of the stop procedure (section 7): the relation stopped with the case's closing
 * step in one transaction, and on a death the person's pension awards stopped with it.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { stopAwardsForDeath } from '../db/repositories/awards';
import { applyStep } from '../db/repositories/case-steps';
import { personOfCase, stopRelation } from '../db/repositories/relations';
import { awards } from '../db/schema';
import type { StopReason } from '../db/schema';
import type { StepRecord } from '../domain/case-records';

export interface StopDeps {
  db: Db;
}

export function createStopActivities({ db }: StopDeps) {
  return {
    /**
     * S-4: stops the live relation at this agency with reason and date. A death also stops the
     * person's pension awards after the month of death (overpayments flagged); their IDs are
     * returned so the workflow can end their certification watches.
     */
    async completeStop(input: {
      step: StepRecord;
      agencyCode: string;
      reason: StopReason;
      detail?: string;
      effectiveDate: string;
    }): Promise<{ stoppedAwardIds: string[] }> {
      return db.transaction(async (tx) => {
        const personId = await personOfCase(tx, input.step.caseId);
        if (await applyStep(tx, input.step)) {
          await stopRelation(tx, { ...input, caseId: input.step.caseId, personId });
          if (input.reason === 'death')
            await stopAwardsForDeath(tx, { personId, dateOfDeath: input.effectiveDate, source: 'stop_procedure' });
        }
        // Also on a retry (the step applied already): the awards this death stopped.
        if (input.reason !== 'death') return { stoppedAwardIds: [] };
        const stopped = await tx
          .select({ id: awards.id })
          .from(awards)
          .where(and(eq(awards.personId, personId), eq(awards.status, 'stopped')));
        return { stoppedAwardIds: stopped.map((a) => a.id) };
      });
    },
  };
}
