/**
 * Benefit claim (待遇发放, DB62/T 5079.1—2025 section 8) rules: the materials of the initial
 * check (B-5, B-6), the relation check (B-2), the entitlement conditions (B-1: statutory age
 * reached and minimum contribution years met, for the year that applies), the options given
 * to someone who does not meet them, the first payment month (B-9) and the notice texts.
 * Pure: the activities gather the facts, these decide, the workflow records.
 * Pure and deterministic, so workflows may import it.
 */
import { item, type Material, type RequiredItem } from './materials';
import { formatMonthsChinese, minimumContributionMonths, type MinimumYearsTable } from './minimum-years';
import { chineseDate, PROCEDURE_TEXT } from './notices';
import { isLiveRelationStatus } from './relation-status';
import {
  retirementOption,
  statutoryRetirement,
  type AgeYearsMonths,
  type RetirementOption,
  type Sex,
  type StatutoryRetirement,
} from './retirement-age';
import { addMonths, isIsoDate, yearMonthChinese, yearMonthIndex } from './year-month';

/** Version of the claim rules; bump when a condition changes. */
export const CLAIM_RULE_VERSION = 'claim/2026.1';

/** Statutory limit of the whole claim: 20 working days from receipt (8.1.3). */
export const CLAIM_BUDGET_WORKING_DAYS = 20;

/**
 * B-5: the ID card is required. The personnel file (or its deposit certificate) is retrieved by
 * the agency itself and the yearly contribution proof is only needed when the applicant disputes
 * the record, so neither is ever missing. Returns every missing item.
 */
export function missingClaimMaterials(materials: readonly Material[]): RequiredItem[] {
  return materials.some((m) => m.kind === 'id_card') ? [] : [item('id_card')];
}

/**
 * B-5 b and c: the materials {@link missingClaimMaterials} never asks for, and why (the service
 * guide prints them beside the required ones).
 */
export const CLAIM_MATERIALS_NOT_REQUIRED: ReadonlyArray<{ code: string; note: string; clause: string }> = [
  { code: 'contribution_proof', note: '仅在对本人权益记录有异议时提供', clause: '8.2.1.2 b' },
  { code: 'personnel_file', note: '由经办机构向档案管理机构调取，申请人无需提供', clause: '8.2.1.2 c' },
];

/**
 * B-6, third outcome: the counter refuses acceptance when the materials are incomplete and
 * cannot be completed; the reason codes staff may give, with the text the notice prints when
 * staff give no note ('other' always needs one).
 */
export const ACCEPTANCE_REFUSAL_REASONS: Readonly<Record<string, string>> = {
  identity_unverifiable: '无法提供本人有效居民身份证原件，申请人身份无法核实，申请材料无法补全',
  not_insured_here: '申请人的基本养老保险关系不在本经办机构，应向参保地经办机构申请',
  materials_forged: '申请材料经核查与原件不符，无法补正',
  other: '其他原因',
};

/** Reasons a reviewer may add when refusing a claim (B-8), with their notice texts. */
export const CLAIM_REFUSAL_REASONS: Readonly<Record<string, string>> = {
  file_inconsistent: '人事档案记载的信息前后矛盾，无法认定出生时间、参加工作时间或视同缴费年限',
  materials_invalid: '申请材料无效或与申请事项不符',
  other: '其他原因',
};

/** A person's relation as the claim review sees it. */
export interface ClaimRelationFact {
  agencyCode: string;
  provinceCode: string;
  status: 'contributing' | 'interrupted' | 'stopped' | 'transferred_out' | 'receiving';
}

/**
 * B-2: the claim is handled by the agency holding the relation. Refused when the person already
 * receives a pension in this province, or holds no live relation here (with the agency that
 * holds it, when it is another one in the province).
 */
export function claimRelationReasons(agencyCode: string, relations: readonly ClaimRelationFact[]): RequiredItem[] {
  const province = agencyCode.slice(0, 2);
  const live = relations.filter((r) => r.provinceCode === province && isLiveRelationStatus(r.status));
  if (live.some((r) => r.status === 'receiving'))
    return [{ code: 'already_receiving', text: '申请人已按月领取基本养老金，不能重复申领' }];
  if (live.some((r) => r.agencyCode === agencyCode)) return [];
  const elsewhere = live[0];
  if (elsewhere) {
    return [
      {
        code: 'not_insured_here',
        text: `申请人的基本养老保险关系在经办机构 ${elsewhere.agencyCode}，应向参保地经办机构申请（8.1.2）`,
      },
    ];
  }
  return [
    { code: 'not_insured_here', text: '申请人在本经办机构没有基本养老保险关系，应向参保地经办机构申请（8.1.2）' },
  ];
}

/** Input of {@link claimEligibility}. */
export interface ClaimEligibilityInput {
  /** Birth year-month used for the retirement age (the file's when it has one), 'YYYY-MM'. */
  birthYearMonth: string;
  sex: Sex;
  originalAge: number;
  /** Chosen flexible retirement month (early or late), 'YYYY-MM'; the statutory month when absent. */
  retireAt?: string;
  /** The month of the review, 'YYYY-MM'. */
  currentYearMonth: string;
  /** Actual plus recognised deemed months. */
  contributionMonths: number;
  minimumYearsTable: MinimumYearsTable;
}

