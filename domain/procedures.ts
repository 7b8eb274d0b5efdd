/**
 * What each applicant-facing procedure is bound to by the standard: its statutory time limit
 * (in working days, with the clause that sets it) and the channels it is applied through. The
 * case workflows start their statutory clocks from these specs and the service guide
 * (domain/service-guide.ts) prints them, so a limit is written once.
 * Pure and deterministic, so workflows may import it.
 */
import { CLAIM_BUDGET_WORKING_DAYS } from './claim';

/** The five procedures an applicant (or the other province) starts. */
export const APPLICANT_PROCEDURES = ['enrollment', 'stop', 'benefit_claim', 'transfer_in', 'transfer_out'] as const;
export type ApplicantProcedure = (typeof APPLICANT_PROCEDURES)[number];

/** A statutory clock: the shape workflows/shared/statutory-clock.ts runs. */
export interface StatutoryLimit {
  /** Working days; 0 = the same working day (即时办结). */
  budgetWorkingDays: number;
  /** Clause of DB62/T 5079.1—2025 that sets the limit. */
  clause: string;
  /** Fraction of the budget after which a reminder fires; none for same-day limits. */
  reminderFraction?: number;
}

/** The whole procedure's limit: E-4 (5.1.4), S-3 (7.1.3), B-3 (8.1.3), T-4 (9.1.3). */
export const STATUTORY_LIMITS: Readonly<Record<ApplicantProcedure, StatutoryLimit>> = {
  enrollment: { budgetWorkingDays: 0, clause: '5.1.4' },
  stop: { budgetWorkingDays: 0, clause: '7.1.3' },
  benefit_claim: { budgetWorkingDays: CLAIM_BUDGET_WORKING_DAYS, clause: '8.1.3', reminderFraction: 0.8 },
  transfer_in: { budgetWorkingDays: 15, clause: '9.1.3', reminderFraction: 0.8 },
  transfer_out: { budgetWorkingDays: 15, clause: '9.1.3', reminderFraction: 0.8 },
};

/** Limits of single steps inside a procedure: the transfer-in review within 3 working days (T-5 a). */
export const STEP_LIMITS = {
  transferInReview: { budgetWorkingDays: 3, clause: '9.2.1 a' },
} as const satisfies Record<string, StatutoryLimit>;

export type ProcedureChannel = 'online' | 'offline' | 'platform';

/**
 * The channels each procedure is received through (E-3, S-2, B-4, T-3): the API's intake takes
 * online and offline applications; a transfer out starts only with the other province's contact
 * letter from the national platform, and a transfer in may also start there.
 */
export const PROCEDURE_CHANNELS: Readonly<Record<ApplicantProcedure, readonly ProcedureChannel[]>> = {
  enrollment: ['online', 'offline'],
  stop: ['online', 'offline'],
  benefit_claim: ['online', 'offline'],
  transfer_in: ['online', 'offline', 'platform'],
  transfer_out: ['platform'],
};
