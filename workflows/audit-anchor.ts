/**
 * The periodic anchor of the audit trail, started hourly by the `audit-anchor-hourly` schedule
 * (composition/schedules.ts): fixes the head hash of every case's event chain in an anchor linked to
 * the previous one, so an edited, deleted or rewritten chain is found by `npm run audit:verify`
 * even if whoever changed it recomputed the chain's own hashes. Nothing is written when no event
 * was appended since the last anchor.
 */
import { log } from '@temporalio/workflow';
import type { AuditAnchorResult } from '../activities/audit';
import { db } from './shared/activity-options';

export async function auditAnchor(): Promise<AuditAnchorResult> {
  const result = await db.createAuditAnchor();
  log.info(result.created ? 'audit anchor written' : 'no new events since the last anchor', {
    upToEventId: result.upToEventId,
    caseCount: result.caseCount,
  });
  return result;
}
