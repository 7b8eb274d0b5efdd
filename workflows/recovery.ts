/**
 * Recovery of pension paid after a death (待遇追回, R-4, 10.2.3): opened by the monthly comparison
 * with the death registry (payrollRun) when an award stopped for a death had been paid for later
 * months. A reviewer records the outcome — recovered, or written off with the reason — within
 * the agency's 30 working days. ID: the case number, `recovery-<agency>-<year>-<n>`.
 */
import { recoveryNotice, type RecoveryInput } from '../domain/recovery';
import { CaseRuntime, refuse } from './shared/case-runtime';
import type { CaseTexts } from './shared/case-texts';
import { RISK_REVIEW_TEXTS, touchRisk } from './shared/risk-review';
import { staffStep, type CaseOutcomes, type StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import type { CaseView } from './shared/types';

export type { RecoveryInput };

/** Working days the agency gives itself to recover (a service commitment, not a statutory limit). */
export const RECOVERY_WORKING_DAYS = 30;

export const RECOVERY_TEXTS = {
  stages: { recovery: '追回多发待遇' },
  steps: { recovery: '追回死亡后多发的养老金（R-4）' },
} as const satisfies CaseTexts;

/** The reviewer's one step: the overpayment recovered, or written off with the reason. */
export const RECOVERY_STEPS = { recovery: ['recovered', 'written_off'] } as const satisfies StaffStepTable;
/** Either result closes the case approved (the result is the outcome's reason). */
export const RECOVERY_OUTCOMES = ['approved'] as const satisfies CaseOutcomes;

export async function recovery(input: RecoveryInput): Promise<CaseView> {
  const rt = new CaseRuntime(
    { ...input, procedure: 'recovery' },
    new StatutoryClock({ budgetWorkingDays: RECOVERY_WORKING_DAYS, clause: '10.2.3' }),
    [RISK_REVIEW_TEXTS, RECOVERY_TEXTS],
  );
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: '10.2.3',
    detail: { awardId: input.awardId, months: input.months, total: input.total, source: 'death_registry' },
  });
  await touchRisk(rt, [
    {
      key: 'benefits.payment_after_death',
      detail: { awardId: input.awardId, months: input.months.length, total: input.total },
    },
  ]);
  const decision = await rt.staff.awaitDecision({
    ...staffStep(RECOVERY_STEPS, 'recovery'),
    stage: 'recovery',
    waitingOn: 'reviewer',
    clause: '10.2.3',
    validate: (d) => {
      if (d.result === 'written_off' && !d.reason?.trim())
        refuse('decision.reason_required', '核销须写明原因（如无遗产可供追回）', 'reason');
    },
  });
  const notice = recoveryNotice({
    caseId: input.caseId,
    months: input.months,
    total: input.total,
    result: decision.result,
    reason: decision.reason,
  });
  await rt.close({
    type: decision.result === 'recovered' ? 'overpayment_recovered' : 'overpayment_written_off',
    clause: '10.2.3',
    outcome: 'approved',
    outcomeReason: decision.result,
    detail: { awardId: input.awardId, total: input.total, reason: decision.reason ?? null },
    notice: { kind: 'outcome', round: 1, items: [], text: notice.text },
  });
  return rt.finish();
}
