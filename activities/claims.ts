/**
 * Activities of the benefit claim (待遇发放, section 8): the relation check, the personnel file
 * retrieved through the archive service, the recognition of deemed months, the contribution
 * summary (months, average index, individual account, each with its working), the assessment
 * against B-1 with the risk checks of R-4, and the certification that writes the award and makes
 * the relation `receiving` in one transaction with the case's closing step.
 *
 * Workflows pass case IDs only; names, ID numbers and birth dates are read here and never returned.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import type { GovernmentSystems } from '../adapters/government/types';
import type { Db } from '../db/client';
import { loadParameters } from '../db/parameters-store';
import { applyStep } from '../db/repositories/case-steps';
import { personOfCase } from '../db/repositories/relations';
import { awardAmounts, awards, deemedPeriods, personnelFiles, relations } from '../db/schema';
import { claimRelationReasons, personnelFileProblems, type PersonnelFilePoll } from '../domain/claim';
import type { ContributionSummary } from '../domain/claim-evaluation';
import {
  claimAssessmentOf,
  computedAwardOf,
  type ClaimAssessment,
  type ComputedAward,
  type ComputedAwardResult,
} from '../domain/claim-results';
import type { RequiredItem } from '../domain/materials';
import { ParameterResolver, type AwaitingParameters } from '../domain/parameter-resolver';
import { PRE_PENSION_RELATION_STATUSES } from '../domain/relation-status';
import { chinaDateOf } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';
import { claimContext, evaluateClaim, orAwaitingParameters, summariseContributions } from './claim-evaluation';

export interface ClaimDeps {
  db: Db;
  government: GovernmentSystems;
}

export function createClaimActivities({ db, government }: ClaimDeps) {
  return {
    /** B-2: the person's relation must be live at this agency and not already receiving. */
    async claimPrecheck(input: { caseId: string }): Promise<{ reasons: RequiredItem[] }> {
      const ctx = await claimContext(db, input.caseId);
      const rows = await db
        .select({ agencyCode: relations.agencyCode, provinceCode: relations.provinceCode, status: relations.status })
        .from(relations)
        .where(eq(relations.personId, ctx.person.id));
      return { reasons: claimRelationReasons(ctx.case.agencyCode, rows) };
    },

    /** Asks the archive service for the person's personnel file (idempotent by the request reference). */
    async requestPersonnelFile(input: {
      caseId: string;
      requestRef: string;
      requestedAt: string;
    }): Promise<{ requestRef: string }> {
      const ctx = await claimContext(db, input.caseId);
      await db
        .insert(personnelFiles)
        .values({
          personId: ctx.person.id,
          requestRef: input.requestRef,
          caseId: input.caseId,
          requestedAt: new Date(input.requestedAt),
        })
        .onConflictDoNothing({ target: personnelFiles.requestRef });
      await government.archives.requestFile({
        requestRef: input.requestRef,
        idNumber: ctx.person.idNumber,
        name: ctx.person.name,
      });
      return { requestRef: input.requestRef };
    },

    /**
     * One poll of the archive service. A delivered file is stored in personnel_files; the
     * workflow learns only what it needs (deemed months, whether the birth dates agree).
     */
    async fetchPersonnelFile(input: {
      caseId: string;
      requestRef: string;
      receivedAt: string;
    }): Promise<PersonnelFilePoll> {
      const result = await government.archives.fetchFile(input.requestRef);
      if (result.status === 'pending') return { status: 'pending' };
      if (result.status === 'not_found') return { status: 'not_found' };
      const file = result.file;
      const problems = personnelFileProblems(file);
      if (problems.length > 0) return { status: 'invalid', problems };
      const ctx = await claimContext(db, input.caseId);
      await db
        .update(personnelFiles)
        .set({
          receivedAt: new Date(input.receivedAt),
          fileBirthDate: file.birthDate,
          workStartDate: file.workStartDate ?? null,
          deemedMonths: file.deemedMonths,
          content: file as unknown as Record<string, unknown>,
        })
        .where(eq(personnelFiles.requestRef, input.requestRef));
      return {
        status: 'delivered',
        deemedMonths: file.deemedMonths,
        birthDateMatchesId: file.birthDate === ctx.person.birthDate,
        hasWorkStartDate: Boolean(file.workStartDate),
        originalRetirementAge: file.originalRetirementAge ?? null,
      };
    },

    /** The reviewer's recognition of deemed months (8.2.3.1), with the step, in one transaction. */
    async recordDeemedRecognition(input: {
      step: StepRecord;
      months: number;
      recognisedBy: string;
      note?: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        if (!(await applyStep(tx, input.step))) return;
        await tx
          .insert(deemedPeriods)
          .values({
            personId: await personOfCase(tx, input.step.caseId),
            months: input.months,
            caseId: input.step.caseId,
            recognisedOn: chinaDateOf(Date.parse(input.step.occurredAt)),
            recognisedBy: input.recognisedBy,
            note: input.note ?? null,
          })
          .onConflictDoNothing();
      });
    },

    /** The contribution summary of the case's person on `asOf` (months, Ī, account), with its working. */
    async contributionSummary(input: {
      caseId: string;
      asOf: string;
    }): Promise<ContributionSummary | AwaitingParameters> {
      const ctx = await claimContext(db, input.caseId);
      const resolver = new ParameterResolver(await loadParameters(db), ctx.case.agencyCode);
      return orAwaitingParameters(() =>
        summariseContributions(db, { personId: ctx.person.id, caseId: input.caseId, asOf: input.asOf, resolver }),
      );
    },

    /** B-1 review with the parameters in force on `onDate`: reasons, options, a provisional pension and the risk reasons. */
    async assessClaim(input: {
      caseId: string;
      retireAt?: string;
      lumpSum: boolean;
      onDate: string;
    }): Promise<ClaimAssessment | AwaitingParameters> {
      return orAwaitingParameters(async () => claimAssessmentOf(await evaluateClaim(db, input), input.onDate));
    },

    /**
     * The award as certified on `onDate`: the pension computed with the parameters in force in the
     * retirement month (the 计发基数 of the retirement year, provisionally the latest published
     * one), with every input (retirement facts, contribution summary with its workings, the
     * pension input and each parameter with its version and source) and the working.
     */
    async computeAward(input: {
      caseId: string;
      retireAt?: string;
      lumpSum: boolean;
      onDate: string;
    }): Promise<ComputedAwardResult | AwaitingParameters> {
      return orAwaitingParameters(async () => computedAwardOf(await evaluateClaim(db, input), input.onDate));
    },

    /**
     * B-8, B-9: stores the award, makes the relation `receiving` from the certification date
     * and applies the case's closing step, in one transaction. Idempotent: a retry returns the
     * award already stored.
     */
    async certifyClaim(input: { step: StepRecord; award: ComputedAward }): Promise<{ awardId: string }> {
      return db.transaction(async (tx) => {
        let awardId: string | undefined;
        // The award is written with the closing step, before the case is filed (A-1: the archive
        // record holds the award).
        const applied = await applyStep(tx, input.step, {
          effects: async () => {
            const ctx = await claimContext(tx, input.step.caseId);
            const a = input.award;
            const [row] = await tx
              .insert(awards)
              .values({
                caseId: ctx.case.id,
                personId: ctx.person.id,
                agencyCode: ctx.case.agencyCode,
                certifiedOn: a.certifiedOn,
                firstPaymentMonth: a.firstPaymentMonth,
                monthlyAmount: a.total,
                basic: a.basic,
                account: a.account,
                transitional: a.transitional,
                divisor: a.divisor,
                inputs: a.inputs,
                working: a.working,
                ruleVersion: a.ruleVersion,
                provisional: a.provisional,
                parameters: a.parameters,
                parameterSetVersion: a.parameterSetVersion,
                lastCertifiedOn: a.certifiedOn,
              })
              .returning({ id: awards.id });
            awardId = row.id;
            await tx.insert(awardAmounts).values({
              awardId: row.id,
              seq: 1,
              reason: 'certified',
              effectiveFrom: a.firstPaymentMonth,
              monthlyAmount: a.total,
              basic: a.basic,
              account: a.account,
              transitional: a.transitional,
              divisor: a.divisor,
              provisional: a.provisional,
              parameters: a.parameters,
              parameterSetVersion: a.parameterSetVersion,
              working: a.working,
            });
            const updated = await tx
              .update(relations)
              .set({ status: 'receiving', since: a.certifiedOn, lastCaseId: ctx.case.id, updatedAt: new Date() })
              .where(
                and(
                  eq(relations.personId, ctx.person.id),
                  eq(relations.agencyCode, ctx.case.agencyCode),
                  inArray(relations.status, [...PRE_PENSION_RELATION_STATUSES]),
                ),
              )
              .returning({ id: relations.id });
            if (updated.length !== 1)
              throw ApplicationFailure.nonRetryable('the relation changed during review', 'relation.conflict');
          },
        });
        if (!applied) {
          const [existing] = await tx
            .select({ id: awards.id })
            .from(awards)
            .where(eq(awards.caseId, input.step.caseId));
          if (!existing)
            throw ApplicationFailure.nonRetryable('closing step applied without an award', 'award.missing');
          return { awardId: existing.id };
        }
        return { awardId: awardId! };
      });
    },
  };
}
