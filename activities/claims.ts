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
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { GovernmentSystems, PersonnelFileContent } from '../adapters/government/types';
import type { Db, DbOrTx } from '../db/client';
import { loadParameters } from '../db/parameters-store';
import { applyStep } from '../db/repositories/case-steps';
import { accountEntries, awards, cases, contributionRecords, deemedPeriods, personnelFiles, persons, relations, transferredPeriods } from '../db/schema';
import type { Working } from '../domain/audit';
import { CLAIM_RULE_VERSION, claimEligibility, claimRelationReasons, firstPaymentMonth } from '../domain/claim';
import { accountLedger, averageIndex, CONTRIBUTIONS_RULE_VERSION, type ContributionRecord } from '../domain/contributions';
import type { RequiredItem } from '../domain/materials';
import { minimumYearsTableFromParameters } from '../domain/minimum-years';
import { dec, money } from '../domain/money';
import { PARAMETER_NAMES, pickParameter, type ParameterValue } from '../domain/parameters';
import { computePension, PENSION_RULE_VERSION, pensionParametersFrom, type PensionResult } from '../domain/pension';
import { formatYearMonth, yearMonthIndex } from '../domain/retirement-age';
import { assessClaimRisk, backPaidMonths, riskParametersFrom, type ClaimRiskAssessment } from '../domain/risk';
import { chinaDateOf, isValidDate } from '../domain/working-days';
import type { StepRecord } from '../workflows/shared/types';
import { personOfCase } from './relations';

export interface ClaimDeps {
  db: Db;
  government: GovernmentSystems;
}

/** How transferred periods count, recorded in every summary's working. */
export const TRANSFERRED_PERIODS_RULE =
  'Periods taken over from another province (information-sheet part 2 rows, transferred_periods) are actual contribution months: ' +
  'each row counts `months` months from its start month (never past its end month) at the row\'s monthly base. They join the ' +
  'local months in N and in the average index, which is recomputed here with this province\'s yearly average wage ' +
  '(contribution.averageWage) for every month, local or transferred (国办发〔2009〕66号 第七条: the claim place computes with its own ' +
  'average wages, domain.md §5.4). A month both paid locally and transferred counts once, with the local base. The transferred ' +
  'individual-account money enters the balance only through its transfer_in account entry (information-sheet item ④), which ' +
  'earns interest from the year after it was posted, like a credit.';

async function claimContext(db: DbOrTx, caseId: string) {
  const [row] = await db.select({ c: cases, p: persons }).from(cases).innerJoin(persons, eq(persons.id, cases.personId)).where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`case ${caseId} does not exist`, 'case.not_found');
  return { case: row.c, person: row.p };
}

// ---------------------------------------------------------------------------------------
// Contribution summary

export interface ContributionSummary {
  asOf: string;
  /** Distinct actual contribution months: local records plus transferred periods. */
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
  working: {
    transferredPeriodsRule: string;
    months: { local: string[]; transferred: Array<{ transferId: string; regionCode: string; year: number; months: string[]; monthlyBase: string }>; overlap: string[] };
    index: Working | null;
    account: { local: Working | null; transfersIn: Array<{ entryKey: string; postedOn: string; amount: string; balance: string; working: Working | null }>; formula: string };
    ruleVersion: string;
  };
}

function expandPeriod(start: string, end: string, months: number): string[] {
  const from = yearMonthIndex(start, 'startYearMonth');
  const to = yearMonthIndex(end, 'endYearMonth');
  const out: string[] = [];
  for (let i = from; i <= to && out.length < months; i++) out.push(formatYearMonth(i));
  return out;
}

/** Rates of the complete years in [fromYear, asOf] that have one (a missing needed rate fails in the ledger). */
function interestRates(rows: readonly ParameterValue<unknown>[], region: string, fromYear: number, asOf: string): Record<string, ParameterValue<string>> {
  const out: Record<string, ParameterValue<string>> = {};
  const lastComplete = asOf.endsWith('-12-31') ? Number(asOf.slice(0, 4)) : Number(asOf.slice(0, 4)) - 1;
  for (let y = fromYear; y <= lastComplete; y++) {
    try {
      out[String(y)] = pickParameter(rows, PARAMETER_NAMES.interestRate, region, `${y}-01-01`) as ParameterValue<string>;
    } catch {
      // Not every year has a rate; the ledger fails only when a year that earns interest lacks one.
    }
  }
  return out;
}

/**
 * Months, deemed months, average index and account balance of a person on `asOf`, each with
 * its working. Deemed months are the ones recognised for this case (else the latest
 * recognition for the person, e.g. at pre-review).
 */
