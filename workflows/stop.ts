/**
 * Stopping insurance (停止参保), clauses S-1..S-4 (section 7 of DB62/T 5079.1—2025).
 * Completed immediately (7.1.3). Online applications are decided by the rule; offline ones are
 * confirmed by a reviewer (7.1.2). The relation is stopped with its reason and date in the
 * same transaction as the case outcome.
 */
import { patched } from '@temporalio/workflow';
import { refusalNotice } from '../domain/notices';
import { missingStopMaterials, reviewStop, type StopReason } from '../domain/stop';
import type { Material, RequiredItem } from '../domain/materials';
import { endCertificationWatch } from './certification';
import { ACCEPTANCE_TEXTS, runAcceptance } from './shared/acceptance';
import { db, external } from './shared/activity-options';
import { RISK_REVIEW_STEPS, RISK_REVIEW_TEXTS, reviewHighRisk, touchRisk } from './shared/risk-review';
import { CaseRuntime } from './shared/case-runtime';
import { confirmReview, REVIEW_STEPS, REVIEW_TEXTS } from './shared/review';
import type { CaseOutcomes, StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS } from '../domain/procedures';
import { caseWorkflowId } from '../domain/case-ids';
import type { CaseStart, CaseView } from './shared/types';

/**
 * The staff steps a stop awaits (offline: review; high risk: collective review), with their
 * results. The counter's acceptance is the filing itself: the system checks the materials listed.
 */
export const STOP_STEPS = { ...REVIEW_STEPS, ...RISK_REVIEW_STEPS } as const satisfies StaffStepTable;
/** Stopped (approved), refused, or withdrawn when the supplement deadline passes. */
export const STOP_OUTCOMES = ['approved', 'refused', 'withdrawn'] as const satisfies CaseOutcomes;

export interface StopInput extends CaseStart {
  reason: StopReason;
  detail?: string;
  /** Date the stop takes effect (e.g. the date of death); defaults to the receipt date. */
  effectiveDate: string;
  /** What was shown at the counter (an identity document; a death certificate). */
  materials?: Material[];
  /** Working days to supplement missing materials after a one-time notice (counter stops). */
  supplementWorkingDays?: number;
}

export function stopWorkflowId(agencyCode: string, caseNumber: string): string {
  return caseWorkflowId('stop', agencyCode, caseNumber);
}

export async function stop(input: StopInput): Promise<CaseView> {
  const rt = new CaseRuntime({ ...input, procedure: 'stop' }, new StatutoryClock(STATUTORY_LIMITS.stop), [
    ACCEPTANCE_TEXTS,
    REVIEW_TEXTS,
    RISK_REVIEW_TEXTS,
  ]);
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: '7.2',
    actor: input.receivedBy,
    detail: { channel: input.channel, reason: input.reason, effectiveDate: input.effectiveDate },
  });

  // Risk controls: the death registry is compared; a death it does not confirm needs a
  // death certificate accepted at the counter and is high-risk business; a counter stop needs an
  // identity document; no stop takes effect before a month already paid.
  const controlled = patched('risk-controls');
  let materials: Material[] = input.materials ?? [];
  const comparison: RequiredItem[] = [];
  let highRisk: RequiredItem[] = [];
  let lastContributionMonth: string | null = null;
  if (controlled) {
    const death = await external.compareDeathRegistry({ caseId: input.caseId });
    const confirmedDeath = input.reason === 'death' && death.deceased;
    if (input.reason === 'death' && !death.deceased && input.channel === 'online') {
      comparison.push({
        code: 'death_not_confirmed',
        text: '死亡登记数据比对未能确认参保人死亡，请持死亡证明到经办机构窗口办理',
      });
    }
    if (input.reason !== 'death' && death.deceased) {
      comparison.push({
        code: 'registry_recorded_death',
        text: `死亡登记数据显示参保人已于${death.dateOfDeath ?? '（日期不详）'}死亡，请以"参保人死亡"为由办理`,
      });
    }
    if (input.channel === 'offline' && comparison.length === 0) {
      const accepted = await runAcceptance(rt, {
        materials,
        required: (m) => missingStopMaterials(m, { deathUnconfirmed: input.reason === 'death' && !confirmedDeath }),
        // The counter acceptor filed it having seen the originals: the system checks what is listed.
        staffCheck: false,
        clause: '7.2',
        supplementWorkingDays: input.supplementWorkingDays ?? 10,
      });
      if (!accepted.accepted) return rt.finish();
      materials = accepted.materials;
    }
    highRisk = await touchRisk(rt, [
      input.reason === 'death'
        ? {
            key: confirmedDeath ? 'stop.death_registry' : 'stop.death_certificate',
            detail: { registryDateOfDeath: death.dateOfDeath, effectiveDate: input.effectiveDate },
          }
        : { key: 'stop.application', detail: { reason: input.reason } },
    ]);
    lastContributionMonth = (await db.lastContributionMonth({ caseId: input.caseId })).yearMonth;
  }

  await rt.record({ type: 'review_started', clause: '7.2', stage: 'review', waitingOn: null, detail: {} });
  const facts = await db.gatherRelationFacts({ caseId: input.caseId });
  const decision = reviewStop({
    agencyCode: input.agencyCode,
    reason: input.reason,
    relations: facts,
    effectiveDate: input.effectiveDate,
    lastContributionMonth,
  });
  let reasons: RequiredItem[] = [...comparison, ...(decision.eligible ? [] : decision.reasons)];
  if (input.channel === 'offline') {
    reasons = await confirmReview(rt, {
      clause: '7.1.2',
      systemReasons: reasons,
      notEligible: '系统审核发现不符合停保条件',
    });
  }
  if (controlled && reasons.length === 0)
    reasons = await reviewHighRisk(rt, { materials, reasons: highRisk, clause: '10.2.3' });

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

  const completed = await rt.close(
    {
      type: 'relation_stopped',
      clause: '7.2',
      outcome: 'approved',
      detail: { reason: input.reason, effectiveDate: input.effectiveDate, agencyCode: decision.relation.agencyCode },
    },
    (step) =>
      db.completeStop({
        step,
        agencyCode: input.agencyCode,
        reason: input.reason,
        detail: input.detail,
        effectiveDate: input.effectiveDate,
      }),
  );
  // A death stopped the person's pension awards: their certification watches end now.
  if (patched('stop-ends-certification-watches')) {
    for (const awardId of completed?.stoppedAwardIds ?? []) await endCertificationWatch(awardId, input.caseId);
  }
  return rt.finish();
}
