/**
 * Citizen ID numbers (公民身份号码, GB 11643-1999), which are also social-security numbers.
 * Validation reports stable error codes with Chinese messages for counter staff; old 15-digit
 * numbers (GB 11643-1989) are upgraded to 18 digits. Pure and deterministic, so workflows may
 * import it.
 */
import { compareDates, isValidDate } from './working-days';

/** Stable error codes of validateIdNumber. */
export type IdNumberErrorCode =
  | 'id_number.empty'
  | 'id_number.length'
  | 'id_number.characters'
  | 'id_number.region'
  | 'id_number.birth_date_invalid'
  | 'id_number.birth_date_future'
  | 'id_number.checksum';

/** One validation problem: a stable code and a Chinese message for counter staff. */
export interface IdNumberError {
  code: IdNumberErrorCode;
  message: string;
}

/** Outcome of validateIdNumber; normalized, birthDate and sex are set only when valid. */
export interface IdNumberCheck {
  valid: boolean;
  /** The 18-character number, uppercase X, upgraded from 15 digits when needed. */
  normalized: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  errors: IdNumberError[];
}

/** Province-level division codes (first two digits, GB/T 2260) accepted in an ID number. */
export const PROVINCE_CODES: readonly string[] = [
  '11',
  '12',
  '13',
  '14',
  '15', // 北京 天津 河北 山西 内蒙古
  '21',
  '22',
  '23', // 辽宁 吉林 黑龙江
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41',
  '42',
  '43',
  '44',
  '45',
  '46', // 河南 湖北 湖南 广东 广西 海南
  '50',
  '51',
  '52',
  '53',
  '54', // 重庆 四川 贵州 云南 西藏
  '61',
  '62',
  '63',
  '64',
  '65', // 陕西 甘肃 青海 宁夏 新疆
  '71',
  '81',
  '82',
  '83', // 台湾 香港 澳门, 83 = residence permits of Taiwan residents
];

/** ISO 7064 MOD 11-2 weights of positions 1–17: Wi = 2^(18−i) mod 11. */
const CHECK_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (Σ ai·Wi) mod 11. */
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_YEAR = 1900;

/** Builds an error with its code and Chinese message. */
function error(code: IdNumberErrorCode, message: string): IdNumberError {
  return { code, message };
}

/** Result for an invalid number. */
function invalid(errors: IdNumberError[]): IdNumberCheck {
  return { valid: false, normalized: null, birthDate: null, sex: null, errors };
}

/** Problems with the characters of a trimmed 15- or 18-character input, or null when well formed. */
function characterError(s: string): IdNumberError | null {
  if (s.length === 15) {
    return /^\d{15}$/.test(s) ? null : error('id_number.characters', '15位公民身份号码应全部为数字。');
  }
  return /^\d{17}[\dXx]$/.test(s)
    ? null
    : error('id_number.characters', '公民身份号码前17位应为数字，最后一位应为数字或字母X。');
}

/** The 18-character form: uppercase X, and 15-digit numbers upgraded ("19" + check digit). */
function toEighteen(s: string): string {
  if (s.length === 18) return s.toUpperCase();
  const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
  return first17 + computeCheckDigit(first17);
}

/** Birth-date problems of an 18-digit number, relative to today (YYYY-MM-DD). */
function birthDateErrors(birthDate: string, today: string): IdNumberError[] {
  const shown = birthDate.replace(/-/g, '');
  if (!isValidDate(birthDate) || Number(birthDate.slice(0, 4)) < MIN_BIRTH_YEAR) {
    return [error('id_number.birth_date_invalid', `公民身份号码中的出生日期“${shown}”不是有效日期。`)];
  }
  if (compareDates(birthDate, today) > 0) {
    return [error('id_number.birth_date_future', `公民身份号码中的出生日期“${shown}”晚于今天，请核对。`)];
  }
  return [];
}

/** The check character (0–9 or X) for the first 17 digits of an ID number. */
export function computeCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * CHECK_WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** The province-level code (first two digits) of an address code or ID number. */
export function provinceOf(code6: string): string {
  if (!/^\d{2}/.test(code6)) throw new RangeError('provinceOf needs a code starting with two digits');
  return code6.slice(0, 2);
}

/** The ID number for display: first 6 and last 4 characters, 8 asterisks between. */
export function maskIdNumber(normalized: string): string {
  if (normalized.length !== 18) throw new RangeError('maskIdNumber needs an 18-character ID number');
  return `${normalized.slice(0, 6)}********${normalized.slice(14)}`;
}

/**
 * Validates a citizen ID number (18 characters, or an old 15-digit number that is upgraded)
 * against today's China date (YYYY-MM-DD), reporting every applicable error.
 */
export function validateIdNumber(input: string, today: string): IdNumberCheck {
  if (!isValidDate(today)) throw new RangeError(`today must be a date "YYYY-MM-DD", got ${JSON.stringify(today)}`);
  const s = typeof input === 'string' ? input.trim() : '';
  if (s === '') return invalid([error('id_number.empty', '请填写公民身份号码。')]);
  if (s.length !== 15 && s.length !== 18) {
    return invalid([error('id_number.length', `公民身份号码应为18位（旧号码为15位），当前为${s.length}位。`)]);
  }
  const charError = characterError(s);
  if (charError !== null) return invalid([charError]);

  const normalized = toEighteen(s);
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  const errors: IdNumberError[] = [];
  const province = provinceOf(normalized);
  if (!PROVINCE_CODES.includes(province)) {
    errors.push(error('id_number.region', `公民身份号码前两位“${province}”不是有效的省级行政区划代码。`));
  }
  errors.push(...birthDateErrors(birthDate, today));
  if (computeCheckDigit(normalized.slice(0, 17)) !== normalized[17]) {
    errors.push(error('id_number.checksum', '公民身份号码校验码不正确，请核对号码是否录入有误。'));
  }
  if (errors.length > 0) return invalid(errors);
  const sex = Number(normalized[16]) % 2 === 1 ? 'male' : 'female';
  return { valid: true, normalized, birthDate, sex, errors: [] };
}
