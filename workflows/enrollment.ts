/**
 * Enrollment (参保登记) of a flexibly employed person, clauses E-1..E-8 (section 5 of
 * DB62/T 5079.1—2025). Completed immediately (即时办结, 5.1.4): online applications are
 * accepted and reviewed automatically; offline ones wait for the counter's acceptance check and
 * the reviewer's confirmation (Updates with validators). Incomplete materials get one one-time
 * notice listing every missing item; the clock pauses until the supplement arrives, and the
 * case is withdrawn when the supplement deadline passes.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import { reviewEnrollment, type RelationFact } from '../domain/enrollment';
import { missingIdentityMaterials, type Material, type RequiredItem } from '../domain/materials';
import { refusalNotice } from '../domain/notices';
import { armRetirementWatch } from './retirement-watch';
import { ACCEPTANCE_STEPS, ACCEPTANCE_TEXTS, runAcceptance } from './shared/acceptance';
import { db, external } from './shared/activity-options';
import { RISK_REVIEW_STEPS, RISK_REVIEW_TEXTS, reviewHighRisk, touchRisk } from './shared/risk-review';
import { CaseRuntime } from './shared/case-runtime';
import { confirmReview, REVIEW_STEPS, REVIEW_TEXTS } from './shared/review';
import type { CaseOutcomes, StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS } from '../domain/procedures';
import { caseWorkflowId } from '../domain/case-ids';
import type { CaseStart, CaseView } from './shared/types';

/** The staff steps an enrollment awaits (offline: acceptance, review; high risk: collective review), with their results. */
export const ENROLLMENT_STEPS = {
  ...ACCEPTANCE_STEPS,
  ...REVIEW_STEPS,
  ...RISK_REVIEW_STEPS,
} as const satisfies StaffStepTable;
/** Registered (approved), refused, or withdrawn when the supplement deadline passes. */
export const ENROLLMENT_OUTCOMES = ['approved', 'refused', 'withdrawn'] as const satisfies CaseOutcomes;

export interface EnrollmentInput extends CaseStart {
  category: string;
  materials: Material[];
  hasDelegate: boolean;
  /** Working days the applicant has to supplement materials (configuration, fixed at start). */
  supplementWorkingDays: number;
}

export function enrollmentWorkflowId(agencyCode: string, caseNumber: string): string {
  return caseWorkflowId('enrollment', agencyCode, caseNumber);
}

export async function enrollment(input: EnrollmentInput): Promise<CaseView> {
  const rt = new CaseRuntime({ ...input, procedure: 'enrollment' }, new StatutoryClock(STATUTORY_LIMITS.enrollment), [
    ACCEPTANCE_TEXTS,
    REVIEW_TEXTS,
    RISK_REVIEW_TEXTS,
  ]);
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: input.channel === 'online' ? '5.2.1.2 c' : '5.2.1.1',
    actor: input.receivedBy,
    detail: { channel: input.channel, category: input.category, materials: input.materials.map((m) => m.kind) },
  });

  const acceptance = await runAcceptance(rt, {
    materials: input.materials,
    required: (materials) => missingIdentityMaterials(materials, input.hasDelegate),
    staffCheck: input.channel === 'offline',
    clause: '5.2.1.2',
    supplementWorkingDays: input.supplementWorkingDays,
  });
  if (!acceptance.accepted) return rt.finish();

  // Review (E-7): the rule decides from the facts; offline cases are confirmed by a reviewer.
  const reviewStarted = { type: 'review_started', clause: '5.2.2.1', stage: 'review', waitingOn: null, detail: {} };
  let facts: RelationFact[];
  if (rt.lean) facts = await rt.record(reviewStarted, (step) => db.recordStepAndGatherRelationFacts(step));
  else {
    await rt.record(reviewStarted);
    facts = await db.gatherRelationFacts({ caseId: input.caseId });
  }
  // Data comparison (10.2.2) and the risk points of the review: the death registry, the
  // national register of insured people in other provinces.
  const controlled = patched('risk-controls');
  const comparison: RequiredItem[] = [];
  let highRisk: RequiredItem[] = [];
  if (controlled) {
    const death = await external.compareDeathRegistry({ caseId: input.caseId });
    const elsewhere = await external.compareInsuredElsewhere({ caseId: input.caseId });
    for (const r of elsewhere)
      if (!facts.some((f) => f.agencyCode === r.agencyCode)) facts.push({ ...r, category: null });
    if (death.deceased)
      comparison.push({
        code: 'applicant_deceased',
        text: `经与死亡登记数据比对，申请人已于${death.dateOfDeath ?? '（日期不详）'}登记死亡，不予参保登记`,
      });
    highRisk = await touchRisk(rt, [
      { key: 'enrollment.eligibility' },
      ...(death.deceased ? [{ key: 'enrollment.deceased', detail: { dateOfDeath: death.dateOfDeath } }] : []),
      ...(elsewhere.length > 0
        ? [{ key: 'enrollment.insured_elsewhere', detail: { agencies: elsewhere.map((r) => r.agencyCode) } }]
        : []),
    ]);
  }
  const decision = reviewEnrollment({ agencyCode: input.agencyCode, category: input.category, relations: facts });
  let reasons: RequiredItem[] = [...comparison, ...(decision.eligible ? [] : decision.reasons)];
  if (input.channel === 'offline') {
    reasons = await confirmReview(rt, {
      clause: '5.2.2.1',
      systemReasons: reasons,
      notEligible: '系统审核发现不符合参保条件',
    });
  }
  // High-risk business: electronic materials, then the collective review.
  if (controlled && reasons.length === 0)
    reasons = await reviewHighRisk(rt, { materials: acceptance.materials, reasons: highRisk, clause: '10.2.3' });

  if (reasons.length > 0) {
    const notice = refusalNotice({ caseId: input.caseId, procedure: 'enrollment', clause: '5.2.2.2 b', reasons });
    await rt.close({
      type: 'enrollment_refused',
      clause: '5.2.2.2 b',
      outcome: 'refused',
      outcomeReason: reasons.map((r) => r.code).join(','),
      detail: { reasons: reasons.map((r) => r.code) },
      notice: { kind: 'refusal_reasons', round: 1, items: reasons, text: notice.text },
    });
    return rt.finish();
  }
  if (!decision.eligible) throw ApplicationFailure.nonRetryable('unreachable: eligible without reasons');

  const transferIn = decision.transferInRequired;
  await rt.close(
    {
      type: decision.action === 'resume' ? 'relation_resumed' : 'relation_created',
      clause: '5.2.2.2 a',
      outcome: 'approved',
      followUp: transferIn ? 'transfer_in_required' : undefined,
      detail: {
        action: decision.action,
        previousAgency: decision.action === 'resume' ? decision.resumeFrom?.agencyCode : undefined,
        transferInFrom: transferIn?.agencyCode,
        transferClause: transferIn ? '5.2.2.1 c' : undefined,
      },
    },
    (step) =>
      db.completeEnrollment({
        step,
        action: decision.action,
        category: input.category,
        agencyCode: input.agencyCode,
        // B-7: the relation created or resumed gives the person a pre-review date; the watch is
        // started shortly before it (api/services/watches.ts), not decades ahead by every enrollment.
        ...(rt.lean ? { notePreReview: true } : {}),
      }),
  );
  // Runs started before the lean steps armed the person's retirement watch here (a child left running).
  if (!rt.lean && patched('arm-retirement-watch')) await armRetirementWatch(input.personKey);
  return rt.finish();
}
