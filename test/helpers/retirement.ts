/** Claimants relative to today, so tests mean the same whatever the year they run in. */
import { addMonths, formatYearMonth, statutoryRetirement, yearMonthIndex } from '../../domain/retirement-age';
import { chinaDateOf } from '../../domain/working-days';

/** The current month in China, 'YYYY-MM'. */
export function currentYearMonth(): string {
  return chinaDateOf(Date.now()).slice(0, 7);
}

/** The month `n` months before the current one (negative: after). */
export function monthsAgo(n: number): string {
  return addMonths(currentYearMonth(), -n);
}

/**
 * A birth month whose statutory retirement month (the 2024 reform's delay included) is exactly
 * `target`; men by default (original age 60), women with their original age.
 */
export function birthMonthRetiringIn(target: string, sex: 'male' | 'female' = 'male', originalAge = sex === 'male' ? 60 : 55): string {
  const want = yearMonthIndex(target);
  // The delay is at most 60 months: search the five years before the original-age birth month.
  for (let back = 0; back <= 72; back += 1) {
    const birth = formatYearMonth(want - originalAge * 12 - back);
    if (statutoryRetirement({ birthYearMonth: birth, sex, originalAge }).retirementYearMonth === target) return birth;
  }
  throw new Error(`no birth month retires in ${target} (${sex}, ${originalAge})`);
}

/**
 * A man whose statutory retirement month is `monthsBack` months ago or, where the reform's
 * steps skip that month, the nearest earlier one: his birth month and retirement month.
 */
export function manRetiredAbout(monthsBack: number): { birthYearMonth: string; retirementYearMonth: string } {
  for (let extra = 0; extra < 12; extra += 1) {
    const target = monthsAgo(monthsBack + extra);
    try {
      return { birthYearMonth: birthMonthRetiringIn(target, 'male'), retirementYearMonth: target };
    } catch {
      // This month is skipped by the delay steps: try the month before.
    }
  }
  throw new Error(`no retirement month near ${monthsAgo(monthsBack)}`);
}
