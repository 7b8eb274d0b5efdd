/**
 * Activities of the monthly payroll run (B-9): open the month's run, pay one batch of awards
 * (one transaction: the payments, ON CONFLICT DO NOTHING on award and month, and the batch's
 * progress line), and close the run with its totals, which are counted from the payments
 * themselves so a re-run reports the same month exactly.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { lastPaidMonths } from '../db/repositories/awards';
import { awardAdjustments, awards, payments, payrollRuns } from '../db/schema';
import { dec, money } from '../domain/money';
import { monthsDue } from '../domain/payroll';
import { isYearMonth } from '../domain/year-month';

export interface PayrollDeps {
  db: Db;
}

export interface PayrollBatchResult {
  /** Awards looked at in this batch; fewer than the limit means the last batch. */
  processed: number;
  lastAwardId: string | null;
  paid: number;
  arrears: number;
  skipped: number;
  /** Recalculation differences settled (paid back or recovered) in this batch. */
  adjustments: number;
  adjustmentAmount: string;
  amount: string;
}

export interface PayrollTotals {
  month: string;
  paid: number;
  arrears: number;
  skipped: number;
  adjustments: number;
  /** Net of the differences settled: positive paid back, negative recovered. */
  adjustmentTotal: string;
  /** Payments plus the net adjustments. */
  total: string;
}

/** Appends a line to the run's log once: the key (run and batch) makes an activity retry add nothing. */
async function appendLog(
  tx: DbOrTx,
  month: string,
  entry: { key: string; at: string; message: string },
): Promise<void> {
  await tx
    .update(payrollRuns)
    .set({ log: sql`${payrollRuns.log} || ${JSON.stringify([entry])}::jsonb` })
    .where(
      and(eq(payrollRuns.month, month), sql`not ${payrollRuns.log} @> ${JSON.stringify([{ key: entry.key }])}::jsonb`),
    );
}

function requireMonth(month: string): void {
  if (!isYearMonth(month))
    throw ApplicationFailure.nonRetryable(
      `month must be YYYY-MM, got ${JSON.stringify(month)}`,
      'payroll.invalid_month',
    );
}

