/**
 * Service evaluation (V-1, 12.1; indicators after GB/T 34414): for the cases an agency closed in
 * a period — how many, how many within the statutory limit, how long in working days net of the
 * applicant's supplement waits, how often a second notice round was needed (one-time notice),
 * why applications were refused, how applicants rated them — and the deadline breaches recorded
 * in the period. Pure: the facts of each case and the working-day calendar are arguments.
 */
import type { CaseOutcome } from './case-records';
import { APPLICANT_PROCEDURES } from './procedures';
import { chinaDateOf, workingDaysBetween, type CalendarSnapshot } from './working-days';

/** What the evaluation needs to know of one closed case (db/repositories/evaluation.ts reads it). */
export interface EvaluatedCase {
  caseId: string;
  agencyCode: string;
  procedure: string;
  outcome: CaseOutcome;
  /** Comma-separated reason codes of a refusal (the case's outcome_reason). */
  outcomeReason: string | null;
  receivedAtMs: number;
  closedAtMs: number;
  /** Working days the statutory clock consumed in its closed running segments (cases.clock). */
  consumedWorkingDays: number;
  /** When the clock last resumed after a supplement (null: it never paused, or never resumed). */
  lastResumedAtMs: number | null;
  /** When the clock last paused for a supplement (a one-time notice); null: never. */
  lastPausedAtMs: number | null;
  /** The statutory deadline passed before the case closed (a `deadline_breached` event). */
  breached: boolean;
  /** Rounds of missing-material notices (one-time notices and later rounds). */
  noticeRounds: number;
  /** The applicant's rating (1–5), if any, and whether a poor one was followed up. */
  rating: number | null;
  ratingFollowedUp: boolean;
}

/** Handling time in working days net of pauses: the closed segments plus the last one, if the clock ran at the close. */
export function handlingWorkingDays(cal: CalendarSnapshot, c: EvaluatedCase): number {
  const closedWhilePaused =
    c.lastPausedAtMs !== null && (c.lastResumedAtMs === null || c.lastPausedAtMs > c.lastResumedAtMs);
  if (closedWhilePaused) return c.consumedWorkingDays;
  const lastSegmentStart = c.lastResumedAtMs ?? c.receivedAtMs;
  return (
    c.consumedWorkingDays +
    workingDaysBetween(cal, chinaDateOf(lastSegmentStart), chinaDateOf(c.closedAtMs)).workingDays
  );
}

/** Median (the mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Percentile by the nearest-rank method (the smallest value with at least p % of values at or below it); null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(Math.ceil((p / 100) * s.length), 1) - 1];
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export interface EvaluationFigures {
  /** Cases closed in the period. */
  handled: number;
  approved: number;
  refused: number;
  withdrawn: number;
  /** Closed without a deadline breach. */
  onTime: number;
  late: number;
  /** onTime / handled, 4 decimals; null when nothing was handled. */
  onTimeRate: number | null;
  /** Working days from receipt to closing, supplement waits excluded. */
  handlingWorkingDays: { median: number | null; p90: number | null; max: number | null };
  /** Cases whose clock paused for the applicant's supplement. */
  pausedCases: number;
  /** Cases that got a missing-materials notice, and those that needed more than one round. */
  noticeCases: number;
  multiRoundNoticeCases: number;
  /** Share of the noticed cases that needed one round only; null without notices. */
  oneTimeNoticeRate: number | null;
  /** Refusal reason codes, most frequent first. */
  refusalReasons: Array<{ code: string; count: number }>;
  satisfaction: {
    ratings: number;
    /** Count per score, "1" to "5". */
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
    average: number | null;
    poor: number;
    poorFollowedUp: number;
  };
  /** Deadline breaches recorded in the period (cases open or closed). */
  deadlineBreaches: number;
}

export interface EvaluationGroup extends EvaluationFigures {
  agencyCode: string | null;
  procedure: string | null;
}

export interface Evaluation {
  from: string;
  to: string;
  agencies: string[];
  procedures: string[];
  total: EvaluationFigures;
  byProcedure: EvaluationGroup[];
  byAgency: EvaluationGroup[];
  byAgencyProcedure: EvaluationGroup[];
}

/** A deadline breach recorded in the period. */
export interface Breach {
  agencyCode: string;
  procedure: string;
}

export const POOR_RATING_MAX = 2;

