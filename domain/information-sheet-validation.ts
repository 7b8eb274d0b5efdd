/**
 * The receiving agency's check of an information sheet (T-5 b), and the checks of the person
 * block and the rows that the builder (domain/information-sheet.ts) runs too, so a sheet built
 * here always passes the check there. Pure and deterministic, so workflows may import it.
 */
import type {
  AgencyRef,
  InformationSheet,
  InformationSheetFunds,
  InformationSheetPerson,
  InformationSheetRow,
} from './information-sheet';
import { dec, money } from './money';
import { idNumberProblem, isDivisionCode, isNonEmpty } from './transfer-form-fields';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';
import { computeTransferFunds, isNonNegativeMoneyString, type TransferAccountItems } from './transfer-funds';
import { isIsoDate, isYearMonth, yearMonthIndex } from './year-month';

/** What the receiving agency expects: the person and the transfer named in its contact letter. */
export interface InformationSheetExpectation {
  idNumber?: string;
  name?: string;
  fromAgencyCode?: string;
  toAgencyCode?: string;
}

export interface SheetProblem {
  field: string;
  /** Chinese; becomes a reason for returning the sheet for correction. */
  message: string;
  code: string;
}

export interface SheetValidation {
  ok: boolean;
  problems: SheetProblem[];
}

const ROW_AMOUNTS = [
  'creditedAmount',
  'creditedPersonal',
  'interest',
  'interestPersonal',
  'closingBalance',
  'closingPersonal',
] as const;
const ROW_AMOUNT_LABELS: Record<(typeof ROW_AMOUNTS)[number], string> = {
  creditedAmount: '当年记账金额',
  creditedPersonal: '当年记账金额其中个人部分',
  interest: '当年记账利息',
  interestPersonal: '当年记账利息其中个人部分',
  closingBalance: '年末累计储存额',
  closingPersonal: '年末累计储存额其中个人部分',
};
const ROW_RATES = ['unitRate', 'accountRate', 'personalRate'] as const;
const ROW_RATE_LABELS: Record<(typeof ROW_RATES)[number], string> = {
  unitRate: '单位缴费比例',
  accountRate: '划入账户比例',
  personalRate: '个人缴费比例',
};
const PERSONAL_PAIRS = [
  ['creditedPersonal', 'creditedAmount'],
  ['interestPersonal', 'interest'],
  ['closingPersonal', 'closingBalance'],
] as const;

function isRate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,3}(\.\d{1,10})?$/.test(value) && dec(value).lte(1);
}

