/**
 * The published history of the yearly and period parameters a real contribution history needs
 * (Gansu average wages for the contribution index since 1996, 计发基数 by retirement year since
 * 2006, account interest rates since 1992, account credit rates since 1998, base floors and
 * ceilings since 2019), as researched from public sources on 2026-12-03 (the research notes:
 * /work/research/parameters.md of that session, summarised in docs/parameters.md). `verified`
 * is true only for values read in the official text or quoted by an official source (grades
 * A/B); everything else says UNVERIFIED in its note and why. Values not found are NOT seeded:
 * a history that needs one waits for a supervisor to publish it (docs/parameters.md).
 * Pure data, so workflows may import it.
 */
import type { ParameterValue } from './parameters';

type Row = ParameterValue<string> & { verified: boolean };

/** Average wage used as the contribution-index denominator Aᵢ, by contribution period (July–June before mid-2011, calendar years after). */
export const AVERAGE_WAGE_HISTORY: readonly Row[] = [
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '1996-07-01',
    validTo: '1997-06-30',
    value: '457.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 1995 全省职工社会平均工资 (statistical year 1995). Gansu contribution year ran 1 July–30 June before 2011; period stated by source.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '1997-07-01',
    validTo: '1998-06-30',
    value: '490.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 1996 全省职工社会平均工资 (statistical year 1996). Gansu contribution year ran 1 July–30 June before 2011; period stated by source.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '1998-07-01',
    validTo: '1999-06-30',
    value: '515.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 1997 全省职工社会平均工资 (statistical year 1997). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '1999-07-01',
    validTo: '2000-06-30',
    value: '534.83',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 1998 全省职工社会平均工资 (statistical year 1998). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2000-07-01',
    validTo: '2001-06-30',
    value: '577.33',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 1999 全省职工社会平均工资 (statistical year 1999). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2001-07-01',
    validTo: '2002-06-30',
    value: '659.42',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2000 全省职工社会平均工资 (statistical year 2000). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2002-07-01',
    validTo: '2003-06-30',
    value: '764.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2001 全省职工社会平均工资 (statistical year 2001). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2003-07-01',
    validTo: '2004-06-30',
    value: '856.00',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2002 全省职工社会平均工资 (statistical year 2002). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2004-07-01',
    validTo: '2005-06-30',
    value: '951.58',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2003 全省职工社会平均工资 (statistical year 2003). Gansu contribution year ran 1 July–30 June before 2011; period stated by source.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2005-07-01',
    validTo: '2006-06-30',
    value: '1059.25',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2004 全省职工社会平均工资 (statistical year 2004). Gansu contribution year ran 1 July–30 June before 2011; period stated by source.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2006-07-01',
    validTo: '2007-06-30',
    value: '1181.00',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2005 全省职工社会平均工资 (statistical year 2005). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern. 2005 在岗 (not this series) 14939/yr confirmed by 兰州晨报/sina 2006-06-08.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2007-07-01',
    validTo: '2008-06-30',
    value: '1380.42',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2006 全省职工社会平均工资 (statistical year 2006). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2008-07-01',
    validTo: '2009-06-30',
    value: '1679.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2007 全省职工社会平均工资 (statistical year 2007). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2009-07-01',
    validTo: '2010-06-30',
    value: '1941.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2008 全省职工社会平均工资 (statistical year 2008). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2010-07-01',
    validTo: '2011-06-30',
    value: '2214.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2009 全省职工社会平均工资 (statistical year 2009). Gansu contribution year ran 1 July–30 June before 2011; period inferred from the July–June pattern.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2011-07-01',
    validTo: '2011-12-31',
    value: '2465.67',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov)',
    note: 'UNVERIFIED (C). Monthly. 2010 全省在岗职工平均工资 (29588/yr); switch to 在岗 series and to calendar-year periods.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2012-01-01',
    validTo: '2012-12-31',
    value: '2742.17',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2011 在岗; index denominator for contributions in calendar year 2012. Conflict: PE note text says 2465.67 for 2012 (copy error?); table value 2742.17.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2013-01-01',
    validTo: '2013-12-31',
    value: '3203.33',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2012 在岗; index denominator for contributions in calendar year 2013.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2014-01-01',
    validTo: '2014-12-31',
    value: '3675.75',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2013 在岗; index denominator for contributions in calendar year 2014.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2015-01-01',
    validTo: '2015-12-31',
    value: '4039.17',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2014 在岗; index denominator for contributions in calendar year 2015.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2016-01-01',
    validTo: '2016-12-31',
    value: '4537.83',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2015 在岗; index denominator for contributions in calendar year 2016.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2017-01-01',
    validTo: '2017-12-31',
    value: '4962.42',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据'); 甘肃省统计局 2017 wage release via https://p2.ttnews.xyz/a/5b26829c7c5b3c036490942b (在岗65726, 比上年增加6177)",
    note: '(B). Monthly 元. Statistic: 2016 城镇非私营单位在岗 (59549/yr); index denominator for contributions in calendar year 2017.',
    verified: true,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2018-01-01',
    validTo: '2018-12-31',
    value: '5477.17',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据'); 甘肃省统计局 2017 wage release via https://p2.ttnews.xyz/a/5b26829c7c5b3c036490942b (在岗65726, 比上年增加6177)",
    note: '(B). Monthly 元. Statistic: 2017 城镇非私营单位在岗 (65726/yr); index denominator for contributions in calendar year 2018.',
    verified: true,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    value: '5155.75',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2018 全口径城镇单位就业人员 (61869/yr); index denominator for contributions in calendar year 2019. 2018 在岗 was 6142/月; whether any 2019 months used 6142 is not found.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
    value: '5542',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2019 全口径; index denominator for contributions in calendar year 2020. Conflict: PE note text says 6142 for 2020; table 5542 retained.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2021-01-01',
    validTo: '2021-12-31',
    value: '6063',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2020 全口径; index denominator for contributions in calendar year 2021.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2022-01-01',
    validTo: '2022-12-31',
    value: '6400',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据') (cites 甘人社通〔2022〕296号)",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2021 全口径; index denominator for contributions in calendar year 2022.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '6861',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据') (cites 甘人社通〔2023〕301号)",
    note: "UNVERIFIED (C). Monthly 元. Statistic: 2022 全口径; index denominator for contributions in calendar year 2023. CONFLICT: the same sources' official_documents say 301号 = 6816. Check the notice.",
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
    value: '7194',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据') (cites 甘人社通〔2024〕267号)",
    note: 'UNVERIFIED (C). Monthly 元. Statistic: 2023 全口径; index denominator for contributions in calendar year 2024.',
    verified: false,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    value: '7338',
    source:
      "liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据') (cites 甘人社通〔2025〕261号); WeChat region-parameter file (code index id 59215717864, gs averageWage 7338 wageYear 2025 official); weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1) (2025 range 4403~22014)",
    note: 'B. Monthly 元 (88056/yr). Statistic: 2024 全口径城镇单位就业人员平均工资; contribution year 2025.',
    verified: true,
  },
  {
    name: 'contribution.averageWage',
    region: '62',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    value: '7542',
    source:
      '甘人社通〔2026〕218号 as quoted by weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1) (https://rst.gansu.gov.cn/rst/c113673/202608/174383217.shtml; reprint http://zwfw.gansu.gov.cn/lingtai/zczx/zxfb/art/2026/art_8ea1836932d44ba9a7a3375bdb19e857.html; http://gansu.chinatax.gov.cn/art/2026/9/28/art_8549_4645.html) and liubigfatty/pension-calculator scripts/_apply_salary2025.py',
    note: 'B. Monthly 元 (90504/yr). 2026 个人月缴费基数 = 2025 全口径 average. Notice published 2026-08 (tax notice 2026-09-28): months before publication are provisional.',
    verified: true,
  },
];

