/**
 * Minimum contribution years for a monthly pension (最低缴费年限): 15 years up to 2029, +6 months
 * a year from 2030, 20 years from 2039 (《国务院关于渐进式延迟法定退休年龄的办法》第二条, 附件2).
 * Which year applies (early: the year actually retired; on time / late: the year the statutory
 * age is reached) is decided by `retirement-age.ts`.
 * Pure and deterministic, so workflows may import it.
 */
import { RuleInputError } from './errors';
import { PARAMETER_SEED } from './parameter-seed';
import { NATIONAL_REGION, PARAMETER_NAMES, regionChain, type ParameterValue } from './parameters';

/** One step of the table: from `fromYear` on (until the next row), `months` are required. */
export interface MinimumYearsRow {
  fromYear: number;
  months: number;
  source?: string;
}

/** Rows sorted by `fromYear` ascending. */
export type MinimumYearsTable = readonly MinimumYearsRow[];

/**
 * Builds the table from parameter rows named `retirement.minimumContributionMonths` (value =
 * months, validFrom = first day of the first year it applies), taking the most specific
 * region that has rows (region, its parents, then 'CN'). Throws RuleInputError when none.
 */
export function minimumYearsTableFromParameters(
  rows: readonly ParameterValue<unknown>[],
  region: string = NATIONAL_REGION,
): MinimumYearsTable {
  const named = rows.filter((r) => r.name === PARAMETER_NAMES.minimumContributionMonths);
  for (const r of regionChain(region)) {
    const own = named.filter((row) => row.region === r);
    if (own.length === 0) continue;
    const table = own.map((row): MinimumYearsRow => {
      if (typeof row.value !== 'number' || !Number.isInteger(row.value) || row.value <= 0) {
        throw new RuleInputError(
          'table',
          'INVALID_TABLE',
          `minimum contribution months must be a positive integer, got ${JSON.stringify(row.value)} (validFrom ${row.validFrom})`,
        );
      }
      return { fromYear: Number(row.validFrom.slice(0, 4)), months: row.value, source: row.source };
    });
    return table.sort((a, b) => a.fromYear - b.fromYear);
  }
  throw new RuleInputError(
    'table',
    'INVALID_TABLE',
    `no ${PARAMETER_NAMES.minimumContributionMonths} rows for region ${region}`,
  );
}

/** The national table built from the seed rows (convenience for callers without a database). */
export const DEFAULT_MINIMUM_YEARS_TABLE: MinimumYearsTable = minimumYearsTableFromParameters(
  PARAMETER_SEED,
  NATIONAL_REGION,
);

/**
 * Minimum contribution months required in `year` (e.g. 180 for 2029, 186 for 2030, 240 from
 * 2039). Throws RuleInputError (YEAR_OUT_OF_RANGE) for a year before the table's first row.
 */
export function minimumContributionMonths(year: number, table: MinimumYearsTable): number {
  if (!Number.isInteger(year))
    throw new RuleInputError('year', 'YEAR_OUT_OF_RANGE', `year must be an integer, got ${year}`);
  let found: MinimumYearsRow | undefined;
  for (const row of table) {
    if (row.fromYear <= year && (found === undefined || row.fromYear > found.fromYear)) found = row;
  }
  if (!found) throw new RuleInputError('year', 'YEAR_OUT_OF_RANGE', `no minimum contribution years known for ${year}`);
  return found.months;
}

/** Months as Chinese years and months for notices, e.g. 186 → "15年6个月", 180 → "15年". */
export function formatMonthsChinese(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  if (years === 0) return `${rest}个月`;
  return rest === 0 ? `${years}年` : `${years}年${rest}个月`;
}
