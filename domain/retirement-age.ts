/**
 * Statutory retirement age under the 2024 progressive reform (《国务院关于渐进式延迟法定退休年龄的办法》,
 * in force 2025-01-01) and the flexible early / late retirement window (办法 第三条, 人社部发〔2024〕94号).
 * Year-months are 'YYYY-MM' strings; the official tables give year-month only.
 * Pure and deterministic, so workflows may import it.
 */
import { RuleInputError } from './errors';
import { formatMonthsChinese, minimumContributionMonths, type MinimumYearsTable } from './minimum-years';
import { addMonthsToDate, formatYearMonth, yearMonthChinese, yearMonthIndex } from './year-month';

// workflows/retirement-watch.ts still imports it from here.
export { yearMonthChinese };

export type Sex = 'male' | 'female';
export type OriginalAge = 50 | 55 | 60;
export type RetirementCategory = 'male-60' | 'female-55' | 'female-50';

/** An age in whole years and months. */
export interface AgeYearsMonths {
  years: number;
  months: number;
}

/** The delay schedule of one category (办法 第一条 and 附件1–3). */
export interface ReformSchedule {
  category: RetirementCategory;
  originalAge: OriginalAge;
  finalAge: number;
  /** First birth cohort whose age is delayed ('YYYY-MM'). */
  startCohort: string;
  /** Birth months per additional month of delay. */
  birthMonthsPerStep: number;
  /** Maximum delay in months. */
  maxDelayMonths: number;
  source: string;
}

const BANFA = '《国务院关于渐进式延迟法定退休年龄的办法》第一条';

/** The three delay schedules, as statutory data. */
export const REFORM_SCHEDULES: Readonly<Record<RetirementCategory, ReformSchedule>> = {
  'male-60': {
    category: 'male-60',
    originalAge: 60,
    finalAge: 63,
    startCohort: '1965-01',
    birthMonthsPerStep: 4,
    maxDelayMonths: 36,
    source: `${BANFA}, 附件1`,
  },
  'female-55': {
    category: 'female-55',
    originalAge: 55,
    finalAge: 58,
    startCohort: '1970-01',
    birthMonthsPerStep: 4,
    maxDelayMonths: 36,
    source: `${BANFA}, 附件2`,
  },
  'female-50': {
    category: 'female-50',
    originalAge: 50,
    finalAge: 55,
    startCohort: '1975-01',
    birthMonthsPerStep: 2,
    maxDelayMonths: 60,
    source: `${BANFA}, 附件3`,
  },
};

/** Flexible retirement limits (办法 第三条): at most 36 months early, at most 36 months late. */
export const FLEXIBLE_RETIREMENT = {
  maxEarlyMonths: 36,
  maxLateMonths: 36,
  source: '《国务院关于渐进式延迟法定退休年龄的办法》第三条; 人社部发〔2024〕94号',
} as const;

/** Months between the pre-review and the first day of the retirement month. */
export const PRE_REVIEW_MONTHS = 3;

/** Input of {@link statutoryRetirement}. */
export interface RetirementPersonInput {
  /** Birth year-month 'YYYY-MM'. */
  birthYearMonth: string;
  sex: Sex;
  /** Original statutory age: 60 for men; 55 or 50 for women (for female flexible workers see parameter retirement.femaleFlexibleOriginalAge). */
  originalAge: number;
}

/** Result of {@link statutoryRetirement}. */
export interface StatutoryRetirement {
  category: RetirementCategory;
  statutoryAge: AgeYearsMonths;
  /** Year-month in which the statutory age is reached. */
  retirementYearMonth: string;
  /** Earliest flexible early retirement: max(statutory − 36 months, birth + original age). */
  earliest: string;
  /** Latest flexible late retirement: statutory + 36 months. */
  latest: string;
  delayMonths: number;
  /** Year-month in which the original age is reached. */
  originalAgeYearMonth: string;
}

