/**
 * The staff decisions and case outcomes the API documents and accepts, read from the procedures
 * themselves: each workflow file exports the staff steps it awaits with their results
 * (`*_STEPS`) and the outcomes it closes with (`*_OUTCOMES`), so a step added to a workflow
 * appears here and in the OpenAPI document. The schema takes any procedure's step and result;
 * whether the case awaits that step now, and whether that step takes that result, the workflow
 * decides (409 case.wrong_step, 422 decision.invalid_result).
 */
import { Type } from '@sinclair/typebox';
import type { Procedure } from '../../db/schema';
import { BENEFIT_CLAIM_OUTCOMES, BENEFIT_CLAIM_STEPS } from '../../workflows/benefit-claim';
import { ENROLLMENT_OUTCOMES, ENROLLMENT_STEPS } from '../../workflows/enrollment';
import { PRE_REVIEW_OUTCOMES, PRE_REVIEW_STEPS } from '../../workflows/pre-review';
import { RECOVERY_OUTCOMES, RECOVERY_STEPS } from '../../workflows/recovery';
import type { CaseOutcomes, StaffStepTable } from '../../workflows/shared/staff-steps';
import { STOP_OUTCOMES, STOP_STEPS } from '../../workflows/stop';
import { TRANSFER_IN_OUTCOMES, TRANSFER_IN_STEPS } from '../../workflows/transfer-in';
import { TRANSFER_OUT_OUTCOMES, TRANSFER_OUT_STEPS } from '../../workflows/transfer-out';

/** Every case procedure (the database's list, so none is left out) with its staff steps and outcomes. */
export const CASE_DECISIONS = {
  enrollment: { steps: ENROLLMENT_STEPS, outcomes: ENROLLMENT_OUTCOMES },
  stop: { steps: STOP_STEPS, outcomes: STOP_OUTCOMES },
  benefit_claim: { steps: BENEFIT_CLAIM_STEPS, outcomes: BENEFIT_CLAIM_OUTCOMES },
  transfer_in: { steps: TRANSFER_IN_STEPS, outcomes: TRANSFER_IN_OUTCOMES },
  transfer_out: { steps: TRANSFER_OUT_STEPS, outcomes: TRANSFER_OUT_OUTCOMES },
  pre_review: { steps: PRE_REVIEW_STEPS, outcomes: PRE_REVIEW_OUTCOMES },
  recovery: { steps: RECOVERY_STEPS, outcomes: RECOVERY_OUTCOMES },
} as const satisfies Record<Procedure, { steps: StaffStepTable; outcomes: CaseOutcomes }>;

type Declared = (typeof CASE_DECISIONS)[Procedure];
type StepsOf<T> = T extends { steps: infer S } ? keyof S & string : never;
type ResultsOf<T> = T extends { steps: infer S extends StaffStepTable } ? S[keyof S][number] : never;

/** A step some procedure's staff decide, and a result some step takes. */
export type StaffStep = StepsOf<Declared>;
export type StaffResult = ResultsOf<Declared>;
export type ClosingOutcome = Declared['outcomes'][number];

const declared: readonly Declared[] = Object.values(CASE_DECISIONS);
const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Every procedure's staff steps, results and outcomes, each once, in the order the procedures declare them. */
export const STAFF_STEPS = unique(declared.flatMap((p) => Object.keys(p.steps))) as StaffStep[];
export const STAFF_RESULTS = unique(
  declared.flatMap((p): readonly string[] => Object.values<readonly string[]>(p.steps).flat()),
) as StaffResult[];
export const CLOSING_OUTCOMES = unique(declared.flatMap((p): readonly ClosingOutcome[] => p.outcomes));

/** "enrollment: acceptance (accept | incomplete), review (approve | refuse); stop: …" for the documentation. */
const stepsByProcedure = Object.entries(CASE_DECISIONS)
  .map(
    ([procedure, p]) =>
      `${procedure}: ${Object.entries<readonly string[]>(p.steps)
        .map(([step, results]) => `${step} (${results.join(' | ')})`)
        .join(', ')}`,
  )
  .join('; ');

export const StaffStepSchema = Type.Union(
  STAFF_STEPS.map((s) => Type.Literal(s)),
  {
    description: `The staff step the case awaits (the \`step\` of its open task). Each procedure's steps, with their results — ${stepsByProcedure}`,
  },
);

export const StaffResultSchema = Type.Union(
  STAFF_RESULTS.map((r) => Type.Literal(r)),
  { description: 'One of the results of the step (see `step`)' },
);

/** A case's outcome: how its workflow closed it, or `failed` (it could not), or null while open. */
export const CaseOutcomeSchema = Type.Union(
  [...CLOSING_OUTCOMES.map((o) => Type.Literal(o)), Type.Literal('failed'), Type.Null()],
  {
    description:
      'failed: the workflow failed, was terminated or timed out; a supervisor has a task to take the case over',
  },
);
