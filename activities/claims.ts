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
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { GovernmentSystems, PersonnelFileContent } from '../adapters/government/types';
import type { Db, DbOrTx } from '../db/client';
import { loadParameters, loadParameterSet } from '../db/parameters-store';
import { applyStep } from '../db/repositories/case-steps';
import { loadProvincialRecord } from '../db/repositories/provincial-record';
import { awardAmounts, awards, cases, deemedPeriods, personnelFiles, persons, relations } from '../db/schema';
import { CLAIM_RULE_VERSION, claimEligibility, claimRelationReasons, firstPaymentMonth } from '../domain/claim';
import { SUMMARY_RULE_VERSION, summariseProvincialRecord, type ProvincialSummary } from '../domain/contribution-summary';
import { CONTRIBUTIONS_RULE_VERSION } from '../domain/contributions';
import type { RequiredItem } from '../domain/materials';
import { minimumYearsTableFromParameters } from '../domain/minimum-years';
import { MissingParametersError, ParameterResolver, type AwaitingParameters, type ParameterUsed } from '../domain/parameter-resolver';
import { daysInMonth, PARAMETER_NAMES } from '../domain/parameters';
import { computePension, PENSION_RULE_VERSION, pensionParametersForRetirement, type PensionResult } from '../domain/pension';
import { assessClaimRisk, backPaidMonths, riskParametersFrom, type ClaimRiskAssessment } from '../domain/risk';
import { chinaDateOf, isValidDate } from '../domain/working-days';
import type { StepRecord } from '../domain/case-records';
import { personOfCase } from './relations';

export interface ClaimDeps {
  db: Db;
  government: GovernmentSystems;
}

async function claimContext(db: DbOrTx, caseId: string) {
  const [row] = await db.select({ c: cases, p: persons }).from(cases).innerJoin(persons, eq(persons.id, cases.personId)).where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} does not exist`, 'case.not_found');
  return { case: row.c, person: row.p };
}

// ---------------------------------------------------------------------------------------
// Contribution summary

export interface ContributionSummary {
  asOf: string;
  /** Distinct actual contribution months in the province: local records plus transferred periods. */
  actualMonths: number;
  localMonths: number;
  transferredMonths: number;
  /** Months both local and transferred (counted once, local base). */
  overlapMonths: number;
  /** Recognised deemed months (deemed_periods), never recomputed from dates. */
  deemedMonths: number;
  deemedSource: { caseId: string | null; recognisedOn: string; recognisedBy: string } | null;
  /** actualMonths + deemedMonths: N counted by month. */
  totalMonths: number;
  /** Ī to 4 decimals, null without actual months. */
  averageIndex: string | null;
  /** Individual-account balance on asOf. */
  accountBalance: string;
  /** Local months paid more than 12 months after the month (risk check). */
  backPaidMonths: number;
  /** True when a value used stands in for a year not yet published. */
  provisional: boolean;
  working: ProvincialSummary['working'];
}

/**
 * Months, deemed months, average index and account balance of a person's whole record in the
 * province on `asOf`, each with its working (domain/contribution-summary.ts). Deemed months are
 * the ones recognised for this case (else the latest recognition for the person, e.g. at
 * pre-review). Throws MissingParametersError when a parameter it needs is not published.
 */
export async function summariseContributions(db: DbOrTx, o: { personId: string; caseId: string; asOf: string; resolver: ParameterResolver }): Promise<ContributionSummary> {
  const record = await loadProvincialRecord(db, { personId: o.personId, provinceCode: o.resolver.region.slice(0, 2) });
  const deemedRows = await db.select().from(deemedPeriods).where(eq(deemedPeriods.personId, o.personId)).orderBy(desc(deemedPeriods.recognisedOn), desc(deemedPeriods.createdAt));
  const s = summariseProvincialRecord(record, { asOf: o.asOf, resolver: o.resolver });
  const deemed = deemedRows.find((d) => d.caseId === o.caseId) ?? deemedRows[0];
  const deemedMonths = deemed?.months ?? 0;
  const asOfMonth = o.asOf.slice(0, 7);
  return {
    asOf: o.asOf,
    actualMonths: s.actualMonths,
    localMonths: s.localMonths,
    transferredMonths: s.transferredMonths,
    overlapMonths: s.overlapMonths,
    deemedMonths,
    deemedSource: deemed ? { caseId: deemed.caseId, recognisedOn: deemed.recognisedOn, recognisedBy: deemed.recognisedBy } : null,
    totalMonths: s.actualMonths + deemedMonths,
    averageIndex: s.averageIndex,
    accountBalance: s.accountBalance,
    backPaidMonths: backPaidMonths(record.records.filter((r) => r.yearMonth <= asOfMonth)),
    provisional: s.provisional,
    working: s.working,
  };
}

/** The last day of a month, 'YYYY-MM-DD'. */
function endOfMonth(yearMonth: string): string {
  const [y, m] = yearMonth.split('-').map(Number);
  return `${yearMonth}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
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

