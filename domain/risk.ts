/**
 * Which benefit claims are high-risk business (高风险业务) that must go to collective review
 * (集体会审, DB62/T 5079.1—2025 10.2.3, R-4), and how a collective review decides.
 *
 * The risk points follow 10.1 (R-1: inaccurate benefit amounts, lax review of entitlement). Each
 * check reads its threshold from a dated, sourced parameter row (`risk.*`, seeded in
 * `parameter-seed.ts`), so an agency tunes its risk list without a code change:
 *  - a birth date in the personnel file that disagrees with the ID number (the file's date
 *    decides the retirement age, so this is the classic point of age manipulation) — always;
 *  - recognised deemed months (视同缴费) at or above `risk.deemedMonthsThreshold`;
 *  - a lump-sum back payment (一次性补缴) declared on the application — always; and months
 *    paid in arrears (paid more than 12 months after the month) at or above
 *    `risk.backPaidMonthsThreshold` (default 36, the "3 years or more" scrutiny of 人社厅发〔2019〕94号);
 *  - a monthly pension outside [minRatio, maxRatio] × the 计发基数 (`risk.amountBandMinRatio`,
 *    `risk.amountBandMaxRatio`).
 * Pure and deterministic, so workflows may import it.
 */
import type { ParameterUse } from './audit';
import { RuleInputError } from './errors';
import type { RequiredItem } from './materials';
import { dec } from './money';
import { parameterUse, pickParameter, type ParameterValue } from './parameters';
import { parseDecimal } from './pension';

/** Version of the risk rules; bump when a check changes. */
export const RISK_RULE_VERSION = 'risk/2026.1';

/** Names of the risk parameters (rows in the parameter table). */
export const RISK_PARAMETER_NAMES = {
  /** Recognised deemed months at or above which a claim is high-risk (integer). */
  deemedMonthsThreshold: 'risk.deemedMonthsThreshold',
  /** Months paid in arrears at or above which a claim is high-risk (integer). */
  backPaidMonthsThreshold: 'risk.backPaidMonthsThreshold',
  /** Lowest monthly pension as a ratio of the 计发基数 before a claim is high-risk (decimal string). */
  amountBandMinRatio: 'risk.amountBandMinRatio',
  /** Highest monthly pension as a ratio of the 计发基数 before a claim is high-risk (decimal string). */
  amountBandMaxRatio: 'risk.amountBandMaxRatio',
  /** Number of distinct members a collective review needs (integer ≥ 1). */
  collectiveQuorum: 'risk.collectiveQuorum',
} as const;

/** Months after the contribution month beyond which a payment counts as paid in arrears. */
export const ARREARS_AFTER_MONTHS = 12;

