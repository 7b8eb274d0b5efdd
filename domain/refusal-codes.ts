/**
 * Every refusal code the workflows throw (ApplicationFailure types: Update validators, signed
 * starts, workflow inputs) with the HTTP status the API answers it with. The Chinese message
 * stays where the code is thrown; this table only says how the API answers it. Statuses: 409 the
 * case is not in a state that takes the request, 403 separation of duties, 422 the request
 * itself is refused (a missing reason, an unknown item, a forged or stale assertion).
 * test/unit/refusal-codes.test.ts checks that every code thrown in workflows/ is listed here.
 */
export const REFUSAL_STATUS = {
  // The case's state: not open, another step, a decision or votes already in.
  'case.closed': 409,
  'case.wrong_step': 409,
  'case.decision_pending': 409,
  'case.votes_complete': 409,
  'case.not_awaiting_supplement': 409,
  'case.unexpected_message': 409,
  // Not a workflow refusal: the API's own (case-intake.ts), recorded with a refused platform message and answered again on its re-delivery.
  'case.already_open': 409,

  // Separation of duties (domain/separation-of-duties.ts).
  'separation.wrong_role': 403,
  'separation.collective_member_conflict': 403,
  'separation.acceptor_cannot_review': 403,
  'separation.own_work': 403,

  // The decision as sent.
  'decision.invalid_result': 422,
  'decision.actor_required': 422,
  'decision.reasons_required': 422,
  'decision.reason_required': 422,
  'decision.items_required': 422,
  'decision.unknown_item': 422,
  'decision.note_required': 422,
  'vote.already_cast': 422,
  'review.not_eligible': 422,
  'file_review.invalid_deemed_months': 422,
  'notice.item_not_touched': 422,
  'supplement.empty': 422,
  'deadline.already_extended': 422,
  'deadline.invalid_extension': 422,
  'deadline.reason_required': 422,
  'audit.concluded': 422,
  'audit.conclusion_required': 422,
  'certification.invalid_method': 422,
  'certification.request_id_required': 422,

  // The trust boundary (workflows/shared/trust.ts): the input is not what the API signed.
  'assertion.missing': 422,
  'assertion.malformed': 422,
  'assertion.no_trust_anchor': 422,
  'assertion.unknown_key': 422,
  'assertion.bad_signature': 422,
  'assertion.wrong_case': 422,
  'assertion.wrong_action': 422,
  'assertion.wrong_request': 422,
  'assertion.expired': 422,
  'assertion.wrong_agency': 422,
  'assertion.actor_mismatch': 422,
  // A signal's refusal (the retirement watch's inputsChanged): audited, never answered over HTTP.
  'assertion.replayed': 422,
  // The certification watch's awardStopped that the database does not confirm: audited, never answered over HTTP.
  'signal.not_confirmed': 409,
  'codec.plaintext': 422,

  // A payroll run's input (started by its schedule, not through the API).
  'payroll.invalid_month': 422,
  'payroll.future_month': 422,
} as const satisfies Record<string, 403 | 409 | 422>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/** What an unknown code is answered with: a refusal of the request, never a server error. */
export const DEFAULT_REFUSAL_STATUS = 422;

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSAL_STATUS, code);
}

/** The HTTP status of a refusal code (an unknown code: 422). */
export function refusalStatus(code: string): number {
  return isRefusalCode(code) ? REFUSAL_STATUS[code] : DEFAULT_REFUSAL_STATUS;
}
