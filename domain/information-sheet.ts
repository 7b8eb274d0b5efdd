/**
 * The transfer forms of a cross-province transfer (domain.md §5.6):
 * - the information sheet (基本养老保险关系转移接续信息表) that the transfer-out agency generates
 *   (T-6 a) and the receiving agency checks (T-5 b);
 * - the contact letter (基本养老保险关系转移接续联系函) that the receiving agency sends (T-5 a).
 * Plain JSON structures; pure and deterministic, so workflows may import this module.
 */
import type { Working } from './audit';
import { dec, isMoneyString, money } from './money';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';
import { isIsoDate, isYearMonth, yearMonthIndex } from './year-month';
import {
  computeTransferFunds,
  isNonNegativeMoneyString,
  type TransferAccountItems,
  type TransferFunds,
} from './transfer-funds';

/** Rates of a flexibly employed person: no unit share, 20% paid by the person, 8% to the account. */
export const FLEXIBLE_WORKER_RATES = { unitRate: '0', personalRate: '0.20', accountRate: '0.08' } as const;

export interface AgencyRef {
  /** 6-digit administrative division code of the agency (社保机构行政区划代码). */
  code: string;
  name: string;
}

export interface InformationSheetPersonInput {
  name: string;
  /** 公民身份号码, 18 characters. */
  idNumber: string;
  birthDate: string;
  /** 参加工作时间 */
  workStartDate?: string;
  /** 本人首次缴费时间 */
  firstInsuredDate: string;
  /** 本人建立个人账户时间 */
  accountOpenedDate?: string;
  /** 首次参保地实行个人缴费时间 (YYYY-MM) */
  firstPlaceIndividualContributionStart?: string;
  /** 在本地缴费起始时间 (YYYY-MM) */
  localStart: string;
  /** 在本地缴费终止时间 (YYYY-MM) */
  localEnd: string;
  /** 转移时间 */
  transferDate: string;
  fromAgency: AgencyRef;
  toAgency: AgencyRef;
  /** 转出单位名称; defaults to the transfer-out agency's name (flexible workers have no employer). */
  transferOutUnitName?: string;
}

/** One row of part 2 (历年缴费及个人账户记账信息), amounts as decimal strings. */
export interface LedgerRowInput {
  year: number;
  startYearMonth: string;
  endYearMonth: string;
  months: number;
  monthlyBase: string;
  /** 当年记账金额 */
  creditedAmount: string;
  /** 其中个人部分 */
  creditedPersonal: string;
  /** 当年记账利息 */
  interest: string;
  interestPersonal: string;
  /** 年末累计储存额 */
  closingBalance: string;
  closingPersonal: string;
  /** Defaults to FLEXIBLE_WORKER_RATES. */
  unitRate?: string;
  personalRate?: string;
  accountRate?: string;
  /** 行政区划 / 地区名称; default to the transfer-out agency. */
  regionCode?: string;
  regionName?: string;
  /** 备注 */
  remark?: string;
}

export interface InformationSheetInput {
  person: InformationSheetPersonInput;
  rows: LedgerRowInput[];
  /** Items ①②③. */
  account: TransferAccountItems;
  /** Revision of the sheet: 1 when first issued, +1 each time it is corrected and sent again. */
  sheetVersion?: number;
}

export interface InformationSheetPerson {
  transferOutUnitName: string;
  name: string;
  idNumber: string;
  birthDate: string;
  workStartDate?: string;
  firstPlaceIndividualContributionStart?: string;
  firstInsuredDate: string;
  accountOpenedDate?: string;
  localStart: string;
  localEnd: string;
  transferDate: string;
  fromAgency: AgencyRef;
  toAgency: AgencyRef;
}

export interface InformationSheetFunds {
  /** ① */
  before1998Personal: string;
  /** ② */
  from1998ToLastYearEnd: string;
  /** ③ */
  currentYearPrincipal: string;
  /** ④ = ① + ② + ③ */
  individualAccount: string;
  /** ⑤ */
  pooledFund: string;
  /** ⑥ = ④ + ⑤ */
  total: string;
  working: Working;
}

export interface InformationSheetRow {
  regionCode: string;
  regionName: string;
  year: number;
  startYearMonth: string;
  endYearMonth: string;
  months: number;
  monthlyBase: string;
  unitRate: string;
  accountRate: string;
  personalRate: string;
  creditedAmount: string;
  creditedPersonal: string;
  interest: string;
  interestPersonal: string;
  closingBalance: string;
  closingPersonal: string;
  remark?: string;
}

