/**
 * Monthly pension at retirement under 国发〔2005〕38号 with the Gansu transitional pension:
 *   basic        = C × (1 + Ī) / 2 × N × 1%
 *   account      = account balance ÷ divisor (计发月数)
 *   transitional = C × Ī × deemed years × coefficient (Gansu 1.2%)
 * N and the deemed years are counted by month and printed with two decimals as on the
 * award forms; each component is rounded half-up to the cent and the total is their sum.
 * Pure and deterministic, so workflows may import it.
 */
import type { Working, WorkingStep } from './audit';
import { RuleInputError } from './errors';
import type Decimal from 'decimal.js';
import { Dec, dec, money, toCents } from './money';
import type { ParameterResolver } from './parameter-resolver';
import { PARAMETER_NAMES, parameterUse, pickParameter, type ParameterValue } from './parameters';

/** Version of this rule's arithmetic; bump when it changes. */
export const PENSION_RULE_VERSION = 'pension/2026.1';

export type DivisorMethod = 'interpolate-1dp' | 'floor';
export type YearsRounding = 'half-up' | 'down';
/** Divisor (计发月数) by whole age, keys "40"…"70". */
export type DivisorTable = Readonly<Record<string, number>>;

/** Lowest and highest whole ages of the divisor table. */
export const DIVISOR_AGE_RANGE = { min: 40, max: 70 } as const;

/** The usual range of the average index given the 60%–300% base limits; outside it is flagged. */
export const USUAL_INDEX_RANGE = { min: '0.6', max: '3.0' } as const;

/** The parameter rows the computation reads (each carries its source into the working). */
export interface PensionParameters {
  divisorTable: ParameterValue<DivisorTable>;
  divisorMethod: ParameterValue<DivisorMethod>;
  transitionalCoefficient: ParameterValue<string>;
  yearsRounding: ParameterValue<YearsRounding>;
  /** 计发基数 row; when given, input.baseWage must equal its value (its source goes into the working). */
  baseWage?: ParameterValue<string>;
}

/** Input of {@link computePension}; decimals as strings. */
export interface PensionInput {
  /** C: 计发基数, CNY per month. */
  baseWage: string;
  /** Ī: personal average contribution index, e.g. "1.2458". */
  averageIndex: string;
  /** Total contribution months including deemed months (N counted by month). */
  contributionMonths: number;
  /** Deemed contribution months (视同缴费), part of contributionMonths. */
  deemedMonths: number;
  /** Individual account balance at retirement, CNY. */
  accountBalance: string;
  /** Age at retirement in whole years and months (40y0m … 70y0m). */
  age: { years: number; months: number };
  /** Overrides the rounding parameter for the two-decimal years. */
  yearsRounding?: YearsRounding;
}

