/**
 * Money and other exact quantities. Every amount is a decimal.js value while it is computed
 * and a two-decimal string ("2596.40") when it is stored or returned; binary floating point
 * never touches money. Pure and deterministic, so workflows may import it.
 */
import Decimal from 'decimal.js';

/** A private Decimal constructor so no other module's settings can change our arithmetic. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export type DecimalInput = string | number | Decimal;

/** Parses a decimal input; throws on anything that is not a finite number. */
export function dec(value: DecimalInput): Decimal {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

/** Rounds half-up to the cent (分), the rounding the award forms use. */
export function toCents(value: DecimalInput): Decimal {
  return dec(value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}

/** The two-decimal string form used in the database and the API. */
export function money(value: DecimalInput): string {
  return toCents(value).toFixed(2);
}

/** True when the string is a plain decimal with at most two decimals, e.g. "12.50" or "7". */
export function isMoneyString(value: string): boolean {
  return /^-?\d{1,15}(\.\d{1,2})?$/.test(value);
}
