/**
 * The monthly payroll run (B-9): one payment per pensioner per month, in batches of awards, with
 * a progress line per batch in payroll_runs.log and the totals at the end. Idempotent: payments
 * are unique per award and month, so re-running a month pays nothing new. Active awards are paid
 * from their first payment month; a suspended award is skipped, and once resumed the suspended
 * months are paid in arrears by the next run; a stopped award is paid up to the month of death.
 * Started monthly by the `payroll-monthly` schedule (the month is the run's start month in China)
 * or by hand for a given month. Long runs continue as new every few hundred batches.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  continueAsNew,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { PayrollTotals } from '../activities/payroll';
import { isYearMonth } from '../domain/payroll';
import { chinaDateOf } from '../domain/working-days';
import { endCertificationWatch } from './certification';
import { recovery } from './recovery';
import { db, external } from './shared/activity-options';

export interface PayrollRunInput {
  /** The month to pay, 'YYYY-MM'; the month the run started in (China time) when absent. */
  month?: string;
  /** Carried over continue-as-new: the last award paid, the batches done and the run's key. */
  after?: string | null;
  batches?: number;
  key?: string;
}

/** Awards per batch (one activity, one transaction). */
export const PAYROLL_BATCH_SIZE = 500;
/** Batches per run before continuing as new, so the history stays small for a million awards. */
const BATCHES_PER_RUN = 200;

/** B-9 monthly payroll: pays every award what it is owed up to the month, exactly once. */
export async function payrollRun(input: PayrollRunInput = {}): Promise<PayrollTotals> {
  const info = workflowInfo();
  const currentMonth = chinaDateOf(Date.now()).slice(0, 7);
  const month = input.month ?? chinaDateOf(info.startTime.getTime()).slice(0, 7);
  if (!isYearMonth(month))
    throw ApplicationFailure.nonRetryable(
      `month must be YYYY-MM, got ${JSON.stringify(month)}`,
      'payroll.invalid_month',
    );
  if (month > currentMonth)
    throw ApplicationFailure.nonRetryable(`${month} has not begun (now ${currentMonth})`, 'payroll.future_month');
  // One key for the whole chain of runs: log lines and re-run detection survive continue-as-new.
  const key = input.key ?? info.firstExecutionRunId;

  if (input.after === undefined) await db.payrollStart({ month, key, nowMs: Date.now() });
  let after = input.after ?? null;
  let batches = input.batches ?? 0;
  for (let inThisRun = 0; ; inThisRun += 1) {
    if (inThisRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof payrollRun>({ month, after, batches, key });
    }
    setCurrentDetails(`B-9 ${month} 月养老金发放：已完成 ${batches} 批（每批 ${PAYROLL_BATCH_SIZE} 项待遇）`);
    // before paying, the batch is compared with the death registry; a death stops the award
    // at once and what was paid after it goes to a recovery case.
    if (patched('payroll-death-comparison')) {
      const compared = await external.payrollDeathComparison({
        month,
        after,
        limit: PAYROLL_BATCH_SIZE,
        nowMs: Date.now(),
      });
      for (const awardId of compared.stopped) await endCertificationWatch(awardId, `payroll-${month}`);
      for (const r of compared.recoveries) {
        try {
          await startChild(recovery, { workflowId: r.caseId, args: [r], parentClosePolicy: ParentClosePolicy.ABANDON });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
    }
    const result = await db.payrollBatch({
      month,
      after,
      limit: PAYROLL_BATCH_SIZE,
      key,
      batch: batches + 1,
      nowMs: Date.now(),
    });
    batches += 1;
    after = result.lastAwardId ?? after;
    if (result.processed < PAYROLL_BATCH_SIZE) break;
  }
  const totals = await db.payrollFinish({ month, key, nowMs: Date.now() });
  setCurrentDetails(
    `B-9 ${month} 月养老金发放完成：正常发放 ${totals.paid} 笔，补发 ${totals.arrears} 笔，暂停 ${totals.skipped} 项，合计 ${totals.total} 元`,
  );
  return totals;
}