// ---------------------------------------------------------------------------------------
// Assessment

export interface Evaluation {
  region: string;
  eligible: boolean;
  reasons: RequiredItem[];
  options: RequiredItem[];
  retirement: {
    birthDateSource: 'personnel_file' | 'id_number';
    sex: 'male' | 'female';
    originalAge: number;
    originalAgeSource: string;
    statutoryAge: { years: number; months: number };
    statutoryYearMonth: string;
    earliest: string;
    latest: string;
    retirementYearMonth: string;
    kind: 'early' | 'on_time' | 'late';
    ageAtRetirement: { years: number; months: number };
    minimumContributionMonths: number;
    minimumYear: number;
  };
  summary: ContributionSummary;
  pension: PensionResult | null;
  baseWage: string | null;
  risk: ClaimRiskAssessment;
  /** True when the result rests on a stand-in for a value not yet published. */
  provisional: boolean;
  parametersUsed: ParameterUsed[];
  parameterSetVersion: number;
}

export async function evaluateClaim(db: DbOrTx, o: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<Evaluation> {
  const ctx = await claimContext(db, o.caseId);
  const region = ctx.case.agencyCode;
  const { rows, version } = await loadParameterSet(db);
  const resolver = new ParameterResolver(rows, region);
  const [file] = await db
    .select()
    .from(personnelFiles)
    .where(and(eq(personnelFiles.caseId, o.caseId), isNotNull(personnelFiles.receivedAt)))
    .orderBy(desc(personnelFiles.receivedAt));

  // 劳社部发〔1999〕8号 (recalled, UNVERIFIED here): when the ID card and the file disagree, the
  // birth date the file first recorded decides; the disagreement itself is a risk point.
  const birthDate = file?.fileBirthDate ?? ctx.person.birthDate;
  const sex = ctx.person.sex;
  const fileAge = (file?.content as PersonnelFileContent | null)?.originalRetirementAge;
  let originalAge = 60;
  let originalAgeSource = 'men: 60';
  if (sex === 'female') {
    if (ctx.person.originalRetirementAge) {
      originalAge = ctx.person.originalRetirementAge;
      originalAgeSource = 'person record';
    } else if (fileAge) {
      originalAge = fileAge;
      originalAgeSource = 'personnel file';
    } else {
      const p = resolver.onDate(PARAMETER_NAMES.femaleFlexibleOriginalAge, o.onDate);
      if (!p) throw new MissingParametersError([...resolver.missing]);
      originalAge = Number(p.value);
      originalAgeSource = `parameter ${p.name} (${p.region}, from ${p.validFrom}): ${p.source}`;
    }
  }

  const facts = {
    birthYearMonth: birthDate.slice(0, 7),
    sex,
    originalAge,
    retireAt: o.retireAt,
    currentYearMonth: o.onDate.slice(0, 7),
    minimumYearsTable: minimumYearsTableFromParameters(rows, region),
  };
  // The retirement month decides the date of everything else: the record up to the end of that
  // month (or today, if earlier), the divisor age, and the parameters in force then.
  const retirementYearMonth = claimEligibility({ ...facts, contributionMonths: 0 }).retirementYearMonth;
  const retirementEnd = endOfMonth(retirementYearMonth);
  const asOf = retirementEnd < o.onDate ? retirementEnd : o.onDate;
  const summary = await summariseContributions(db, { personId: ctx.person.id, caseId: o.caseId, asOf, resolver });
  const eligibility = claimEligibility({ ...facts, contributionMonths: summary.totalMonths });
  const reasons = [...eligibility.reasons];
  let pension: PensionResult | null = null;
  let baseWage: string | null = null;
  if (reasons.length === 0) {
    if (summary.averageIndex === null) {
      reasons.push({ code: 'no_contribution_records', text: '没有实际缴费记录，无法计算本人平均缴费指数' });
    } else {
      const params = pensionParametersForRetirement(resolver, eligibility.retirementYearMonth);
      resolver.assertComplete();
      baseWage = params!.baseWage!.value;
      pension = computePension(
        {
          baseWage,
          averageIndex: summary.averageIndex,
          contributionMonths: summary.totalMonths,
          deemedMonths: summary.deemedMonths,
          accountBalance: summary.accountBalance,
          age: eligibility.ageAtRetirement,
        },
        params!,
      );
    }
  }
  resolver.assertComplete();
  const risk = assessClaimRisk(
    {
      idBirthDate: ctx.person.birthDate,
      fileBirthDate: file?.fileBirthDate,
      recognisedDeemedMonths: summary.deemedMonths,
      lumpSumDeclared: o.lumpSum,
      backPaidMonths: summary.backPaidMonths,
      monthlyTotal: pension?.total,
      baseWage,
    },
    riskParametersFrom(rows, region, o.onDate),
  );
  const provisional = resolver.provisional();
  return {
    region,
    eligible: reasons.length === 0,
    reasons,
    options: eligibility.options,
    retirement: {
      birthDateSource: file?.fileBirthDate ? 'personnel_file' : 'id_number',
      sex,
      originalAge,
      originalAgeSource,
      statutoryAge: eligibility.statutory.statutoryAge,
      statutoryYearMonth: eligibility.statutory.retirementYearMonth,
      earliest: eligibility.statutory.earliest,
      latest: eligibility.statutory.latest,
      retirementYearMonth: eligibility.retirementYearMonth,
      kind: eligibility.kind,
      ageAtRetirement: eligibility.ageAtRetirement,
      minimumContributionMonths: eligibility.minimumContributionMonths,
      minimumYear: eligibility.minimumYear,
    },
    summary,
    pension,
    baseWage,
    risk,
    provisional: provisional.length > 0,
    parametersUsed: resolver.used(),
    parameterSetVersion: version,
  };
}

/** The stand-ins of a provisional result, as the case and the award show them. */
function provisionalItems(used: readonly ParameterUsed[]): Array<{ name: string; year: number | undefined; standIn: string }> {
  return used.filter((u) => u.provisional).map((u) => ({ name: u.name, year: u.year, standIn: `${u.value} (${u.validFrom}, v${u.version})` }));
}

/** What the workflow records of the assessment (no personal identifiers, no long workings). */
export interface ClaimAssessment {
  eligible: boolean;
  reasons: RequiredItem[];
  options: RequiredItem[];
  retirement: Evaluation['retirement'];
  contributions: Omit<ContributionSummary, 'working' | 'deemedSource'>;
  pension: { basic: string; account: string; transitional: string; total: string; divisor: string; baseWage: string } | null;
  risk: { highRisk: boolean; reasons: RequiredItem[]; quorum: number; ruleVersion: string };
  onDate: string;
  /** The result rests on stand-ins for values not yet published (listed): a provisional amount. */
  provisional: boolean;
  provisionalParameters: Array<{ name: string; year: number | undefined; standIn: string }>;
  /** The parameter-set version (highest publication) the assessment saw. */
  parameterSetVersion: number;
}

/** The computed award, as the certification stores it. */
export interface ComputedAward {
  certifiedOn: string;
  firstPaymentMonth: string;
  basic: string;
  account: string;
  transitional: string;
  total: string;
  divisor: string;
  inputs: Record<string, unknown>;
  working: Record<string, unknown>;
  ruleVersion: string;
  provisional: boolean;
  parameters: ParameterUsed[];
  parameterSetVersion: number;
}

export function createClaimActivities({ db, government }: ClaimDeps) {
  async function assess(input: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<ClaimAssessment> {
    const e = await evaluateClaim(db, input);
    const s = e.summary;
    const contributions: ClaimAssessment['contributions'] = {
      asOf: s.asOf,
      actualMonths: s.actualMonths,
      localMonths: s.localMonths,
      transferredMonths: s.transferredMonths,
      overlapMonths: s.overlapMonths,
      deemedMonths: s.deemedMonths,
      totalMonths: s.totalMonths,
      averageIndex: s.averageIndex,
      accountBalance: s.accountBalance,
      backPaidMonths: s.backPaidMonths,
      provisional: s.provisional,
    };
    return {
      eligible: e.eligible,
      reasons: e.reasons,
      options: e.options,
      retirement: e.retirement,
      contributions,
      pension: e.pension
        ? { basic: e.pension.basic, account: e.pension.account, transitional: e.pension.transitional, total: e.pension.total, divisor: e.pension.divisor, baseWage: e.baseWage! }
        : null,
      risk: { highRisk: e.risk.highRisk, reasons: e.risk.reasons.map((r) => ({ code: r.code, text: r.text })), quorum: e.risk.quorum, ruleVersion: e.risk.ruleVersion },
      onDate: input.onDate,
      provisional: e.provisional,
      provisionalParameters: provisionalItems(e.parametersUsed),
      parameterSetVersion: e.parameterSetVersion,
    };
  }

  async function compute(input: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<{ eligible: true; award: ComputedAward } | { eligible: false; reasons: RequiredItem[]; options: RequiredItem[] }> {
    const e = await evaluateClaim(db, input);
    if (!e.eligible || !e.pension) return { eligible: false, reasons: e.reasons, options: e.options };
    const p = e.pension;
    return {
      eligible: true,
      award: {
        certifiedOn: input.onDate,
        firstPaymentMonth: firstPaymentMonth(input.onDate),
        basic: p.basic,
        account: p.account,
        transitional: p.transitional,
        total: p.total,
        divisor: p.divisor,
        inputs: {
          certifiedOn: input.onDate,
          region: e.region,
          pension: p.working.inputs,
          contributionYears: p.contributionYears,
          deemedYears: p.deemedYears,
          parameters: p.working.parameters,
          parametersUsed: e.parametersUsed,
          parameterSetVersion: e.parameterSetVersion,
          provisional: e.provisional,
          retirement: e.retirement,
          contributions: e.summary,
          risk: { highRisk: e.risk.highRisk, reasons: e.risk.reasons, parameters: e.risk.parameters, ruleVersion: e.risk.ruleVersion },
          warnings: p.warnings,
        },
        working: p.working as unknown as Record<string, unknown>,
        ruleVersion: `${PENSION_RULE_VERSION}; ${SUMMARY_RULE_VERSION}; ${CONTRIBUTIONS_RULE_VERSION}; ${CLAIM_RULE_VERSION}`,
        provisional: e.provisional,
        parameters: e.parametersUsed,
        parameterSetVersion: e.parameterSetVersion,
      },
    };
  }

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
    async requestPersonnelFile(input: { caseId: string; requestRef: string; requestedAt: string }): Promise<{ requestRef: string }> {
      const ctx = await claimContext(db, input.caseId);
      await db
        .insert(personnelFiles)
        .values({ personId: ctx.person.id, requestRef: input.requestRef, caseId: input.caseId, requestedAt: new Date(input.requestedAt) })
        .onConflictDoNothing({ target: personnelFiles.requestRef });
      await government.archives.requestFile({ requestRef: input.requestRef, idNumber: ctx.person.idNumber, name: ctx.person.name });
      return { requestRef: input.requestRef };
    },

    /**
     * One poll of the archive service. A delivered file is stored in personnel_files; the
     * workflow learns only what it needs (deemed months, whether the birth dates agree).
     */
    async fetchPersonnelFile(input: { caseId: string; requestRef: string; receivedAt: string }): Promise<
      | { status: 'pending' }
      | { status: 'not_found' }
      | { status: 'invalid'; problems: string[] }
      | { status: 'delivered'; deemedMonths: number; birthDateMatchesId: boolean; hasWorkStartDate: boolean; originalRetirementAge: number | null }
    > {
      const result = await government.archives.fetchFile(input.requestRef);
      if (result.status === 'pending') return { status: 'pending' };
      if (result.status === 'not_found') return { status: 'not_found' };
      const file = result.file;
      const problems: string[] = [];
      if (typeof file.birthDate !== 'string' || !isValidDate(file.birthDate)) problems.push('birthDate');
      if (file.workStartDate !== undefined && (typeof file.workStartDate !== 'string' || !isValidDate(file.workStartDate))) problems.push('workStartDate');
      if (!Number.isInteger(file.deemedMonths) || file.deemedMonths < 0) problems.push('deemedMonths');
      if (file.originalRetirementAge !== undefined && file.originalRetirementAge !== 50 && file.originalRetirementAge !== 55) problems.push('originalRetirementAge');
      if (problems.length > 0) return { status: 'invalid', problems };
      const ctx = await claimContext(db, input.caseId);
      await db
        .update(personnelFiles)
        .set({ receivedAt: new Date(input.receivedAt), fileBirthDate: file.birthDate, workStartDate: file.workStartDate ?? null, deemedMonths: file.deemedMonths, content: file as unknown as Record<string, unknown> })
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
    async recordDeemedRecognition(input: { step: StepRecord; months: number; recognisedBy: string; note?: string }): Promise<void> {
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
    async contributionSummary(input: { caseId: string; asOf: string }): Promise<ContributionSummary | AwaitingParameters> {
      const ctx = await claimContext(db, input.caseId);
      const resolver = new ParameterResolver(await loadParameters(db), ctx.case.agencyCode);
      return orAwaitingParameters(() => summariseContributions(db, { personId: ctx.person.id, caseId: input.caseId, asOf: input.asOf, resolver }));
    },

    /** B-1 review with the parameters in force on `onDate`: reasons, options, a provisional pension and the risk reasons. */
    async assessClaim(input: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<ClaimAssessment | AwaitingParameters> {
      return orAwaitingParameters(() => assess(input));
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
    }): Promise<{ eligible: true; award: ComputedAward } | { eligible: false; reasons: RequiredItem[]; options: RequiredItem[] } | AwaitingParameters> {
      return orAwaitingParameters(() => compute(input));
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
              .where(and(eq(relations.personId, ctx.person.id), eq(relations.agencyCode, ctx.case.agencyCode), inArray(relations.status, ['contributing', 'interrupted'])))
              .returning({ id: relations.id });
            if (updated.length !== 1) throw ApplicationFailure.nonRetryable('the relation changed during review', 'relation.conflict');
          },
        });
        if (!applied) {
          const [existing] = await tx.select({ id: awards.id }).from(awards).where(eq(awards.caseId, input.step.caseId));
          if (!existing) throw ApplicationFailure.nonRetryable('closing step applied without an award', 'award.missing');
          return { awardId: existing.id };
        }
        return { awardId: awardId! };
      });
    },
  };
}