/** 计发基数 C by retirement year: the value for people retiring in that year (until it is published, the previous year's stands in: a provisional award, recalculated). */
export const BASE_WAGE_HISTORY: readonly Row[] = [
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2006-01-01',
    validTo: '2006-12-31',
    value: '1244.92',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2005)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2005 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2006, nor its effective month. Underlying 2005 在岗 14939/yr confirmed by sina 2006-06-08.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2007-01-01',
    validTo: '2007-12-31',
    value: '1437.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2006)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2006 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2007, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2008-01-01',
    validTo: '2008-12-31',
    value: '1748.92',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2007)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2007 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2008, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2009-01-01',
    validTo: '2009-12-31',
    value: '2001.42',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2008)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2008 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2009, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2010-01-01',
    validTo: '2010-12-31',
    value: '2264.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2009)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2009 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2010, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2011-01-01',
    validTo: '2011-12-31',
    value: '2465.67',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2010)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2010 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2011, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2012-01-01',
    validTo: '2012-12-31',
    value: '2742.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2011)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2011 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2012, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2013-01-01',
    validTo: '2013-12-31',
    value: '3203.33',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2012)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2012 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2013, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2014-01-01',
    validTo: '2014-12-31',
    value: '3675.75',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2013)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2013 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2014, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2015-01-01',
    validTo: '2015-12-31',
    value: '4039.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2014)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2014 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2015, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2016-01-01',
    validTo: '2016-12-31',
    value: '4537.83',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2015)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2015 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2016, nor its effective month.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2017-01-01',
    validTo: '2017-12-31',
    value: '4962.42',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2016)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2016 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2017, nor its effective month. Underlying 在岗 figure confirmed by 甘肃省统计局 release (ttnews).',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2018-01-01',
    validTo: '2018-12-31',
    value: '5477.17',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov) base_rates.prov (keyed there by statistical year 2017)',
    note: 'UNVERIFIED (C), DERIVED: 国发〔2005〕38号 uses 上年度在岗职工月平均工资; value = Gansu 2017 在岗 monthly average. Not confirmed as the published Gansu 计发基数 for retirements in 2018, nor its effective month. Underlying 在岗 figure confirmed by 甘肃省统计局 release (ttnews).',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    value: '6142',
    source:
      'liubigfatty/pension-engine docs/provinces/gansu.json base_rates.prov 2019 (Gansu 2018 在岗 monthly average 73704/12)',
    note: 'UNVERIFIED (C), CONFLICT: pension-engine gives 6142 (2018 在岗, as 国发〔2005〕38号 prescribes: 上年度在岗职工月平均工资); pension-calculator commit ed745028 changed it to 5155.75 (2018 全口径). 6142 seeded because it follows the 38号 formula; confirm with 甘肃省人社厅 before recalculating any 2019 award.',
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
    value: '6474',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2020 (post-2019 'dual base', above the 全口径 contribution average). 甘人社通〔2020〕?号 per source. Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2021-01-01',
    validTo: '2021-12-31',
    value: '6791',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2021 (post-2019 'dual base', above the 全口径 contribution average). 甘人社通〔2021〕?号 per source. Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2022-01-01',
    validTo: '2022-12-31',
    value: '7077',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2022 (post-2019 'dual base', above the 全口径 contribution average). approval form 2023-10-31 used it provisionally for a 2023 retirement. Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '7359',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2023 (post-2019 'dual base', above the 全口径 contribution average). approval form 2024-09-04 used it provisionally for a 2024 retirement. Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
    value: '7594',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2024 (post-2019 'dual base', above the 全口径 contribution average). cites 甘人社通〔2024〕330号; approval form 2025-05 used it provisionally ('2025年基数尚未公布'). Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
  {
    name: 'pension.baseWage',
    region: '62',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    value: '7746',
    source:
      "liubigfatty/pension-engine docs/provinces/gansu.json (HEAD f2ca8d2e; notes.historical_data / avg_salary_history / base_rates.prov); liubigfatty/pension-calculator cloudfunctions/calculate/provinces/gansu.js (HEAD dba9b78b; data corrected in commit ed745028 'user-provided 甘肃省人社厅官方数据')",
    note: "UNVERIFIED (C). Gansu 计发基数 for retirements in calendar year 2025 (post-2019 'dual base', above the 全口径 contribution average). approval form approved 2026-01-27 (Lanzhou); PC audit: '2025=7746 无官方来源'. Retirees before publication get the previous year's base provisionally (see §6); the seed's validFrom dates mark provisional use, not the official period.",
    verified: false,
  },
];