export interface ClaimEligibility {
  eligible: boolean;
  /** Every reason against the claim (one-time notice), empty when eligible. */
  reasons: RequiredItem[];
  /** What the applicant can do instead (domain.md §2), when not eligible. */
  options: RequiredItem[];
  statutory: StatutoryRetirement;
  option: RetirementOption;
  /** The retirement month: retireAt, or the statutory month. */
  retirementYearMonth: string;
  /** Age in the retirement month, for the divisor. */
  ageAtRetirement: AgeYearsMonths;
  kind: RetirementOption['kind'];
  minimumContributionMonths: number;
  minimumYear: number;
  ruleVersion: string;
}

/** Age in whole years and months at `yearMonth` for someone born in `birthYearMonth`. */
export function ageAt(birthYearMonth: string, yearMonth: string): AgeYearsMonths {
  const months = yearMonthIndex(yearMonth, 'yearMonth') - yearMonthIndex(birthYearMonth, 'birthYearMonth');
  return { years: Math.floor(months / 12), months: months % 12 };
}

/**
 * B-1: entitled when the retirement month (retireAt for flexible early / late retirement, the
 * statutory month otherwise) has come and lies in the flexible window, and the contribution
 * months (actual + deemed) reach the minimum of the year that applies (the year retired for
 * early retirement, the year of the statutory age otherwise). Every reason is listed at once,
 * with the options the applicant has.
 */
export function claimEligibility(input: ClaimEligibilityInput): ClaimEligibility {
  const statutory = statutoryRetirement(input);
  const retirementYearMonth = input.retireAt ?? statutory.retirementYearMonth;
  const option = retirementOption({
    ...input,
    retireAt: retirementYearMonth,
    contributionMonths: input.contributionMonths,
  });
  const now = yearMonthIndex(input.currentYearMonth, 'currentYearMonth');
  const at = yearMonthIndex(retirementYearMonth, 'retireAt');
  const reasons: RequiredItem[] = [];
  const options: RequiredItem[] = [];
  const statutoryText = `${statutory.statutoryAge.years}周岁${statutory.statutoryAge.months ? `${statutory.statutoryAge.months}个月` : ''}`;

  const outsideWindow = at < yearMonthIndex(statutory.earliest) || at > yearMonthIndex(statutory.latest);
  if (outsideWindow) {
    reasons.push({
      code: 'retire_at_outside_window',
      text: `选择的退休时间${yearMonthChinese(retirementYearMonth)}不在弹性退休范围内（最早${yearMonthChinese(statutory.earliest)}，最晚${yearMonthChinese(statutory.latest)}；提前或延迟最长均不超过三年，且不得低于原法定退休年龄）`,
    });
  }
  const ageReached = now >= yearMonthIndex(statutory.retirementYearMonth);
  if (at > now) {
    reasons.push(
      ageReached || input.retireAt
        ? { code: 'retire_at_not_reached', text: `选择的退休时间${yearMonthChinese(retirementYearMonth)}尚未到达` }
        : {
            code: 'age_not_reached',
            text: `未达到法定退休年龄：本人法定退休年龄为${statutoryText}，${yearMonthChinese(statutory.retirementYearMonth)}达到`,
          },
    );
  }
  const shortfall = option.minimumContributionMonths - input.contributionMonths;
  if (shortfall > 0) {
    reasons.push({
      code: 'minimum_years_not_met',
      text:
        `累计缴费年限（含视同缴费年限）${formatMonthsChinese(input.contributionMonths)}，未达到${option.minimumYear}年的最低缴费年限${formatMonthsChinese(option.minimumContributionMonths)}` +
        `（${option.kind === 'early' ? '弹性提前退休按实际退休当年确定' : '按达到法定退休年龄的年份确定'}），尚差${formatMonthsChinese(shortfall)}`,
    });
  }

  if (at > now && !ageReached) {
    options.push({
      code: 'option_apply_at_statutory_age',
      text: `在达到法定退休年龄前可继续参保缴费，于${yearMonthChinese(statutory.retirementYearMonth)}达到法定退休年龄后再申请`,
    });
    const earliestNow = Math.max(yearMonthIndex(statutory.earliest), now);
    const earlyMinimum = minimumContributionMonths(Math.floor(earliestNow / 12), input.minimumYearsTable);
    if (earliestNow < yearMonthIndex(statutory.retirementYearMonth) && input.contributionMonths >= earlyMinimum) {
      options.push({
        code: 'option_early_retirement',
        text: `已达到最低缴费年限的，可自愿选择弹性提前退休（最早${yearMonthChinese(statutory.earliest)}，不早于原法定退休年龄），并按规定提前书面申请`,
      });
    }
  }
  if (shortfall > 0) {
    const need = formatMonthsChinese(shortfall);
    options.push(
      {
        code: 'option_extend_contributions',
        text: `继续缴费（延长缴费）至满最低缴费年限，尚需${need}，满后再申请按月领取基本养老金`,
      },
      {
        code: 'option_lump_sum',
        text: `按规定一次性缴费补足${need}，缴费到账并经审核后再申请（一次性补缴属于高风险业务，须集体会审）`,
      },
      {
        code: 'option_transfer',
        text: '在其他省份参保缴费过的，可申请将基本养老保险关系转移接续到本地，合并计算缴费年限后再申请',
      },
    );
  }

  return {
    eligible: reasons.length === 0,
    reasons,
    options,
    statutory,
    option,
    retirementYearMonth,
    ageAtRetirement: ageAt(input.birthYearMonth, retirementYearMonth),
    kind: option.kind,
    minimumContributionMonths: option.minimumContributionMonths,
    minimumYear: option.minimumYear,
    ruleVersion: CLAIM_RULE_VERSION,
  };
}

