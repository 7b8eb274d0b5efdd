/**
 * Activities of the yearly eligibility certification (领取待遇资格认证; R-4, domain.md §8): the
 * award's cycle, the data comparison with the death registry (ID numbers stay here; the workflow
 * learns only whether the award was stopped), suspension when the due date passes uncertified,
 * and recording a certification, which resumes a suspended award. Each is one transaction and
 * guarded so a late or repeated call changes nothing it should not.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, isNull, or } from 'drizzle-orm';
import type { GovernmentSystems } from '../adapters/government/types';
import type { Db } from '../db/client';
import { lastPaidMonths, stopAwardsForDeath } from '../db/repositories/awards';
import { awards, certifications, persons } from '../db/schema';
import {
  dataComparisonDate,
  nextCertificationDue,
  suspensionStartMonth,
  type AwardStatus,
  type CertificationMethod,
} from '../domain/payroll';
import { chinaDateOf, endOfChinaDay, startOfChinaDay } from '../domain/working-days';

export interface CertificationDeps {
  db: Db;
  government: GovernmentSystems;
}

export type CertificationPlan =
  | { status: 'missing' }
  | { status: 'stopped' }
  | {
      status: 'active' | 'suspended';
      /** The certification the cycle counts from (the last one, or the award's own certification). */
      lastCertifiedOn: string;
      dueDate: string;
      /** 00:00 China time a month before the due date: the data comparison. */
      compareAtMs: number;
      /** The end of the due date in China: not certified by then → suspended. */
      dueAtMs: number;
      suspendedFrom: string | null;
    };

export interface CertificationOutcome {
  outcome: 'certified' | 'duplicate' | 'stopped';
  certifiedOn: string | null;
  nextCertificationDue: string | null;
  /** The award was suspended and is paid again (the missed months in arrears by the next run). */
  resumed: boolean;
  status: AwardStatus;
}

export function createCertificationActivities({ db, government }: CertificationDeps) {
  return {
    /** The award's current cycle; records the due date on the award when it was not set. */
    async certificationPlan(input: { awardId: string }): Promise<CertificationPlan> {
      const [a] = await db.select().from(awards).where(eq(awards.id, input.awardId));
      if (!a) return { status: 'missing' };
      if (a.status === 'stopped') return { status: 'stopped' };
      const lastCertifiedOn = a.lastCertifiedOn ?? a.certifiedOn;
      const dueDate = a.nextCertificationDue ?? nextCertificationDue(lastCertifiedOn);
      if (!a.nextCertificationDue) {
        await db
          .update(awards)
          .set({ nextCertificationDue: dueDate, updatedAt: new Date() })
          .where(and(eq(awards.id, a.id), isNull(awards.nextCertificationDue)));
      }
      return {
        status: a.status,
        lastCertifiedOn,
        dueDate,
        compareAtMs: startOfChinaDay(dataComparisonDate(dueDate)),
        dueAtMs: endOfChinaDay(dueDate),
        suspendedFrom: a.suspendedFrom,
      };
    },

    /**
     * Data comparison (数据比对) with the death registry. A recorded death stops the award: paid
     * for the month of death, stopped after it, later payments flagged as overpayments.
     */
    async compareWithDeathRegistry(input: { awardId: string }): Promise<{ deceased: boolean; stopped: boolean }> {
      const [row] = await db
        .select({ idNumber: persons.idNumber })
        .from(awards)
        .innerJoin(persons, eq(persons.id, awards.personId))
        .where(eq(awards.id, input.awardId));
      if (!row) throw ApplicationFailure.nonRetryable(`award ${input.awardId} does not exist`, 'award.not_found');
      const [record] = await government.deathRegistry.check([row.idNumber]);
      if (!record?.deceased || !record.dateOfDeath) return { deceased: false, stopped: false };
      const dateOfDeath = record.dateOfDeath;
      const result = await db.transaction((tx) =>
        stopAwardsForDeath(tx, { awardId: input.awardId, dateOfDeath, source: 'death_registry' }),
      );
      return { deceased: true, stopped: result.stoppedAwardIds.length > 0 };
    },

    /**
     * Suspends an award whose certification is overdue (payments stop from the due month, or the
     * first month not yet paid). Changes nothing when a certification arrived meanwhile.
     */
    async suspendAward(input: {
      awardId: string;
      dueDate: string;
      lastCertifiedOn: string;
    }): Promise<{ suspended: boolean; suspendedFrom: string | null }> {
      return db.transaction(async (tx) => {
        const [a] = await tx.select().from(awards).where(eq(awards.id, input.awardId)).for('update');
        if (!a || a.status !== 'active' || (a.lastCertifiedOn ?? a.certifiedOn) !== input.lastCertifiedOn) {
          return { suspended: a?.status === 'suspended', suspendedFrom: a?.suspendedFrom ?? null };
        }
        const lastPaid = (await lastPaidMonths(tx, [a.id])).get(a.id) ?? null;
        const suspendedFrom = suspensionStartMonth(input.dueDate, lastPaid, a.firstPaymentMonth);
        await tx
          .update(awards)
          .set({ status: 'suspended', suspendedFrom, updatedAt: new Date() })
          .where(eq(awards.id, a.id));
        return { suspended: true, suspendedFrom };
      });
    },

    /**
     * Records a certification (idempotent by request ID): the next one is due 12 months later;
     * a suspended award is resumed. A stopped award is not certified.
     */
    async recordCertification(input: {
      awardId: string;
      requestId: string;
      method: CertificationMethod;
      nowMs: number;
    }): Promise<CertificationOutcome> {
      return db.transaction(async (tx) => {
        const [a] = await tx.select().from(awards).where(eq(awards.id, input.awardId)).for('update');
        if (!a) throw ApplicationFailure.nonRetryable(`award ${input.awardId} does not exist`, 'award.not_found');
        const [seen] = await tx.select().from(certifications).where(eq(certifications.requestId, input.requestId));
        if (seen) {
          if (seen.awardId !== a.id)
            throw ApplicationFailure.nonRetryable(
              'requestId was used for another award',
              'certification.request_reused',
            );
          return {
            outcome: 'duplicate',
            certifiedOn: seen.certifiedOn,
            nextCertificationDue: a.nextCertificationDue,
            resumed: false,
            status: a.status,
          };
        }
        if (a.status === 'stopped')
          return {
            outcome: 'stopped',
            certifiedOn: null,
            nextCertificationDue: null,
            resumed: false,
            status: a.status,
          };
        const certifiedOn = chinaDateOf(input.nowMs);
        const nextDue = nextCertificationDue(certifiedOn);
        await tx
          .insert(certifications)
          .values({ awardId: a.id, certifiedOn, method: input.method, requestId: input.requestId });
        const resumed = a.status === 'suspended';
        await tx
          .update(awards)
          .set({
            lastCertifiedOn: certifiedOn,
            nextCertificationDue: nextDue,
            status: 'active',
            suspendedFrom: null,
            updatedAt: new Date(),
          })
          .where(and(eq(awards.id, a.id), or(eq(awards.status, 'active'), eq(awards.status, 'suspended'))));
        return { outcome: 'certified', certifiedOn, nextCertificationDue: nextDue, resumed, status: 'active' };
      });
    },
  };
}