/** Share of the base credited to the individual account, by period (11% 1998–2005, 8% from 2006). No row before 1998: not found. */
export const CREDIT_RATE_HISTORY: readonly Row[] = [
  {
    name: 'contribution.accountCreditRate',
    region: 'CN',
    validFrom: '1998-01-01',
    validTo: '2005-12-31',
    value: '0.11',
    source:
      '国发〔1997〕26号 (gazette copy https://www.nmg.gov.cn/zwgk/zfgb/1997n_5293/199709/199707/t19970716_309391.html, not read); third-party summaries (code index ids 28442642767, 28201808787); domain.md §5.2 (国办发〔2009〕66号 Q&A)',
    note: "B. 11% of contribution base credited to the individual account for employees from 1998 until the 2006 reform. For 个体工商户/flexible workers 26号 left rates to provinces; Gansu's pre-2006 flexible-worker credit share NOT FOUND. Gansu's own start date not found.",
    verified: true,
  },
  {
    name: 'contribution.accountCreditRate',
    region: 'CN',
    validFrom: '2006-01-01',
    value: '0.08',
    source:
      "国发〔2005〕38号 §3 ('缴费比例为20%，其中8%记入个人账户'); https://www.gov.cn/zhengce/zhengceku/2008-03/28/content_7376.htm (domain.md §4)",
    note: 'A. Flexible workers pay 20%, 8% credited. Gansu implementing date NOT FOUND (provinces differed, e.g. Guangdong 2006-07-01); make it configurable.',
    verified: true,
  },
];