/** B-9: payment starts the month after entitlement is certified, 'YYYY-MM'. */
export function firstPaymentMonth(certifiedOn: string): string {
  return addMonths(certifiedOn.slice(0, 7), 1);
}

function numbered(items: readonly RequiredItem[]): string {
  return items.map((it, i) => `${i + 1}. ${it.text}`).join('\n');
}

/** One-time notice of every reason a claim is refused (B-8) with the applicant's options; the materials are returned. */
export function claimRefusalNotice(p: {
  caseId: string;
  clause: string;
  reasons: readonly RequiredItem[];
  options: readonly RequiredItem[];
}): { title: string; text: string } {
  const title = '不予办理告知书';
  const lines = [
    title,
    `案件编号：${p.caseId}`,
    `您申请的${PROCEDURE_TEXT.benefit_claim}，经审核不符合按月领取基本养老金的条件。根据 DB62/T 5079.1—2025 第${p.clause}条，现一次性告知全部原因：`,
    numbered(p.reasons),
  ];
  if (p.options.length > 0) lines.push('您可以选择：', numbered(p.options));
  lines.push('您提交的申请材料予以退回。', '如对上述结果有异议，可依法申请行政复议或提起行政诉讼。');
  return { title, text: lines.join('\n') };
}

/** Notice of a certified entitlement (B-8, B-9) with the pension and its components. */
export function certificationNotice(p: {
  caseId: string;
  certifiedOn: string;
  firstPaymentMonth: string;
  total: string;
  basic: string;
  account: string;
  transitional: string;
  /** The amount rests on a value not yet published (预发): say so, and what happens next. */
  provisional?: boolean;
}): { title: string; text: string } {
  const title = '待遇领取资格认定及养老金核定通知书';
  const text = [
    title,
    `案件编号：${p.caseId}`,
    `经审核，您符合按月领取基本养老金的条件，已于${chineseDate(p.certifiedOn)}认定待遇领取资格（DB62/T 5079.1—2025 第8.2.3.2条）。`,
    `核定基本养老金月标准${p.total}元，其中基础养老金${p.basic}元、个人账户养老金${p.account}元、过渡性养老金${p.transitional}元。`,
    `自${yearMonthChinese(p.firstPaymentMonth)}起按月发放（第8.2.4条）。领取期间须每年进行一次待遇领取资格认证。`,
    ...(p.provisional
      ? [
          '本次核定的养老金为暂定（预发）标准：计发所需的部分参数（如当年计发基数或上年度个人账户记账利率）尚未公布，暂按最近公布的数值计算。相关参数公布后将重新核定，自首次发放之月起的差额在下一次发放时补发或扣回，并另行通知。',
        ]
      : []),
  ].join('\n');
  return { title, text };
}

/**
 * The fields of a personnel file delivered by the archive service that cannot be used as
 * delivered (birth and work-start dates, deemed months, a woman's original retirement age).
 */
export function personnelFileProblems(file: {
  birthDate?: unknown;
  workStartDate?: unknown;
  deemedMonths?: unknown;
  originalRetirementAge?: unknown;
}): string[] {
  const problems: string[] = [];
  if (!isIsoDate(file.birthDate)) problems.push('birthDate');
  if (file.workStartDate !== undefined && !isIsoDate(file.workStartDate)) problems.push('workStartDate');
  if (!Number.isInteger(file.deemedMonths) || (file.deemedMonths as number) < 0) problems.push('deemedMonths');
  if (
    file.originalRetirementAge !== undefined &&
    file.originalRetirementAge !== 50 &&
    file.originalRetirementAge !== 55
  )
    problems.push('originalRetirementAge');
  return problems;
}

/** One poll of the archive service, as the claim workflow learns it (the file itself stays in personnel_files). */
export type PersonnelFilePoll =
  | { status: 'pending' }
  | { status: 'not_found' }
  | { status: 'invalid'; problems: string[] }
  | {
      status: 'delivered';
      deemedMonths: number;
      birthDateMatchesId: boolean;
      hasWorkStartDate: boolean;
      originalRetirementAge: number | null;
    };
