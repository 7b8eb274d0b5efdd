/**
 * The monthly comparison of pensioners with the death registry before the payroll pays (R-4,
 * 10.2.3: 规范待遇领取资格认证，防范社保基金支付风险): a recorded death stops the award at once
 * (paid for the month of death, stopped after it; what was paid for later months is recorded as
 * overpayments) and, when anything was overpaid, opens a recovery case (待遇追回) for staff.
 * ID numbers are read and compared here and never returned to the workflow.
 */
import { and, asc, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { GovernmentSystems } from '../adapters/government/types';
import type { Db } from '../db/client';
import { stopAwardsForDeath } from '../db/repositories/awards';
import { appendEvent } from '../db/repositories/events';
import { awards, caseCounters, cases, overpayments, persons } from '../db/schema';
import { dec, money } from '../domain/money';
import { chinaDateOf } from '../domain/working-days';
import type { RecoveryInput } from '../domain/recovery';
import { caseNumber, caseWorkflowId } from '../domain/case-ids';

export interface RecoveryDeps {
  db: Db;
  government: GovernmentSystems;
}

export function createRecoveryActivities({ db, government }: RecoveryDeps) {
  return {
    /**
     * One batch of awards (the payroll's keyset: after `after`, first payment by `month`),
     * compared with the death registry. Returns the awards stopped and the recovery cases opened.
     */
    async payrollDeathComparison(input: {
      month: string;
      after: string | null;
      limit: number;
      nowMs: number;
    }): Promise<{
      checked: number;
      stopped: string[];
      recoveries: RecoveryInput[];
    }> {
      const batch = await db
        .select({
          awardId: awards.id,
          idNumber: persons.idNumber,
          personKey: persons.personKey,
          agencyCode: awards.agencyCode,
          personId: awards.personId,
        })
        .from(awards)
        .innerJoin(persons, eq(persons.id, awards.personId))
        .where(
          and(
            input.after ? gt(awards.id, input.after) : undefined,
            lte(awards.firstPaymentMonth, input.month),
            ne(awards.status, 'stopped'),
          ),
        )
        .orderBy(asc(awards.id))
        .limit(input.limit);
      if (batch.length === 0) return { checked: 0, stopped: [], recoveries: [] };
      const records = await government.deathRegistry.check([...new Set(batch.map((a) => a.idNumber))]);
      const deceased = new Map(
        records.filter((r) => r.deceased && r.dateOfDeath).map((r) => [r.idNumber, r.dateOfDeath!]),
      );
      const stopped: string[] = [];
      const recoveries: RecoveryInput[] = [];
      for (const a of batch.filter((x) => deceased.has(x.idNumber))) {
        const dateOfDeath = deceased.get(a.idNumber)!;
        const opened = await db.transaction(async (tx) => {
          await stopAwardsForDeath(tx, { awardId: a.awardId, dateOfDeath, source: 'death_registry' });
          const owed = await tx
            .select({ month: overpayments.month, amount: overpayments.amount })
            .from(overpayments)
            .where(eq(overpayments.awardId, a.awardId));
          if (owed.length === 0) return undefined;
          // One recovery case per award (a retried batch finds the one it opened).
          const [existing] = await tx
            .select({ id: cases.id, receivedAt: cases.receivedAt })
            .from(cases)
            .where(and(eq(cases.procedure, 'recovery'), sql`${cases.application}->>'awardId' = ${a.awardId}`));
          const total = money(owed.reduce((s, o) => s.plus(o.amount), dec(0)));
          const application = {
            awardId: a.awardId,
            dateOfDeath,
            months: owed.map((o) => o.month).sort(),
            total,
            source: 'death_registry',
          };
          if (existing) return { caseId: existing.id, receivedAt: existing.receivedAt.toISOString(), application };
          const receivedAt = new Date(input.nowMs);
          const year = Number(chinaDateOf(input.nowMs).slice(0, 4));
          const [counter] = await tx
            .insert(caseCounters)
            .values({ agencyCode: a.agencyCode, year, last: 1 })
            .onConflictDoUpdate({
              target: [caseCounters.agencyCode, caseCounters.year],
              set: { last: sql`${caseCounters.last} + 1` },
            })
            .returning({ last: caseCounters.last });
          const caseId = caseWorkflowId('recovery', a.agencyCode, caseNumber(year, counter.last));
          await tx.insert(cases).values({
            id: caseId,
            procedure: 'recovery',
            agencyCode: a.agencyCode,
            channel: 'offline',
            stage: 'received',
            personId: a.personId,
            application,
            workflowId: caseId,
            receivedAt,
          });
          await appendEvent(tx, {
            caseId,
            eventKey: `${caseId}#0`,
            type: 'recovery_opened',
            clause: '10.2.3',
            stage: 'received',
            actorId: null,
            actorRole: null,
            detail: { awardId: a.awardId, months: application.months, total, source: 'death_registry' },
            occurredAt: receivedAt,
          });
          return { caseId, receivedAt: receivedAt.toISOString(), application };
        });
        stopped.push(a.awardId);
        if (opened) {
          recoveries.push({
            caseId: opened.caseId,
            agencyCode: a.agencyCode,
            channel: 'offline',
            personKey: a.personKey,
            receivedAt: opened.receivedAt,
            awardId: a.awardId,
            months: opened.application.months,
            total: opened.application.total,
          });
        }
      }
      return { checked: batch.length, stopped, recoveries };
    },
  };
}
