/**
 * What a parameter publication sets off (issue 9): the cases waiting on parameters are woken
 * (listed here, signalled by the `parametersPublished` workflow), and every provisional award
 * is recalculated (待遇重算) by its own `awardRecalculation` workflow: the pension computed again
 * as certified (same case, same retirement month, same date) with the parameters now published,
 * the new amount in the award's history with the versions behind it, the difference for every
 * month already paid owed to or by the pensioner (settled by the next payroll), and a notice.
 * One transaction; idempotent per award and publication.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { awardAdjustments, awardAmounts, awards, cases, notices, parameterPublications, payments } from '../db/schema';
import { addMonths } from '../domain/year-month';
import {
  effectivePaid,
  recalculationDifference,
  recalculationNotice,
  replacedValues,
  RECALCULATION_RULE_VERSION,
} from '../domain/recalculation';
import { evaluateClaim } from './claim-evaluation';

export interface RecalculationDeps {
  db: Db;
}

export type RecalculationOutcome =
  | {
      status: 'recalculated';
      seq: number;
      before: string;
      after: string;
      difference: string;
      months: number;
      stillProvisional: boolean;
    }
  | { status: 'already_done' | 'not_provisional' | 'stopped'; seq?: number }
  | { status: 'still_provisional'; seq: number };

export function createRecalculationActivities({ db }: RecalculationDeps) {
  return {
    /** A page of what a publication must reach: open cases waiting on parameters, or provisional awards (keyset). */
    async publicationTargets(input: {
      kind: 'cases' | 'awards';
      after: string | null;
      limit: number;
    }): Promise<string[]> {
      if (input.kind === 'cases') {
        const rows = await db
          .select({ workflowId: cases.workflowId })
          .from(cases)
          .where(
            and(
              eq(cases.status, 'open'),
              eq(cases.stage, 'awaiting_parameters'),
              input.after ? gt(cases.workflowId, input.after) : undefined,
            ),
          )
          .orderBy(asc(cases.workflowId))
          .limit(input.limit);
        return rows.map((r) => r.workflowId);
      }
      const rows = await db
        .select({ id: awards.id })
        .from(awards)
        .where(
          and(
            eq(awards.provisional, true),
            ne(awards.status, 'stopped'),
            input.after ? gt(awards.id, input.after) : undefined,
          ),
        )
        .orderBy(asc(awards.id))
        .limit(input.limit);
      return rows.map((r) => r.id);
    },

    /** Marks the publication's fan-out done, so the reconciler does not start it again. */
    async finishPublicationFanOut(input: { publicationId: number }): Promise<void> {
      await db
        .update(parameterPublications)
        .set({ fannedOutAt: new Date() })
        .where(and(eq(parameterPublications.id, input.publicationId), isNull(parameterPublications.fannedOutAt)));
    },

    /** Recalculates one provisional award after a publication (see the module comment). */
    async recalculateAward(input: {
      awardId: string;
      publicationId: number;
      recalculatedOn: string;
    }): Promise<RecalculationOutcome> {
      const [award] = await db.select().from(awards).where(eq(awards.id, input.awardId));
      if (!award) throw ApplicationFailure.nonRetryable(`award ${input.awardId} does not exist`, 'award.not_found');
      const [done] = await db
        .select({ seq: awardAmounts.seq })
        .from(awardAmounts)
        .where(and(eq(awardAmounts.awardId, award.id), eq(awardAmounts.publicationId, input.publicationId)));
      if (done) return { status: 'already_done', seq: done.seq };
      if (!award.provisional) return { status: 'not_provisional' };
      if (award.status === 'stopped') return { status: 'stopped' };

      const [c] = await db.select({ application: cases.application }).from(cases).where(eq(cases.id, award.caseId));
      const application = c.application as { retireAt?: string; lumpSum?: boolean };
      // The same claim, on the date it was certified: only the parameters have changed.
      const e = await evaluateClaim(db, {
        caseId: award.caseId,
        retireAt: application.retireAt,
        lumpSum: application.lumpSum ?? false,
        onDate: award.certifiedOn,
      });
      if (!e.eligible || !e.pension) {
        throw ApplicationFailure.nonRetryable(
          `award ${award.id}: the claim no longer computes as eligible (${e.reasons.map((r) => r.code).join(',')}); a supervisor must review it`,
          'recalculation.not_eligible',
        );
      }
      const replaced = replacedValues(award.parameters, e.parametersUsed);
      const p = e.pension;
      if (replaced.length === 0 && p.total === award.monthlyAmount) {
        // This publication changed none of the award's stand-ins.
        const [last] = await db
          .select({ seq: sql<number>`max(${awardAmounts.seq})::int` })
          .from(awardAmounts)
          .where(eq(awardAmounts.awardId, award.id));
        return { status: 'still_provisional', seq: last.seq };
      }

      return db.transaction(async (tx) => {
        // The payroll locks the awards of a batch too: a month is either paid before this
        // recalculation (and gets its difference) or after it (at the new amount), never lost.
        const [locked] = await tx.select().from(awards).where(eq(awards.id, award.id)).for('update');
        const [again] = await tx
          .select({ seq: awardAmounts.seq })
          .from(awardAmounts)
          .where(and(eq(awardAmounts.awardId, award.id), eq(awardAmounts.publicationId, input.publicationId)));
        if (again) return { status: 'already_done', seq: again.seq } as const;
        // What each month has effectively been paid: the payment plus the differences already
        // owed for it by earlier recalculations (settled or not), so nothing is owed twice.
        const paymentRows = await tx
          .select({ month: payments.month, amount: payments.amount })
          .from(payments)
          .where(eq(payments.awardId, award.id));
        const earlier = await tx
          .select({ months: awardAdjustments.months })
          .from(awardAdjustments)
          .where(eq(awardAdjustments.awardId, award.id));
        const paid = effectivePaid(
          paymentRows,
          earlier.flatMap((a) => a.months),
        );
        const difference = recalculationDifference(paid, p.total);
        const [{ last }] = await tx
          .select({ last: sql<number>`coalesce(max(${awardAmounts.seq}), 0)::int` })
          .from(awardAmounts)
          .where(eq(awardAmounts.awardId, award.id));
        const seq = last + 1;
        const lastPaid = paid
          .map((x) => x.month)
          .sort()
          .at(-1);
        const effectiveFrom =
          lastPaid && lastPaid >= locked.firstPaymentMonth ? addMonths(lastPaid, 1) : locked.firstPaymentMonth;
        const working = {
          ...(p.working as unknown as Record<string, unknown>),
          recalculation: {
            rule: RECALCULATION_RULE_VERSION,
            publicationId: input.publicationId,
            onDate: award.certifiedOn,
            replaced,
            difference,
            formula:
              'difference = Σ over months paid (new monthly amount − amount paid); paid back when positive, recovered when negative, by the next payroll run',
          },
        };
        // The amount and what it rests on: the award row holds the latest, the history every one.
        const amountNow = {
          monthlyAmount: p.total,
          basic: p.basic,
          account: p.account,
          transitional: p.transitional,
          divisor: p.divisor,
          provisional: e.provisional,
          parameters: e.parametersUsed,
          parameterSetVersion: e.parameterSetVersion,
        };
        const [amount] = await tx
          .insert(awardAmounts)
          .values({
            awardId: award.id,
            seq,
            reason: 'recalculated',
            effectiveFrom,
            ...amountNow,
            publicationId: input.publicationId,
            working,
          })
          .returning({ id: awardAmounts.id });
        await tx
          .update(awards)
          .set({ ...amountNow, updatedAt: new Date() })
          .where(eq(awards.id, award.id));
        if (difference.months.length > 0 && difference.total !== '0.00') {
          await tx.insert(awardAdjustments).values({
            awardId: award.id,
            awardAmountId: amount.id,
            amount: difference.total,
            months: difference.months,
          });
        }
        const notice = recalculationNotice({
          caseId: award.caseId,
          recalculatedOn: input.recalculatedOn,
          before: { total: locked.monthlyAmount },
          after: { total: p.total, basic: p.basic, account: p.account, transitional: p.transitional },
          replaced,
          difference: {
            total: difference.total,
            months: difference.months.length,
            firstMonth: difference.months[0]?.month,
            lastMonth: difference.months.at(-1)?.month,
          },
          stillProvisional: e.provisional,
        });
        const [claimCase] = await tx.select({ channel: cases.channel }).from(cases).where(eq(cases.id, award.caseId));
        await tx
          .insert(notices)
          .values({
            caseId: award.caseId,
            kind: 'recalculation',
            round: seq - 1,
            items: replaced.map((r) => ({ code: r.name, text: `${r.year ?? ''} ${r.was} → ${r.now}`.trim() })),
            text: notice.text,
            channel: claimCase.channel,
            issuedAt: new Date(),
          })
          .onConflictDoNothing();
        return {
          status: 'recalculated',
          seq,
          before: locked.monthlyAmount,
          after: p.total,
          difference: difference.total,
          months: difference.months.length,
          stillProvisional: e.provisional,
        } as const;
      });
    },
  };
}
