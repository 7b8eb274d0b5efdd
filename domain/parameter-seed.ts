/**
 * Seed rows of the parameter table: published once by the start-up bootstrap (a later release's
 * new rows are published then; rows already published are never overwritten — corrections are
 * published through the API as new versions). The yearly series live in parameter-history.ts.
 * Every row names its source document; `verified` marks the values read in an official text or
 * quoted by an official source, and the others carry "UNVERIFIED" in their note (see
 * /work/shared/docs/domain.md and docs/parameters.md for the evidence).
 * Pure data, so workflows may import it.
 */
import {
  AVERAGE_WAGE_HISTORY,
  BASE_CEILING_HISTORY,
  BASE_FLOOR_HISTORY,
  BASE_WAGE_HISTORY,
  CREDIT_RATE_HISTORY,
  INTEREST_RATE_HISTORY,
} from './parameter-history';
import { GANSU_REGION, NATIONAL_REGION, PARAMETER_NAMES as P, type ParameterValue } from './parameters';
import { RISK_PARAMETER_NAMES as RISK } from './risk';
import { RISK_REGISTER_PARAMETER, RISK_REGISTER_SEED, type RiskPoint } from './risk-register';

/** The value types found in the seed: decimal strings, small integers, the divisor table and the risk register. */
export type SeedValue = string | number | Readonly<Record<string, number>> | readonly RiskPoint[];

const GUOFA_2005_38 = '国发〔2005〕38号《国务院关于完善企业职工基本养老保险制度的决定》';
const PENSION_ENGINE =
  'liubigfatty/pension-engine provinces/gansu.json (commit 157365ed…) and liubigfatty/pension-calculator provinces/gansu.json';
const BANFA_2024 = '《国务院关于渐进式延迟法定退休年龄的办法》(2024-09-13) 第二条 and 附件2《提高最低缴费年限情况表》';

/** 个人账户养老金计发月数 by whole age at retirement (国发〔2005〕38号 附件). */
const DIVISOR_TABLE: Readonly<Record<string, number>> = {
  '40': 233,
  '41': 230,
  '42': 226,
  '43': 223,
  '44': 220,
  '45': 216,
  '46': 212,
  '47': 208,
  '48': 204,
  '49': 199,
  '50': 195,
  '51': 190,
  '52': 185,
  '53': 180,
  '54': 175,
  '55': 170,
  '56': 164,
  '57': 158,
  '58': 152,
  '59': 145,
  '60': 139,
  '61': 132,
  '62': 125,
  '63': 117,
  '64': 109,
  '65': 101,
  '66': 93,
  '67': 84,
  '68': 75,
  '69': 65,
  '70': 56,
};

const divisorRows: ParameterValue<SeedValue>[] = [
  {
    name: P.divisorTable,
    region: NATIONAL_REGION,
    validFrom: '2006-01-01',
    value: DIVISOR_TABLE,
    source: `${GUOFA_2005_38} 附件 个人账户养老金计发月数表`,
    verified: true,
    note: 'Grade B: the same values in at least 6 independent repositories, one citing the Chongqing 人社局 PDF (rlsbj.cq.gov.cn …W020240531539613448168.pdf), another a Shanghai 人社 PDF. Ages 61–63 were already in the 2005 table; no newer national table found.',
  },
  {
    name: P.divisorMethod,
    region: NATIONAL_REGION,
    validFrom: '2006-01-01',
    value: 'floor',
    source: 'No national rule found; third-party statement "各地经办普遍按退休时的周岁(向下取整)查表"',
    note: 'UNVERIFIED (grade C): national fallback for ages that are not whole years. Confirm per province.',
  },
  {
    name: P.divisorMethod,
    region: GANSU_REGION,
    validFrom: '2025-01-01',
    value: 'interpolate-1dp',
    source:
      'Gansu approval form dated 2026-01-27 (third-party transcription): man aged 60y3m, divisor 137.3 = 139 − 7 × 3/12 rounded to 1 dp',
    note: 'UNVERIFIED (grade C): linear interpolation between whole ages, rounded half-up to one decimal. The same third-party config also lists 60.5→136.1 and 61.5→128.6, which interpolation does not give (135.5, 128.5). Confirm with 甘肃省人社厅 (open item 3).',
  },
];

