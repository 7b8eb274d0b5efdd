/**
 * Pre-review three months before the statutory retirement age (B-7, DB62/T 5079.1—2025
 * 8.2.3.1): which birth date and original age decide the retirement month, when the pre-review
 * is due, what the review of the file finds (birth date on the file against the ID number, the
 * date work started, recognised contribution years against the minimum) and the notice that
 * tells the person every finding at once, with the options when years are missing.
 * Pure and deterministic, so workflows may import it.
 */
import type { RequiredItem } from './materials';
import { formatMonthsChinese } from './minimum-years';
import { chineseDate, type NoticeText } from './notices';
import { preReviewDate, statutoryRetirement, type Sex, type StatutoryRetirement } from './retirement-age';
import { yearMonthChinese, yearMonthIndex } from './year-month';

/** What decides a person's retirement month. */
export interface RetirementPersonFacts {
  sex: Sex;
  /** Birth date from the ID number (digits 7–14). */
  idBirthDate: string;
  /** Birth date as the personnel file records it, when staff recorded one (persons.file_birth_date). */
  fileBirthDate: string | null;
  /** Original retirement age decided from the file (women: 50 worker, 55 cadre), when recorded. */
  originalRetirementAge: number | null;
  /** Parameter retirement.femaleFlexibleOriginalAge in force for the person's agency. */
  femaleDefaultOriginalAge: number;
}

export interface RetirementSchedule {
  /**
   * 'file' when the personnel file's birth date was recorded: the birth date on the file
   * decides, as staff recorded it after checking the file (劳社部发〔1999〕8号: when the ID card
   * and the file disagree, the birth date first recorded in the file applies — UNVERIFIED, from
   * memory; the standard itself only asks to pre-review the date of birth).
   */
  birthDateSource: 'file' | 'id_number';
  birthDate: string;
  originalAge: number;
  /** 'statute' for men (60), 'person' when recorded from the file, 'parameter' otherwise. */
  originalAgeSource: 'statute' | 'person' | 'parameter';
  statutory: StatutoryRetirement;
  /** First day of the statutory retirement month. */
  retirementDate: string;
  /** Three months before the retirement date (8.2.3.1). */
  preReviewDate: string;
}

/** The statutory retirement month and the pre-review date of a person (domain.md §1.1, §1.3). */
export function retirementSchedule(p: RetirementPersonFacts): RetirementSchedule {
  const birthDateSource = p.fileBirthDate ? 'file' : 'id_number';
  const birthDate = p.fileBirthDate ?? p.idBirthDate;
  let originalAge = 60;
  let originalAgeSource: RetirementSchedule['originalAgeSource'] = 'statute';
  if (p.sex === 'female') {
    originalAge = p.originalRetirementAge ?? p.femaleDefaultOriginalAge;
    originalAgeSource = p.originalRetirementAge ? 'person' : 'parameter';
  }
  const statutory = statutoryRetirement({ birthYearMonth: birthDate.slice(0, 7), sex: p.sex, originalAge });
  const retirementDate = `${statutory.retirementYearMonth}-01`;
  return {
    birthDateSource,
    birthDate,
    originalAge,
    originalAgeSource,
    statutory,
    retirementDate,
    preReviewDate: preReviewDate(retirementDate),
  };
}

/** Everything the pre-review looks at. */
export interface PreReviewFacts {
  today: string;
  schedule: RetirementSchedule;
  idBirthDate: string;
  /** Birth date in the latest personnel file the archive service delivered, if any. */
  archiveBirthDate: string | null;
  workStartDate: string | null;
  /** Months paid here (contribution records), taken over from other provinces, and deemed. */
  actualMonths: number;
  transferredMonths: number;
  deemedMonths: number;
  /** True while the person still contributes (the relation is 'contributing'). */
  contributing: boolean;
  /** Minimum contribution months for the year the statutory age is reached. */
  minimumMonths: number;
}

export type PreReviewFindingCode =
  'birth_date_mismatch' | 'work_start_unknown' | 'work_start_before_16' | 'contribution_shortfall';

export interface PreReviewResult {
  /** Every point the person or staff must act on; empty when the file is in order. */
  findings: Array<RequiredItem & { code: PreReviewFindingCode }>;
  recognisedMonths: number;
  missingMonths: number;
  /** Months from this month up to the month before retirement, still to be paid while contributing. */
  monthsUntilRetirement: number;
}

const MINIMUM_WORKING_AGE = 16;

function addYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

