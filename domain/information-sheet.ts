/**
 * The information sheet (基本养老保险关系转移接续信息表) of a cross-province transfer (domain.md
 * §5.6) that the transfer-out agency generates (T-6 a); the receiving agency's check (T-5 b) is
 * domain/information-sheet-validation.ts, the contact letter domain/contact-letter.ts.
 * Plain JSON structures; pure and deterministic, so workflows may import this module.
 */
import type { Working } from './audit';
import {
  fundsInputFromRows,
  mapFundsIssue,
  personProblems,
  rowProblems,
  toIssues,
  validateInformationSheet,
  type SheetProblem,
} from './information-sheet-validation';
import { isMoneyString, money } from './money';
import { TransferErrorCode, TransferRuleError } from './transfer-errors';
import { computeTransferFunds, type TransferAccountItems, type TransferFunds } from './transfer-funds';

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
