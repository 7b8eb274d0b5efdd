/**
 * The arguments of the messages every case workflow accepts (staff decisions, supplements,
 * deadline extensions, platform messages). The case records they share with activities, the
 * database and the API live in domain/case-records.ts; they are re-exported here so that
 * workflow code has one place to import case types from.
 */
import type { Actor, Assertion } from '../../domain/case-records';
import type { Material } from '../../domain/materials';

export type {
  Actor,
  Assertion,
  CaseOutcome,
  CaseStart,
  CaseView,
  StepRecord,
  WaitingOn,
} from '../../domain/case-records';

/** A staff step (acceptance check, review confirmation, …) sent as an Update. */
export interface StaffDecision {
  step: string;
  result: string;
  reason?: string;
  /** Items a notice must list (missing/defective materials, refusal reasons). */
  items?: Array<{ code: string; note?: string }>;
  actor: Actor;
  assertion?: Assertion;
}

export interface Supplement {
  materials: Material[];
  actor?: Actor;
  assertion?: Assertion;
}

export interface DeadlineExtension {
  workingDays: number;
  reason: string;
  actor: Actor;
  assertion?: Assertion;
}

/** A message from the national transfer platform, as delivered to a workflow: a reference
 * only. The content (which holds personal data) stays in the database. */
export interface InboundMessageRef {
  messageId: string;
  type: string;
  transferId: string;
  assertion?: Assertion;
}
