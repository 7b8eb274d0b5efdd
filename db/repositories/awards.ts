/**
 * Awards after the claim: stopping on death (with the overpayments to recover), the months
 * already paid, and the reads behind GET /api/v1/awards/:awardId and the payroll run view.
 */
import { and, asc, eq, gt, inArray, max, ne } from 'drizzle-orm';
import { lastPayableMonthOnDeath } from '../../domain/payroll';
import type { DbOrTx } from '../client';
import {
  awardAdjustments,
  awardAmounts,
  awards,
  certifications,
  overpayments,
  payments,
  payrollRuns,
  persons,
} from '../schema';

/**
 * Stops every award of the person (or the one award) that is not stopped yet: paid for the
 * month of death, stopped after it; payments already made for later months are recorded as
 * overpayments to recover. Idempotent. Returns the awards it stopped.
 */
export async function stopAwardsForDeath(
  tx: DbOrTx,
  o: ({ personId: string } | { awardId: string }) & {
    dateOfDeath: string;
    source: 'stop_procedure' | 'death_registry';
  },
): Promise<{ stoppedAwardIds: string[]; overpaidMonths: number }> {
  const stoppedAfter = lastPayableMonthOnDeath(o.dateOfDeath);
  const which = 'personId' in o ? eq(awards.personId, o.personId) : eq(awards.id, o.awardId);
  const stopped = await tx
    .update(awards)
    .set({ status: 'stopped', stoppedAfter, suspendedFrom: null, updatedAt: new Date() })
    .where(and(which, ne(awards.status, 'stopped')))
    .returning({ id: awards.id });
  const ids = stopped.map((a) => a.id);
  if (ids.length === 0) return { stoppedAwardIds: [], overpaidMonths: 0 };
  const reason = `paid_after_death: 死亡日期${o.dateOfDeath}（${o.source === 'death_registry' ? '死亡登记数据比对' : '停止参保'}），${stoppedAfter}以后的月份不应发放，应予追回`;
  const paidLater = await tx
    .select({ awardId: payments.awardId, month: payments.month, amount: payments.amount })
    .from(payments)
    .where(and(inArray(payments.awardId, ids), gt(payments.month, stoppedAfter)));
  const flagged = paidLater.length
    ? await tx
        .insert(overpayments)
        .values(paidLater.map((p) => ({ ...p, reason })))
        .onConflictDoNothing()
        .returning({ id: overpayments.id })
    : [];
  return { stoppedAwardIds: ids, overpaidMonths: flagged.length };
}

/** The latest month paid for each award (absent when none was paid). */
export async function lastPaidMonths(tx: DbOrTx, awardIds: string[]): Promise<Map<string, string>> {
  if (awardIds.length === 0) return new Map();
  const rows = await tx
    .select({ awardId: payments.awardId, month: max(payments.month) })
    .from(payments)
    .where(inArray(payments.awardId, awardIds))
    .groupBy(payments.awardId);
  return new Map(rows.filter((r) => r.month !== null).map((r) => [r.awardId, r.month!]));
}

export async function getAwardView(db: DbOrTx, awardId: string) {
  const [row] = await db
    .select({ a: awards, personKey: persons.personKey })
    .from(awards)
    .innerJoin(persons, eq(persons.id, awards.personId))
    .where(eq(awards.id, awardId));
  if (!row) return undefined;
  const [paymentRows, certificationRows, overpaymentRows, amountRows, adjustmentRows] = await Promise.all([
    db.select().from(payments).where(eq(payments.awardId, awardId)).orderBy(asc(payments.month)),
    db
      .select()
      .from(certifications)
      .where(eq(certifications.awardId, awardId))
      .orderBy(asc(certifications.certifiedOn), asc(certifications.createdAt)),
    db.select().from(overpayments).where(eq(overpayments.awardId, awardId)).orderBy(asc(overpayments.month)),
    db.select().from(awardAmounts).where(eq(awardAmounts.awardId, awardId)).orderBy(asc(awardAmounts.seq)),
    db
      .select()
      .from(awardAdjustments)
      .where(eq(awardAdjustments.awardId, awardId))
      .orderBy(asc(awardAdjustments.createdAt)),
  ]);
  const a = row.a;
  return {
    awardId: a.id,
    caseId: a.caseId,
    personKey: row.personKey,
    agencyCode: a.agencyCode,
    status: a.status,
    certifiedOn: a.certifiedOn,
    firstPaymentMonth: a.firstPaymentMonth,
    monthlyAmount: a.monthlyAmount,
    suspendedFrom: a.suspendedFrom,
    stoppedAfter: a.stoppedAfter,
    lastCertifiedOn: a.lastCertifiedOn,
    nextCertificationDue: a.nextCertificationDue,
    payments: paymentRows.map((p) => ({ month: p.month, amount: p.amount, kind: p.kind, runMonth: p.runMonth })),
    certifications: certificationRows.map((c) => ({
      certifiedOn: c.certifiedOn,
      method: c.method,
      requestId: c.requestId,
    })),
    overpayments: overpaymentRows.map((o) => ({ month: o.month, amount: o.amount, reason: o.reason })),
    provisional: a.provisional,
    parameterSetVersion: a.parameterSetVersion,
    parameters: a.parameters,
    amounts: amountRows.map((m) => ({
      seq: m.seq,
      reason: m.reason,
      effectiveFrom: m.effectiveFrom,
      monthlyAmount: m.monthlyAmount,
      basic: m.basic,
      account: m.account,
      transitional: m.transitional,
      divisor: m.divisor,
      provisional: m.provisional,
      parameterSetVersion: m.parameterSetVersion,
      publicationId: m.publicationId,
      parameters: m.parameters,
      recordedAt: m.createdAt.toISOString(),
    })),
    adjustments: adjustmentRows.map((x) => ({
      amount: x.amount,
      months: x.months,
      settledInRun: x.settledInRun,
      recordedAt: x.createdAt.toISOString(),
    })),
  };
}

export type AwardView = NonNullable<Awaited<ReturnType<typeof getAwardView>>>;

export async function getPayrollRun(db: DbOrTx, month: string) {
  const [run] = await db.select().from(payrollRuns).where(eq(payrollRuns.month, month));
  if (!run) return undefined;
  return {
    month: run.month,
    status: run.status,
    paid: run.paid,
    arrears: run.arrears,
    skipped: run.skipped,
    adjustments: run.adjustments,
    adjustmentTotal: run.adjustmentTotal,
    total: run.total,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    log: run.log.map((l) => ({ at: l.at, message: l.message })),
  };
}