export interface RiskParameters {
  deemedMonthsThreshold: number;
  backPaidMonthsThreshold: number;
  amountBandMinRatio: string;
  amountBandMaxRatio: string;
  collectiveQuorum: number;
  /** The rows used, with their sources, for the working. */
  parameters: ParameterUse[];
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RuleInputError(field, 'INVALID_OPTION', `must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Picks the risk parameters in force on `onDate` for `region` (most specific region first). */
export function riskParametersFrom(
  rows: readonly ParameterValue<unknown>[],
  region: string,
  onDate: string,
): RiskParameters {
  const N = RISK_PARAMETER_NAMES;
  const deemed = pickParameter(rows, N.deemedMonthsThreshold, region, onDate);
  const backPaid = pickParameter(rows, N.backPaidMonthsThreshold, region, onDate);
  const min = pickParameter(rows, N.amountBandMinRatio, region, onDate);
  const max = pickParameter(rows, N.amountBandMaxRatio, region, onDate);
  const quorum = pickParameter(rows, N.collectiveQuorum, region, onDate);
  const minRatio = parseDecimal(N.amountBandMinRatio, min.value);
  const maxRatio = parseDecimal(N.amountBandMaxRatio, max.value);
  if (minRatio.isNegative() || maxRatio.lte(minRatio)) {
    throw new RuleInputError(
      N.amountBandMaxRatio,
      'INVALID_OPTION',
      `amount band must satisfy 0 ≤ min < max, got ${String(min.value)}–${String(max.value)}`,
    );
  }
  return {
    deemedMonthsThreshold: positiveInteger(N.deemedMonthsThreshold, deemed.value),
    backPaidMonthsThreshold: positiveInteger(N.backPaidMonthsThreshold, backPaid.value),
    amountBandMinRatio: min.value as string,
    amountBandMaxRatio: max.value as string,
    collectiveQuorum: positiveInteger(N.collectiveQuorum, quorum.value),
    parameters: [deemed, backPaid, min, max, quorum].map((r) => parameterUse(r)),
  };
}

/** What the risk checks look at; no names or ID numbers. */
export interface ClaimRiskFacts {
  /** Birth date from the ID number, 'YYYY-MM-DD'. */
  idBirthDate: string;
  /** Birth date recorded in the personnel file, when the file has one. */
  fileBirthDate?: string | null;
  /** Deemed months recognised by the file review. */
  recognisedDeemedMonths: number;
  /** The applicant declared a lump-sum back payment of missing years. */
  lumpSumDeclared: boolean;
  /** Contribution months paid more than {@link ARREARS_AFTER_MONTHS} months after the month. */
  backPaidMonths: number;
  /** Monthly pension computed for the claim (two-decimal string), when it could be computed. */
  monthlyTotal?: string | null;
  /** 计发基数 used for that pension. */
  baseWage?: string | null;
}

export type RiskReasonCode =
  | 'birth_date_mismatch'
  | 'deemed_months_high'
  | 'lump_sum_back_payment'
  | 'back_paid_months_high'
  | 'amount_outside_band';

export interface ClaimRiskAssessment {
  highRisk: boolean;
  /** Every reason the claim is high-risk (Chinese texts for the collective review), empty when none. */
  reasons: Array<RequiredItem & { code: RiskReasonCode }>;
  /** Members the collective review needs. */
  quorum: number;
  ruleVersion: string;
  parameters: ParameterUse[];
}

/** Every reason the claim is high-risk under the parameters; high-risk when there is at least one. */
export function assessClaimRisk(facts: ClaimRiskFacts, params: RiskParameters): ClaimRiskAssessment {
  const reasons: ClaimRiskAssessment['reasons'] = [];
  if (facts.fileBirthDate && facts.fileBirthDate !== facts.idBirthDate) {
    reasons.push({
      code: 'birth_date_mismatch',
      text: `人事档案记载的出生日期（${facts.fileBirthDate}）与居民身份证（${facts.idBirthDate}）不一致`,
    });
  }
  if (!Number.isInteger(facts.recognisedDeemedMonths) || facts.recognisedDeemedMonths < 0) {
    throw new RuleInputError(
      'recognisedDeemedMonths',
      'INVALID_MONTH_COUNT',
      `must be a non-negative integer, got ${facts.recognisedDeemedMonths}`,
    );
  }
  if (facts.recognisedDeemedMonths >= params.deemedMonthsThreshold) {
    reasons.push({
      code: 'deemed_months_high',
      text: `认定的视同缴费年限${facts.recognisedDeemedMonths}个月，达到或超过${params.deemedMonthsThreshold}个月的高风险标准`,
    });
  }
  if (facts.lumpSumDeclared)
    reasons.push({ code: 'lump_sum_back_payment', text: '申请人以一次性缴费方式补缴缴费年限' });
  if (facts.backPaidMonths >= params.backPaidMonthsThreshold) {
    reasons.push({
      code: 'back_paid_months_high',
      text: `补缴（缴费时间晚于所属月份${ARREARS_AFTER_MONTHS}个月以上）的缴费月数${facts.backPaidMonths}个月，达到或超过${params.backPaidMonthsThreshold}个月`,
    });
  }
  if (facts.monthlyTotal && facts.baseWage) {
    const total = parseDecimal('monthlyTotal', facts.monthlyTotal);
    const base = parseDecimal('baseWage', facts.baseWage);
    const low = base.times(params.amountBandMinRatio);
    const high = base.times(params.amountBandMaxRatio);
    if (total.lt(low) || total.gt(high)) {
      reasons.push({
        code: 'amount_outside_band',
        text: `核定的基本养老金月标准${facts.monthlyTotal}元超出预期范围（计发基数${facts.baseWage}元的${pct(params.amountBandMinRatio)}至${pct(params.amountBandMaxRatio)}，即${low.toFixed(2)}至${high.toFixed(2)}元）`,
      });
    }
  }
  return {
    highRisk: reasons.length > 0,
    reasons,
    quorum: params.collectiveQuorum,
    ruleVersion: RISK_RULE_VERSION,
    parameters: params.parameters,
  };
}

function pct(ratio: string): string {
  return `${dec(ratio).times(100).toFixed()}%`;
}

/** Contribution months paid in arrears: paidOn's month is more than {@link ARREARS_AFTER_MONTHS} after the month. */
export function backPaidMonths(records: ReadonlyArray<{ yearMonth: string; paidOn?: string | null }>): number {
  const index = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
  return records.filter((r) => r.paidOn && index(r.paidOn.slice(0, 7)) - index(r.yearMonth) > ARREARS_AFTER_MONTHS)
    .length;
}

export interface CollectiveVote {
  actorId: string;
  /** 'approve' or 'refuse'; anything else counts as not approving. */
  result: string;
  reason?: string;
}

export interface CollectiveOutcome {
  approved: boolean;
  approvals: number;
  refusals: number;
  quorum: number;
  /** The rule in words, for the record. */
  rule: string;
}

/**
 * The collective-review rule: the review needs `quorum` votes from distinct members (none of
 * whom accepted or reviewed the case — checked when a vote arrives); the claim is approved when
 * a strict majority of the quorum approves (2 of 3; with an even quorum a tie refuses). Throws
 * RuleInputError when the votes are not exactly `quorum` distinct members.
 */
export function collectiveReviewOutcome(votes: readonly CollectiveVote[], quorum: number): CollectiveOutcome {
  positiveInteger('quorum', quorum);
  if (votes.length !== quorum)
    throw new RuleInputError('votes', 'INVALID_OPTION', `expected ${quorum} votes, got ${votes.length}`);
  if (new Set(votes.map((v) => v.actorId)).size !== votes.length)
    throw new RuleInputError('votes', 'INVALID_OPTION', 'each member votes once');
  const approvals = votes.filter((v) => v.result === 'approve').length;
  const refusals = votes.length - approvals;
  return {
    approved: approvals * 2 > quorum,
    approvals,
    refusals,
    quorum,
    rule: `须${quorum}名未参与受理和审核的成员分别表决，同意票超过半数（${Math.floor(quorum / 2) + 1}票及以上）为通过`,
  };
}
