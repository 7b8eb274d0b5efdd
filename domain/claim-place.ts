/**
 * Where the pension is claimed under the 10-year rule (国办发〔2009〕66号 Art. 6; T-2 c), over
 * the contribution years at each place. Pure and deterministic, so workflows may import it.
 */
import { dec } from './money';
import { TransferErrorCode, TransferRuleError, type TransferRuleIssue } from './transfer-errors';
import { isDivisionCode } from './transfer-form-fields';

/** T-2 c, the 10-year rule (国办发〔2009〕66号 Art. 6): cumulative years at a place that make it the place of claim. */
export const CLAIM_PLACE_YEARS = 10;

/**
 * How two 6-digit division codes are compared when asking "is this the same place":
 * 'county' (default): equal, or one is a prefecture-level code (xxxx00) that covers the other;
 * 'prefecture': same first four digits; 'province': same first two digits.
 */
export type PlaceGranularity = 'county' | 'prefecture' | 'province';

/** Contribution years at one place, in chronological order; the last relation place is the current one. */
export interface PlaceYears {
  agencyCode: string;
  /** Cumulative contribution years at this stay (may be fractional, e.g. 9.5). */
  years: number;
  /** The person only had a temporary contribution account here (临时缴费账户). */
  temporaryAccountOnly?: boolean;
}

export interface ClaimPlaceResult {
  /** Code of the place where the pension is claimed. */
  agencyCode: string;
  /** Row of the 10-year rule table (domain.md §5.4) that decided. */
  row: 1 | 2 | 3 | 4;
  basis:
    | 'household_registration'
    | 'current_place_ten_years'
    | 'previous_ten_year_place'
    | 'household_registration_fallback';
  /** The current relation place (last place that was not temporary-only), if any. */
  currentPlaceCode?: string;
  /** Cumulative years at the current relation place. */
  currentPlaceYears: string;
  /** Chinese explanation. */
  reason: string;
}

/** Whether two 6-digit division codes denote the same place at the given granularity. */
export function samePlace(a: string, b: string, granularity: PlaceGranularity = 'county'): boolean {
  if (granularity === 'province') return a.slice(0, 2) === b.slice(0, 2);
  if (granularity === 'prefecture') return a.slice(0, 4) === b.slice(0, 4);
  if (a === b) return true;
  // A prefecture-level agency (xxxx00, but not a province xx0000) covers its counties.
  const isPrefecture = (c: string) => c.endsWith('00') && !c.endsWith('0000');
  return (isPrefecture(a) || isPrefecture(b)) && a.slice(0, 4) === b.slice(0, 4);
}

function sumYears(places: readonly PlaceYears[], code: string, granularity: PlaceGranularity) {
  return places
    .filter((p) => p.temporaryAccountOnly !== true && samePlace(p.agencyCode, code, granularity))
    .reduce((acc, p) => acc.plus(dec(p.years)), dec(0));
}

export function validatePlaces(places: unknown, field: string): TransferRuleIssue[] {
  const issues: TransferRuleIssue[] = [];
  if (!Array.isArray(places)) {
    issues.push({ code: TransferErrorCode.required, field, message: '缺少各参保地缴费年限（应为数组）' });
    return issues;
  }
  places.forEach((raw: unknown, i: number) => {
    const p = (raw ?? {}) as Partial<Record<keyof PlaceYears, unknown>>;
    if (!isDivisionCode(p.agencyCode)) {
      issues.push({
        code: TransferErrorCode.invalidCode,
        field: `${field}[${i}].agencyCode`,
        message: '参保地行政区划代码应为6位数字',
      });
    }
    if (typeof p.years !== 'number' || !Number.isFinite(p.years) || p.years < 0 || p.years > 100) {
      issues.push({
        code: TransferErrorCode.invalidYears,
        field: `${field}[${i}].years`,
        message: '缴费年限应为0至100之间的数',
      });
    }
  });
  return issues;
}

/**
 * The 10-year rule (国办发〔2009〕66号 Art. 6), checked in order:
 * 1. relation at the household place → there; 2. ≥10 cumulative years at the current relation
 * place → there; 3. else the most recent earlier place with ≥10 cumulative years; 4. else the
 * household place. `places` is chronological; the current relation place is the last entry that
 * is not temporary-only (with a temporary account the relation stays at the old place).
 * Temporary-only stays never count towards a place's years.
 */
export function claimPlace(
  places: readonly PlaceYears[],
  householdCode: string,
  granularity: PlaceGranularity = 'county',
): ClaimPlaceResult {
  const issues = validatePlaces(places, 'places');
  if (!isDivisionCode(householdCode)) {
    issues.push({
      code: TransferErrorCode.invalidCode,
      field: 'householdCode',
      message: '户籍所在地行政区划代码应为6位数字',
    });
  }
  if (issues.length > 0) throw TransferRuleError.of(issues);

  let currentIndex = -1;
  for (let i = places.length - 1; i >= 0; i--) {
    if (places[i].temporaryAccountOnly !== true) {
      currentIndex = i;
      break;
    }
  }
  const current = currentIndex >= 0 ? places[currentIndex].agencyCode : undefined;
  const currentYears = current !== undefined ? sumYears(places, current, granularity) : dec(0);
  const currentYearsText = currentYears.toFixed();

  if (current !== undefined && samePlace(current, householdCode, granularity)) {
    return {
      agencyCode: current,
      row: 1,
      basis: 'household_registration',
      currentPlaceCode: current,
      currentPlaceYears: currentYearsText,
      reason: `基本养老保险关系在户籍所在地（${current}），在户籍所在地申领基本养老金。`,
    };
  }
  if (current !== undefined && currentYears.gte(CLAIM_PLACE_YEARS)) {
    return {
      agencyCode: current,
      row: 2,
      basis: 'current_place_ten_years',
      currentPlaceCode: current,
      currentPlaceYears: currentYearsText,
      reason: `基本养老保险关系不在户籍所在地，在现参保地（${current}）累计缴费满10年（${currentYearsText}年），在现参保地申领基本养老金。`,
    };
  }
  for (let i = currentIndex - 1; i >= 0; i--) {
    const p = places[i];
    if (p.temporaryAccountOnly === true) continue;
    if (current !== undefined && samePlace(p.agencyCode, current, granularity)) continue;
    const years = sumYears(places, p.agencyCode, granularity);
    if (years.gte(CLAIM_PLACE_YEARS)) {
      return {
        agencyCode: p.agencyCode,
        row: 3,
        basis: 'previous_ten_year_place',
        currentPlaceCode: current,
        currentPlaceYears: currentYearsText,
        reason:
          `基本养老保险关系不在户籍所在地，在现参保地（${current}）累计缴费不满10年（${currentYearsText}年），` +
          `将基本养老保险关系转回上一个缴费年限满10年的原参保地（${p.agencyCode}，累计${years.toFixed()}年），在该地申领基本养老金。`,
      };
    }
  }
  return {
    agencyCode: householdCode,
    row: 4,
    basis: 'household_registration_fallback',
    currentPlaceCode: current,
    currentPlaceYears: currentYearsText,
    reason:
      `基本养老保险关系不在户籍所在地，且在每个参保地累计缴费均不满10年（仅建立临时缴费账户的参保地不计入），` +
      `将基本养老保险关系和资金归集到户籍所在地（${householdCode}），在户籍所在地申领基本养老金。`,
  };
}
