/**
 * The benefit claim's evaluation (B-1, B-8, R-4) as pure steps over what the activities read:
 * the retirement facts and the date the record is summarised on, then eligibility, the pension
 * and the risk checks on that summary, and the two shapes the workflow records (the assessment
 * and the computed award, domain/claim-results.ts). The activities (activities/claim-evaluation.ts)
 * only read and write. Pure and deterministic.
 */
import { claimEligibility, type ClaimEligibilityInput } from './claim';
import type { ProvincialSummary } from './contribution-summary';
import type { RequiredItem } from './materials';
import { minimumYearsTableFromParameters } from './minimum-years';
import { MissingParametersError, type ParameterResolver, type ParameterUsed } from './parameter-resolver';
import { PARAMETER_NAMES, type ParameterValue } from './parameters';
import { computePension, pensionParametersForRetirement, type PensionResult } from './pension';
import { assessClaimRisk, backPaidMonths, riskParametersFrom, type ClaimRiskAssessment } from './risk';
import { lastDayOfMonth } from './year-month';

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

/** A recognition of deemed months (deemed_periods), newest first as the caller passes them. */
export interface DeemedRecognition {
  caseId: string | null;
  months: number;
  recognisedOn: string;
  recognisedBy: string;
}

/**
 * The contribution summary on `asOf`: the province's record summarised, the deemed months
 * recognised for this case (else the latest recognition for the person, e.g. at pre-review) and
 * the local months paid late up to `asOf`.
 */
export function contributionSummaryOf(
  s: ProvincialSummary,
  o: {
    asOf: string;
    caseId: string;
    deemed: readonly DeemedRecognition[];
    records: ReadonlyArray<{ yearMonth: string; paidOn?: string | null }>;
  },
): ContributionSummary {
  const deemed = o.deemed.find((d) => d.caseId === o.caseId) ?? o.deemed[0];
  const deemedMonths = deemed?.months ?? 0;
  const asOfMonth = o.asOf.slice(0, 7);
  return {
    asOf: o.asOf,
    actualMonths: s.actualMonths,
    localMonths: s.localMonths,
    transferredMonths: s.transferredMonths,
    overlapMonths: s.overlapMonths,
    deemedMonths,
    deemedSource: deemed
      ? { caseId: deemed.caseId, recognisedOn: deemed.recognisedOn, recognisedBy: deemed.recognisedBy }
      : null,
    totalMonths: s.actualMonths + deemedMonths,
    averageIndex: s.averageIndex,
    accountBalance: s.accountBalance,
    backPaidMonths: backPaidMonths(o.records.filter((r) => r.yearMonth <= asOfMonth)),
    provisional: s.provisional,
    working: s.working,
  };
}

export interface ClaimEvaluation {
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

/** What the evaluation reads of the person and of the latest personnel file received. */
export interface ClaimantFacts {
  person: { birthDate: string; sex: 'male' | 'female'; originalRetirementAge: number | null };
  file?: { fileBirthDate: string | null; originalRetirementAge?: number };
}

/** The retirement facts of a claim and the date its record is summarised on. */
export interface ClaimRetirementFacts {
  eligibilityInput: Omit<ClaimEligibilityInput, 'contributionMonths'>;
  originalAge: number;
  originalAgeSource: string;
  /** The end of the retirement month, or `onDate` when earlier. */
  asOf: string;
}

/**
 * The retirement facts (birth month, original age) and the summary date. 劳社部发〔1999〕8号
 * (recalled, UNVERIFIED here): when the ID card and the file disagree, the birth date the file
 * first recorded decides; the disagreement itself is a risk point. Throws MissingParametersError
 * when a woman's original age must come from an unpublished parameter.
 */
export function claimRetirementFacts(
  c: ClaimantFacts,
  o: {
    resolver: ParameterResolver;
    rows: readonly ParameterValue<unknown>[];
    region: string;
    onDate: string;
    retireAt?: string;
  },
): ClaimRetirementFacts {
  const birthDate = c.file?.fileBirthDate ?? c.person.birthDate;
  let originalAge = 60;
  let originalAgeSource = 'men: 60';
  if (c.person.sex === 'female') {
    if (c.person.originalRetirementAge) {
      originalAge = c.person.originalRetirementAge;
      originalAgeSource = 'person record';
    } else if (c.file?.originalRetirementAge) {
      originalAge = c.file.originalRetirementAge;
      originalAgeSource = 'personnel file';
    } else {
      const p = o.resolver.onDate(PARAMETER_NAMES.femaleFlexibleOriginalAge, o.onDate);
      if (!p) throw new MissingParametersError([...o.resolver.missing]);
      originalAge = Number(p.value);
      originalAgeSource = `parameter ${p.name} (${p.region}, from ${p.validFrom}): ${p.source}`;
    }
  }
  const eligibilityInput = {
    birthYearMonth: birthDate.slice(0, 7),
    sex: c.person.sex,
    originalAge,
    retireAt: o.retireAt,
    currentYearMonth: o.onDate.slice(0, 7),
    minimumYearsTable: minimumYearsTableFromParameters(o.rows, o.region),
  };
  // The retirement month decides the date of everything else: the record up to the end of that
  // month (or today, if earlier), the divisor age, and the parameters in force then.
  const retirementEnd = lastDayOfMonth(
    claimEligibility({ ...eligibilityInput, contributionMonths: 0 }).retirementYearMonth,
  );
  return {
    eligibilityInput,
    originalAge,
    originalAgeSource,
    asOf: retirementEnd < o.onDate ? retirementEnd : o.onDate,
  };
}

/**
 * B-1 on the summary: eligibility with the months counted, the pension with the parameters in
 * force in the retirement month (when eligible) and the R-4 risk checks. Throws
 * MissingParametersError when a parameter it needs is not published.
 */
export function evaluateClaimOn(
  c: ClaimantFacts,
  facts: ClaimRetirementFacts,
  summary: ContributionSummary,
  o: {
    resolver: ParameterResolver;
    rows: readonly ParameterValue<unknown>[];
    region: string;
    parameterSetVersion: number;
    onDate: string;
    lumpSum: boolean;
  },
): ClaimEvaluation {
  const { resolver } = o;
  const eligibility = claimEligibility({ ...facts.eligibilityInput, contributionMonths: summary.totalMonths });
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
      idBirthDate: c.person.birthDate,
      fileBirthDate: c.file?.fileBirthDate,
      recognisedDeemedMonths: summary.deemedMonths,
      lumpSumDeclared: o.lumpSum,
      backPaidMonths: summary.backPaidMonths,
      monthlyTotal: pension?.total,
      baseWage,
    },
    riskParametersFrom(o.rows, o.region, o.onDate),
  );
  const provisional = resolver.provisional();
  return {
    region: o.region,
    eligible: reasons.length === 0,
    reasons,
    options: eligibility.options,
    retirement: {
      birthDateSource: c.file?.fileBirthDate ? 'personnel_file' : 'id_number',
      sex: c.person.sex,
      originalAge: facts.originalAge,
      originalAgeSource: facts.originalAgeSource,
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
    parameterSetVersion: o.parameterSetVersion,
  };
}
