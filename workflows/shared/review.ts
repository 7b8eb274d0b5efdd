/**
 * The reviewer's confirmation of a rule-based review (offline channel): approval is refused
 * while the rules found reasons against it; a refusal must give its reasons, which join the
 * rule's reasons on the one-time notice.
 */
import { STAFF_REFUSAL_CODES, staffReason } from '../../domain/enrollment';
import type { RequiredItem } from '../../domain/materials';
import type { CaseRuntime } from './case-runtime';
import type { CaseTexts } from './case-texts';
import { refuse } from './refusal';
import { staffStep, type StaffStepTable } from './staff-steps';

export const REVIEW_TEXTS = {
  stages: { review: '审核' },
  steps: { review: '审核：确认审核结论' },
} as const satisfies CaseTexts;

/** The reviewer's confirmation and its results. */
export const REVIEW_STEPS = { review: ['approve', 'refuse'] } as const satisfies StaffStepTable;

export async function confirmReview(
  rt: CaseRuntime,
  o: { clause: string; systemReasons: readonly RequiredItem[]; notEligible: string },
): Promise<RequiredItem[]> {
  const confirmation = await rt.staff.awaitDecision({
    ...staffStep(REVIEW_STEPS, 'review'),
    stage: 'review',
    waitingOn: 'reviewer',
    clause: o.clause,
    validate: (d) => {
      if (d.result === 'approve' && o.systemReasons.length > 0) {
        refuse('review.not_eligible', `${o.notEligible}：${o.systemReasons.map((r) => r.text).join('；')}`, 'result');
      }
      if (d.result === 'refuse' && o.systemReasons.length === 0 && !d.items?.length && !d.reason?.trim()) {
        refuse('decision.reasons_required', '不予办理须一次性列明全部原因', 'items');
      }
      // Reasons go on the applicant's notice: only known codes, and "other" only with its text.
      const known = new Set<string>([...STAFF_REFUSAL_CODES, ...o.systemReasons.map((r) => r.code)]);
      for (const it of d.result === 'refuse' ? (d.items ?? []) : []) {
        if (!known.has(it.code))
          refuse(
            'decision.unknown_item',
            `未知的不予办理原因 "${it.code}"，可用：${STAFF_REFUSAL_CODES.join(' / ')}`,
            'items',
          );
        if (it.code === 'other' && !it.note?.trim())
          refuse('decision.note_required', '以"其他"为由不予办理须写明具体原因', 'items');
      }
    },
  });
  if (confirmation.result !== 'refuse') return [...o.systemReasons];
  const reasons = [...o.systemReasons];
  const known = new Set(reasons.map((r) => r.code));
  for (const it of confirmation.items ?? []) {
    if (!known.has(it.code)) reasons.push(staffReason(it.code, it.note));
  }
  if (reasons.length === 0 && confirmation.reason) reasons.push({ code: 'other', text: confirmation.reason });
  return reasons;
}
