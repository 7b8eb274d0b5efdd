/**
 * The staff steps and outcomes each procedure declares (workflows/<procedure>.ts `*_STEPS`,
 * `*_OUTCOMES`): the decide Update's validator checks a decision against the step awaited, taken
 * from those tables, and the API's decision schema lists them (api/schemas/decisions.ts). The
 * `@ts-expect-error` lines are checked by the typecheck: a misspelt step or result does not compile.
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  CASE_DECISIONS,
  CaseOutcomeSchema,
  CLOSING_OUTCOMES,
  STAFF_RESULTS,
  STAFF_STEPS,
  StaffResultSchema,
  StaffStepSchema,
  type StaffStep,
} from '../../api/schemas/decisions';
import { CASE_OUTCOMES } from '../../domain/case-records';
import { BENEFIT_CLAIM_TEXTS } from '../../workflows/benefit-claim';
import { PRE_REVIEW_TEXTS } from '../../workflows/pre-review';
import { RECOVERY_STEPS, RECOVERY_TEXTS } from '../../workflows/recovery';
import { ACCEPTANCE_STEPS, ACCEPTANCE_TEXTS, ACCEPTANCE_WITH_REFUSAL_STEPS } from '../../workflows/shared/acceptance';
import type { CaseRuntime } from '../../workflows/shared/case-runtime';
import { mergeTexts } from '../../workflows/shared/case-texts';
import { REVIEW_STEPS, REVIEW_TEXTS } from '../../workflows/shared/review';
import { RISK_REVIEW_TEXTS } from '../../workflows/shared/risk-review';
import { StaffSteps, staffStep } from '../../workflows/shared/staff-steps';
import { TRANSFER_IN_TEXTS } from '../../workflows/transfer-in';
import { TRANSFER_OUT_TEXTS } from '../../workflows/transfer-out';

const reviewer = { id: 'reviewer-1', role: 'reviewer' };

/** A StaffSteps on a runtime that has only what `validate` reads. */
function staffSteps(): StaffSteps {
  const texts = mergeTexts([ACCEPTANCE_TEXTS, REVIEW_TEXTS]);
  return new StaffSteps({ start: { caseId: 'enrollment-620102-2026-000001' }, texts } as unknown as CaseRuntime);
}

function refusalOf(f: () => void): { type: string | undefined; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof ApplicationFailure) return { type: err.type ?? undefined, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('the staff steps each procedure declares', () => {
  test('the API lists every procedure’s steps and results, each once, and nothing else', () => {
    expect(STAFF_STEPS).toEqual([
      'acceptance',
      'review',
      'collective_review',
      'file_review',
      'funds_check',
      'sheet_correction',
      'pre_review_followup',
      'recovery',
    ]);
    expect(STAFF_RESULTS).toEqual([
      'accept',
      'incomplete',
      'approve',
      'refuse',
      'recognise',
      'resend',
      'acknowledged',
      'recovered',
      'written_off',
    ]);
    expect(StaffStepSchema.anyOf.map((s) => s.const)).toEqual(STAFF_STEPS);
    expect(StaffResultSchema.anyOf.map((s) => s.const)).toEqual(STAFF_RESULTS);
  });

  test('a procedure’s table is its own: enrollment’s acceptance cannot refuse, a claim’s can (8.2.2)', () => {
    expect(CASE_DECISIONS.enrollment.steps.acceptance).toEqual(['accept', 'incomplete']);
    expect(CASE_DECISIONS.benefit_claim.steps.acceptance).toEqual(['accept', 'incomplete', 'refuse']);
    expect(Object.keys(CASE_DECISIONS.stop.steps)).toEqual(['review', 'collective_review']);
    expect(CASE_DECISIONS.recovery.steps).toBe(RECOVERY_STEPS);
  });

  test('every step a procedure awaits has the title of its staff task', () => {
    const titles = mergeTexts([
      ACCEPTANCE_TEXTS,
      REVIEW_TEXTS,
      RISK_REVIEW_TEXTS,
      BENEFIT_CLAIM_TEXTS,
      TRANSFER_IN_TEXTS,
      TRANSFER_OUT_TEXTS,
      PRE_REVIEW_TEXTS,
      RECOVERY_TEXTS,
    ]).steps;
    expect(STAFF_STEPS.filter((step) => !titles[step])).toEqual([]);
  });

  test('the procedures close with every outcome a case has, and the API adds failed', () => {
    expect([...CLOSING_OUTCOMES].sort()).toEqual([...CASE_OUTCOMES].sort());
    expect(CASE_DECISIONS.pre_review.outcomes).toEqual(['approved']);
    expect(CaseOutcomeSchema.anyOf.map((s) => ('const' in s ? s.const : null))).toEqual([
      'approved',
      'refused',
      'withdrawn',
      'failed',
      null,
    ]);
  });

  test('a step is taken from its table with its results, or some of them', () => {
    expect(staffStep(REVIEW_STEPS, 'review')).toEqual({ step: 'review', results: ['approve', 'refuse'] });
    expect(staffStep(ACCEPTANCE_WITH_REFUSAL_STEPS, 'acceptance').results).toEqual([
      ...ACCEPTANCE_STEPS.acceptance,
      'refuse',
    ]);
    // @ts-expect-error a misspelt step does not compile
    staffStep(REVIEW_STEPS, 'reveiw');
    // @ts-expect-error nor a result the step does not take
    staffStep(REVIEW_STEPS, 'review', ['accept']);
    // @ts-expect-error nor a step no procedure awaits
    const unknown: StaffStep = 'confirm_sheet';
    expect(unknown).toBe('confirm_sheet');
  });
});

describe('the decide Update’s validator checks a decision against the step awaited', () => {
  test('the step awaited and one of its results pass; another step is case.wrong_step, another result decision.invalid_result', () => {
    const staff = staffSteps();
    staff.awaited = { ...staffStep(REVIEW_STEPS, 'review'), stage: 'review', waitingOn: 'reviewer', clause: '5.2.2.1' };
    expect(() => staff.validate({ step: 'review', result: 'approve', actor: reviewer })).not.toThrow();
    expect(refusalOf(() => staff.validate({ step: 'acceptance', result: 'accept', actor: reviewer }))).toEqual({
      type: 'case.wrong_step',
      message: '案件当前不在"acceptance"环节，当前等待"review"',
    });
    expect(refusalOf(() => staff.validate({ step: 'review', result: 'accept', actor: reviewer }))).toEqual({
      type: 'decision.invalid_result',
      message: '"review"环节的结果只能是 approve / refuse',
    });
  });

  test('a procedure that does not let the counter refuse refuses `refuse` at acceptance', () => {
    const staff = staffSteps();
    staff.awaited = {
      ...staffStep(ACCEPTANCE_STEPS, 'acceptance'),
      stage: 'acceptance',
      waitingOn: 'staff',
      clause: '5.2.1.2',
    };
    const acceptor = { id: 'acceptor-1', role: 'acceptor' };
    expect(refusalOf(() => staff.validate({ step: 'acceptance', result: 'refuse', actor: acceptor }))).toEqual({
      type: 'decision.invalid_result',
      message: '"acceptance"环节的结果只能是 accept / incomplete',
    });
  });
});
