/**
 * Contribution records as the tax department delivers them (C-1): the row format of an imported
 * file (CSV or JSON lines) or of a feed record, and the checks a row must pass on its own,
 * before the database is asked about the person. Each refusal has a stable code and a Chinese
 * message; neither ever contains the ID number or the name (refusals are stored and printed
 * with the line number only).
 *
 * The rate and the yearly floor/ceiling of the base come from the dated parameter rows
 * (`contribution.totalRate`, `contribution.baseFloor`, `contribution.baseCeiling`), never from
 * literals. Pure and deterministic (today's date is an argument), so workflows may import it.
 */
import type Decimal from 'decimal.js';
import { ParameterLookupError } from './errors';
import { validateIdNumber, type IdNumberErrorCode } from './id-number';
import { dec, isMoneyString, toCents } from './money';
import { PARAMETER_NAMES, pickParameter, type ParameterValue } from './parameters';
import { isIsoDate, isYearMonth, yearMonthChinese } from './year-month';

/** The columns of a contribution file, in the documented order (also the JSON-lines keys). */
export const CONTRIBUTION_COLUMNS = [
  'recordId',
  'idNumber',
  'name',
  'agencyCode',
  'yearMonth',
  'base',
  'amount',
  'paidOn',
] as const;
export type ContributionColumn = (typeof CONTRIBUTION_COLUMNS)[number];

/** One row as read from a file or the feed, before any check (values may be anything). */
export interface RawContributionRow {
  /** Line number in the file (1-based, the header counts), or position in the feed page. */
  line: number;
  recordId?: unknown;
  idNumber?: unknown;
  name?: unknown;
  agencyCode?: unknown;
  yearMonth?: unknown;
  base?: unknown;
  amount?: unknown;
  paidOn?: unknown;
  /** Set by the reader when the line could not be parsed at all (bad JSON, bad quoting…). */
  malformed?: string;
}

/** A row that passed every check of its own; the amounts are normalised to two decimals. */
export interface CheckedContributionRow {
  line: number;
  recordId: string | null;
  /** Normalised 18-character ID number. */
  idNumber: string;
  name: string;
  agencyCode: string;
  yearMonth: string;
  base: string;
  amount: string;
  paidOn: string | null;
}

/** Stable refusal codes. Add new codes; never rename existing ones. */
export type RefusalCode =
  | 'row.malformed'
  | IdNumberErrorCode
  | 'name.blank'
  | 'agency_code.invalid'
  | 'year_month.invalid'
  | 'year_month.future'
  | 'base.invalid'
  | 'base.not_positive'
  | 'base.below_floor'
  | 'base.above_ceiling'
  | 'amount.invalid'
  | 'amount.mismatch'
  | 'rate.unavailable'
  | 'paid_on.invalid'
  | 'person.not_registered'
  | 'name.mismatch'
  | 'relation.not_at_agency'
  | 'relation.not_contributing'
  | 'month.conflict';

/**
 * A short Chinese description of each code, for summaries that group refusals by code. The
 * per-row message (RowRefusal.message) says more (e.g. the expected amount).
 */
export const REFUSAL_TEXT: Readonly<Record<RefusalCode, string>> = {
  'row.malformed': '行格式错误，无法解析',
  'id_number.empty': '公民身份号码为空',
  'id_number.length': '公民身份号码位数不正确',
  'id_number.characters': '公民身份号码含有无效字符',
  'id_number.region': '公民身份号码地址码无效',
  'id_number.birth_date_invalid': '公民身份号码中的出生日期无效',
  'id_number.birth_date_future': '公民身份号码中的出生日期晚于今天',
  'id_number.checksum': '公民身份号码校验码不正确',
  'name.blank': '姓名为空',
  'agency_code.invalid': '经办机构代码应为6位数字',
  'year_month.invalid': '缴费年月不是有效月份（应为YYYY-MM）',
  'year_month.future': '缴费年月晚于当前月份',
  'base.invalid': '缴费基数不是有效金额（最多两位小数）',
  'base.not_positive': '缴费基数应大于0',
  'base.below_floor': '缴费基数低于该年度缴费基数下限',
  'base.above_ceiling': '缴费基数高于该年度缴费基数上限',
  'amount.invalid': '缴费金额不是有效金额（最多两位小数）',
  'amount.mismatch': '缴费金额与缴费基数×缴费费率不符',
  'rate.unavailable': '该月无适用的缴费费率参数',
  'paid_on.invalid': '缴费日期不是有效日期（应为YYYY-MM-DD）',
  'person.not_registered': '该人员未在本系统登记',
  'name.mismatch': '姓名与登记信息不一致',
  'relation.not_at_agency': '该人员在该经办机构无养老保险关系',
  'relation.not_contributing': '该人员在该经办机构的养老保险关系不处于参保缴费或中断缴费状态',
  'month.conflict': '该月已有缴费记录且缴费基数不同',
};