/** Individual-account interest rate (记账利率) by year: candidate provincial values 1992–2015, national values from 2016. */
export const INTEREST_RATE_HISTORY: readonly Row[] = [
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1992-01-01',
    validTo: '1992-12-31',
    value: '0.0756',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1992-12-31 (set on 1991-04-21), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1993-01-01',
    validTo: '1993-12-31',
    value: '0.1098',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1993-12-31 (set on 1993-07-11), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1994-01-01',
    validTo: '1994-12-31',
    value: '0.1098',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1994-12-31 (set on 1993-07-11), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1995-01-01',
    validTo: '1995-12-31',
    value: '0.1098',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1995-12-31 (set on 1993-07-11), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1996-01-01',
    validTo: '1996-12-31',
    value: '0.0747',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1996-12-31 (set on 1996-08-23), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1997-01-01',
    validTo: '1997-12-31',
    value: '0.0567',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1997-12-31 (set on 1997-10-23), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1998-01-01',
    validTo: '1998-12-31',
    value: '0.0378',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1998-12-31 (set on 1998-12-07), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '1999-01-01',
    validTo: '1999-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 1999-12-31 (set on 1999-06-10), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2000-01-01',
    validTo: '2000-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2000-12-31 (set on 1999-06-10), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2001-01-01',
    validTo: '2001-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2001-12-31 (set on 1999-06-10), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2002-01-01',
    validTo: '2002-12-31',
    value: '0.0198',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2002-12-31 (set on 2002-02-21), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2003-01-01',
    validTo: '2003-12-31',
    value: '0.0198',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2003-12-31 (set on 2002-02-21), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2004-01-01',
    validTo: '2004-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2004-12-31 (set on 2004-10-29), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2005-01-01',
    validTo: '2005-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2005-12-31 (set on 2004-10-29), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2006-01-01',
    validTo: '2006-12-31',
    value: '0.0252',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2006-12-31 (set on 2006-08-19), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2007-01-01',
    validTo: '2007-12-31',
    value: '0.0414',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2007-12-31 (set on 2007-12-21), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2008-01-01',
    validTo: '2008-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2008-12-31 (set on 2008-12-23), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2009-01-01',
    validTo: '2009-12-31',
    value: '0.0225',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2009-12-31 (set on 2008-12-23), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2010-01-01',
    validTo: '2010-12-31',
    value: '0.0275',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2010-12-31 (set on 2010-12-26), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2011-01-01',
    validTo: '2011-12-31',
    value: '0.0350',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2011-12-31 (set on 2011-07-07), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2012-01-01',
    validTo: '2012-12-31',
    value: '0.0300',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2012-12-31 (set on 2012-07-06), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2013-01-01',
    validTo: '2013-12-31',
    value: '0.0300',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2013-12-31 (set on 2012-07-06), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2014-01-01',
    validTo: '2014-12-31',
    value: '0.0275',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2014-12-31 (set on 2014-11-22), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: '62',
    validFrom: '2015-01-01',
    validTo: '2015-12-31',
    value: '0.0150',
    source:
      'PBoC one-year time-deposit benchmark rate (整存整取一年) in force on 2015-12-31 (set on 2015-10-24), as candidate for the Gansu provincial 记账利率; rate tables: shouye-wang.com/html/5/jinnian494213.html, kkannews.com/468566624.html, chenchuangjiaju.com/emicdeposit-interest-rate',
    note: "UNVERIFIED, CANDIDATE ONLY: Gansu's own individual-account interest rates before national unification (2016) were not found. Many provinces credited the one-year deposit rate; which convention Gansu used (rate on 1 January, on 31 December, or a time-weighted average) is not known — the rate in force on 31 December (the day interest is credited) is seeded. Publish the official rate to replace it (a new version).",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2016-01-01',
    validTo: '2016-12-31',
    value: '0.0831',
    source:
      '人社厅发〔2017〕71号 (2017-06-08), image of the notice in zuafzu/socialsecuritycardcollection app/src/main/assets/社保/城镇企业职工基本养老保险/…（人社厅发[2017]71号）/sb_321.png (commit 530677ab)',
    note: 'A. 2016 national rate (first unified year; 人社部发〔2017〕31号).',
    verified: true,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2017-01-01',
    validTo: '2017-12-31',
    value: '0.0712',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2017; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2018-01-01',
    validTo: '2018-12-31',
    value: '0.0829',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2018; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    value: '0.0761',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2019; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
    value: '0.0604',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2020; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2021-01-01',
    validTo: '2021-12-31',
    value: '0.0669',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: "UNVERIFIED (C). National unified rate for 2021; MOHRSS/MoF notice number not found; matches the seed. 5.35% seen in some copies is Qinghai's 2021 resident-scheme rate (青人社厅函〔2021〕637号), per liubigfatty/pension-calculator scripts/_patch_interest_2026.py.",
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2022-01-01',
    validTo: '2022-12-31',
    value: '0.0612',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2022; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '0.0397',
    source:
      'liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos',
    note: 'UNVERIFIED (C). National unified rate for 2023; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
    value: '0.0262',
    source:
      "liubigfatty/pension-calculator cloudfunctions/calculate/pension-engine.js UNIFIED_INTEREST_RATES; liubigfatty/pension-engine; other calculator repos; Yiwu disclosure https://www.yw.gov.cn/art/2025/6/3/art_1229134300_4228894.html (labelled '2025年度' on the page, described in code index id 59778642367; not read)",
    note: 'UNVERIFIED (C). National unified rate for 2024; MOHRSS/MoF notice number not found; matches the seed.',
    verified: false,
  },
  {
    name: 'account.interestRate',
    region: 'CN',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    value: '0.0150',
    source:
      "liubigfatty/pension-calculator scripts/_patch_interest_2026.py (checked 2026-09-15: 南昌/金昌人社局《2025年度社会保险信息披露》'由人社部确定的…记账利率为1.5%'); WeChat parameter file (code index id 59215717864)",
    note: "UNVERIFIED (C). Reportedly published by 2026 (金昌 is in Gansu) but no MOHRSS notice number or date found; the '2025年度' label on local disclosures is ambiguous (Yiwu case). 2026 (2.60%) is an unpublished reverse-engineered value, deliberately not included.",
    verified: false,
  },
];

