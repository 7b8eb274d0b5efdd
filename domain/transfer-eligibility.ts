/**
 * Whether a cross-province transfer of the basic pension relation may be applied for
 * (DB62/T 5079.1—2025 9.1.1, REQUIREMENTS T-1/T-2; 国办发〔2009〕66号 Art. 2, 5, 6); where the
 * pension is claimed under the 10-year rule is domain/claim-place.ts.
 * Pure and deterministic, so workflows may import it.
 */
import {
  claimPlace,
  samePlace,
  validatePlaces,
  type ClaimPlaceResult,
  type PlaceGranularity,
  type PlaceYears,
} from './claim-place';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';
import { isDivisionCode } from './transfer-form-fields';
import { isIsoDate } from './year-month';

export const TRANSFER_ELIGIBILITY_RULE_VERSION = 'transfer-eligibility/1';

/**
 * 'refused' is used when no transfer takes place and no temporary account applies either
 * (a person already receiving a pension, or a benefit-time request to a place that the
 * 10-year rule does not point to).
 */
export type TransferRoute = 'transfer' | 'temporary_account' | 'not_required_in_province' | 'refused';
export type TransferCondition = 'a_age' | 'b_returning_home' | 'c_benefit_place';
export type TransferSex = 'male' | 'female';

/** T-2 a: a man under 50 or a woman under 40 on the move date may transfer the relation. */
export const TRANSFER_AGE_LIMITS: Readonly<Record<TransferSex, number>> = { male: 50, female: 40 };

export interface TransferEligibilityInput {
  sex: TransferSex;
  birthDate: string;
  /** Date of the move / of the application (YYYY-MM-DD); age is taken on this date. */
  moveDate: string;
  fromAgencyCode: string;
  toAgencyCode: string;
  /** County code of the household registration (户籍地), 6 digits. */
  householdRegistrationCode?: string;
  returningHome?: boolean;
  reachedBenefitConditions?: boolean;
  yearsAtEachPlace?: PlaceYears[];
  isReceivingPension?: boolean;
  placeGranularity?: PlaceGranularity;
}

export interface TransferEligibility {
  /** True when a transfer of the relation may be applied for. */
  eligible: boolean;
  route: TransferRoute;
  /** Chinese reasons why no transfer takes place (all of them, one-time notice); empty when eligible. */
  reasons: string[];
  /** The first condition met, in the order a, b, c. */
  condition?: TransferCondition;
  /** Every condition met. */
  conditionsMet: TransferCondition[];
  /** Chinese statements of the legal basis when eligible. */
  basis: string[];
  /** Where the pension is claimed, when benefit conditions are reached. */
  claimPlace?: ClaimPlaceResult;
  ageAtMoveDate: number;
  ruleVersion: string;
}

/**
 * Age in whole years (周岁) on a date: the age goes up on the birthday itself. Someone born on
 * 29 February turns a year older on 1 March in common years.
 */
export function ageOnDate(birthDate: string, onDate: string): number {
  const by = Number(birthDate.slice(0, 4));
  const bmd = birthDate.slice(5);
  const oy = Number(onDate.slice(0, 4));
  const omd = onDate.slice(5);
  return oy - by - (omd < bmd ? 1 : 0);
}

function validateInput(input: TransferEligibilityInput): TransferRuleIssue[] {
  const issues: TransferRuleIssue[] = [];
  const push = (code: string, field: string, message: string) => issues.push({ code, field, message });
  if (input.sex !== 'male' && input.sex !== 'female')
    push(TransferErrorCode.invalidSex, 'sex', "性别应为 'male' 或 'female'");
  const birthOk = isIsoDate(input.birthDate);
  if (!birthOk) push(TransferErrorCode.invalidDate, 'birthDate', '出生日期应为有效日期（YYYY-MM-DD）');
  const moveOk = isIsoDate(input.moveDate);
  if (!moveOk) push(TransferErrorCode.invalidDate, 'moveDate', '转移（申请）日期应为有效日期（YYYY-MM-DD）');
  if (birthOk && moveOk && input.moveDate < input.birthDate) {
    push(TransferErrorCode.dateOrder, 'moveDate', '转移（申请）日期不能早于出生日期');
  }
  if (!isDivisionCode(input.fromAgencyCode))
    push(TransferErrorCode.invalidCode, 'fromAgencyCode', '转出地行政区划代码应为6位数字');
  if (!isDivisionCode(input.toAgencyCode))
    push(TransferErrorCode.invalidCode, 'toAgencyCode', '转入地行政区划代码应为6位数字');
  if (input.householdRegistrationCode !== undefined && !isDivisionCode(input.householdRegistrationCode)) {
    push(TransferErrorCode.invalidCode, 'householdRegistrationCode', '户籍所在地行政区划代码应为6位数字');
  }
  if (input.placeGranularity !== undefined && !['county', 'prefecture', 'province'].includes(input.placeGranularity)) {
    push(TransferErrorCode.invalidFormat, 'placeGranularity', "地点比较粒度应为 'county'、'prefecture' 或 'province'");
  }
  if (input.yearsAtEachPlace !== undefined) issues.push(...validatePlaces(input.yearsAtEachPlace, 'yearsAtEachPlace'));
  if (input.reachedBenefitConditions === true) {
    if (input.yearsAtEachPlace === undefined) {
      push(TransferErrorCode.required, 'yearsAtEachPlace', '已达到待遇领取条件的，须提供各参保地累计缴费年限');
    }
    if (input.householdRegistrationCode === undefined) {
      push(
        TransferErrorCode.required,
        'householdRegistrationCode',
        '已达到待遇领取条件的，须提供户籍所在地行政区划代码',
      );
    }
  }
  return issues;
}