/** A refused row: the line, the tax department's record ID when known, a stable code and why. */
export interface RowRefusal {
  line: number;
  recordId?: string;
  reason: RefusalCode;
  message: string;
}

/** The checks of one row, with the parameters in force; build one per import and reuse it. */
export interface RowCheckContext {
  /** Today's date in China, 'YYYY-MM-DD': months after today's month are refused. */
  today: string;
  parameters: readonly ParameterValue<unknown>[];
}

const AGENCY_CODE = /^[0-9]{6}$/;
/** numeric(12, 2) in the database: at most 10 integer digits. */
const MAX_AMOUNT = dec('9999999999.99');

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  // JSON lines may carry amounts as numbers; their decimal text is what was written.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function refusal(row: RawContributionRow, reason: RefusalCode, message: string = REFUSAL_TEXT[reason]): RowRefusal {
  const recordId = text(row.recordId);
  return { line: row.line, ...(recordId ? { recordId } : {}), reason, message };
}

/** A decimal-string parameter value, or null when none is in force (other lookup errors throw). */
function optionalParameter(
  rows: readonly ParameterValue<unknown>[],
  name: string,
  region: string,
  onDate: string,
): ParameterValue<unknown> | null {
  try {
    return pickParameter(rows, name, region, onDate);
  } catch (err) {
    if (err instanceof ParameterLookupError && err.code === 'PARAMETER_NOT_FOUND') return null;
    throw err;
  }
}

function decimalValue(p: ParameterValue<unknown>): Decimal {
  const v = p.value;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new TypeError(`parameter ${p.name} (${p.region}, ${p.validFrom}) is not a decimal`);
  return dec(v);
}

interface MonthParameters {
  rate: Decimal | null;
  floor: Decimal | null;
  ceiling: Decimal | null;
}

/** Looked-up parameters per parameter list, agency and month (a file has few distinct ones). */
const monthParameterCache = new WeakMap<readonly ParameterValue<unknown>[], Map<string, MonthParameters>>();

/** The rate, floor and ceiling in force on the first day of the month for the agency's region. */
function monthParameters(ctx: RowCheckContext, agencyCode: string, yearMonth: string): MonthParameters {
  let cache = monthParameterCache.get(ctx.parameters);
  if (!cache) {
    cache = new Map();
    monthParameterCache.set(ctx.parameters, cache);
  }
  const key = `${agencyCode}|${yearMonth}`;
  let found = cache.get(key);
  if (!found) {
    const onDate = `${yearMonth}-01`;
    const pick = (name: string) => {
      const p = optionalParameter(ctx.parameters, name, agencyCode, onDate);
      return p ? decimalValue(p) : null;
    };
    found = {
      rate: pick(PARAMETER_NAMES.contributionRate),
      floor: pick(PARAMETER_NAMES.baseFloor),
      ceiling: pick(PARAMETER_NAMES.baseCeiling),
    };
    cache.set(key, found);
  }
  return found;
}

/**
 * Checks one row on its own: the ID number (GB 11643), a non-blank name, a 6-digit agency
 * code, a real month not after today's month, base and amount as decimal strings with base > 0
 * and amount = base × `contribution.totalRate` rounded half-up to the cent, the base within the
 * year's `contribution.baseFloor` / `contribution.baseCeiling` where the region has them, and
 * a valid paidOn date when given. Every failed check is reported; the refusal carries the first
 * code as its reason and every message.
 */