/** Lowest monthly contribution base by contribution year (published 2025–2026, derived 2019–2024). */
export const BASE_FLOOR_HISTORY: readonly Row[] = [
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    value: '4526',
    source:
      '甘人社通〔2026〕218号 via weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1) and liubigfatty/pension-calculator scripts/_apply_salary2025.py',
    note: 'B. 60% of 7542, rounded up. Applies to 养老/失业/工伤 individual base.',
    verified: true,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    value: '4403',
    source:
      '甘人社通〔2025〕261号 via weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1); consistent with 7338 (PC, WeChat parameter file)',
    note: 'B. 60% of 7338, rounded up.',
    verified: true,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    value: '3094',
    source:
      'DERIVED from contribution.averageWage 5155.75 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure.',
    verified: false,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
    value: '3326',
    source:
      'DERIVED from contribution.averageWage 5542 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure.',
    verified: false,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2021-01-01',
    validTo: '2021-12-31',
    value: '3638',
    source:
      'DERIVED from contribution.averageWage 6063 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure.',
    verified: false,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2022-01-01',
    validTo: '2022-12-31',
    value: '3840',
    source:
      'DERIVED from contribution.averageWage 6400 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure.',
    verified: false,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '4117',
    source:
      'DERIVED from contribution.averageWage 6861 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure. Alternative if the 2023 average is 6816: floor 4090, ceiling 20448.',
    verified: false,
  },
  {
    name: 'contribution.baseFloor',
    region: '62',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
    value: '4317',
    source:
      'DERIVED from contribution.averageWage 7194 × 60% (国办发〔2019〕13号), rounding up as observed in 2025/2026',
    note: 'UNVERIFIED (C), derived, not a published figure.',
    verified: false,
  },
];