/** Problems of the person block (part 1), shared by the builder and the receiving-side check. */
export function personProblems(person: InformationSheetPerson | undefined): SheetProblem[] {
  const problems: SheetProblem[] = [];
  const add = (code: string, field: string, message: string) =>
    problems.push({ code, field: `person.${field}`, message });
  if (person === undefined || person === null || typeof person !== 'object') {
    return [{ code: TransferErrorCode.required, field: 'person', message: '缺少人员基本信息' }];
  }
  if (!isNonEmpty(person.name)) add(TransferErrorCode.required, 'name', '缺少姓名');
  if (!isNonEmpty(person.transferOutUnitName))
    add(TransferErrorCode.required, 'transferOutUnitName', '缺少转出单位名称');
  const idProblem = idNumberProblem(person.idNumber);
  if (idProblem) add(TransferErrorCode.invalidFormat, 'idNumber', idProblem);

  const dates: Array<[keyof InformationSheetPerson, string, boolean]> = [
    ['birthDate', '出生日期', true],
    ['workStartDate', '参加工作时间', false],
    ['firstInsuredDate', '本人首次缴费时间', true],
    ['accountOpenedDate', '本人建立个人账户时间', false],
    ['transferDate', '转移时间', true],
  ];
  const ok: Partial<Record<keyof InformationSheetPerson, boolean>> = {};
  for (const [key, label, required] of dates) {
    const value = person[key];
    if (value === undefined && !required) continue;
    ok[key] = isIsoDate(value);
    if (!ok[key]) add(TransferErrorCode.invalidDate, key, `${label}应为有效日期（YYYY-MM-DD）`);
  }
  const months: Array<[keyof InformationSheetPerson, string, boolean]> = [
    ['firstPlaceIndividualContributionStart', '首次参保地实行个人缴费时间', false],
    ['localStart', '在本地缴费起始时间', true],
    ['localEnd', '在本地缴费终止时间', true],
  ];
  for (const [key, label, required] of months) {
    const value = person[key];
    if (value === undefined && !required) continue;
    ok[key] = isYearMonth(value);
    if (!ok[key]) add(TransferErrorCode.invalidYearMonth, key, `${label}应为有效年月（YYYY-MM）`);
  }

  if (idProblem === undefined && ok.birthDate) {
    const idBirth = `${person.idNumber.slice(6, 10)}-${person.idNumber.slice(10, 12)}-${person.idNumber.slice(12, 14)}`;
    if (idBirth !== person.birthDate) {
      add(
        TransferErrorCode.inconsistent,
        'birthDate',
        `出生日期（${person.birthDate}）与公民身份号码中的出生日期（${idBirth}）不一致`,
      );
    }
  }
  if (ok.birthDate) {
    for (const [key, label] of [
      ['workStartDate', '参加工作时间'],
      ['firstInsuredDate', '本人首次缴费时间'],
      ['accountOpenedDate', '本人建立个人账户时间'],
      ['transferDate', '转移时间'],
    ] as const) {
      if (ok[key] && (person[key] as string) <= person.birthDate)
        add(TransferErrorCode.dateOrder, key, `${label}应晚于出生日期`);
    }
  }
  if (ok.firstInsuredDate && ok.localStart && person.firstInsuredDate.slice(0, 7) > person.localStart) {
    add(TransferErrorCode.dateOrder, 'localStart', '在本地缴费起始时间不能早于本人首次缴费时间');
  }
  if (ok.localStart && ok.localEnd && person.localStart > person.localEnd) {
    add(TransferErrorCode.dateOrder, 'localEnd', '在本地缴费终止时间不能早于起始时间');
  }
  if (ok.localEnd && ok.transferDate && person.localEnd > person.transferDate.slice(0, 7)) {
    add(TransferErrorCode.dateOrder, 'transferDate', '转移时间不能早于在本地缴费终止时间');
  }

  for (const key of ['fromAgency', 'toAgency'] as const) {
    const agency = person[key] as AgencyRef | undefined;
    const label = key === 'fromAgency' ? '转出地' : '转入地';
    if (!isDivisionCode(agency?.code))
      add(TransferErrorCode.invalidCode, `${key}.code`, `${label}社保机构行政区划代码应为6位数字`);
    if (!isNonEmpty(agency?.name)) add(TransferErrorCode.required, `${key}.name`, `缺少${label}社保机构名称`);
  }
  if (isDivisionCode(person.fromAgency?.code) && isDivisionCode(person.toAgency?.code)) {
    if (person.fromAgency.code.slice(0, 2) === person.toAgency.code.slice(0, 2)) {
      add(TransferErrorCode.inconsistent, 'toAgency.code', '转出地与转入地在同一省份，省内流动不需要办理跨省转移接续');
    }
  }
  return problems;
}

/**
 * Problems of the part 2 rows that computeTransferFunds does not check itself (it checks year,
 * months and monthlyBase): periods, order, rates and ledger amounts.
 */