/** The reform category of a person; throws RuleInputError for an invalid sex / original age pair. */
export function retirementCategory(sex: Sex, originalAge: number): RetirementCategory {
  if (sex === 'male') {
    if (originalAge !== 60)
      throw new RuleInputError('originalAge', 'INVALID_ORIGINAL_AGE', `men have original age 60, got ${originalAge}`);
    return 'male-60';
  }
  if (sex === 'female') {
    if (originalAge === 55) return 'female-55';
    if (originalAge === 50) return 'female-50';
    throw new RuleInputError(
      'originalAge',
      'INVALID_ORIGINAL_AGE',
      `women have original age 50 or 55, got ${originalAge}`,
    );
  }
  throw new RuleInputError('sex', 'INVALID_SEX', `sex must be 'male' or 'female', got ${JSON.stringify(sex)}`);
}

/**
 * Months of delay for a birth cohort: 0 before the start cohort, otherwise
 * min(floor(d / step) + 1, cap) with d the month offset from the start cohort.
 */
export function delayMonthsFor(schedule: ReformSchedule, birthYearMonth: string): number {
  const d = yearMonthIndex(birthYearMonth, 'birthYearMonth') - yearMonthIndex(schedule.startCohort);
  if (d < 0) return 0;
  return Math.min(Math.floor(d / schedule.birthMonthsPerStep) + 1, schedule.maxDelayMonths);
}

/**
 * The statutory retirement age and year-month under the 2024 reform, with the flexible window.
 * Throws RuleInputError for a bad year-month, sex or original age (men 60; women 50 or 55).
 */
export function statutoryRetirement(input: RetirementPersonInput): StatutoryRetirement {
  const category = retirementCategory(input.sex, input.originalAge);
  const schedule = REFORM_SCHEDULES[category];
  const birth = yearMonthIndex(input.birthYearMonth, 'birthYearMonth');
  const delayMonths = delayMonthsFor(schedule, input.birthYearMonth);
  const originalIndex = birth + schedule.originalAge * 12;
  const statutoryIndex = originalIndex + delayMonths;
  return {
    category,
    statutoryAge: { years: schedule.originalAge + Math.floor(delayMonths / 12), months: delayMonths % 12 },
    retirementYearMonth: formatYearMonth(statutoryIndex),
    earliest: formatYearMonth(Math.max(statutoryIndex - FLEXIBLE_RETIREMENT.maxEarlyMonths, originalIndex)),
    latest: formatYearMonth(statutoryIndex + FLEXIBLE_RETIREMENT.maxLateMonths),
    delayMonths,
    originalAgeYearMonth: formatYearMonth(originalIndex),
  };
}

/** Input of {@link retirementOption}. */
export interface RetirementOptionInput extends RetirementPersonInput {
  /** The chosen retirement year-month 'YYYY-MM'. */
  retireAt: string;
  /** Contribution months (actual + deemed) at the chosen date; when absent the minimum is not checked. */
  contributionMonths?: number;
  minimumYearsTable: MinimumYearsTable;
}

/** Result of {@link retirementOption}. */
export interface RetirementOption {
  permitted: boolean;
  kind: 'early' | 'on_time' | 'late';
  /** Minimum contribution months that apply to this choice. */
  minimumContributionMonths: number;
  /** The year whose minimum applies (year retired for early; year of the statutory age otherwise). */
  minimumYear: number;
  /** False when contributionMonths was not given, so the minimum was not checked. */
  contributionChecked: boolean;
  /** Reasons for a refusal, in Chinese, for the applicant notice; empty when permitted. */
  reasons: string[];
  statutory: StatutoryRetirement;
}

/**
 * Whether retiring in `retireAt` is allowed: within [earliest, latest] (never before the
 * original age) and, when contributionMonths is given, with at least the minimum
 * contribution years of the applicable year — the year actually retired for early
 * retirement, the year the statutory age is reached for on-time and late retirement
 * (成都人社局 example: statutory 2031, early in 2029 → 15 years; delayed to 2034 → 16 years).
 */