export function checkContributionRow(
  row: RawContributionRow,
  ctx: RowCheckContext,
): { ok: true; row: CheckedContributionRow } | { ok: false; refusal: RowRefusal } {
  if (row.malformed !== undefined)
    return { ok: false, refusal: refusal(row, 'row.malformed', `${REFUSAL_TEXT['row.malformed']}：${row.malformed}`) };
  const problems: Array<{ code: RefusalCode; message: string }> = [];
  const problem = (code: RefusalCode, message: string = REFUSAL_TEXT[code]) => problems.push({ code, message });

  const idCheck = validateIdNumber(text(row.idNumber) ?? '', ctx.today);
  // The validator's own messages quote digits of the number (the birth date): use ours.
  if (!idCheck.valid) problem(idCheck.errors[0].code);

  const name = text(row.name) ?? '';
  if (name === '') problem('name.blank');

  const agencyCode = text(row.agencyCode) ?? '';
  const agencyOk = AGENCY_CODE.test(agencyCode);
  if (!agencyOk) problem('agency_code.invalid');

  const yearMonth = text(row.yearMonth) ?? '';
  let monthOk = isYearMonth(yearMonth);
  if (!monthOk) problem('year_month.invalid');
  else if (yearMonth > ctx.today.slice(0, 7)) {
    monthOk = false;
    problem('year_month.future', `缴费年月${yearMonthChinese(yearMonth)}晚于当前月份`);
  }

  const baseText = text(row.base) ?? '';
  let base: Decimal | null = null;
  if (!isMoneyString(baseText)) problem('base.invalid');
  else if (dec(baseText).lte(0)) problem('base.not_positive');
  else if (dec(baseText).gt(MAX_AMOUNT)) problem('base.invalid');
  else base = dec(baseText);

  const amountText = text(row.amount) ?? '';
  let amount: Decimal | null = null;
  if (!isMoneyString(amountText) || dec(amountText).isNegative() || dec(amountText).gt(MAX_AMOUNT))
    problem('amount.invalid');
  else amount = dec(amountText);

  if (agencyOk && monthOk && base) {
    const { rate, floor, ceiling } = monthParameters(ctx, agencyCode, yearMonth);
    if (!rate)
      problem(
        'rate.unavailable',
        `${yearMonthChinese(yearMonth)}无适用的缴费费率参数（${PARAMETER_NAMES.contributionRate}）`,
      );
    else if (amount) {
      const expected = toCents(base.times(rate));
      if (!expected.eq(amount)) {
        problem(
          'amount.mismatch',
          `缴费金额${amount.toFixed(2)}元与缴费基数${base.toFixed(2)}元×费率${rate.times(100).toFixed()}%=${expected.toFixed(2)}元不符`,
        );
      }
    }
    if (floor && base.lt(floor)) {
      problem(
        'base.below_floor',
        `缴费基数${base.toFixed(2)}元低于${yearMonth.slice(0, 4)}年度缴费基数下限${floor.toFixed()}元`,
      );
    }
    if (ceiling && base.gt(ceiling)) {
      problem(
        'base.above_ceiling',
        `缴费基数${base.toFixed(2)}元高于${yearMonth.slice(0, 4)}年度缴费基数上限${ceiling.toFixed()}元`,
      );
    }
  }

  const paidOnText = text(row.paidOn) ?? '';
  if (paidOnText !== '' && !isIsoDate(paidOnText)) problem('paid_on.invalid');

  if (problems.length > 0) {
    return { ok: false, refusal: refusal(row, problems[0].code, problems.map((p) => p.message).join('；')) };
  }
  return {
    ok: true,
    row: {
      line: row.line,
      recordId: text(row.recordId) || null,
      idNumber: idCheck.normalized!,
      name,
      agencyCode,
      yearMonth,
      base: base!.toFixed(2),
      amount: amount!.toFixed(2),
      paidOn: paidOnText === '' ? null : paidOnText,
    },
  };
}

/**
 * Splits one CSV line (RFC 4180 quoting: fields in double quotes, "" for a quote inside).
 * Returns null for a line whose quoting is broken (a field spanning lines is not supported:
 * contribution files have no line breaks inside fields).
 */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const value = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (value.includes('"')) return null;
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/**
 * The column order of a CSV file from its first line: the header's names when the first line is
 * a header (any order, every documented column present), else null (the first line is data and
 * the documented order applies). Throws on a header that lacks a column.
 */
export function csvHeader(firstLine: string): ContributionColumn[] | null {
  const fields = splitCsvLine(firstLine.replace(/^\uFEFF/, ''));
  if (!fields) return null;
  const names = fields.map((f) => f.trim());
  if (!names.some((n) => (CONTRIBUTION_COLUMNS as readonly string[]).includes(n))) return null;
  const missing = CONTRIBUTION_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw new Error(
      `the CSV header lacks the column(s) ${missing.join(', ')}; expected ${CONTRIBUTION_COLUMNS.join(',')}`,
    );
  return names as ContributionColumn[];
}

/** A CSV data line as a raw row, by the given column order (the documented order by default). */
export function csvRow(
  line: number,
  content: string,
  columns: readonly string[] = CONTRIBUTION_COLUMNS,
): RawContributionRow {
  const fields = splitCsvLine(content);
  if (!fields) return { line, malformed: '引号不匹配' };
  if (fields.length !== columns.length) return { line, malformed: `应有${columns.length}列，实有${fields.length}列` };
  const row: RawContributionRow = { line };
  columns.forEach((c, i) => {
    if ((CONTRIBUTION_COLUMNS as readonly string[]).includes(c))
      (row as unknown as Record<string, unknown>)[c] = fields[i];
  });
  return row;
}

/** A JSON-lines data line as a raw row. */
export function jsonRow(line: number, content: string): RawContributionRow {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { line, malformed: '不是有效的JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, malformed: '应为JSON对象' };
  const o = value as Record<string, unknown>;
  const row: RawContributionRow = { line };
  for (const c of CONTRIBUTION_COLUMNS) if (c in o) (row as unknown as Record<string, unknown>)[c] = o[c];
  return row;
}
