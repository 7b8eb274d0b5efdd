/**
 * The Temporal list-filter queries operations staff use to find stuck and overdue cases, in one
 * place: docs/operations.md quotes them (a unit test checks every example below appears there
 * verbatim) and test/integration/workflows/ops-queries.test.ts runs each one against the dev
 * server. Pure string builders over the search attributes of ./search-attributes; no I/O.
 *
 * Values are double-quoted so a query can be pasted into the Web UI's filter box and, inside
 * single quotes, into `temporal workflow list --query '…'`. Instants are RFC 3339 in China
 * time (+08:00), which is how staff read dates.
 */
import {
  saAgencyCode,
  saCaseStage,
  saCaseStatus,
  saClockState,
  saCounterpartDueAt,
  saCounterpartOverdue,
  saDeadlineProvisional,
  saDueAt,
  saOverdue,
  saPersonKey,
  saProcedure,
  saWaitingOn,
  saWaitingSince,
} from './search-attributes';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant as RFC 3339 in China time, seconds precision: 2026-12-04T09:30:00+08:00. */
export function chinaInstant(at: Date): string {
  return `${new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** `now` plus `days` calendar days, as chinaInstant. */
export function daysFrom(now: Date, days: number): string {
  return chinaInstant(new Date(now.getTime() + days * DAY_MS));
}

const eq = (name: string, value: string | boolean) =>
  `${name} = ${typeof value === 'boolean' ? String(value) : `"${value}"`}`;
/**
 * A case that is open and whose workflow runs. A workflow that ended without closing its case
 * (terminated, failed) keeps its last attributes, CaseStatus "open" included: it belongs in
 * `endedButOpen`, not in the work lists.
 */
const open = `ExecutionStatus = "Running" AND ${eq(saCaseStatus.name, 'open')}`;

/** Appends ` AND AgencyCode = "…"` when an agency is given (every query may be narrowed so). */
function scoped(query: string, agencyCode?: string): string {
  return agencyCode ? `${query} AND ${eq(saAgencyCode.name, agencyCode)}` : query;
}

export interface AgencyScope {
  /** Narrow to one agency (6 digits). */
  agencyCode?: string;
}

export const opsQueries = {
  /** Open cases past their statutory deadline (the breach timer fired; an extension clears it). */
  overdue: (o: AgencyScope = {}) => scoped(`${open} AND ${eq(saOverdue.name, true)}`, o.agencyCode),

  /** Open cases not yet overdue whose statutory deadline falls before `now` + `days` calendar days. */
  dueWithin: (o: AgencyScope & { now: Date; days: number }) =>
    scoped(
      `${open} AND ${eq(saOverdue.name, false)} AND ${saDueAt.name} <= "${daysFrom(o.now, o.days)}"`,
      o.agencyCode,
    ),

  /** Open cases whose statutory clock is paused: they wait on the applicant (supplement). */
  waitingOnApplicant: (o: AgencyScope = {}) => scoped(`${open} AND ${eq(saWaitingOn.name, 'applicant')}`, o.agencyCode),
  clockPaused: (o: AgencyScope = {}) => scoped(`${open} AND ${eq(saClockState.name, 'paused')}`, o.agencyCode),

  /** Open cases waiting on counter staff or a reviewer. */
  waitingOnStaff: (o: AgencyScope = {}) =>
    scoped(`${open} AND ${saWaitingOn.name} IN ("staff", "reviewer")`, o.agencyCode),

  /** Open cases waiting on the other province's agency (cross-province transfers). */
  waitingOnCounterpart: (o: AgencyScope = {}) =>
    scoped(`${open} AND ${eq(saWaitingOn.name, 'counterpart')}`, o.agencyCode),

  /**
   * Waiting on the other province since before `since` (for "longer than N working days", pass
   * the instant N working days ago; GET /api/v1/calendar/working-days counts them).
   */
  counterpartWaitingSince: (o: AgencyScope & { since: Date }) =>
    scoped(
      `${open} AND ${eq(saWaitingOn.name, 'counterpart')} AND ${saWaitingSince.name} < "${chinaInstant(o.since)}"`,
      o.agencyCode,
    ),

  /** The other province has let its 15 working days pass (we have sent at least one reminder). */
  counterpartOverdue: (o: AgencyScope = {}) =>
    scoped(`${open} AND ${eq(saCounterpartOverdue.name, true)}`, o.agencyCode),

  /** The other province's reply falls due before `now` + `days` calendar days. */
  counterpartDueWithin: (o: AgencyScope & { now: Date; days: number }) =>
    scoped(`${open} AND ${saCounterpartDueAt.name} <= "${daysFrom(o.now, o.days)}"`, o.agencyCode),

  /** High-risk benefit claims waiting for the collective review's votes (10.2.3). */
  collectiveReview: (o: AgencyScope = {}) =>
    scoped(`${open} AND ${eq(saCaseStage.name, 'collective_review')}`, o.agencyCode),

  /**
   * Open cases whose computation waits for a parameter nobody has published (an average wage,
   * an interest rate of a year): a supervisor publishes it (two supervisors, POST
   * /api/v1/parameters) and the cases go on by themselves.
   */
  waitingOnParameters: (o: AgencyScope = {}) =>
    scoped(
      `${open} AND ${eq(saWaitingOn.name, 'supervisor')} AND ${eq(saCaseStage.name, 'awaiting_parameters')}`,
      o.agencyCode,
    ),

  /** Deadlines computed beyond the published working-day calendar (re-projected on publication). */
  provisional: (o: AgencyScope = {}) => scoped(`${open} AND ${eq(saDeadlineProvisional.name, true)}`, o.agencyCode),

  /** One agency's open cases. */
  byAgency: (o: { agencyCode: string }) => `${open} AND ${eq(saAgencyCode.name, o.agencyCode)}`,
  /** One procedure's open cases (CaseProcedure: PROCEDURE is a keyword of the query language). */
  byProcedure: (o: AgencyScope & { procedure: string }) =>
    scoped(`${open} AND ${eq(saProcedure.name, o.procedure)}`, o.agencyCode),
  /** Open cases at one stage. */
  byStage: (o: AgencyScope & { stage: string }) => scoped(`${open} AND ${eq(saCaseStage.name, o.stage)}`, o.agencyCode),
  /** Every case of one person, by the pseudonymous key the API shows (never the ID number). */
  byPerson: (o: { personKey: string }) => eq(saPersonKey.name, o.personKey),

  /**
   * The workflow ended without closing the case (terminated, failed, timed out, cancelled):
   * the case record still says open and nothing moves it on. Always a problem.
   */
  endedButOpen: (o: AgencyScope = {}) =>
    scoped(`ExecutionStatus != "Running" AND ${eq(saCaseStatus.name, 'open')}`, o.agencyCode),
  /** Workflows that failed or were terminated (any kind, including schedules' runs). */
  failedOrTerminated: (o: AgencyScope = {}) =>
    scoped(`ExecutionStatus IN ("Failed", "Terminated", "TimedOut", "Canceled")`, o.agencyCode),
  /** Running case workflows: the set to inspect for retrying activities (see the doc). */
  runningCases: (o: AgencyScope = {}) => scoped(open, o.agencyCode),
  /** Workflows with an activity an operator paused (`temporal activity pause`). */
  pausedActivities: (o: AgencyScope = {}) =>
    scoped(`ExecutionStatus = "Running" AND TemporalPauseInfo IS NOT NULL`, o.agencyCode),
} as const;

export type OpsQueryName = keyof typeof opsQueries;

/** The instant the doc's examples are computed for (a Monday, 09:00 China time). */
export const EXAMPLE_NOW = new Date('2026-11-30T01:00:00Z');

/**
 * The examples docs/operations.md shows, in its order, with the CLI line of each. A unit test
 * checks each query (and its CLI line) appears in the doc verbatim.
 */
export const OPS_QUERY_EXAMPLES: ReadonlyArray<{ name: OpsQueryName; query: string }> = [
  { name: 'overdue', query: opsQueries.overdue() },
  { name: 'dueWithin', query: opsQueries.dueWithin({ now: EXAMPLE_NOW, days: 3 }) },
  { name: 'waitingOnApplicant', query: opsQueries.waitingOnApplicant() },
  { name: 'clockPaused', query: opsQueries.clockPaused() },
  { name: 'waitingOnStaff', query: opsQueries.waitingOnStaff() },
  { name: 'waitingOnCounterpart', query: opsQueries.waitingOnCounterpart() },
  {
    name: 'counterpartWaitingSince',
    query: opsQueries.counterpartWaitingSince({ since: new Date('2026-11-16T01:00:00Z') }),
  },
  { name: 'counterpartOverdue', query: opsQueries.counterpartOverdue() },
  { name: 'counterpartDueWithin', query: opsQueries.counterpartDueWithin({ now: EXAMPLE_NOW, days: 5 }) },
  { name: 'collectiveReview', query: opsQueries.collectiveReview() },
  { name: 'waitingOnParameters', query: opsQueries.waitingOnParameters() },
  { name: 'provisional', query: opsQueries.provisional() },
  { name: 'byAgency', query: opsQueries.byAgency({ agencyCode: '620102' }) },
  { name: 'byProcedure', query: opsQueries.byProcedure({ procedure: 'transfer_in' }) },
  { name: 'byStage', query: opsQueries.byStage({ stage: 'acceptance', agencyCode: '620102' }) },
  { name: 'byPerson', query: opsQueries.byPerson({ personKey: 'PA4231F4A4B48F0ABB2FFE878' }) },
  { name: 'endedButOpen', query: opsQueries.endedButOpen() },
  { name: 'failedOrTerminated', query: opsQueries.failedOrTerminated() },
  { name: 'runningCases', query: opsQueries.runningCases() },
  { name: 'pausedActivities', query: opsQueries.pausedActivities() },
];

/** `temporal workflow list` for a query (add --address/--namespace for a remote cluster). */
export function cliLine(query: string): string {
  return `temporal workflow list --query '${query}'`;
}
