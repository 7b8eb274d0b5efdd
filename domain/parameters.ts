/**
 * Dated, sourced rule parameters. Every number a rule uses (divisors, base wages, rates, ages)
 * lives in a parameter row with its region, validity period and source document; the seed
 * rows are in `parameter-seed.ts` and are loaded into the PostgreSQL parameter table by
 * another module. Pure functions receive the rows they need as arguments.
 * Pure and deterministic, so workflows may import it.
 */
import type { ParameterUse } from './audit';
import { ParameterLookupError } from './errors';
import { isIsoDate } from './year-month';

/** One dated value of a named parameter for a region. */
export interface ParameterValue<T> {
  /** Dotted name, e.g. "pension.baseWage". */
  name: string;
  /** '62' for Gansu, '6201' for Lanzhou, 'CN' for a national value. */
  region: string;
  /** First day the value applies (YYYY-MM-DD, inclusive). */
  validFrom: string;
  /** Last day the value applies (YYYY-MM-DD, inclusive); open-ended when absent. */
  validTo?: string;
  value: T;
  /** The document the value comes from, e.g. "国发〔2005〕38号". */
  source: string;
  /** Reliability remarks; values not read in an official text are marked UNVERIFIED here. */
  note?: string;
  /**
   * True when the value was read in the official text or an official figure quoted by a
   * government source (grades A/B); false for third-party or derived values. Unset in the seed
   * means false.
   */
  verified?: boolean;
  /** Version of the published row: 1 when first published, +1 for each correction (set by the store). */
  version?: number;
}

/** The national region code used for values that apply everywhere unless a region overrides them. */
export const NATIONAL_REGION = 'CN';

/** The Gansu province code (GB/T 2260 620000, shortened). */
export const GANSU_REGION = '62';

/** Names of the parameters the rules read; use these constants rather than string literals. */
export const PARAMETER_NAMES = {
  /** 个人账户养老金计发月数表 by whole age, value { "40": 233, …, "70": 56 }. */
  divisorTable: 'pension.divisorTable',
  /** How a non-whole age maps to a divisor: 'interpolate-1dp' | 'floor'. */
  divisorMethod: 'pension.divisorMethod',
  /** 计发基数 C (decimal string, CNY per month). */
  baseWage: 'pension.baseWage',
  /** Transitional-pension coefficient (decimal string, e.g. "0.012"). */
  transitionalCoefficient: 'pension.transitionalCoefficient',
  /** Rounding of contribution years to two decimals on award forms: 'half-up' | 'down'. */
  yearsRounding: 'pension.yearsRounding',
  /** Total contribution rate of a flexible worker (decimal string). */
  contributionRate: 'contribution.totalRate',
  /** Share of the base credited to the individual account (decimal string). */
  accountCreditRate: 'contribution.accountCreditRate',
  /** Share of the base that goes to the pooled fund (decimal string). */
  pooledRate: 'contribution.pooledRate',
  /** Lowest and highest base as a ratio of the average wage (decimal strings). */
  baseMinRatio: 'contribution.baseMinRatio',
  baseMaxRatio: 'contribution.baseMaxRatio',
  /** Yearly average wage used as the contribution-index denominator Aᵢ (decimal string). */
  averageWage: 'contribution.averageWage',
  /** Yearly published lowest / highest monthly contribution base (decimal strings). */
  baseFloor: 'contribution.baseFloor',
  baseCeiling: 'contribution.baseCeiling',
  /** Yearly individual-account interest rate (记账利率, decimal fraction string). */
  interestRate: 'account.interestRate',
  /** Original retirement age (50 or 55) applied to female flexible workers. */
  femaleFlexibleOriginalAge: 'retirement.femaleFlexibleOriginalAge',
  /** Minimum contribution months for a monthly pension, dated by the year it applies from. */
  minimumContributionMonths: 'retirement.minimumContributionMonths',
} as const;

/**
 * The regions searched for a parameter, most specific first: the region itself, its parent
 * administrative divisions (GB/T 2260 codes shortened two digits at a time, down to the
 * two-digit province) and finally 'CN'. E.g. '620100' → ['620100', '6201', '62', 'CN'].
 */
export function regionChain(region: string): string[] {
  if (region === NATIONAL_REGION) return [NATIONAL_REGION];
  const chain: string[] = [];
  let current = region;
  if (/^\d+$/.test(current)) {
    while (current.length > 2) {
      chain.push(current);
      current = current.slice(0, current.length - 2);
    }
  }
  chain.push(current);
  chain.push(NATIONAL_REGION);
  return chain;
}

function appliesOn<T>(row: ParameterValue<T>, onDate: string): boolean {
  return row.validFrom <= onDate && (row.validTo === undefined || onDate <= row.validTo);
}

/**
 * The parameter row in force on `onDate` for `region`: the most specific region that has a
 * row in force wins (e.g. province before 'CN'), and within it the row with the latest
 * `validFrom` ≤ onDate (and onDate ≤ validTo when set). Throws {@link ParameterLookupError}
 * when no row applies or when two rows of the same region start on the same day.
 */
export function pickParameter<T>(
  rows: readonly ParameterValue<T>[],
  name: string,
  region: string,
  onDate: string,
): ParameterValue<T> {
  if (!isIsoDate(onDate)) {
    throw new ParameterLookupError(
      'PARAMETER_INVALID',
      name,
      region,
      onDate,
      `parameter ${name}: onDate must be YYYY-MM-DD, got "${String(onDate)}"`,
    );
  }
  const chain = regionChain(region);
  for (const r of chain) {
    const candidates = rows.filter((row) => row.name === name && row.region === r && appliesOn(row, onDate));
    if (candidates.length === 0) continue;
    let best = candidates[0];
    for (const c of candidates.slice(1)) if (c.validFrom > best.validFrom) best = c;
    const ties = candidates.filter((c) => c.validFrom === best.validFrom);
    if (ties.length > 1) {
      throw new ParameterLookupError(
        'PARAMETER_AMBIGUOUS',
        name,
        region,
        onDate,
        `parameter ${name}: ${ties.length} rows for region ${r} start on ${best.validFrom}; fix the parameter table`,
      );
    }
    return best;
  }
  throw new ParameterLookupError(
    'PARAMETER_NOT_FOUND',
    name,
    region,
    onDate,
    `parameter ${name}: no value in force on ${onDate} for region ${region} (searched ${chain.join(', ')})`,
  );
}

/**
 * Values of a yearly parameter (e.g. the contribution-index average wage or the account
 * interest rate) for each year, each picked as in force on 1 January of that year.
 * Returns a map keyed by the year as a string ("2024"). Throws like {@link pickParameter}.
 */
export function yearlyParameters<T>(
  rows: readonly ParameterValue<T>[],
  name: string,
  region: string,
  years: readonly number[],
): Record<string, ParameterValue<T>> {
  const out: Record<string, ParameterValue<T>> = {};
  for (const year of years) {
    out[String(year)] = pickParameter(rows, name, region, `${String(year).padStart(4, '0')}-01-01`);
  }
  return out;
}

/** The audit form of a parameter row (value as a string, with its source and validFrom). */
export function parameterUse<T>(row: ParameterValue<T>, value?: string): ParameterUse {
  return {
    name: row.name,
    value: value ?? (typeof row.value === 'string' ? row.value : JSON.stringify(row.value)),
    source: row.note && /UNVERIFIED/.test(row.note) ? `${row.source} (UNVERIFIED)` : row.source,
    validFrom: row.validFrom,
  };
}