export function rowProblems(rows: unknown, person: InformationSheetPerson | undefined): SheetProblem[] {
  const problems: SheetProblem[] = [];
  if (!Array.isArray(rows))
    return [{ code: TransferErrorCode.required, field: 'rows', message: '缺少历年缴费及个人账户记账信息（应为数组）' }];
  if (rows.length === 0)
    return [{ code: TransferErrorCode.required, field: 'rows', message: '历年缴费及个人账户记账信息为空' }];
  const localStartOk = isYearMonth(person?.localStart);
  const localEndOk = isYearMonth(person?.localEnd);
  let previousEnd: { index: number; ym: string } | undefined;
  let allPeriodsOk = true;
  rows.forEach((raw: unknown, i: number) => {
    const row = (raw ?? {}) as Partial<Record<keyof InformationSheetRow, unknown>>;
    const add = (code: string, field: string, message: string) =>
      problems.push({ code, field: `rows[${i}].${field}`, message });
    if (!isDivisionCode(row.regionCode)) add(TransferErrorCode.invalidCode, 'regionCode', '行政区划代码应为6位数字');
    if (!isNonEmpty(row.regionName)) add(TransferErrorCode.required, 'regionName', '缺少地区名称');
    const startOk = isYearMonth(row.startYearMonth);
    const endOk = isYearMonth(row.endYearMonth);
    if (!startOk) add(TransferErrorCode.invalidYearMonth, 'startYearMonth', '开始年月应为有效年月（YYYY-MM）');
    if (!endOk) add(TransferErrorCode.invalidYearMonth, 'endYearMonth', '终止年月应为有效年月（YYYY-MM）');
    if (!startOk || !endOk) {
      allPeriodsOk = false;
    } else {
      const start = row.startYearMonth as string;
      const end = row.endYearMonth as string;
      let periodOk = true;
      if (
        typeof row.year === 'number' &&
        (Number(start.slice(0, 4)) !== row.year || Number(end.slice(0, 4)) !== row.year)
      ) {
        add(TransferErrorCode.inconsistent, 'startYearMonth', `开始年月与终止年月应在${row.year}年度内`);
        periodOk = false;
      }
      if (start > end) {
        add(TransferErrorCode.dateOrder, 'endYearMonth', '终止年月不能早于开始年月');
        periodOk = false;
      } else if (
        typeof row.months === 'number' &&
        Number.isInteger(row.months) &&
        row.months >= 1 &&
        row.months <= 12 &&
        row.months > yearMonthIndex(end) - yearMonthIndex(start) + 1
      ) {
        add(
          TransferErrorCode.invalidMonths,
          'months',
          `月数（${row.months}）超过开始年月至终止年月的月数（${yearMonthIndex(end) - yearMonthIndex(start) + 1}）`,
        );
      }
      if (previousEnd !== undefined && start <= previousEnd.ym) {
        add(TransferErrorCode.dateOrder, 'startYearMonth', `与第${previousEnd.index + 1}行时间重叠或顺序颠倒`);
      }
      if ((localStartOk && start < person.localStart) || (localEndOk && end > person.localEnd)) {
        add(TransferErrorCode.dateOrder, 'startYearMonth', '缴费时段超出在本地缴费起止时间');
        periodOk = false;
      }
      if (!periodOk) allPeriodsOk = false;
      if (previousEnd === undefined || end > previousEnd.ym) previousEnd = { index: i, ym: end };
    }
    for (const key of ROW_RATES) {
      if (!isRate(row[key])) add(TransferErrorCode.invalidRate, key, `${ROW_RATE_LABELS[key]}应为0至1之间的小数`);
    }
    for (const key of ROW_AMOUNTS) {
      if (!isNonNegativeMoneyString(row[key]))
        add(TransferErrorCode.invalidAmount, key, `${ROW_AMOUNT_LABELS[key]}应为不小于0、最多两位小数的金额`);
    }
    for (const [part, whole] of PERSONAL_PAIRS) {
      if (
        isNonNegativeMoneyString(row[part]) &&
        isNonNegativeMoneyString(row[whole]) &&
        dec(row[part]).gt(row[whole])
      ) {
        add(TransferErrorCode.inconsistent, part, `${ROW_AMOUNT_LABELS[part]}不能大于${ROW_AMOUNT_LABELS[whole]}`);
      }
    }
  });
  // The local period is exactly the span of the ledger rows.
  if (allPeriodsOk && localStartOk && localEndOk && person) {
    const typed = rows as InformationSheetRow[];
    const first = typed.map((r) => r.startYearMonth).reduce((a, b) => (b < a ? b : a));
    const last = typed.map((r) => r.endYearMonth).reduce((a, b) => (b > a ? b : a));
    if (first !== person.localStart) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.localStart',
        message: `在本地缴费起始时间（${person.localStart}）与历年缴费记录的最早开始年月（${first}）不一致`,
      });
    }
    if (last !== person.localEnd) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.localEnd',
        message: `在本地缴费终止时间（${person.localEnd}）与历年缴费记录的最晚终止年月（${last}）不一致`,
      });
    }
  }
  return problems;
}