const STANDARD = 'DB62/T 5079.1—2025 第9.1.1.2条';

/**
 * Decides the route of a cross-province move. Throws TransferRuleError (every invalid field) on
 * bad input. Not meeting a/b/c while moving for work is not a refusal: the relation stays at the
 * old place and the new place opens a temporary contribution account (route 'temporary_account').
 */
export function transferEligibility(input: TransferEligibilityInput): TransferEligibility {
  const issues = validateInput(input);
  if (issues.length > 0) throw TransferRuleError.of(issues);

  const granularity = input.placeGranularity ?? 'county';
  const age = ageOnDate(input.birthDate, input.moveDate);
  const from = input.fromAgencyCode;
  const to = input.toAgencyCode;
  const household = input.householdRegistrationCode;
  const inProvince = from.slice(0, 2) === to.slice(0, 2);
  const base = {
    conditionsMet: [] as TransferCondition[],
    basis: [] as string[],
    ageAtMoveDate: age,
    ruleVersion: TRANSFER_ELIGIBILITY_RULE_VERSION,
  };
  const inProvinceReason =
    `转出地（${from}）与转入地（${to}）在同一省份，省内流动就业不需要办理养老保险关系转移，` +
    '由参保地社会保险经办机构办理续保或账户合并业务（DB62/T 5079.1—2025 第9.1.1.1条）。';

  if (input.isReceivingPension === true) {
    const reasons = ['参保人员已按月领取基本养老金，不再办理基本养老保险关系转移接续（国办发〔2009〕66号第二条）。'];
    if (inProvince) reasons.push(inProvinceReason);
    return { ...base, eligible: false, route: 'refused', reasons };
  }
  if (inProvince) {
    return { ...base, eligible: false, route: 'not_required_in_province', reasons: [inProvinceReason] };
  }

  const conditionsMet: TransferCondition[] = [];
  const basis: string[] = [];
  const reasons: string[] = [];
  const limit = TRANSFER_AGE_LIMITS[input.sex];
  const sexWord = input.sex === 'male' ? '男性' : '女性';

  // (a) man under 50 / woman under 40 on the move date.
  if (age < limit) {
    conditionsMet.push('a_age');
    basis.push(`${sexWord}不满${limit}周岁（转移时${age}周岁），符合跨省转移接续条件（${STANDARD}a款）。`);
  }

  // (b) returning to the household-registration place; the codes decide when both are known.
  const toIsHousehold = household !== undefined && samePlace(to, household, granularity);
  if (toIsHousehold) {
    conditionsMet.push('b_returning_home');
    basis.push(`返回户籍所在地（${household}）就业参保，符合跨省转移接续条件（${STANDARD}b款）。`);
  } else if (input.returningHome === true && household === undefined) {
    conditionsMet.push('b_returning_home');
    basis.push(`申请人申报返回户籍所在地就业参保，符合跨省转移接续条件（${STANDARD}b款）。`);
  } else if (input.returningHome === true) {
    reasons.push(`申请的转入地（${to}）不是户籍所在地（${household}），不能按“返回户籍所在地就业参保”办理。`);
  }

  // (c) at benefit time, the 10-year rule points to another place.
  let claim: ClaimPlaceResult | undefined;
  if (input.reachedBenefitConditions === true) {
    const places = input.yearsAtEachPlace as PlaceYears[];
    claim = claimPlace(places, household as string, granularity);
    if (claim.currentPlaceCode !== undefined && !samePlace(claim.currentPlaceCode, from, granularity)) {
      throw TransferRuleError.of([
        {
          code: TransferErrorCode.currentPlaceMismatch,
          field: 'yearsAtEachPlace',
          message: `各参保地缴费年限中的现参保地（${claim.currentPlaceCode}）与转出地（${from}）不一致`,
        },
      ]);
    }
    if (claim.row === 1 || claim.row === 2) {
      reasons.push(`${claim.reason}不需要转移基本养老保险关系（国办发〔2009〕66号第六条）。`);
    } else if (samePlace(claim.agencyCode, to, granularity)) {
      conditionsMet.push('c_benefit_place');
      basis.push(`达到待遇领取条件：${claim.reason}符合跨省转移接续条件（${STANDARD}c款）。`);
    } else {
      reasons.push(
        `达到待遇领取条件：${claim.reason}按规定应转至（${claim.agencyCode}），与申请的转入地（${to}）不一致（国办发〔2009〕66号第六条）。`,
      );
    }
  }

  if (conditionsMet.length > 0) {
    return {
      eligible: true,
      route: 'transfer',
      reasons: [],
      condition: conditionsMet[0],
      conditionsMet,
      basis,
      ...(claim ? { claimPlace: claim } : {}),
      ageAtMoveDate: age,
      ruleVersion: TRANSFER_ELIGIBILITY_RULE_VERSION,
    };
  }

  if (input.reachedBenefitConditions === true) {
    // At benefit time a temporary account makes no sense: the pension is claimed where the rule says.
    return { ...base, eligible: false, route: 'refused', reasons, ...(claim ? { claimPlace: claim } : {}) };
  }

  reasons.push(
    `${sexWord}转移时已满${age}周岁（${sexWord}年满${limit}周岁），且未返回户籍所在地就业参保，不符合跨省转移接续条件` +
      `（${STANDARD}）：基本养老保险关系保留在原参保地（${from}），由新参保地（${to}）为其建立临时基本养老保险缴费账户，` +
      '再次跨省流动或达到待遇领取条件时，临时账户中的缴费本息归集到原参保地或待遇领取地（国办发〔2009〕66号第五条）。',
  );
  return { ...base, eligible: false, route: 'temporary_account', reasons };
}
