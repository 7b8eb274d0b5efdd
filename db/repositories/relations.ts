/**
 * Writes on pension relations shared by several procedures: the person a case is about, and
 * stopping the live relation at an agency (a stop, S-4, or a completed transfer out, T-6 b).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import { LIVE_RELATION_STATUSES } from '../../domain/relation-status';
import type { DbOrTx } from '../client';
import { cases, relations, type StopReason } from '../schema';

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
  o: {
    personId: string;
    agencyCode: string;
    reason: StopReason;
    detail?: string;
    effectiveDate: string;
    caseId: string;
  },
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
    .where(
      and(
        eq(relations.personId, o.personId),
        eq(relations.agencyCode, o.agencyCode),
        inArray(relations.status, [...LIVE_RELATION_STATUSES]),
      ),
    )
    .returning({ id: relations.id });
  if (updated.length !== 1)
    throw ApplicationFailure.nonRetryable('the relation changed during review', 'relation.conflict');
}