/** Maps computeTransferFunds field paths onto the sheet: years[i] → rows[i], account.x → <accountPrefix>.x. */
export function mapFundsIssue(issue: TransferRuleIssue, accountPrefix: string): SheetProblem {
  const field = issue.field.replace(/^years/, 'rows').replace(/^account/, accountPrefix);
  return { code: issue.code, field, message: issue.message };
}

export function fundsInputFromRows(rows: ReadonlyArray<Partial<InformationSheetRow>>, account: TransferAccountItems) {
  return {
    years: rows.map((r) => ({
      year: r.year as number,
      months: r.months as number,
      monthlyBase: r.monthlyBase as string,
    })),
    account,
  };
}

const ZERO_ACCOUNT: TransferAccountItems = {
  before1998Personal: '0',
  from1998ToLastYearEnd: '0',
  currentYearPrincipal: '0',
};

export function toIssues(problems: readonly SheetProblem[]): TransferRuleIssue[] {
  return problems.map((p) => ({ code: p.code, field: p.field, message: p.message }));
}

/**
 * The receiving agency's check of an information sheet (T-5 b). Never throws on bad data: every
 * problem is listed, in Chinese, as the reasons for returning the sheet for correction.
 */
export function validateInformationSheet(
  sheet: InformationSheet,
  expected?: InformationSheetExpectation,
): SheetValidation {
  const problems: SheetProblem[] = [];
  if (sheet === undefined || sheet === null || typeof sheet !== 'object') {
    return { ok: false, problems: [{ code: TransferErrorCode.required, field: '', message: '信息表为空' }] };
  }
  if (!Number.isInteger(sheet.sheetVersion) || sheet.sheetVersion < 1) {
    problems.push({ code: TransferErrorCode.invalidVersion, field: 'sheetVersion', message: '信息表版本号应为正整数' });
  }
  problems.push(...personProblems(sheet.person));
  problems.push(...rowProblems(sheet.rows, sheet.person));

  // Funds: ④ = ① + ② + ③, ⑤ recomputed from part 2, ⑥ = ④ + ⑤.
  const f = (sheet.funds ?? {}) as Partial<InformationSheetFunds>;
  const labels = {
    before1998Personal: '①1998年1月1日前个人缴费累计储存额',
    from1998ToLastYearEnd: '②1998年1月1日至调转上年末个人账户累计储存额',
    currentYearPrincipal: '③调转当年记入个人账户本金金额',
    individualAccount: '④个人账户基金转移额',
    pooledFund: '⑤统筹基金转移额',
    total: '⑥转移基金总额',
  } as const;
  // A valid amount, or undefined after reporting it.
  const amounts: Partial<Record<keyof typeof labels, string>> = {};
  for (const key of Object.keys(labels) as Array<keyof typeof labels>) {
    const value = f[key];
    if (isNonNegativeMoneyString(value)) {
      amounts[key] = value;
    } else {
      problems.push({
        code: TransferErrorCode.invalidAmount,
        field: `funds.${key}`,
        message: `${labels[key]}应为不小于0、最多两位小数的金额`,
      });
    }
  }
  const { before1998Personal, from1998ToLastYearEnd, currentYearPrincipal, individualAccount, pooledFund, total } =
    amounts;
  const account =
    before1998Personal !== undefined && from1998ToLastYearEnd !== undefined && currentYearPrincipal !== undefined
      ? { before1998Personal, from1998ToLastYearEnd, currentYearPrincipal }
      : undefined;
  if (Array.isArray(sheet.rows)) {
    try {
      // With an invalid ①②③ the pooled part can still be checked against zero account items.
      const recomputed = computeTransferFunds(fundsInputFromRows(sheet.rows, account ?? ZERO_ACCOUNT));
      if (
        account !== undefined &&
        individualAccount !== undefined &&
        !dec(individualAccount).eq(recomputed.individualAccount)
      ) {
        problems.push({
          code: TransferErrorCode.inconsistent,
          field: 'funds.individualAccount',
          message: `④个人账户基金转移额（${individualAccount}）应等于①+②+③（${recomputed.individualAccount}）`,
        });
      }
      if (pooledFund !== undefined && !dec(pooledFund).eq(recomputed.pooledFund)) {
        problems.push({
          code: TransferErrorCode.inconsistent,
          field: 'funds.pooledFund',
          message: `⑤统筹基金转移额（${pooledFund}）与按历年缴费记录计算的金额（${recomputed.pooledFund}）不一致`,
        });
      }
    } catch (e) {
      if (!(e instanceof TransferRuleError)) throw e;
      problems.push(...e.issues.map((i) => mapFundsIssue(i, 'funds')));
    }
  }
  if (individualAccount !== undefined && pooledFund !== undefined && total !== undefined) {
    const sum = money(dec(individualAccount).plus(pooledFund));
    if (!dec(total).eq(sum)) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'funds.total',
        message: `⑥转移基金总额（${total}）应等于④+⑤（${sum}）`,
      });
    }
  }

  const rowsArray = Array.isArray(sheet.rows) ? sheet.rows : [];
  const monthsOk =
    Array.isArray(sheet.rows) && rowsArray.every((r) => typeof r?.months === 'number' && Number.isInteger(r.months));
  const monthsSum = monthsOk ? rowsArray.reduce((acc, r) => acc + r.months, 0) : undefined;
  if (!Number.isInteger(sheet.localActualMonths)) {
    problems.push({
      code: TransferErrorCode.invalidMonths,
      field: 'localActualMonths',
      message: '在本地实际缴费月数应为整数',
    });
  } else if (monthsSum !== undefined && sheet.localActualMonths !== monthsSum) {
    problems.push({
      code: TransferErrorCode.inconsistent,
      field: 'localActualMonths',
      message: `在本地实际缴费月数（${sheet.localActualMonths}）与历年缴费记录月数合计（${monthsSum}）不一致`,
    });
  }

  if (expected) {
    const person = sheet.person;
    if (
      expected.idNumber !== undefined &&
      (typeof person?.idNumber !== 'string' || person.idNumber.toUpperCase() !== expected.idNumber.trim().toUpperCase())
    ) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.idNumber',
        message: '公民身份号码与转移申请人员不一致',
      });
    }
    if (
      expected.name !== undefined &&
      (typeof person?.name !== 'string' || person.name.trim() !== expected.name.trim())
    ) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.name',
        message: `姓名（${String(person?.name)}）与转移申请人员（${expected.name}）不一致`,
      });
    }
    if (expected.fromAgencyCode !== undefined && person?.fromAgency?.code !== expected.fromAgencyCode) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.fromAgency.code',
        message: `转出地社保机构代码（${String(person?.fromAgency?.code)}）与联系函发往的转出地（${expected.fromAgencyCode}）不一致`,
      });
    }
    if (expected.toAgencyCode !== undefined && person?.toAgency?.code !== expected.toAgencyCode) {
      problems.push({
        code: TransferErrorCode.inconsistent,
        field: 'person.toAgency.code',
        message: `转入地社保机构代码（${String(person?.toAgency?.code)}）与本转入地（${expected.toAgencyCode}）不一致`,
      });
    }
  }
  return { ok: problems.length === 0, problems };
}
