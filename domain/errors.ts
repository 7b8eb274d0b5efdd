/**
 * Typed errors raised by the pure rule functions under `domain/`. They carry a stable `code`
 * (for API responses and workflow decisions) and, for input errors, the offending `field`.
 * Pure: no Node builtins, safe inside Temporal workflows.
 */

/** Stable codes of {@link RuleInputError}. Add new codes; never rename existing ones. */
export type RuleInputErrorCode =
  | 'INVALID_YEAR_MONTH'
  | 'INVALID_DATE'
  | 'INVALID_SEX'
  | 'INVALID_ORIGINAL_AGE'
  | 'RETIRE_AT_OUTSIDE_WINDOW'
  | 'INVALID_DECIMAL'
  | 'NEGATIVE_AMOUNT'
  | 'NON_POSITIVE_AMOUNT'
  | 'INVALID_MONTH_COUNT'
  | 'DEEMED_EXCEEDS_TOTAL'
  | 'AGE_OUT_OF_RANGE'
  | 'INVALID_OPTION'
  | 'PARAMETER_MISMATCH'
  | 'MISSING_AVERAGE_WAGE'
  | 'MISSING_INTEREST_RATE'
  | 'MISSING_CREDIT_RATE'
  | 'NO_RECORDS'
  | 'YEAR_OUT_OF_RANGE'
  | 'INVALID_TABLE';

/** A rule was called with an input it cannot accept (a caller or data error, not a system fault). */
export class RuleInputError extends Error {
  /** The input field at fault, e.g. "originalAge" or "records[3].base". */
  readonly field: string;
  /** Stable machine-readable code. */
  readonly code: RuleInputErrorCode;

  constructor(field: string, code: RuleInputErrorCode, message: string) {
    super(`${field}: ${message}`);
    this.name = 'RuleInputError';
    this.field = field;
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Stable codes of {@link ParameterLookupError}. */
export type ParameterLookupErrorCode = 'PARAMETER_NOT_FOUND' | 'PARAMETER_AMBIGUOUS' | 'PARAMETER_INVALID';

/** No (or no unambiguous) parameter row applies for a name, region and date. */
export class ParameterLookupError extends Error {
  readonly code: ParameterLookupErrorCode;
  readonly parameterName: string;
  readonly region: string;
  readonly onDate: string;

  constructor(code: ParameterLookupErrorCode, parameterName: string, region: string, onDate: string, message: string) {
    super(message);
    this.name = 'ParameterLookupError';
    this.code = code;
    this.parameterName = parameterName;
    this.region = region;
    this.onDate = onDate;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