export async function summariseContributions(
  db: DbOrTx,
  o: { personId: string; caseId: string; region: string; asOf: string; rows: readonly ParameterValue<unknown>[] },
): Promise<ContributionSummary> {
  const asOfMonth = o.asOf.slice(0, 7);
  const [localRows, transferredRows, entryRows, deemedRows] = await Promise.all([
    db
      .select({ yearMonth: contributionRecords.yearMonth, base: contributionRecords.base, paidOn: contributionRecords.paidOn })
      .from(contributionRecords)
      .where(eq(contributionRecords.personId, o.personId))
      .orderBy(asc(contributionRecords.yearMonth)),
    db.select().from(transferredPeriods).where(eq(transferredPeriods.personId, o.personId)).orderBy(asc(transferredPeriods.startYearMonth)),
    db
      .select()
      .from(accountEntries)
      .where(and(eq(accountEntries.personId, o.personId), eq(accountEntries.kind, 'transfer_in')))
      .orderBy(asc(accountEntries.postedOn)),
    db.select().from(deemedPeriods).where(eq(deemedPeriods.personId, o.personId)).orderBy(desc(deemedPeriods.recognisedOn), desc(deemedPeriods.createdAt)),
  ]);

  const local = localRows.filter((r) => r.yearMonth <= asOfMonth);
  const localMonths = new Set(local.map((r) => r.yearMonth));
  const records: ContributionRecord[] = local.map((r) => ({ yearMonth: r.yearMonth, base: r.base }));
  const overlap: string[] = [];
  const transferred: ContributionSummary['working']['months']['transferred'] = [];
  const seenTransferred = new Set<string>();
  for (const t of transferredRows) {
    const months = expandPeriod(t.startYearMonth, t.endYearMonth, t.months).filter((m) => m <= asOfMonth);
    transferred.push({ transferId: t.transferId, regionCode: t.regionCode, year: t.year, months, monthlyBase: t.monthlyBase });
    for (const m of months) {
      if (localMonths.has(m)) overlap.push(m);
      else if (!seenTransferred.has(m)) {
        seenTransferred.add(m);
        records.push({ yearMonth: m, base: t.monthlyBase });
      }
    }
  }

  const deemed = deemedRows.find((d) => d.caseId === o.caseId) ?? deemedRows[0];
  const deemedMonths = deemed?.months ?? 0;
  const actualMonths = localMonths.size + seenTransferred.size;

  // Ī over every actual month with this province's average wage of the month's year.
  let index: ReturnType<typeof averageIndex> | null = null;
  if (records.length > 0) {
    const years = [...new Set(records.map((r) => Number(r.yearMonth.slice(0, 4))))].sort();
    const wages = Object.fromEntries(years.map((y) => [String(y), pickParameter(o.rows, PARAMETER_NAMES.averageWage, o.region, `${y}-01-01`) as ParameterValue<string>]));
    index = averageIndex(records, wages);
  }

  // Account: the ledger of the local records, plus each transfer-in entry from the year after it was posted.
  const creditRate = pickParameter(o.rows, PARAMETER_NAMES.accountCreditRate, o.region, o.asOf) as ParameterValue<string>;
  const localRecords = local.map((r) => ({ yearMonth: r.yearMonth, base: r.base }));
  const firstYear = Math.min(...[...localRecords.map((r) => Number(r.yearMonth.slice(0, 4))), ...entryRows.map((e) => Number(e.postedOn.slice(0, 4)) + 1), Number(o.asOf.slice(0, 4))]);
  const rates = interestRates(o.rows, o.region, firstYear, o.asOf);
  const ledger = localRecords.length > 0 ? accountLedger(localRecords, { creditRate, interestRateByYear: rates, asOf: o.asOf }) : null;
  let balance = dec(ledger?.balance ?? '0');
  const transfersIn: ContributionSummary['working']['account']['transfersIn'] = [];
  for (const e of entryRows.filter((x) => x.postedOn <= o.asOf)) {
    const fromYear = Number(e.postedOn.slice(0, 4)) + 1;
    const sub = fromYear <= Number(o.asOf.slice(0, 4)) ? accountLedger([], { creditRate, interestRateByYear: rates, asOf: o.asOf, openingBalance: { year: fromYear, balance: e.amount } }) : null;
    const value = sub?.balance ?? money(e.amount);
    balance = balance.plus(value);
    transfersIn.push({ entryKey: e.entryKey, postedOn: e.postedOn, amount: money(e.amount), balance: value, working: sub?.working ?? null });
  }

  return {
    asOf: o.asOf,
    actualMonths,
    localMonths: localMonths.size,
    transferredMonths: seenTransferred.size + overlap.length,
    overlapMonths: overlap.length,
    deemedMonths,
    deemedSource: deemed ? { caseId: deemed.caseId, recognisedOn: deemed.recognisedOn, recognisedBy: deemed.recognisedBy } : null,
    totalMonths: actualMonths + deemedMonths,
    averageIndex: index?.averageIndex ?? null,
    accountBalance: money(balance),
    backPaidMonths: backPaidMonths(local),
    working: {
      transferredPeriodsRule: TRANSFERRED_PERIODS_RULE,
      months: { local: [...localMonths], transferred, overlap },
      index: index?.working ?? null,
      account: {
        local: ledger?.working ?? null,
        transfersIn,
        formula: `balance = local ledger ${ledger?.balance ?? '0.00'} + Σ transfer-in balances (${transfersIn.map((t) => t.balance).join(' + ') || '0.00'}) = ${money(balance)}`,
      },
      ruleVersion: CONTRIBUTIONS_RULE_VERSION,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Assessment

interface Evaluation {
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
}

async function evaluateClaim(db: DbOrTx, o: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<Evaluation> {
  const ctx = await claimContext(db, o.caseId);
  const region = ctx.case.agencyCode;
  const rows = await loadParameters(db);
  const [file] = await db
    .select()
    .from(personnelFiles)
    .where(and(eq(personnelFiles.caseId, o.caseId), isNotNull(personnelFiles.receivedAt)))
    .orderBy(desc(personnelFiles.receivedAt));
  const summary = await summariseContributions(db, { personId: ctx.person.id, caseId: o.caseId, region, asOf: o.onDate, rows });

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
      const p = pickParameter(rows, PARAMETER_NAMES.femaleFlexibleOriginalAge, region, o.onDate);
      originalAge = Number(p.value);
      originalAgeSource = `parameter ${p.name} (${p.region}, from ${p.validFrom}): ${p.source}`;
    }
  }

  const eligibility = claimEligibility({
    birthYearMonth: birthDate.slice(0, 7),
    sex,
    originalAge,
    retireAt: o.retireAt,
    currentYearMonth: o.onDate.slice(0, 7),
    contributionMonths: summary.totalMonths,
    minimumYearsTable: minimumYearsTableFromParameters(rows, region),
  });
  const reasons = [...eligibility.reasons];
  let pension: PensionResult | null = null;
  let baseWage: string | null = null;
  if (reasons.length === 0) {
    if (summary.averageIndex === null) {
      reasons.push({ code: 'no_contribution_records', text: '没有实际缴费记录，无法计算本人平均缴费指数' });
    } else {
      const params = pensionParametersFrom(rows, region, o.onDate);
      baseWage = params.baseWage!.value;
      pension = computePension(
        {
          baseWage,
          averageIndex: summary.averageIndex,
          contributionMonths: summary.totalMonths,
          deemedMonths: summary.deemedMonths,
          accountBalance: summary.accountBalance,
          age: eligibility.ageAtRetirement,
        },
        params,
      );
    }
  }
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
  };
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
    async contributionSummary(input: { caseId: string; asOf: string }): Promise<ContributionSummary> {
      const ctx = await claimContext(db, input.caseId);
      return summariseContributions(db, { personId: ctx.person.id, caseId: input.caseId, region: ctx.case.agencyCode, asOf: input.asOf, rows: await loadParameters(db) });
    },

    /** B-1 review with the parameters in force on `onDate`: reasons, options, a provisional pension and the risk reasons. */
    async assessClaim(input: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<ClaimAssessment> {
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
      };
    },

    /**
     * The award as certified on `onDate`: the pension computed with the parameters in force that
     * day, with every input (retirement facts, contribution summary with its workings, the
     * pension input and each parameter with its source) and the computation's working.
     */
    async computeAward(input: { caseId: string; retireAt?: string; lumpSum: boolean; onDate: string }): Promise<{ eligible: true; award: ComputedAward } | { eligible: false; reasons: RequiredItem[]; options: RequiredItem[] }> {
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
            retirement: e.retirement,
            contributions: e.summary,
            risk: { highRisk: e.risk.highRisk, reasons: e.risk.reasons, parameters: e.risk.parameters, ruleVersion: e.risk.ruleVersion },
            warnings: p.warnings,
          },
          working: p.working as unknown as Record<string, unknown>,
          ruleVersion: `${PENSION_RULE_VERSION}; ${CONTRIBUTIONS_RULE_VERSION}; ${CLAIM_RULE_VERSION}`,
        },
      };
    },

    /**
     * B-8, B-9: stores the award, makes the relation `receiving` from the certification date
     * and applies the case's closing step, in one transaction. Idempotent: a retry returns the
     * award already stored.
     */
    async certifyClaim(input: { step: StepRecord; award: ComputedAward }): Promise<{ awardId: string }> {
      return db.transaction(async (tx) => {
        const applied = await applyStep(tx, input.step);
        if (!applied) {
          const [existing] = await tx.select({ id: awards.id }).from(awards).where(eq(awards.caseId, input.step.caseId));
          if (!existing) throw ApplicationFailure.nonRetryable('closing step applied without an award', 'award.missing');
          return { awardId: existing.id };
        }
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
            lastCertifiedOn: a.certifiedOn,
          })
          .returning({ id: awards.id });
        const updated = await tx
          .update(relations)
          .set({ status: 'receiving', since: a.certifiedOn, lastCaseId: ctx.case.id, updatedAt: new Date() })
          .where(and(eq(relations.personId, ctx.person.id), eq(relations.agencyCode, ctx.case.agencyCode), inArray(relations.status, ['contributing', 'interrupted'])))
          .returning({ id: relations.id });
        if (updated.length !== 1) throw ApplicationFailure.nonRetryable('the relation changed during review', 'relation.conflict');
        return { awardId: row.id };
      });
    },
  };
}