const pensionRows: ParameterValue<SeedValue>[] = [
  {
    name: P.transitionalCoefficient,
    region: GANSU_REGION,
    validFrom: '2023-10-01',
    value: '0.012',
    source: `Gansu formula 计发基数 × Ī × 视同缴费年限 × 1.2% (${PENSION_ENGINE}); Gansu implementing rule to be confirmed`,
    note: 'UNVERIFIED (grade C): 1.2%, no bands; reproduces the 4 Gansu cases exactly. validFrom is the earliest evidence date, not an official effective date.',
  },
  {
    name: P.yearsRounding,
    region: GANSU_REGION,
    validFrom: '2023-10-01',
    value: 'half-up',
    source:
      'Gansu/Lanzhou approval forms (third-party transcription): contribution years printed with 2 decimals, e.g. 6.42 deemed years = 77 months, which only half-up rounding gives',
    note: "UNVERIFIED (grade C, inference from the published case): 'down' (truncation) is the alternative. Confirm with 甘肃省人社厅.",
  },
];

const contributionRows: ParameterValue<SeedValue>[] = [
  {
    name: P.contributionRate,
    region: NATIONAL_REGION,
    validFrom: '2006-01-01',
    value: '0.20',
    source: `${GUOFA_2005_38} 第三条 ("缴费比例为20%，其中8%记入个人账户")`,
    note: 'Grade A (verbatim quote on m.110ask.com). Paid entirely by the flexible worker.',
    verified: true,
  },
  {
    name: P.pooledRate,
    region: NATIONAL_REGION,
    validFrom: '2006-01-01',
    value: '0.12',
    source: `${GUOFA_2005_38} 第三条 (20% − 8%)`,
    note: 'Derived: the part of the 20% not credited to the account.',
    verified: true,
  },
  {
    name: P.baseMinRatio,
    region: NATIONAL_REGION,
    validFrom: '2019-05-01',
    value: '0.6',
    source:
      '国办发〔2019〕13号《降低社会保险费率综合方案》("…在本省全口径城镇单位就业人员平均工资的60%至300%之间选择适当的缴费基数")',
    note: 'Grade A. validFrom 2019-05-01 is the in-force date of the 综合方案 as I recall it (UNVERIFIED date).',
    verified: true,
  },
  {
    name: P.baseMaxRatio,
    region: NATIONAL_REGION,
    validFrom: '2019-05-01',
    value: '3.0',
    source: '国办发〔2019〕13号《降低社会保险费率综合方案》',
    note: 'Grade A. validFrom as for contribution.baseMinRatio (UNVERIFIED date).',
    verified: true,
  },
];

const retirementRows: ParameterValue<SeedValue>[] = [
  {
    name: P.femaleFlexibleOriginalAge,
    region: NATIONAL_REGION,
    validFrom: '2025-01-01',
    value: 55,
    source:
      'No national text found; common practice in third-party calculators (pension-engine "fw55: 灵活就业女性，55岁退休")',
    note: 'UNVERIFIED (grade C): default 55; practice differs by province (pension-engine has a per-province flex_retire_age override).',
  },
  {
    name: P.femaleFlexibleOriginalAge,
    region: GANSU_REGION,
    validFrom: '2025-01-01',
    value: 55,
    source: 'to be confirmed (甘人社通〔2018〕502号 or a later Gansu notice; not found)',
    note: 'UNVERIFIED, to be confirmed with 甘肃省人社厅 before go-live (open item 1).',
  },
  {
    name: P.minimumContributionMonths,
    region: NATIONAL_REGION,
    validFrom: '2011-07-01',
    value: 180,
    source: '《社会保险法》第十六条 (15 years)',
    note: 'Grade A. validFrom is the in-force date of the 社会保险法; the 15-year minimum is older.',
    verified: true,
  },
  ...[186, 192, 198, 204, 210, 216, 222, 228, 234, 240].map((months, i): ParameterValue<SeedValue> => ({
    name: P.minimumContributionMonths,
    region: NATIONAL_REGION,
    validFrom: `${2030 + i}-01-01`,
    value: months,
    source: BANFA_2024,
    note: 'Grade A/B: +6 months a year from 2030-01-01 up to 20 years (240 months) from 2039. The year that applies is the year actually retired for early retirement and the year the statutory age is reached otherwise.',
    verified: true,
  })),
];

