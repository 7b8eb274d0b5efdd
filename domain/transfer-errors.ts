/**
 * Typed input errors of the cross-province transfer rules (转移接续). Kept apart from any
 * general domain error module so the transfer rules do not depend on it.
 * Pure and deterministic, so workflows may import it.
 */

/** One problem with the input: a machine code, the field path (e.g. "years[2].months") and a Chinese message. */
export interface TransferRuleIssue {
  code: string;
  field: string;
  message: string;
}

/**
 * Thrown when the input of a transfer rule is invalid. `code` and `field` describe the first
 * problem; `issues` lists every problem found, so the caller can give a one-time notice
 * (一次性告知) instead of reporting them one by one.
 */
export class TransferRuleError extends Error {
  readonly code: string;
  readonly field: string;
  readonly issues: TransferRuleIssue[];

  constructor(code: string, field: string, message: string, issues?: TransferRuleIssue[]) {
    super(message);
    this.name = 'TransferRuleError';
    this.code = code;
    this.field = field;
    this.issues = issues && issues.length > 0 ? issues.map((i) => ({ ...i })) : [{ code, field, message }];
  }

  /** Builds the error from a non-empty list of issues; the message joins them all. */
  static of(issues: readonly TransferRuleIssue[]): TransferRuleError {
    if (issues.length === 0) throw new RangeError('TransferRuleError.of needs at least one issue');
    const first = issues[0];
    const message = issues.map((i) => `${i.field}：${i.message}`).join('；');
    return new TransferRuleError(first.code, first.field, message, [...issues]);
  }
}

/** Machine codes used by the transfer rules. */
export const TransferErrorCode = {
  required: 'transfer.required',
  invalidYear: 'transfer.invalid_year',
  invalidMonths: 'transfer.invalid_months',
  yearMonthsExceed12: 'transfer.year_months_exceed_12',
  invalidAmount: 'transfer.invalid_amount',
  invalidRate: 'transfer.invalid_rate',
  invalidDate: 'transfer.invalid_date',
  invalidYearMonth: 'transfer.invalid_year_month',
  dateOrder: 'transfer.date_order',
  invalidCode: 'transfer.invalid_code',
  invalidSex: 'transfer.invalid_sex',
  invalidYears: 'transfer.invalid_years',
  currentPlaceMismatch: 'transfer.current_place_mismatch',
  invalidFormat: 'transfer.invalid_format',
  invalidVersion: 'transfer.invalid_version',
  inconsistent: 'transfer.inconsistent',
} as const;
