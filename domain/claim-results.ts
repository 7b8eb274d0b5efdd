/**
 * What the benefit claim records of an evaluation (domain/claim-evaluation.ts): the assessment
 * the workflow keeps (no personal identifiers, no long workings) and the award as certified,
 * with every input and the working. Pure and deterministic.
 */
import { CLAIM_RULE_VERSION, firstPaymentMonth } from './claim';
import type { ClaimEvaluation, ContributionSummary } from './claim-evaluation';
import { SUMMARY_RULE_VERSION } from './contribution-summary';
import { CONTRIBUTIONS_RULE_VERSION } from './contributions';
import type { RequiredItem } from './materials';
import type { ParameterUsed } from './parameter-resolver';
import { PENSION_RULE_VERSION } from './pension';

/** What the workflow records of the assessment (no personal identifiers, no long workings). */
export interface ClaimAssessment {
  eligible: boolean;
  reasons: RequiredItem[];
  options: RequiredItem[];
  retirement: ClaimEvaluation['retirement'];
  contributions: Omit<ContributionSummary, 'working' | 'deemedSource'>;
  pension: {
    basic: string;
    account: string;
    transitional: string;
    total: string;
    divisor: string;
    baseWage: string;
  } | null;
  risk: { highRisk: boolean; reasons: RequiredItem[]; quorum: number; ruleVersion: string };
  onDate: string;
  /** The result rests on stand-ins for values not yet published (listed): a provisional amount. */
  provisional: boolean;
  provisionalParameters: Array<{ name: string; year: number | undefined; standIn: string }>;
  /** The parameter-set version (highest publication) the assessment saw. */
  parameterSetVersion: number;
}

/** The stand-ins of a provisional result, as the case and the award show them. */
function provisionalItems(used: readonly ParameterUsed[]): ClaimAssessment['provisionalParameters'] {
  return used
    .filter((u) => u.provisional)
    .map((u) => ({ name: u.name, year: u.year, standIn: `${u.value} (${u.validFrom}, v${u.version})` }));
}

/** The assessment as the workflow records it. */
export function claimAssessmentOf(e: ClaimEvaluation, onDate: string): ClaimAssessment {
  const s = e.summary;
  return {
    eligible: e.eligible,
    reasons: e.reasons,
    options: e.options,
    retirement: e.retirement,
    contributions: {
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
    },
    pension: e.pension
      ? {
          basic: e.pension.basic,
          account: e.pension.account,
          transitional: e.pension.transitional,
          total: e.pension.total,
          divisor: e.pension.divisor,
          baseWage: e.baseWage!,
        }
      : null,
    risk: {
      highRisk: e.risk.highRisk,
      reasons: e.risk.reasons.map((r) => ({ code: r.code, text: r.text })),
      quorum: e.risk.quorum,
      ruleVersion: e.risk.ruleVersion,
    },
    onDate,
    provisional: e.provisional,
    provisionalParameters: provisionalItems(e.parametersUsed),
    parameterSetVersion: e.parameterSetVersion,
  };
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

export type ComputedAwardResult =
  { eligible: true; award: ComputedAward } | { eligible: false; reasons: RequiredItem[]; options: RequiredItem[] };

/** The award as certified on `onDate`, with every input and the working; or why there is none. */
export function computedAwardOf(e: ClaimEvaluation, onDate: string): ComputedAwardResult {
  if (!e.eligible || !e.pension) return { eligible: false, reasons: e.reasons, options: e.options };
  const p = e.pension;
  return {
    eligible: true,
    award: {
      certifiedOn: onDate,
      firstPaymentMonth: firstPaymentMonth(onDate),
      basic: p.basic,
      account: p.account,
      transitional: p.transitional,
      total: p.total,
      divisor: p.divisor,
      inputs: {
        certifiedOn: onDate,
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
        risk: {
          highRisk: e.risk.highRisk,
          reasons: e.risk.reasons,
          parameters: e.risk.parameters,
          ruleVersion: e.risk.ruleVersion,
        },
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