export function retirementOption(input: RetirementOptionInput): RetirementOption {
  const statutory = statutoryRetirement(input);
  const at = yearMonthIndex(input.retireAt, 'retireAt');
  const statutoryIndex = yearMonthIndex(statutory.retirementYearMonth);
  const kind: RetirementOption['kind'] = at < statutoryIndex ? 'early' : at === statutoryIndex ? 'on_time' : 'late';
  const reasons: string[] = [];

  if (at < yearMonthIndex(statutory.originalAgeYearMonth)) {
    reasons.push(
      `选择的退休时间${yearMonthChinese(input.retireAt)}早于原法定退休年龄${input.originalAge}周岁（${yearMonthChinese(statutory.originalAgeYearMonth)}），弹性提前退休的退休年龄不得低于原法定退休年龄。`,
    );
  } else if (at < yearMonthIndex(statutory.earliest)) {
    reasons.push(`弹性提前退休最长不超过三年，最早可于${yearMonthChinese(statutory.earliest)}退休。`);
  }
  if (at > yearMonthIndex(statutory.latest)) {
    reasons.push(`弹性延迟退休最长不超过三年，最晚可于${yearMonthChinese(statutory.latest)}退休。`);
  }

  const minimumYear = kind === 'early' ? Math.floor(at / 12) : Math.floor(statutoryIndex / 12);
  const minimum = minimumContributionMonths(minimumYear, input.minimumYearsTable);
  const checked = input.contributionMonths !== undefined;
  if (checked) {
    const months = input.contributionMonths as number;
    if (!Number.isInteger(months) || months < 0) {
      throw new RuleInputError(
        'contributionMonths',
        'INVALID_MONTH_COUNT',
        `must be a non-negative integer, got ${months}`,
      );
    }
    if (months < minimum) {
      const have = formatMonthsChinese(months);
      const need = formatMonthsChinese(minimum);
      reasons.push(
        kind === 'early'
          ? `弹性提前退休须达到退休当年（${minimumYear}年）的最低缴费年限${need}，目前累计缴费年限为${have}。`
          : `按月领取基本养老金须达到最低缴费年限${need}（按达到法定退休年龄的${minimumYear}年确定），目前累计缴费年限为${have}，可按规定延长缴费或一次性缴费至满最低缴费年限。`,
      );
    }
  }

  return {
    permitted: reasons.length === 0,
    kind,
    minimumContributionMonths: minimum,
    minimumYear,
    contributionChecked: checked,
    reasons,
    statutory,
  };
}

/** Input of {@link retirementDate}: the person and, optionally, a chosen flexible retirement month. */
export interface RetirementDateInput extends RetirementPersonInput {
  /** Chosen year-month within [earliest, latest]; the statutory year-month when absent. */
  retireAt?: string;
}

/**
 * First day of the retirement month, 'YYYY-MM-01' (the statutory month, or `retireAt`).
 * Throws RuleInputError (RETIRE_AT_OUTSIDE_WINDOW) when retireAt is outside the flexible window.
 */
export function retirementDate(input: RetirementDateInput): string {
  const statutory = statutoryRetirement(input);
  let ym = statutory.retirementYearMonth;
  if (input.retireAt !== undefined) {
    const at = yearMonthIndex(input.retireAt, 'retireAt');
    if (at < yearMonthIndex(statutory.earliest) || at > yearMonthIndex(statutory.latest)) {
      throw new RuleInputError(
        'retireAt',
        'RETIRE_AT_OUTSIDE_WINDOW',
        `${input.retireAt} is outside ${statutory.earliest}…${statutory.latest}`,
      );
    }
    ym = input.retireAt;
  }
  return `${ym}-01`;
}

/**
 * The date of the pre-review: {@link PRE_REVIEW_MONTHS} (3) months before the retirement date.
 * Accepts either the retirement date 'YYYY-MM-DD' or the input of {@link retirementDate};
 * the day of month is kept (clamped to the month's length).
 */
export function preReviewDate(input: RetirementDateInput | string): string {
  const date = typeof input === 'string' ? input : retirementDate(input);
  return addMonthsToDate(date, -PRE_REVIEW_MONTHS, 'retirementDate');
}
