/**
 * Stopping insurance (停止参保), clauses S-1..S-4 (section 7 of DB62/T 5079.1—2025).
 * Completed immediately (7.1.3). Online applications are decided by the rule; offline ones are
 * confirmed by a reviewer (7.1.2). The relation is stopped with its reason and date in the
 * same transaction as the case outcome.
 */
import { patched } from '@temporalio/workflow';
import { refusalNotice } from '../domain/notices';
import { reviewStop, type StopReason } from '../domain/stop';
import type { RequiredItem } from '../domain/materials';
import { endCertificationWatch } from './certification';
import { db } from './shared/activity-options';
import { CaseRuntime } from './shared/case-runtime';
import { confirmReview } from './shared/review';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS } from '../domain/procedures';
import type { CaseStart, CaseView } from './shared/types';

export interface StopInput extends CaseStart {
  reason: StopReason;
  detail?: string;
  /** Date the stop takes effect (e.g. the date of death); defaults to the receipt date. */
  effectiveDate: string;
}

export function stopWorkflowId(agencyCode: string, caseNumber: string): string {
  return `stop-${agencyCode}-${caseNumber}`;
}

export async function stop(input: StopInput): Promise<CaseView> {
  const rt = new CaseRuntime({ ...input, procedure: 'stop' }, new StatutoryClock(STATUTORY_LIMITS.stop));
  rt.registerHandlers();
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: '7.2',
    actor: input.receivedBy,
    detail: { channel: input.channel, reason: input.reason, effectiveDate: input.effectiveDate },
  });

  await rt.record({ type: 'review_started', clause: '7.2', stage: 'review', waitingOn: null, detail: {} });
  const facts = await db.gatherRelationFacts({ caseId: input.caseId });
  const decision = reviewStop({ agencyCode: input.agencyCode, reason: input.reason, relations: facts });
  let reasons: RequiredItem[] = decision.eligible ? [] : decision.reasons;
  if (input.channel === 'offline') {
    reasons = await confirmReview(rt, { clause: '7.1.2', systemReasons: reasons, notEligible: '系统审核发现不符合停保条件' });
  }

  if (reasons.length > 0 || !decision.eligible) {
    const notice = refusalNotice({ caseId: input.caseId, procedure: 'stop', clause: '7.2', reasons });
    await rt.close({
      type: 'stop_refused',
      clause: '7.2',
      outcome: 'refused',
      outcomeReason: reasons.map((r) => r.code).join(','),
      detail: { reasons: reasons.map((r) => r.code) },
      notice: { kind: 'refusal_reasons', round: 1, items: reasons, text: notice.text },
    });
    return rt.finish();
  }

  const completed = await db.completeStop({
    step: rt.closing({
      type: 'relation_stopped',
      clause: '7.2',
      outcome: 'approved',
      detail: { reason: input.reason, effectiveDate: input.effectiveDate, agencyCode: decision.relation.agencyCode },
    }),
    agencyCode: input.agencyCode,
    reason: input.reason,
    detail: input.detail,
    effectiveDate: input.effectiveDate,
  });
  // A death stopped the person's pension awards: their certification watches end now.
  if (patched('stop-ends-certification-watches')) {
    for (const awardId of completed?.stoppedAwardIds ?? []) await endCertificationWatch(awardId, input.caseId);
  }
  return rt.finish();
}
