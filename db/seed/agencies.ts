/**
 * Sample agency directory for development and tests. Names follow the real districts; phone
 * numbers, bank codes and account numbers are fictitious placeholders — a deployment loads its
 * own directory (the same table) before go-live.
 */
import type { agencies } from '../schema';

type AgencyRow = typeof agencies.$inferInsert;

function agency(code: string, name: string, city: string, postcode: string, n: number): AgencyRow {
  return {
    code,
    name,
    provinceCode: code.slice(0, 2),
    phone: `0${code.startsWith('62') ? '931' : '29'}-8${String(n).padStart(6, '0')}`,
    bankName: `中国工商银行${city}分行营业部`,
    bankCode: `102${code}${String(n).padStart(3, '0')}`,
    accountName: name,
    accountNumber: `270300${code}${String(n).padStart(4, '0')}`,
    address: `${name.replace(/社会保险.*$/, '')}政务服务中心`,
    postcode,
  };
}

export const SAMPLE_AGENCIES: AgencyRow[] = [
  agency('620102', '兰州市城关区社会保险服务中心', '兰州市', '730030', 1),
  agency('620103', '兰州市七里河区社会保险服务中心', '兰州市', '730050', 2),
  agency('620104', '兰州市西固区社会保险服务中心', '兰州市', '730060', 3),
  agency('620105', '兰州市安宁区社会保险服务中心', '兰州市', '730070', 4),
  agency('610102', '西安市新城区社会保险经办中心', '西安市', '710004', 5),
  agency('610103', '西安市碑林区社会保险经办中心', '西安市', '710001', 6),
];
