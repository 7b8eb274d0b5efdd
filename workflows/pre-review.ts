/**
 * Pre-review of the file three months before the statutory retirement age (B-7,
 * DB62/T 5079.1—2025 8.2.3.1), opened by the person's retirement watch as a case like any
 * other (its ID is the case ID). The review compares the birth date on the file with the ID
 * number, checks the date work started and the recognised contribution years against the
 * minimum, and sends the person one notice with every finding and, when years are missing, the
 * options (keep contributing, lump sum, transfer). A staff task follows the case up; staff
 * acknowledge it (step `pre_review_followup`) and the case closes. The follow-up is due before
 * the retirement month begins.
 */
import { db } from './shared/activity-options';
import { CaseRuntime } from './shared/case-runtime';
import type { CaseTexts } from './shared/case-texts';
import { REVIEW_TEXTS } from './shared/review';
import { staffStep, type CaseOutcomes, type StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import type { Actor, CaseStart, CaseView } from './shared/types';

export interface PreReviewInput extends CaseStart {
  /** The retirement month the pre-review is for ('YYYY-MM'). */
  retirementYearMonth: string;
  /** Working days from the case's opening to the end of the month before retirement. */
  followUpWorkingDays: number;
  /** The staff member whose file correction led to this pre-review (they cannot acknowledge it). */
  correctedBy?: Actor;
}

export const PRE_REVIEW_FOLLOWUP_STEP = 'pre_review_followup';

export const PRE_REVIEW_TEXTS = {
  steps: { [PRE_REVIEW_FOLLOWUP_STEP]: '退休前预审：核对预审结果并告知参保人（B-7）' },
} as const satisfies CaseTexts;

/** The one staff step of a pre-review: the follow-up, acknowledged. */
export const PRE_REVIEW_STEPS = { [PRE_REVIEW_FOLLOWUP_STEP]: ['acknowledged'] } as const satisfies StaffStepTable;
/** A pre-review always closes approved (its findings are the outcome's reason). */
export const PRE_REVIEW_OUTCOMES = ['approved'] as const satisfies CaseOutcomes;

/** B-7 pre-review case: review, notice, staff follow-up, close. */
export async function preReview(input: PreReviewInput): Promise<CaseView> {
  const rt = new CaseRuntime(
    { ...input, procedure: 'pre_review' },
    new StatutoryClock({ budgetWorkingDays: input.followUpWorkingDays, clause: '8.2.3.1', reminderFraction: 0.8 }),
    [REVIEW_TEXTS, PRE_REVIEW_TEXTS],
  );
  rt.staff.noteWork('file_correction', input.correctedBy);
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: '8.2.3.1',
    detail: { trigger: 'retirement_watch', retirementYearMonth: input.retirementYearMonth },
  });

  const summary = await rt.record(
    { type: 'pre_review_completed', clause: '8.2.3.1', stage: 'review', waitingOn: null, detail: {} },
    (step) => db.completePreReview({ step, nowMs: Date.now() }),
  );

  const decision = await rt.staff.awaitDecision({
    stage: 'review',
    waitingOn: 'staff',
    ...staffStep(PRE_REVIEW_STEPS, PRE_REVIEW_FOLLOWUP_STEP),
    clause: '8.2.3.1',
    role: 'reviewer',
    confirms: ['file_correction'],
  });
  await rt.close({
    type: 'pre_review_closed',
    clause: '8.2.3.1',
    outcome: 'approved',
    outcomeReason: summary.findings.length > 0 ? summary.findings.join(',') : 'no_findings',
    actor: decision.actor,
    detail: { findings: summary.findings, missingMonths: summary.missingMonths },
  });
  return rt.finish();
}
