/**
 * Monthly payroll (B-9) and the eligibility-certification cycle (领取待遇资格认证, R-4; domain.md
 * §8) as pure rules: which months an award is paid in a run, when certification is due, from
 * which month a suspension applies and after which month a death stops payment.
 * Pure and deterministic, so workflows may import it.
 */
import { RuleInputError } from './errors';
import { addMonthsToDate, formatYearMonth, isIsoDate, isYearMonth, yearMonthIndex } from './year-month';

// workflows/payroll.ts still imports it from here.
export { isYearMonth };

export type AwardStatus = 'active' | 'suspended' | 'stopped';

/** What a payroll run needs to know about one award. */
export interface PayableAward {
  status: AwardStatus;
  /** B-9: the month after certification, YYYY-MM. */
  firstPaymentMonth: string;
  /** First month not paid while suspended. */
  suspendedFrom: string | null;
  /** Last month payable once stopped (the month of death). */
  stoppedAfter: string | null;
  /** The latest month already paid, if any. */
  lastPaidMonth: string | null;
}

export interface MonthDue {
  month: string;
  /** regular: the run's own month; arrears: an earlier month not paid yet (补发). */
  kind: 'regular' | 'arrears';
}

/**
 * The months a run for `runMonth` pays an award: every month from the first unpaid one (the
 * month after the last paid, or the first payment month) up to the run's month — for an active
 * award; for a suspended one only the months before the suspension; for a stopped one up to the
 * month of death. Payments are contiguous from the first payment month (a run always pays every
 * month it owes), so "the month after the last paid" finds every unpaid month, including the
 * months of a suspension once the award is resumed. `skipped` marks a suspended award whose
 * run month falls in the suspension.
 */
export function monthsDue(a: PayableAward, runMonth: string): { due: MonthDue[]; skipped: boolean } {
  const run = yearMonthIndex(runMonth, 'runMonth');
  const first = yearMonthIndex(a.firstPaymentMonth, 'firstPaymentMonth');
  const from = Math.max(first, a.lastPaidMonth ? yearMonthIndex(a.lastPaidMonth, 'lastPaidMonth') + 1 : first);
  let to = run;
  if (a.status === 'suspended')
    to = Math.min(run, a.suspendedFrom ? yearMonthIndex(a.suspendedFrom, 'suspendedFrom') - 1 : from - 1);
  if (a.status === 'stopped')
    to = Math.min(run, a.stoppedAfter ? yearMonthIndex(a.stoppedAfter, 'stoppedAfter') : from - 1);
  const due: MonthDue[] = [];
  for (let m = from; m <= to; m += 1) due.push({ month: formatYearMonth(m), kind: m === run ? 'regular' : 'arrears' });
  const skipped =
    a.status === 'suspended' && first <= run && (a.suspendedFrom === null || yearMonthIndex(a.suspendedFrom) <= run);
  return { due, skipped };
}

/** How an eligibility certification was made (domain.md §8): data comparison, self-service (face recognition in an app), a visit. */
export const CERTIFICATION_METHODS = ['self_service', 'visit', 'data_comparison'] as const;
export type CertificationMethod = (typeof CERTIFICATION_METHODS)[number];

/** Months between two certifications: once every 12 months, from the last one (domain.md §8). */
export const CERTIFICATION_INTERVAL_MONTHS = 12;

/** The next certification due date: 12 months after the last certification. */
export function nextCertificationDue(lastCertifiedOn: string): string {
  return addMonthsToDate(lastCertifiedOn, CERTIFICATION_INTERVAL_MONTHS);
}

/** The data comparison with the death registry runs a month before the due date. */
export function dataComparisonDate(dueDate: string): string {
  return addMonthsToDate(dueDate, -1);
}

/**
 * The first month a suspension withholds: the month of the due date, or — when that month was
 * already paid (the payroll runs early in the month) — the first month not yet paid.
 */
export function suspensionStartMonth(dueDate: string, lastPaidMonth: string | null, firstPaymentMonth: string): string {
  const candidates = [yearMonthIndex(dueDate.slice(0, 7)), yearMonthIndex(firstPaymentMonth)];
  if (lastPaidMonth) candidates.push(yearMonthIndex(lastPaidMonth) + 1);
  return formatYearMonth(Math.max(...candidates));
}

/** The pension is paid for the month of death and stops from the next month (domain.md §8). */
export function lastPayableMonthOnDeath(dateOfDeath: string): string {
  if (!isIsoDate(dateOfDeath))
    throw new RuleInputError(
      'dateOfDeath',
      'INVALID_DATE',
      `expected 'YYYY-MM-DD', got ${JSON.stringify(dateOfDeath)}`,
    );
  return dateOfDeath.slice(0, 7);
}