export function figuresOf(
  cal: CalendarSnapshot,
  cases: readonly EvaluatedCase[],
  breaches: readonly Breach[],
): EvaluationFigures {
  const times = cases.map((c) => handlingWorkingDays(cal, c));
  const onTime = cases.filter((c) => !c.breached).length;
  const noticed = cases.filter((c) => c.noticeRounds > 0);
  const multi = noticed.filter((c) => c.noticeRounds > 1).length;
  const reasons = new Map<string, number>();
  for (const c of cases.filter((x) => x.outcome === 'refused')) {
    for (const code of (c.outcomeReason ?? 'unspecified')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  const rated = cases.filter((c) => c.rating !== null);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const c of rated) distribution[String(c.rating) as keyof typeof distribution] += 1;
  const poor = rated.filter((c) => c.rating! <= POOR_RATING_MAX);
  return {
    handled: cases.length,
    approved: cases.filter((c) => c.outcome === 'approved').length,
    refused: cases.filter((c) => c.outcome === 'refused').length,
    withdrawn: cases.filter((c) => c.outcome === 'withdrawn').length,
    onTime,
    late: cases.length - onTime,
    onTimeRate: ratio(onTime, cases.length),
    handlingWorkingDays: {
      median: median(times),
      p90: percentile(times, 90),
      max: times.length ? Math.max(...times) : null,
    },
    pausedCases: cases.filter((c) => c.lastPausedAtMs !== null).length,
    noticeCases: noticed.length,
    multiRoundNoticeCases: multi,
    oneTimeNoticeRate: ratio(noticed.length - multi, noticed.length),
    refusalReasons: [...reasons]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    satisfaction: {
      ratings: rated.length,
      distribution,
      average: rated.length ? Math.round((rated.reduce((s, c) => s + c.rating!, 0) / rated.length) * 100) / 100 : null,
      poor: poor.length,
      poorFollowedUp: poor.filter((c) => c.ratingFollowedUp).length,
    },
    deadlineBreaches: breaches.length,
  };
}

/** The evaluation of a period: in total, per procedure, per agency and per agency and procedure. */
export function evaluate(
  cal: CalendarSnapshot,
  o: {
    from: string;
    to: string;
    agencies: readonly string[];
    procedures?: readonly string[];
    cases: readonly EvaluatedCase[];
    breaches: readonly Breach[];
  },
): Evaluation {
  const procedures = [...(o.procedures ?? APPLICANT_PROCEDURES)];
  const agencies = [
    ...new Set([...o.agencies, ...o.cases.map((c) => c.agencyCode), ...o.breaches.map((b) => b.agencyCode)]),
  ].sort();
  const group = (agencyCode: string | null, procedure: string | null): EvaluationGroup => ({
    agencyCode,
    procedure,
    ...figuresOf(
      cal,
      o.cases.filter(
        (c) =>
          (agencyCode === null || c.agencyCode === agencyCode) && (procedure === null || c.procedure === procedure),
      ),
      o.breaches.filter(
        (b) =>
          (agencyCode === null || b.agencyCode === agencyCode) && (procedure === null || b.procedure === procedure),
      ),
    ),
  });
  return {
    from: o.from,
    to: o.to,
    agencies,
    procedures,
    total: figuresOf(cal, o.cases, o.breaches),
    byProcedure: procedures.map((p) => group(null, p)),
    byAgency: agencies.map((a) => group(a, null)),
    byAgencyProcedure: agencies.flatMap((a) => procedures.map((p) => group(a, p))),
  };
}

const CSV_COLUMNS = [
  'scope',
  'agencyCode',
  'procedure',
  'handled',
  'approved',
  'refused',
  'withdrawn',
  'onTime',
  'late',
  'onTimeRate',
  'handlingMedianWorkingDays',
  'handlingP90WorkingDays',
  'handlingMaxWorkingDays',
  'pausedCases',
  'noticeCases',
  'multiRoundNoticeCases',
  'oneTimeNoticeRate',
  'deadlineBreaches',
  'ratings',
  'rating1',
  'rating2',
  'rating3',
  'rating4',
  'rating5',
  'ratingAverage',
  'poorRatings',
  'poorRatingsFollowedUp',
  'refusalReasons',
] as const;

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(
  scope: string,
  g: EvaluationFigures & { agencyCode?: string | null; procedure?: string | null },
): string {
  const s = g.satisfaction;
  const cells: Array<string | number | null> = [
    scope,
    g.agencyCode ?? '',
    g.procedure ?? '',
    g.handled,
    g.approved,
    g.refused,
    g.withdrawn,
    g.onTime,
    g.late,
    g.onTimeRate,
    g.handlingWorkingDays.median,
    g.handlingWorkingDays.p90,
    g.handlingWorkingDays.max,
    g.pausedCases,
    g.noticeCases,
    g.multiRoundNoticeCases,
    g.oneTimeNoticeRate,
    g.deadlineBreaches,
    s.ratings,
    s.distribution['1'],
    s.distribution['2'],
    s.distribution['3'],
    s.distribution['4'],
    s.distribution['5'],
    s.average,
    s.poor,
    s.poorFollowedUp,
    g.refusalReasons.map((r) => `${r.code}:${r.count}`).join(';'),
  ];
  return cells.map(csvCell).join(',');
}

/** One line per group: total, then per procedure, per agency, per agency and procedure. */
export function evaluationCsv(e: Evaluation): string {
  const lines = [
    CSV_COLUMNS.join(','),
    csvRow('total', e.total),
    ...e.byProcedure.map((g) => csvRow('procedure', g)),
    ...e.byAgency.map((g) => csvRow('agency', g)),
    ...e.byAgencyProcedure.map((g) => csvRow('agency_procedure', g)),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
