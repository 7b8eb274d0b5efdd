/**
 * The receiving side's decisions on a transfer in (section 9): the review of the application
 * (T-1, T-2) and the checks of what the sending side sends (T-5 b, c). Pure and deterministic.
 */
import type { InformationSheet } from './information-sheet';
import type { RequiredItem } from './materials';
import { TransferRuleError } from './transfer-errors';
import type { PlaceYears } from './claim-place';
import { transferEligibility, type TransferRoute } from './transfer-eligibility';
import { monthsBetween } from './year-month';

const REVIEW_RULE_VERSION = 'transfer-in-review/1';

/** The application of a transfer in, as the case stores it. */
export type TransferInApplication = {
  fromAgencyCode: string;
  householdCode?: string;
  returningHome?: boolean;
  reachedBenefitConditions?: boolean;
  yearsAtEachPlace?: PlaceYears[];
};

export interface TransferInReview {
  route: TransferRoute;
  reasons: RequiredItem[];
  condition?: string;
  basis: string[];
  ruleVersion: string;
}

/**
 * T-2 review of a transfer-in application. Within the province nothing is transferred, but there
 * must be a relation to continue (T-1). A rule that cannot decide on what the application gives
 * (e.g. the 10-year rule without the years at each place) is a refusal that says what is
 * missing, never an error retried for ever.
 */
export function reviewTransferInApplication(f: {
  application: TransferInApplication;
  person: { sex: 'male' | 'female'; birthDate: string; householdCode: string | null };
  agencyCode: string;
  /** The date the application was received (the move date). */
  receivedOn: string;
  liveRelationInProvince: boolean;
  isReceivingPension: boolean;
}): TransferInReview {
  const app = f.application;
  if (app.fromAgencyCode.slice(0, 2) === f.agencyCode.slice(0, 2) && !f.liveRelationInProvince) {
    return {
      route: 'refused',
      reasons: [
        {
          code: 'no_relation_in_province',
          text: '申请人在本省没有有效的基本养老保险关系，省内流动无需转移，请直接办理参保登记',
        },
      ],
      basis: [],
      ruleVersion: REVIEW_RULE_VERSION,
    };
  }
  let result: ReturnType<typeof transferEligibility>;
  try {
    result = transferEligibility({
      sex: f.person.sex,
      birthDate: f.person.birthDate,
      moveDate: f.receivedOn,
      fromAgencyCode: app.fromAgencyCode,
      toAgencyCode: f.agencyCode,
      householdRegistrationCode: app.householdCode ?? f.person.householdCode ?? undefined,
      returningHome: app.returningHome,
      reachedBenefitConditions: app.reachedBenefitConditions,
      yearsAtEachPlace: app.yearsAtEachPlace,
      isReceivingPension: f.isReceivingPension,
    });
  } catch (err) {
    if (err instanceof TransferRuleError) {
      return {
        route: 'refused',
        reasons:
          err.issues.length > 0
            ? err.issues.map((i) => ({ code: i.code, text: i.message }))
            : [{ code: err.code, text: err.message }],
        basis: [],
        ruleVersion: REVIEW_RULE_VERSION,
      };
    }
    throw err;
  }
  return {
    route: result.route,
    reasons: result.reasons.map((text, i) => ({ code: `${result.route}_${i + 1}`, text })),
    condition: result.condition,
    basis: result.basis,
    ruleVersion: result.ruleVersion,
  };
}

/**
 * T-5 b: months on the received sheet already paid here (重复缴费) cannot be transferred, so the
 * sheet goes back. `localMonths` are the months recorded here for agencies other than the sender.
 */
export function duplicateMonthsProblem(
  rows: ReadonlyArray<{ startYearMonth: string; endYearMonth: string }> | undefined,
  localMonths: ReadonlySet<string>,
): RequiredItem | undefined {
  const overlap = (rows ?? [])
    .flatMap((r) => monthsBetween(r.startYearMonth, r.endYearMonth))
    .filter((m) => localMonths.has(m));
  if (overlap.length === 0) return undefined;
  return {
    code: 'duplicate_contribution_months',
    text: `以下月份在本地已有缴费记录，属重复缴费，不能转移：${overlap.join('、')}`,
  };
}

/** The funds a transfer remits. */
export interface RemittedFunds {
  individualAccount: string;
  pooledFund: string;
  total: string;
}

/** T-5 c: the remitted amounts must equal the confirmed sheet's items ④ ⑤ ⑥. */
export function remittedFundsProblems(funds: RemittedFunds, sheet: InformationSheet | null): RequiredItem[] {
  if (!sheet) return [{ code: 'sheet_missing', text: '尚未收到并确认信息表' }];
  const problems: RequiredItem[] = [];
  for (const [key, label] of [
    ['individualAccount', '个人账户基金转移额'],
    ['pooledFund', '统筹基金转移额'],
    ['total', '转移基金总额'],
  ] as const) {
    if (funds[key] !== sheet.funds[key])
      problems.push({
        code: `amount_${key}`,
        text: `${label}到账 ${funds[key]} 元，与信息表 ${sheet.funds[key]} 元不一致`,
      });
  }
  return problems;
}