/** The findings of the pre-review (8.2.3.1: date of birth, date work started, recognised years). */
export function preReviewFindings(f: PreReviewFacts): PreReviewResult {
  const findings: PreReviewResult['findings'] = [];
  const fileDate = f.schedule.birthDateSource === 'file' ? f.schedule.birthDate : f.archiveBirthDate;
  if (fileDate && fileDate !== f.idBirthDate) {
    findings.push({
      code: 'birth_date_mismatch',
      text:
        `档案记载的出生日期（${chineseDate(fileDate)}）与居民身份证号码记载的出生日期（${chineseDate(f.idBirthDate)}）不一致。` +
        (f.schedule.birthDateSource === 'file'
          ? '本次按经办机构核定的档案出生日期计算退休时间。'
          : '本次暂按居民身份证号码记载的出生日期计算退休时间；请携带人事档案或户籍证明到参保地经办机构核对，经核定更正后将重新计算退休时间。'),
    });
  }
  if (!f.workStartDate) {
    findings.push({
      code: 'work_start_unknown',
      text: '档案未记载参加工作时间。如您1996年前曾在机关、国有或集体单位工作（可能认定视同缴费年限），请提供人事档案或相关证明。',
    });
  } else if (f.workStartDate < addYears(f.schedule.birthDate, MINIMUM_WORKING_AGE)) {
    findings.push({
      code: 'work_start_before_16',
      text: `档案记载的参加工作时间（${chineseDate(f.workStartDate)}）早于本人年满16周岁，请核对人事档案。`,
    });
  }
  const recognisedMonths = f.actualMonths + f.transferredMonths + f.deemedMonths;
  const missingMonths = Math.max(f.minimumMonths - recognisedMonths, 0);
  const monthsUntilRetirement = Math.max(
    yearMonthIndex(f.schedule.statutory.retirementYearMonth) - yearMonthIndex(f.today.slice(0, 7)),
    0,
  );
  if (missingMonths > 0) {
    const year = f.schedule.statutory.retirementYearMonth.slice(0, 4);
    const stillPayable = f.contributing ? Math.min(monthsUntilRetirement, missingMonths) : 0;
    findings.push({
      code: 'contribution_shortfall',
      text:
        `截至目前累计缴费年限${formatMonthsChinese(recognisedMonths)}，${year}年达到法定退休年龄按月领取基本养老金须满最低缴费年限` +
        `${formatMonthsChinese(f.minimumMonths)}，尚差${formatMonthsChinese(missingMonths)}。` +
        (stillPayable > 0
          ? `继续按月缴费至退休前可再累计${formatMonthsChinese(stillPayable)}${stillPayable < missingMonths ? `，仍差${formatMonthsChinese(missingMonths - stillPayable)}` : '，可补足差额'}。`
          : ''),
    });
  }
  return { findings, recognisedMonths, missingMonths, monthsUntilRetirement };
}

/** The ways to reach the minimum years (办法 第二条; 国办发〔2009〕66号 for merging years). */
export const SHORTFALL_OPTIONS: readonly RequiredItem[] = [
  {
    code: 'keep_contributing',
    text: '继续缴费（延长缴费）：达到法定退休年龄后继续以灵活就业人员身份按月缴费，满最低缴费年限后按月领取基本养老金。',
  },
  {
    code: 'lump_sum',
    text: '一次性缴费：按规定一次性缴纳差额年限的养老保险费，补足最低缴费年限后按月领取基本养老金。',
  },
  {
    code: 'transfer',
    text: '转移接续：如您在其他省（区、市）有基本养老保险缴费记录，可申请将养老保险关系转入本地，缴费年限合并计算。',
  },
];

const BIRTH_SOURCE_TEXT = { file: '档案', id_number: '居民身份证号码' } as const;

/** The notice to the person: the basic facts, every finding, and the options when years are missing. */
export function preReviewNotice(p: { caseId: string; facts: PreReviewFacts; result: PreReviewResult }): NoticeText {
  const { facts, result } = p;
  const s = facts.schedule;
  const age = s.statutory.statutoryAge;
  const ageText = `${age.years}周岁${age.months ? `${age.months}个月` : ''}`;
  const title = '退休前预审告知书';
  const basics = [
    `1. 出生日期：按${BIRTH_SOURCE_TEXT[s.birthDateSource]}记载的${chineseDate(s.birthDate)}认定。`,
    `2. 法定退休年龄：${ageText}（原法定退休年龄${s.originalAge}周岁），于${yearMonthChinese(s.statutory.retirementYearMonth)}达到法定退休年龄；` +
      `可按规定选择弹性提前退休（最早${yearMonthChinese(s.statutory.earliest)}）或弹性延迟退休（最晚${yearMonthChinese(s.statutory.latest)}）。`,
    `3. 参加工作时间：${facts.workStartDate ? chineseDate(facts.workStartDate) : '档案未记载'}。`,
    `4. 累计缴费年限：${formatMonthsChinese(result.recognisedMonths)}（实际缴费${facts.actualMonths}个月，转入${facts.transferredMonths}个月，视同缴费${facts.deemedMonths}个月）；` +
      `${s.statutory.retirementYearMonth.slice(0, 4)}年的最低缴费年限为${formatMonthsChinese(facts.minimumMonths)}。`,
  ];
  const lines = [
    title,
    `案件编号：${p.caseId}`,
    '根据 DB62/T 5079.1—2025 第8.2.3.1条，在您达到法定退休年龄前3个月，经办机构对您的出生时间、参加工作时间和缴费年限进行了预审，现一次性告知预审结果：',
    '一、基本情况',
    ...basics,
  ];
  if (result.findings.length > 0) {
    lines.push('二、需要核对或办理的事项', ...result.findings.map((f, i) => `${i + 1}. ${f.text}`));
  }
  if (result.missingMonths > 0) {
    lines.push(
      `${result.findings.length > 0 ? '三' : '二'}、缴费年限不足的办理方式（可任选其一）`,
      ...SHORTFALL_OPTIONS.map((o, i) => `${i + 1}. ${o.text}`),
    );
  } else {
    lines.push(
      '您的累计缴费年限已达到最低缴费年限。达到法定退休年龄后，可向参保地社会保险经办机构申请按月领取基本养老金（DB62/T 5079.1—2025 第8条）。',
    );
  }
  lines.push('如对预审结果有异议，请携带居民身份证和相关证明材料到参保地社会保险经办机构核对。');
  return { title, text: lines.join('\n') };
}
