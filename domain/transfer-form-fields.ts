/**
 * Field checks shared by the transfer forms (the information sheet and the contact letter).
 * Pure and deterministic, so workflows may import it.
 */
import { isIsoDate } from './year-month';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 18-character ID number with a valid check digit and birth date. */
export function idNumberProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) return '公民身份号码应为18位（前17位数字，末位数字或大写X）';
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) return '公民身份号码校验码错误';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birth)) return '公民身份号码中的出生日期无效';
  return undefined;
}

export function isDivisionCode(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}$/.test(value);
}

export function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