export function createPayrollActivities({ db }: PayrollDeps) {
  return {
    /** Opens the month's run, or re-opens it for a re-run (which pays only what is still owed). */
    async payrollStart(input: { month: string; key: string; nowMs: number }): Promise<{ rerun: boolean }> {
      requireMonth(input.month);
      const startKey = `${input.key}:start`;
      return db.transaction(async (tx) => {
        const at = new Date(input.nowMs);
        const [before] = await tx
          .select({ started: sql<boolean>`${payrollRuns.log} @> ${JSON.stringify([{ key: startKey }])}::jsonb` })
          .from(payrollRuns)
          .where(eq(payrollRuns.month, input.month))
          .for('update');
        if (before?.started) return { rerun: false }; // this run's own start, retried
        if (before)
          await tx
            .update(payrollRuns)
            .set({ status: 'running', finishedAt: null })
            .where(eq(payrollRuns.month, input.month));
        else await tx.insert(payrollRuns).values({ month: input.month, status: 'running', startedAt: at });
        await appendLog(tx, input.month, {
          key: startKey,
          at: at.toISOString(),
          message: before
            ? `重新运行 ${input.month} 月发放（已发放的月份不会重复发放）`
            : `开始 ${input.month} 月养老金发放`,
        });
        return { rerun: before !== undefined };
      });
    },

    /** Pays one batch of awards (keyset by award ID): every month each award is owed up to the run's month. */
    async payrollBatch(input: {
      month: string;
      after: string | null;
      limit: number;
      key: string;
      batch: number;
      nowMs: number;
    }): Promise<PayrollBatchResult> {
      requireMonth(input.month);
      return db.transaction(async (tx) => {
        const batch = await tx
          .select({
            id: awards.id,
            status: awards.status,
            firstPaymentMonth: awards.firstPaymentMonth,
            suspendedFrom: awards.suspendedFrom,
            stoppedAfter: awards.stoppedAfter,
            monthlyAmount: awards.monthlyAmount,
          })
          .from(awards)
          .where(and(input.after ? gt(awards.id, input.after) : undefined, lte(awards.firstPaymentMonth, input.month)))
          .orderBy(asc(awards.id))
          .limit(input.limit)
          // A recalculation of one of these awards waits for this batch (or this batch for it).
          .for('share');
        const lastPaid = await lastPaidMonths(
          tx,
          batch.map((a) => a.id),
        );
        let skipped = 0;
        const rows: Array<typeof payments.$inferInsert> = [];
        for (const a of batch) {
          const { due, skipped: isSkipped } = monthsDue(
            { ...a, lastPaidMonth: lastPaid.get(a.id) ?? null },
            input.month,
          );
          if (isSkipped) skipped += 1;
          for (const d of due)
            rows.push({ awardId: a.id, month: d.month, amount: a.monthlyAmount, kind: d.kind, runMonth: input.month });
        }
        const inserted = rows.length
          ? await tx
              .insert(payments)
              .values(rows)
              .onConflictDoNothing({ target: [payments.awardId, payments.month] })
              .returning({ kind: payments.kind, amount: payments.amount })
          : [];
        // Differences owed after a recalculation (待遇重算) are settled once, by the first run after it.
        const settled = batch.length
          ? await tx
              .update(awardAdjustments)
              .set({ settledInRun: input.month })
              .where(
                and(
                  inArray(
                    awardAdjustments.awardId,
                    batch.map((a) => a.id),
                  ),
                  isNull(awardAdjustments.settledInRun),
                ),
              )
              .returning({ amount: awardAdjustments.amount })
          : [];
        const adjustmentAmount = settled.reduce((sum, a) => sum.plus(a.amount), dec(0));
        const result: PayrollBatchResult = {
          processed: batch.length,
          lastAwardId: batch.at(-1)?.id ?? null,
          paid: inserted.filter((p) => p.kind === 'regular').length,
          arrears: inserted.filter((p) => p.kind === 'arrears').length,
          skipped,
          adjustments: settled.length,
          adjustmentAmount: money(adjustmentAmount),
          amount: money(inserted.reduce((sum, p) => sum.plus(p.amount), dec(0)).plus(adjustmentAmount)),
        };
        await appendLog(tx, input.month, {
          key: `${input.key}:batch:${input.batch}`,
          at: new Date(input.nowMs).toISOString(),
          message:
            `第${input.batch}批：${result.processed}项待遇，新发放${result.paid}笔` +
            `${result.arrears ? `，补发${result.arrears}笔` : ''}${result.skipped ? `，暂停发放跳过${result.skipped}项` : ''}` +
            `${result.adjustments ? `，结算重算差额${result.adjustments}笔（净额${result.adjustmentAmount}元）` : ''}，金额${result.amount}元`,
        });
        return result;
      });
    },

    /** Closes the run; the totals are the month's payments as recorded, whatever the number of runs. */
    async payrollFinish(input: { month: string; key: string; nowMs: number }): Promise<PayrollTotals> {
      requireMonth(input.month);
      return db.transaction(async (tx) => {
        const [counts] = await tx
          .select({
            paid: sql<number>`count(*) filter (where ${payments.kind} = 'regular')::int`,
            arrears: sql<number>`count(*) filter (where ${payments.kind} = 'arrears')::int`,
            total: sql<string>`coalesce(sum(${payments.amount}), 0)::text`,
          })
          .from(payments)
          .where(eq(payments.runMonth, input.month));
        const [{ skipped }] = await tx
          .select({ skipped: sql<number>`count(*)::int` })
          .from(awards)
          .where(
            and(
              eq(awards.status, 'suspended'),
              lte(awards.firstPaymentMonth, input.month),
              sql`coalesce(${awards.suspendedFrom}, '0000-00') <= ${input.month}`,
            ),
          );
        const [adjusted] = await tx
          .select({
            n: sql<number>`count(*)::int`,
            total: sql<string>`coalesce(sum(${awardAdjustments.amount}), 0)::text`,
          })
          .from(awardAdjustments)
          .where(eq(awardAdjustments.settledInRun, input.month));
        const totals: PayrollTotals = {
          month: input.month,
          paid: counts.paid,
          arrears: counts.arrears,
          skipped,
          adjustments: adjusted.n,
          adjustmentTotal: money(adjusted.total),
          total: money(dec(counts.total).plus(adjusted.total)),
        };
        const at = new Date(input.nowMs);
        await tx
          .update(payrollRuns)
          .set({
            status: 'completed',
            paid: totals.paid,
            arrears: totals.arrears,
            skipped: totals.skipped,
            adjustments: totals.adjustments,
            adjustmentTotal: totals.adjustmentTotal,
            total: totals.total,
            finishedAt: at,
          })
          .where(eq(payrollRuns.month, input.month));
        await appendLog(tx, input.month, {
          key: `${input.key}:finish`,
          at: at.toISOString(),
          message:
            `${input.month} 月发放完成：正常发放${totals.paid}笔，补发${totals.arrears}笔，暂停发放${totals.skipped}项` +
            `${totals.adjustments ? `，重算差额${totals.adjustments}笔（净额${totals.adjustmentTotal}元）` : ''}，合计${totals.total}元`,
        });
        return totals;
      });
    },
  };
}
