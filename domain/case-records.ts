/**
 * The records of a case that every layer shares: what a case workflow starts with, who acted and
 * what the API signed, what the workflow says about itself (CaseView) and what each recorded step
 * writes (StepRecord), with the statutory clock and notice items the database stores. Types only;
 * no personal data here.
 */
import type { Material } from './materials';
import type { MissingParameter } from './parameter-resolver';

export type WaitingOn = 'applicant' | 'staff' | 'reviewer' | 'counterpart' | 'system' | 'supervisor';
/** How a case workflow can close (the database adds `failed`: a workflow that could not close). */
export const CASE_OUTCOMES = ['approved', 'refused', 'withdrawn'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** Fields every case workflow starts with. */
export interface CaseStart {
  caseId: string;
  agencyCode: string;
  channel: 'online' | 'offline' | 'platform';
  /** Pseudonymous person key (HMAC of the ID number); never the ID number itself. */
  personKey: string;
  /** Receipt instant (ISO 8601); the statutory clock starts here. */
  receivedAt: string;
  /**
   * Who received the application (offline: the counter acceptor, from the verified token; online:
   * the applicant). Recorded as the actor of `case_received`; whoever received a case cannot
   * review it. Optional: older cases (and replayed histories) have none.
   */
  receivedBy?: Actor;
  /** Signed by the API (absent in cases started before signed assertions, and in child workflows). */
  assertion?: Assertion;
}

/**
 * What the API signs onto every staff/applicant input it sends a workflow (workflows/shared/trust.ts):
 * who, for which case and action, when, for which request; `sig` is Ed25519 over the input in
 * canonical JSON without `sig`, base64url.
 */
export interface Assertion {
  v: 1;
  /** Which of the API's keys signed (rotation). */
  kid: string;
  sub: string;
  role: string;
  agencies: string[];
  caseId: string;
  /** The Update or signal name, or "start". */
  action: string;
  /** Issued at, epoch milliseconds. */
  iat: number;
  /** The request it was issued for: the Update ID (de-duplication key), or the case ID for a start. */
  key: string;
  sig: string;
}

/** A verified actor: the user or client ID and the role of the token the API verified. */
export interface Actor {
  id: string;
  role: string;
}

/** What the workflow says about itself (query, and every Update's answer). */
export interface CaseView {
  caseId: string;
  procedure: string;
  status: 'open' | 'closed';
  stage: string;
  waitingOn: WaitingOn | null;
  outcome: CaseOutcome | null;
  clock: ClockSnapshot;
  /** The step the case waits for, when it waits on staff. */
  awaitingStep: string | null;
  clocks: Record<string, ClockSnapshot>;
  /** Platform message types the case accepts now. */
  expectedMessages: string[];
  /** The parameters the case waits for a supervisor to publish (stage awaiting_parameters). */
  missingParameters?: MissingParameter[];
  /** The highest grade of the risk points the case touched, once it touched any. */
  riskGrade?: 'high' | 'medium' | 'low';
}

/** One recorded step: the projection update, the event, and whatever the step produced. */
export interface StepRecord {
  caseId: string;
  seq: number;
  eventKey: string;
  runId: string;
  type: string;
  clause?: string;
  occurredAt: string;
  stage: string;
  waitingOn: WaitingOn | null;
  status: 'open' | 'closed';
  outcome?: CaseOutcome;
  outcomeReason?: string;
  followUp?: string;
  clock: ClockSnapshot;
  /** Secondary clocks (step limits, the counterpart's expected reply), by name. */
  clocks?: Record<string, ClockSnapshot>;
  /** Since when the case waits on `waitingOn` (ISO). */
  waitingSince?: string | null;
  actor?: Actor;
  detail: Record<string, unknown>;
  notice?: {
    kind: 'missing_materials' | 'refusal_reasons' | 'return_for_completion' | 'acceptance_refused' | 'outcome';
    round: number;
    items: NoticeItem[];
    text: string;
    replyDueDate?: string;
  };
  decision?: {
    requestId: string;
    step: string;
    result: string;
    reason?: string;
    items?: NoticeItem[];
  };
  materials?: { round: number; items: Material[] };
  /** A staff task opened (the case now waits on a person) or closed (the step was done). */
  task?: {
    open?: { key: string; step: string; role: string; title: string; clause: string; dueAt: string | null };
    close?: { key: string };
  };
}

/** A snapshot of the statutory clock, written by the workflow with every transition. */
export interface ClockSnapshot {
  /** Statutory budget in working days; 0 means "the same working day" (即时办结). */
  budgetWorkingDays: number;
  extensionWorkingDays: number;
  extensionReason?: string;
  /** Working days consumed in closed running segments. */
  consumedWorkingDays: number;
  state: 'running' | 'paused' | 'stopped';
  /** Due date (China date) of the running segment; null while paused. */
  dueDate: string | null;
  dueAt: string | null;
  reminderAt: string | null;
  provisional: boolean;
  calendarVersion: number;
  clause: string;
  overdue: boolean;
}

export interface NoticeItem {
  code: string;
  text: string;
}
