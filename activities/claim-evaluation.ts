/**
 * The reads behind the benefit claim's evaluation (domain/claim-evaluation.ts): the case and its
 * person, the province's record with the deemed months recognised, the latest personnel file and
 * the parameter set. Used by the claim's activities and by the award recalculation.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { PersonnelFileContent } from '../adapters/government/types';
import type { DbOrTx } from '../db/client';
import { loadParameterSet } from '../db/parameters-store';
import { loadProvincialRecord } from '../db/repositories/provincial-record';
import { cases, deemedPeriods, personnelFiles, persons } from '../db/schema';
import {
  claimRetirementFacts,
  contributionSummaryOf,
  evaluateClaimOn,
  type ClaimEvaluation,
  type ContributionSummary,
} from '../domain/claim-evaluation';
import { summariseProvincialRecord } from '../domain/contribution-summary';
import { MissingParametersError, ParameterResolver, type AwaitingParameters } from '../domain/parameter-resolver';

export async function claimContext(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({ c: cases, p: persons })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} does not exist`, 'case.not_found');
  return { case: row.c, person: row.p };
}

/**
 * Months, deemed months, average index and account balance of a person's whole record in the
 * province on `asOf`, each with its working (domain/contribution-summary.ts). Throws
 * MissingParametersError when a parameter it needs is not published.
 */
export async function summariseContributions(
  db: DbOrTx,
  o: { personId: string; caseId: string; asOf: string; resolver: ParameterResolver },
): Promise<ContributionSummary> {
  const record = await loadProvincialRecord(db, { personId: o.personId, provinceCode: o.resolver.region.slice(0, 2) });
  const deemed = await db
    .select()
    .from(deemedPeriods)
    .where(eq(deemedPeriods.personId, o.personId))
    .orderBy(desc(deemedPeriods.recognisedOn), desc(deemedPeriods.createdAt));
  const s = summariseProvincialRecord(record, { asOf: o.asOf, resolver: o.resolver });
  return contributionSummaryOf(s, { asOf: o.asOf, caseId: o.caseId, deemed, records: record.records });
}

/** Runs a computation; a MissingParametersError becomes an answer the workflow waits on. */
export async function orAwaitingParameters<T>(compute: () => Promise<T>): Promise<T | AwaitingParameters> {
  try {
    return await compute();
  } catch (err) {
    if (err instanceof MissingParametersError) return { awaitingParameters: err.missing };
    throw err;
  }
}

/** The claim of a case evaluated on `onDate` with the parameter set as published now. */
export async function evaluateClaim(
  db: DbOrTx,
  o: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string },
): Promise<ClaimEvaluation> {
  const ctx = await claimContext(db, o.caseId);
  const region = ctx.case.agencyCode;
  const { rows, version } = await loadParameterSet(db);
  const resolver = new ParameterResolver(rows, region);
  const [file] = await db
    .select()
    .from(personnelFiles)
    .where(and(eq(personnelFiles.caseId, o.caseId), isNotNull(personnelFiles.receivedAt)))
    .orderBy(desc(personnelFiles.receivedAt));
  const claimant = {
    person: ctx.person,
    file: file && {
      fileBirthDate: file.fileBirthDate,
      originalRetirementAge: (file.content as PersonnelFileContent | null)?.originalRetirementAge,
    },
  };
  const facts = claimRetirementFacts(claimant, { resolver, rows, region, onDate: o.onDate, retireAt: o.retireAt });
  const summary = await summariseContributions(db, {
    personId: ctx.person.id,
    caseId: o.caseId,
    asOf: facts.asOf,
    resolver,
  });
  return evaluateClaimOn(claimant, facts, summary, {
    resolver,
    rows,
    region,
    parameterSetVersion: version,
    onDate: o.onDate,
    lumpSum: o.lumpSum,
  });
}
