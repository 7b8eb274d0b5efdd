/**
 * The audit trail of a computed figure: every amount the system computes keeps its inputs,
 * the formula and each intermediate step, so an auditor can recompute it by hand.
 */
export interface WorkingStep {
  /** What the step computes, e.g. "basic" or "④ individualAccount". */
  item: string;
  /** The expression with the actual numbers, e.g. "7594 × (1 + 1.2458) / 2 × 35.83 × 1%". */
  expression: string;
  /** The result as a decimal string, rounded as the rules say. */
  value: string;
}

export interface ParameterUse {
  /** Parameter name, e.g. "pension.baseWage" or "transfer.pooledRate". */
  name: string;
  value: string;
  /** The document the value comes from, e.g. "国发〔2005〕38号". */
  source: string;
  /** The date from which the parameter value applies (YYYY-MM-DD). */
  validFrom?: string;
}

export interface Working {
  /** The formula in words/symbols, e.g. "C × (1 + Ī) / 2 × N × 1%". */
  formula: string;
  /** Every input the computation read, as given (strings for decimals). */
  inputs: Record<string, unknown>;
  steps: WorkingStep[];
  parameters: ParameterUse[];
  /** Version of the rule implementation, bumped when the arithmetic changes. */
  ruleVersion: string;
}