/** Highest monthly contribution base by contribution year (published 2025–2026, derived 2019–2024). */
export const BASE_CEILING_HISTORY: readonly Row[] = [
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    value: '22626',
    source:
      '甘人社通〔2026〕218号 via weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1) and liubigfatty/pension-calculator scripts/_apply_salary2025.py',
    note: 'B. 300% of 7542.',
    verified: true,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    value: '22014',
    source:
      '甘人社通〔2025〕261号 via weante/city-salary docs/policy-ganingmengxinqingqiong-2026.md (commit 507002f1); consistent with 7338',
    note: 'B. 300% of 7338.',
    verified: true,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    value: '15467.25',
    source: 'DERIVED from contribution.averageWage 5155.75 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown.',
    verified: false,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2020-01-01',
    validTo: '2020-12-31',
    value: '16626',
    source: 'DERIVED from contribution.averageWage 5542 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown.',
    verified: false,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2021-01-01',
    validTo: '2021-12-31',
    value: '18189',
    source: 'DERIVED from contribution.averageWage 6063 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown.',
    verified: false,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2022-01-01',
    validTo: '2022-12-31',
    value: '19200',
    source: 'DERIVED from contribution.averageWage 6400 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown.',
    verified: false,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2023-01-01',
    validTo: '2023-12-31',
    value: '20583',
    source: 'DERIVED from contribution.averageWage 6861 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown. Alternative if the 2023 average is 6816: floor 4090, ceiling 20448.',
    verified: false,
  },
  {
    name: 'contribution.baseCeiling',
    region: '62',
    validFrom: '2024-01-01',
    validTo: '2024-12-31',
    value: '21582',
    source: 'DERIVED from contribution.averageWage 7194 × 300% (国办发〔2019〕13号)',
    note: 'UNVERIFIED (C), derived, not a published figure; ceiling rounding rule unknown.',
    verified: false,
  },
];
