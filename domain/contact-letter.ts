/**
 * The contact letter (基本养老保险关系转移接续联系函) of a cross-province transfer (domain.md §5.6)
 * that the receiving agency sends (T-5 a). Pure and deterministic, so workflows may import it.
 */
import { idNumberProblem, isNonEmpty } from './transfer-form-fields';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';
import { isIsoDate } from './year-month';
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