/** Result of {@link computePension}; amounts are two-decimal strings. */
export interface PensionResult {
  basic: string;
  account: string;
  transitional: string;
  total: string;
  /** Divisor used, e.g. "139" or "137.3". */
  divisor: string;
  /** N as printed: two-decimal years from contributionMonths. */
  contributionYears: string;
  /** Deemed years as printed: two decimals from deemedMonths. */
  deemedYears: string;
  /** Non-fatal findings, e.g. AVERAGE_INDEX_OUTSIDE_USUAL_RANGE. */
  warnings: string[];
  working: Working;
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/**
 * Picks and checks the pension parameters in force on `onDate` (normally the first day of
 * the retirement month) for `region`, including the 计发基数. Throws ParameterLookupError when
 * a row is missing and RuleInputError (INVALID_TABLE / INVALID_OPTION) when a value has the
 * wrong shape.
 */
export function pensionParametersFrom(
  rows: readonly ParameterValue<unknown>[],
  region: string,
  onDate: string,
): PensionParameters {
  const table = pickParameter(rows, PARAMETER_NAMES.divisorTable, region, onDate);
  const method = pickParameter(rows, PARAMETER_NAMES.divisorMethod, region, onDate);
  const coefficient = pickParameter(rows, PARAMETER_NAMES.transitionalCoefficient, region, onDate);
  const rounding = pickParameter(rows, PARAMETER_NAMES.yearsRounding, region, onDate);
  const baseWage = pickParameter(rows, PARAMETER_NAMES.baseWage, region, onDate);
  assertDivisorTable(table.value);
  if (!isOneOf(method.value, ['interpolate-1dp', 'floor'] as const))
    throw new RuleInputError(
      'divisorMethod',
      'INVALID_OPTION',
      `unknown divisor method ${JSON.stringify(method.value)}`,
    );
  if (!isOneOf(rounding.value, ['half-up', 'down'] as const))
    throw new RuleInputError(
      'yearsRounding',
      'INVALID_OPTION',
      `unknown years rounding ${JSON.stringify(rounding.value)}`,
    );
  parseDecimal('transitionalCoefficient', coefficient.value);
  parseDecimal('baseWage', baseWage.value);
  return {
    divisorTable: table as ParameterValue<DivisorTable>,
    divisorMethod: method as ParameterValue<DivisorMethod>,
    transitionalCoefficient: coefficient as ParameterValue<string>,
    yearsRounding: rounding as ParameterValue<YearsRounding>,
    baseWage: baseWage as ParameterValue<string>,
  };
}

/**
 * The pension parameters for a retirement month, through a resolver that records what it used:
 * the divisor table, divisor method, transitional coefficient and years rounding in force in
 * the retirement month, and the 计发基数 of the retirement year — the latest published one,
 * provisionally, while the year's is not published yet. Undefined when a value is missing (the
 * resolver lists it).
 */
export function pensionParametersForRetirement(
  r: ParameterResolver,
  retirementYearMonth: string,
): PensionParameters | undefined {
  const on = `${retirementYearMonth}-01`;
  const table = r.onDate(PARAMETER_NAMES.divisorTable, on);
  const method = r.onDate(PARAMETER_NAMES.divisorMethod, on);
  const coefficient = r.onDate(PARAMETER_NAMES.transitionalCoefficient, on);
  const rounding = r.onDate(PARAMETER_NAMES.yearsRounding, on);
  const baseWage = r.forYear<string>(PARAMETER_NAMES.baseWage, Number(retirementYearMonth.slice(0, 4)));
  if (!table || !method || !coefficient || !rounding || !baseWage) return undefined;
  assertDivisorTable(table.value);
  if (!isOneOf(method.value, ['interpolate-1dp', 'floor'] as const))
    throw new RuleInputError(
      'divisorMethod',
      'INVALID_OPTION',
      `unknown divisor method ${JSON.stringify(method.value)}`,
    );
  if (!isOneOf(rounding.value, ['half-up', 'down'] as const))
    throw new RuleInputError(
      'yearsRounding',
      'INVALID_OPTION',
      `unknown years rounding ${JSON.stringify(rounding.value)}`,
    );
  parseDecimal('transitionalCoefficient', coefficient.value);
  parseDecimal('baseWage', baseWage.row.value);
  return {
    divisorTable: table as ParameterValue<DivisorTable>,
    divisorMethod: method as ParameterValue<DivisorMethod>,
    transitionalCoefficient: coefficient as ParameterValue<string>,
    yearsRounding: rounding as ParameterValue<YearsRounding>,
    baseWage: baseWage.row,
  };
}

/** Throws RuleInputError unless every whole age 40–70 has a positive integer divisor. */
export function assertDivisorTable(table: unknown): asserts table is DivisorTable {
  if (typeof table !== 'object' || table === null)
    throw new RuleInputError('divisorTable', 'INVALID_TABLE', 'divisor table must be an object keyed by age');
  const t = table as Record<string, unknown>;
  for (let age = DIVISOR_AGE_RANGE.min; age <= DIVISOR_AGE_RANGE.max; age++) {
    const v = t[String(age)];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new RuleInputError(
        'divisorTable',
        'INVALID_TABLE',
        `divisor for age ${age} must be a positive integer, got ${JSON.stringify(v)}`,
      );
    }
  }
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Parses a plain decimal string ("7594", "1.2458"); throws RuleInputError(field, INVALID_DECIMAL). */
export function parseDecimal(field: string, value: unknown): Decimal {
  if (typeof value !== 'string' || !PLAIN_DECIMAL.test(value)) {
    throw new RuleInputError(
      field,
      'INVALID_DECIMAL',
      `expected a decimal string such as "1.25", got ${JSON.stringify(value)}`,
    );
  }
  return dec(value);
}

function nonNegative(field: string, value: unknown): Decimal {
  const d = parseDecimal(field, value);
  if (d.isNegative() && !d.isZero())
    throw new RuleInputError(field, 'NEGATIVE_AMOUNT', `must not be negative, got ${String(value)}`);
  return d;
}

function monthCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RuleInputError(
      field,
      'INVALID_MONTH_COUNT',
      `must be a non-negative integer number of months, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Shows a decimal for a working step: exact when it has at most 6 decimals, else truncated with "…". */
export function showDecimal(d: Decimal): string {
  return d.decimalPlaces() <= 6 ? d.toFixed() : `${d.toDecimalPlaces(6, Dec.ROUND_DOWN).toFixed(6)}…`;
}

/**
 * Contribution years with two decimals from a month count, as printed on award forms:
 * months ÷ 12 rounded half-up (430 → 35.83, 77 → 6.42) or down (77 → 6.41).
 */
export function yearsFromMonths(months: number, rounding: YearsRounding): Decimal {
  const mode = rounding === 'half-up' ? Dec.ROUND_HALF_UP : Dec.ROUND_DOWN;
  return dec(monthCount('months', months)).dividedBy(12).toDecimalPlaces(2, mode);
}

/** Checks an age at retirement: integer years 40–70, months 0–11, and not above 70y0m. */
function checkAge(age: unknown): { years: number; months: number } {
  const a = age as { years?: unknown; months?: unknown } | null;
  const years = a?.years;
  const months = a?.months;
  if (
    typeof years !== 'number' ||
    !Number.isInteger(years) ||
    typeof months !== 'number' ||
    !Number.isInteger(months) ||
    months < 0 ||
    months > 11
  ) {
    throw new RuleInputError(
      'age',
      'AGE_OUT_OF_RANGE',
      `age must be { years, months } with integer years and months 0–11, got ${JSON.stringify(age)}`,
    );
  }
  if (
    years < DIVISOR_AGE_RANGE.min ||
    years > DIVISOR_AGE_RANGE.max ||
    (years === DIVISOR_AGE_RANGE.max && months > 0)
  ) {
    throw new RuleInputError(
      'age',
      'AGE_OUT_OF_RANGE',
      `the divisor table covers ages ${DIVISOR_AGE_RANGE.min}y0m–${DIVISOR_AGE_RANGE.max}y0m, got ${years}y${months}m`,
    );
  }
  return { years, months };
}

/**
 * The divisor (计发月数) for an age: the table value for a whole age; for an age with months,
 * 'floor' uses the whole-age row and 'interpolate-1dp' interpolates linearly between the
 * two whole ages and rounds half-up to one decimal (60y3m: 139 − 7 × 3/12 = 137.25 → 137.3).
 * Returns the divisor and the expression for the working.
 */
export function accountDivisor(
  age: { years: number; months: number },
  table: DivisorTable,
  method: DivisorMethod,
): { divisor: Decimal; expression: string } {
  const { years, months } = checkAge(age);
  assertDivisorTable(table);
  const lower = dec(table[String(years)]);
  if (months === 0) return { divisor: lower, expression: `table[${years}] = ${lower.toFixed()}` };
  if (method === 'floor')
    return {
      divisor: lower,
      expression: `${years}y${months}m, floor to whole age: table[${years}] = ${lower.toFixed()}`,
    };
  if (method !== 'interpolate-1dp')
    throw new RuleInputError('divisorMethod', 'INVALID_OPTION', `unknown divisor method ${JSON.stringify(method)}`);
  const upper = dec(table[String(years + 1)]);
  const raw = lower.plus(upper.minus(lower).times(months).dividedBy(12));
  const divisor = raw.toDecimalPlaces(1, Dec.ROUND_HALF_UP);
  return {
    divisor,
    expression: `${years}y${months}m: ${lower.toFixed()} + (${upper.toFixed()} − ${lower.toFixed()}) × ${months}/12 = ${showDecimal(raw)} → ${divisor.toFixed()} (1 dp, half-up)`,
  };
}

function percent(d: Decimal): string {
  return `${d.times(100).toFixed()}%`;
}

/**
 * Computes the monthly pension (basic + account + transitional) with its working.
 * Throws RuleInputError for invalid inputs: non-decimal strings, negative amounts, month
 * counts that are not non-negative integers, deemed months above total months, ages
 * outside 40y0m–70y0m, or a baseWage that differs from params.baseWage. An average index
 * outside 0.6–3.0 is allowed (deemed-index blending, historical bases) but flagged in
 * `warnings` and in the working.
 */
export function computePension(input: PensionInput, params: PensionParameters): PensionResult {
  const c = parseDecimal('baseWage', input.baseWage);
  if (!c.isPositive() || c.isZero())
    throw new RuleInputError('baseWage', 'NON_POSITIVE_AMOUNT', `must be positive, got ${input.baseWage}`);
  if (params.baseWage && !dec(params.baseWage.value).equals(c)) {
    throw new RuleInputError(
      'baseWage',
      'PARAMETER_MISMATCH',
      `input ${input.baseWage} differs from parameter ${params.baseWage.value} (validFrom ${params.baseWage.validFrom})`,
    );
  }
  const index = nonNegative('averageIndex', input.averageIndex);
  const totalMonths = monthCount('contributionMonths', input.contributionMonths);
  const deemedMonths = monthCount('deemedMonths', input.deemedMonths);
  if (deemedMonths > totalMonths) {
    throw new RuleInputError(
      'deemedMonths',
      'DEEMED_EXCEEDS_TOTAL',
      `deemed months ${deemedMonths} exceed total contribution months ${totalMonths}`,
    );
  }
  const balance = nonNegative('accountBalance', input.accountBalance);
  const age = checkAge(input.age);
  const rounding = input.yearsRounding ?? params.yearsRounding.value;
  if (!isOneOf(rounding, ['half-up', 'down'] as const))
    throw new RuleInputError('yearsRounding', 'INVALID_OPTION', `unknown years rounding ${JSON.stringify(rounding)}`);
  const coefficient = parseDecimal('transitionalCoefficient', params.transitionalCoefficient.value);

  const steps: WorkingStep[] = [];
  const warnings: string[] = [];

  const inRange = index.gte(USUAL_INDEX_RANGE.min) && index.lte(USUAL_INDEX_RANGE.max);
  if (!inRange) warnings.push('AVERAGE_INDEX_OUTSIDE_USUAL_RANGE');
  steps.push({
    item: 'check averageIndex',
    expression: `${USUAL_INDEX_RANGE.min} ≤ ${index.toFixed()} ≤ ${USUAL_INDEX_RANGE.max}`,
    value: inRange ? 'within usual range' : 'OUTSIDE usual range (flagged, computation continues)',
  });

  const n = yearsFromMonths(totalMonths, rounding);
  steps.push({
    item: 'N contributionYears',
    expression: `${totalMonths} ÷ 12 = ${showDecimal(dec(totalMonths).dividedBy(12))} → 2 dp (${rounding})`,
    value: n.toFixed(2),
  });
  const deemed = yearsFromMonths(deemedMonths, rounding);
  steps.push({
    item: 'deemedYears',
    expression: `${deemedMonths} ÷ 12 = ${showDecimal(dec(deemedMonths).dividedBy(12))} → 2 dp (${rounding})`,
    value: deemed.toFixed(2),
  });

  const basicRaw = c.times(dec(1).plus(index)).dividedBy(2).times(n).dividedBy(100);
  const basic = toCents(basicRaw);
  steps.push({
    item: 'basic',
    expression: `${c.toFixed()} × (1 + ${index.toFixed()}) / 2 × ${n.toFixed(2)} × 1% = ${showDecimal(basicRaw)} → cent (half-up)`,
    value: basic.toFixed(2),
  });

  const { divisor, expression: divisorExpression } = accountDivisor(
    age,
    params.divisorTable.value,
    params.divisorMethod.value,
  );
  steps.push({
    item: 'divisor',
    expression: `${divisorExpression} [method ${params.divisorMethod.value}]`,
    value: divisor.toFixed(),
  });

  const accountRaw = balance.dividedBy(divisor);
  const account = toCents(accountRaw);
  steps.push({
    item: 'account',
    expression: `${balance.toFixed()} ÷ ${divisor.toFixed()} = ${showDecimal(accountRaw)} → cent (half-up)`,
    value: account.toFixed(2),
  });

  const transitionalRaw = c.times(index).times(deemed).times(coefficient);
  const transitional = toCents(transitionalRaw);
  steps.push({
    item: 'transitional',
    expression: `${c.toFixed()} × ${index.toFixed()} × ${deemed.toFixed(2)} × ${percent(coefficient)} = ${showDecimal(transitionalRaw)} → cent (half-up)`,
    value: transitional.toFixed(2),
  });

  const total = basic.plus(account).plus(transitional);
  steps.push({
    item: 'total',
    expression: `${basic.toFixed(2)} + ${account.toFixed(2)} + ${transitional.toFixed(2)}`,
    value: money(total),
  });

  const parameters = [
    parameterUse(
      params.divisorTable,
      age.months === 0 || params.divisorMethod.value === 'floor'
        ? `table[${age.years}] = ${params.divisorTable.value[String(age.years)]}`
        : `table[${age.years}] = ${params.divisorTable.value[String(age.years)]}, table[${age.years + 1}] = ${params.divisorTable.value[String(age.years + 1)]}`,
    ),
    parameterUse(params.divisorMethod),
    parameterUse(params.transitionalCoefficient),
    input.yearsRounding === undefined
      ? parameterUse(params.yearsRounding)
      : { name: params.yearsRounding.name, value: input.yearsRounding, source: 'overridden by input.yearsRounding' },
  ];
  if (params.baseWage) parameters.unshift(parameterUse(params.baseWage));

  return {
    basic: basic.toFixed(2),
    account: account.toFixed(2),
    transitional: transitional.toFixed(2),
    total: money(total),
    divisor: divisor.toFixed(),
    contributionYears: n.toFixed(2),
    deemedYears: deemed.toFixed(2),
    warnings,
    working: {
      formula:
        'basic = C × (1 + Ī) / 2 × N × 1%; account = balance ÷ divisor; transitional = C × Ī × deemedYears × coefficient; each rounded half-up to the cent; total = sum of the rounded components',
      inputs: {
        baseWage: input.baseWage,
        averageIndex: input.averageIndex,
        contributionMonths: input.contributionMonths,
        deemedMonths: input.deemedMonths,
        accountBalance: input.accountBalance,
        age: { years: age.years, months: age.months },
        yearsRounding: rounding,
      },
      steps,
      parameters,
      ruleVersion: PENSION_RULE_VERSION,
    },
  };
}