export interface InformationSheet {
  sheetVersion: number;
  person: InformationSheetPerson;
  funds: InformationSheetFunds;
  rows: InformationSheetRow[];
  /** 在本地实际缴费月数 = Σ rows[].months */
  localActualMonths: number;
}

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

const ROW_AMOUNTS = ['creditedAmount', 'creditedPersonal', 'interest', 'interestPersonal', 'closingBalance', 'closingPersonal'] as const;
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

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 18-character ID number with a valid check digit and birth date. */
function idNumberProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) return '公民身份号码应为18位（前17位数字，末位数字或大写X）';
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) return '公民身份号码校验码错误';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birth)) return '公民身份号码中的出生日期无效';
  return undefined;
}

function isDivisionCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isRate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,3}(\.\d{1,10})?$/.test(value) && dec(value).lte(1);
}

/** Problems of the person block (part 1), shared by the builder and the receiving-side check. */
function personProblems(person: InformationSheetPerson | undefined): SheetProblem[] {
  const problems: SheetProblem[] = [];
  const add = (code: string, field: string, message: string) => problems.push({ code, field: `person.${field}`, message });
  if (person === undefined || person === null || typeof person !== 'object') {
    return [{ code: TransferErrorCode.required, field: 'person', message: '缺少人员基本信息' }];
  }
  if (!isNonEmpty(person.name)) add(TransferErrorCode.required, 'name', '缺少姓名');
  if (!isNonEmpty(person.transferOutUnitName)) add(TransferErrorCode.required, 'transferOutUnitName', '缺少转出单位名称');
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
      add(TransferErrorCode.inconsistent, 'birthDate', `出生日期（${person.birthDate}）与公民身份号码中的出生日期（${idBirth}）不一致`);
    }
  }
  if (ok.birthDate) {
    for (const [key, label] of [
      ['workStartDate', '参加工作时间'],
      ['firstInsuredDate', '本人首次缴费时间'],
      ['accountOpenedDate', '本人建立个人账户时间'],
      ['transferDate', '转移时间'],
    ] as const) {
      if (ok[key] && (person[key] as string) <= person.birthDate) add(TransferErrorCode.dateOrder, key, `${label}应晚于出生日期`);
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
    if (!isDivisionCode(agency?.code)) add(TransferErrorCode.invalidCode, `${key}.code`, `${label}社保机构行政区划代码应为6位数字`);
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
function rowProblems(rows: unknown, person: InformationSheetPerson | undefined): SheetProblem[] {
  const problems: SheetProblem[] = [];
  if (!Array.isArray(rows)) return [{ code: TransferErrorCode.required, field: 'rows', message: '缺少历年缴费及个人账户记账信息（应为数组）' }];
  if (rows.length === 0) return [{ code: TransferErrorCode.required, field: 'rows', message: '历年缴费及个人账户记账信息为空' }];
  const localStartOk = isYearMonth(person?.localStart);
  const localEndOk = isYearMonth(person?.localEnd);
  let previousEnd: { index: number; ym: string } | undefined;
  let allPeriodsOk = true;
  rows.forEach((raw: unknown, i: number) => {
    const row = (raw ?? {}) as Partial<Record<keyof InformationSheetRow, unknown>>;
    const add = (code: string, field: string, message: string) => problems.push({ code, field: `rows[${i}].${field}`, message });
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
      if (typeof row.year === 'number' && (Number(start.slice(0, 4)) !== row.year || Number(end.slice(0, 4)) !== row.year)) {
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
        add(TransferErrorCode.invalidMonths, 'months', `月数（${row.months}）超过开始年月至终止年月的月数（${yearMonthIndex(end) - yearMonthIndex(start) + 1}）`);
      }
      if (previousEnd !== undefined && start <= previousEnd.ym) {
        add(TransferErrorCode.dateOrder, 'startYearMonth', `与第${previousEnd.index + 1}行时间重叠或顺序颠倒`);
      }
      if ((localStartOk && start < (person).localStart) || (localEndOk && end > (person).localEnd)) {
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
      if (!isNonNegativeMoneyString(row[key])) add(TransferErrorCode.invalidAmount, key, `${ROW_AMOUNT_LABELS[key]}应为不小于0、最多两位小数的金额`);
    }
    for (const [part, whole] of PERSONAL_PAIRS) {
      if (isNonNegativeMoneyString(row[part]) && isNonNegativeMoneyString(row[whole]) && dec(row[part]).gt(row[whole])) {
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
      problems.push({ code: TransferErrorCode.inconsistent, field: 'person.localStart', message: `在本地缴费起始时间（${person.localStart}）与历年缴费记录的最早开始年月（${first}）不一致` });
    }
    if (last !== person.localEnd) {
      problems.push({ code: TransferErrorCode.inconsistent, field: 'person.localEnd', message: `在本地缴费终止时间（${person.localEnd}）与历年缴费记录的最晚终止年月（${last}）不一致` });
    }
  }
  return problems;
}

/** Maps computeTransferFunds field paths onto the sheet: years[i] → rows[i], account.x → <accountPrefix>.x. */
function mapFundsIssue(issue: TransferRuleIssue, accountPrefix: string): SheetProblem {
  const field = issue.field.replace(/^years/, 'rows').replace(/^account/, accountPrefix);
  return { code: issue.code, field, message: issue.message };
}

function fundsInputFromRows(rows: ReadonlyArray<Partial<InformationSheetRow>>, account: TransferAccountItems) {
  return {
    years: rows.map((r) => ({ year: r.year as number, months: r.months as number, monthlyBase: r.monthlyBase as string })),
    account,
  };
}

const ZERO_ACCOUNT: TransferAccountItems = { before1998Personal: '0', from1998ToLastYearEnd: '0', currentYearPrincipal: '0' };

function toIssues(problems: readonly SheetProblem[]): TransferRuleIssue[] {
  return problems.map((p) => ({ code: p.code, field: p.field, message: p.message }));
}

/**
 * Builds the information sheet from the person's history at the transfer-out agency (T-6 a).
 * Funds ①..⑥ come from computeTransferFunds over the part 2 rows. Throws TransferRuleError
 * listing every problem; a sheet it returns passes validateInformationSheet.
 */
export function buildInformationSheet(input: InformationSheetInput): InformationSheet {
  const p = input.person;
  const sheetVersion = input.sheetVersion ?? 1;
  const norm = (v: unknown) => (typeof v === 'string' && isMoneyString(v) ? money(v) : (v as string));
  const fromAgency = p?.fromAgency ?? ({} as AgencyRef);

  const person: InformationSheetPerson = {
    transferOutUnitName: p?.transferOutUnitName ?? fromAgency.name,
    name: typeof p?.name === 'string' ? p.name.trim() : p?.name,
    idNumber: typeof p?.idNumber === 'string' ? p.idNumber.trim().toUpperCase() : p?.idNumber,
    birthDate: p?.birthDate,
    ...(p?.workStartDate !== undefined ? { workStartDate: p.workStartDate } : {}),
    ...(p?.firstPlaceIndividualContributionStart !== undefined
      ? { firstPlaceIndividualContributionStart: p.firstPlaceIndividualContributionStart }
      : {}),
    firstInsuredDate: p?.firstInsuredDate,
    ...(p?.accountOpenedDate !== undefined ? { accountOpenedDate: p.accountOpenedDate } : {}),
    localStart: p?.localStart,
    localEnd: p?.localEnd,
    transferDate: p?.transferDate,
    fromAgency: { code: fromAgency.code, name: fromAgency.name },
    toAgency: { code: p?.toAgency?.code, name: p?.toAgency?.name },
  };
  const rows: InformationSheetRow[] = (Array.isArray(input.rows) ? input.rows : []).map((r) => ({
    regionCode: r.regionCode ?? fromAgency.code,
    regionName: r.regionName ?? fromAgency.name,
    year: r.year,
    startYearMonth: r.startYearMonth,
    endYearMonth: r.endYearMonth,
    months: r.months,
    monthlyBase: norm(r.monthlyBase),
    unitRate: r.unitRate ?? FLEXIBLE_WORKER_RATES.unitRate,
    accountRate: r.accountRate ?? FLEXIBLE_WORKER_RATES.accountRate,
    personalRate: r.personalRate ?? FLEXIBLE_WORKER_RATES.personalRate,
    creditedAmount: norm(r.creditedAmount),
    creditedPersonal: norm(r.creditedPersonal),
    interest: norm(r.interest),
    interestPersonal: norm(r.interestPersonal),
    closingBalance: norm(r.closingBalance),
    closingPersonal: norm(r.closingPersonal),
    ...(r.remark !== undefined ? { remark: r.remark } : {}),
  }));

  const problems: SheetProblem[] = [];
  if (!Number.isInteger(sheetVersion) || sheetVersion < 1) {
    problems.push({ code: TransferErrorCode.invalidVersion, field: 'sheetVersion', message: '信息表版本号应为正整数' });
  }
  problems.push(...personProblems(person), ...rowProblems(Array.isArray(input.rows) ? rows : input.rows, person));
  let funds: TransferFunds | undefined;
  try {
    funds = computeTransferFunds(fundsInputFromRows(rows, input.account));
  } catch (e) {
    if (!(e instanceof TransferRuleError)) throw e;
    problems.push(...e.issues.map((i) => mapFundsIssue(i, 'account')));
  }
  if (problems.length > 0 || funds === undefined) throw TransferRuleError.of(toIssues(problems));

  const sheet: InformationSheet = {
    sheetVersion,
    person,
    funds: {
      before1998Personal: funds.items.before1998Personal,
      from1998ToLastYearEnd: funds.items.from1998ToLastYearEnd,
      currentYearPrincipal: funds.items.currentYearPrincipal,
      individualAccount: funds.individualAccount,
      pooledFund: funds.pooledFund,
      total: funds.total,
      working: funds.working,
    },
    rows,
    localActualMonths: rows.reduce((acc, r) => acc + r.months, 0),
  };
  // The builder and the receiving-side check must agree; a disagreement is a bug, not bad input.
  const check = validateInformationSheet(sheet);
  if (!check.ok) throw TransferRuleError.of(toIssues(check.problems));
  return sheet;
}

/**
 * The receiving agency's check of an information sheet (T-5 b). Never throws on bad data: every
 * problem is listed, in Chinese, as the reasons for returning the sheet for correction.
 */
export function validateInformationSheet(sheet: InformationSheet, expected?: InformationSheetExpectation): SheetValidation {
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
      problems.push({ code: TransferErrorCode.invalidAmount, field: `funds.${key}`, message: `${labels[key]}应为不小于0、最多两位小数的金额` });
    }
  }
  const { before1998Personal, from1998ToLastYearEnd, currentYearPrincipal, individualAccount, pooledFund, total } = amounts;
  const account =
    before1998Personal !== undefined && from1998ToLastYearEnd !== undefined && currentYearPrincipal !== undefined
      ? { before1998Personal, from1998ToLastYearEnd, currentYearPrincipal }
      : undefined;
  if (Array.isArray(sheet.rows)) {
    try {
      // With an invalid ①②③ the pooled part can still be checked against zero account items.
      const recomputed = computeTransferFunds(fundsInputFromRows(sheet.rows, account ?? ZERO_ACCOUNT));
      if (account !== undefined && individualAccount !== undefined && !dec(individualAccount).eq(recomputed.individualAccount)) {
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
      problems.push({ code: TransferErrorCode.inconsistent, field: 'funds.total', message: `⑥转移基金总额（${total}）应等于④+⑤（${sum}）` });
    }
  }

  const rowsArray = Array.isArray(sheet.rows) ? sheet.rows : [];
  const monthsOk = Array.isArray(sheet.rows) && rowsArray.every((r) => typeof r?.months === 'number' && Number.isInteger(r.months));
  const monthsSum = monthsOk ? rowsArray.reduce((acc, r) => acc + r.months, 0) : undefined;
  if (!Number.isInteger(sheet.localActualMonths)) {
    problems.push({ code: TransferErrorCode.invalidMonths, field: 'localActualMonths', message: '在本地实际缴费月数应为整数' });
  } else if (monthsSum !== undefined && sheet.localActualMonths !== monthsSum) {
    problems.push({
      code: TransferErrorCode.inconsistent,
      field: 'localActualMonths',
      message: `在本地实际缴费月数（${sheet.localActualMonths}）与历年缴费记录月数合计（${monthsSum}）不一致`,
    });
  }

  if (expected) {
    const person = sheet.person;
    if (expected.idNumber !== undefined && (typeof person?.idNumber !== 'string' || person.idNumber.toUpperCase() !== expected.idNumber.trim().toUpperCase())) {
      problems.push({ code: TransferErrorCode.inconsistent, field: 'person.idNumber', message: '公民身份号码与转移申请人员不一致' });
    }
    if (expected.name !== undefined && (typeof person?.name !== 'string' || person.name.trim() !== expected.name.trim())) {
      problems.push({ code: TransferErrorCode.inconsistent, field: 'person.name', message: `姓名（${String(person?.name)}）与转移申请人员（${expected.name}）不一致` });
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

// ---------------------------------------------------------------------------------------------
// Contact letter (联系函)

export interface ContactLetterNewAgency {
  /** 新就业地社保机构名称 (not on the field list; optional). */
  name?: string;
  /** 联系电话 (aae005) */
  phone: string;
  /** 开户银行名称 (aac155) */
  bankName: string;
  /** 开户银行行号 (aac080), 12-digit CNAPS code */
  bankCode: string;
  /** 开户全称 (aae009) */
  accountName: string;
  /** 银行账号 (aac078) */
  accountNumber: string;
  /** 地址 (aae006) */
  address: string;
  /** 邮政编码 (aae007) */
  postcode: string;
}

export interface ContactLetterInput {
  /** 联系函编号 (aae270) */
  letterNumber: string;
  /** 业务流水号 */
  serialNumber: string;
  /** 参保人员姓名 */
  personName: string;
  /** 公民身份号码 (not on the field list; optional, lets the transfer-out agency match the person). */
  idNumber?: string;
  /** 原参保地社保机构名称 */
  originalAgencyName: string;
  newAgency: ContactLetterNewAgency;
  /** 办理日期 */
  handledDate: string;
  /** 经办人 */
  clerk: string;
}

export type ContactLetter = ContactLetterInput;

/** Builds the contact letter with trimmed fields; throws TransferRuleError listing every missing or malformed field. */
export function buildContactLetter(input: ContactLetterInput): ContactLetter {
  const problems: TransferRuleIssue[] = [];
  const add = (code: string, field: string, message: string) => problems.push({ code, field, message });
  const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
  const na = (input?.newAgency ?? {}) as Partial<Record<keyof ContactLetterNewAgency, unknown>>;

  const required: Array<[string, unknown, string]> = [
    ['letterNumber', input?.letterNumber, '联系函编号'],
    ['serialNumber', input?.serialNumber, '业务流水号'],
    ['personName', input?.personName, '参保人员姓名'],
    ['originalAgencyName', input?.originalAgencyName, '原参保地社保机构名称'],
    ['newAgency.phone', na.phone, '新就业地社保机构联系电话'],
    ['newAgency.bankName', na.bankName, '开户银行名称'],
    ['newAgency.bankCode', na.bankCode, '开户银行行号'],
    ['newAgency.accountName', na.accountName, '开户全称'],
    ['newAgency.accountNumber', na.accountNumber, '银行账号'],
    ['newAgency.address', na.address, '地址'],
    ['newAgency.postcode', na.postcode, '邮政编码'],
    ['handledDate', input?.handledDate, '办理日期'],
    ['clerk', input?.clerk, '经办人'],
  ];
  const present = new Set<string>();
  for (const [field, value, label] of required) {
    if (isNonEmpty(value)) present.add(field);
    else add(TransferErrorCode.required, field, `缺少${label}`);
  }
  const phone = trim(na.phone) as string;
  if (present.has('newAgency.phone') && !(/^[\d\-() +]{5,20}$/.test(phone) && (phone.match(/\d/g) ?? []).length >= 5)) {
    add(TransferErrorCode.invalidFormat, 'newAgency.phone', '联系电话格式不正确');
  }
  if (present.has('newAgency.bankCode') && !/^\d{12}$/.test(trim(na.bankCode) as string)) {
    add(TransferErrorCode.invalidFormat, 'newAgency.bankCode', '开户银行行号应为12位数字');
  }
  if (present.has('newAgency.accountNumber') && !/^\d{6,34}$/.test(trim(na.accountNumber) as string)) {
    add(TransferErrorCode.invalidFormat, 'newAgency.accountNumber', '银行账号应为6至34位数字');
  }
  if (present.has('newAgency.postcode') && !/^\d{6}$/.test(trim(na.postcode) as string)) {
    add(TransferErrorCode.invalidFormat, 'newAgency.postcode', '邮政编码应为6位数字');
  }
  if (present.has('handledDate') && !isIsoDate(trim(input.handledDate))) {
    add(TransferErrorCode.invalidDate, 'handledDate', '办理日期应为有效日期（YYYY-MM-DD）');
  }
  let idNumber: string | undefined;
  if (input?.idNumber !== undefined) {
    idNumber = String(trim(input.idNumber)).toUpperCase();
    const idProblem = idNumberProblem(idNumber);
    if (idProblem) add(TransferErrorCode.invalidFormat, 'idNumber', idProblem);
  }
  if (problems.length > 0) throw TransferRuleError.of(problems);

  const newAgency: ContactLetterNewAgency = {
    ...(na.name !== undefined ? { name: trim(na.name) as string } : {}),
    phone,
    bankName: trim(na.bankName) as string,
    bankCode: trim(na.bankCode) as string,
    accountName: trim(na.accountName) as string,
    accountNumber: trim(na.accountNumber) as string,
    address: trim(na.address) as string,
    postcode: trim(na.postcode) as string,
  };
  return {
    letterNumber: input.letterNumber.trim(),
    serialNumber: input.serialNumber.trim(),
    personName: input.personName.trim(),
    ...(idNumber !== undefined ? { idNumber } : {}),
    originalAgencyName: input.originalAgencyName.trim(),
    newAgency,
    handledDate: input.handledDate.trim(),
    clerk: input.clerk.trim(),
  };
}