const RISK_NOTE =
  'Agency internal-control setting (R-2 risk assessment: risk points graded by step and role), not a published figure; tune per Gansu practice. UNVERIFIED (local choice).';

/** Benefit-claim risk checks that send a claim to collective review (集体会审, 10.2.3); see domain/risk.ts. */
const riskRows: ParameterValue<SeedValue>[] = [
  {
    name: RISK.deemedMonthsThreshold,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: 180,
    source:
      'DB62/T 5079.1—2025 10.1 (risk point: inaccurate benefit amounts) and 10.2.3 (collective review of high-risk business); threshold set by the agency',
    note: `${RISK_NOTE} 180 months = 15 deemed years (视同缴费年限), the part of N that rests on the personnel file alone.`,
  },
  {
    name: RISK.backPaidMonthsThreshold,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: 36,
    source:
      'DB62/T 5079.1—2025 10.2.3; 人社厅发〔2019〕94号 (lump sums covering 3 years or more need a commitment letter or legal documents on transfer)',
    note: `${RISK_NOTE} 36 months follows the "3 years or more" scrutiny of 人社厅发〔2019〕94号 (domain.md §5.5).`,
  },
  {
    name: RISK.amountBandMinRatio,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: '0.2',
    source: 'DB62/T 5079.1—2025 10.1 (risk point: inaccurate benefit amounts); expected band set by the agency',
    note: `${RISK_NOTE} A monthly pension below 20% of the 计发基数 is checked collectively.`,
  },
  {
    name: RISK.amountBandMaxRatio,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: '1.5',
    source: 'DB62/T 5079.1—2025 10.1 (risk point: inaccurate benefit amounts); expected band set by the agency',
    note: `${RISK_NOTE} A monthly pension above 150% of the 计发基数 is checked collectively.`,
  },
  {
    name: RISK.collectiveQuorum,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: 3,
    source: 'DB62/T 5079.1—2025 10.2.3 (集体会审); number of members set by the agency',
    note: `${RISK_NOTE} Approved when a strict majority of the quorum approves (domain/risk.ts collectiveReviewOutcome).`,
  },
];

/** The risk register: the agency's assessment, published like a parameter (domain/risk-register.ts). */
const riskRegisterRows: ParameterValue<SeedValue>[] = [
  {
    name: RISK_REGISTER_PARAMETER,
    region: GANSU_REGION,
    validFrom: '2025-07-30',
    value: RISK_REGISTER_SEED,
    source: 'DB62/T 5079.1—2025 10.1 (风险点), 10.2.1 (风险评估清单), 10.2.3 (高风险业务集体会审)',
    note: "The agency's own risk assessment (R-2): points from 10.1 and those the code controls, graded by the agency. Re-grade by publishing a new version (one supervisor proposes, another approves).",
  },
];

/** All seed rows of the parameter table. */
export const PARAMETER_SEED: readonly ParameterValue<SeedValue>[] = [
  ...divisorRows,
  ...BASE_WAGE_HISTORY,
  ...pensionRows,
  ...contributionRows,
  ...CREDIT_RATE_HISTORY,
  ...AVERAGE_WAGE_HISTORY,
  ...BASE_FLOOR_HISTORY,
  ...BASE_CEILING_HISTORY,
  ...INTEREST_RATE_HISTORY,
  ...retirementRows,
  ...riskRows,
  ...riskRegisterRows,
];
