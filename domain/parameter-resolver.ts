/**
 * Looking up the parameters a computation needs, as published over time, and saying exactly
 * which rows it used. Three outcomes per look-up:
 * - published: the row in force (its version and `verified` flag are recorded);
 * - provisional: a yearly value for a year after the latest published one (the interest rate of
 *   last year is published around mid-year; the 计发基数 of the retirement year later still) —
 *   the latest published year's value stands in and the result is marked provisional, to be
 *   recalculated when the value is published (待遇重算);
 * - missing: no row at all (a year before the first published one, a gap in the series, a
 *   period parameter with no row in force) — the computation cannot be made and the case waits
 *   for a supervisor to publish the value. Nothing is ever guessed silently.
 * Pure and deterministic, so workflows may import it.
 */
import { ParameterLookupError } from './errors';
import { pickParameter, regionChain, type ParameterValue } from './parameters';

/** One parameter row the computation read, as the award, sheet or decision records it. */
export interface ParameterUsed {
  name: string;
  region: string;
  validFrom: string;
  /** Version of the published row (1 for the first publication of the key, +1 per correction). */
  version: number;
  verified: boolean;
  value: string;
  source: string;
  /** For yearly parameters: the year the value was wanted for. */
  year?: number;
  /** True when the row stands in for a year not yet published (`year` is that year). */
  provisional?: boolean;
}

/** A parameter the computation needs and nobody has published. */
export interface MissingParameter {
  name: string;
  region: string;
  /** The year wanted (yearly parameters). */
  year?: number;
  /** The date wanted (period parameters). */
  onDate?: string;
}

/** An activity's answer when its computation waits for parameters nobody has published. */
export interface AwaitingParameters {
  awaitingParameters: MissingParameter[];
}

/** True for an {@link AwaitingParameters} answer. */
export function isAwaitingParameters(value: unknown): value is AwaitingParameters {
  return typeof value === 'object' && value !== null && Array.isArray((value as AwaitingParameters).awaitingParameters);
}

/** A computation cannot be made until these parameters are published. */
export class MissingParametersError extends Error {
  readonly code = 'PARAMETERS_MISSING';

  constructor(readonly missing: MissingParameter[]) {
    super(`parameters not published: ${missing.map(describeMissing).join('; ')}`);
    this.name = 'MissingParametersError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** "account.interestRate 1995 (62)" — for messages and task titles (no personal data). */
export function describeMissing(m: MissingParameter): string {
  return `${m.name} ${m.year ?? m.onDate ?? ''} (${m.region})`.replace('  ', ' ');
}

/**
 * The latest row of a parameter across the region chain: the one whose coverage ends last
 * (its validTo, or its validFrom when open-ended); undefined when there is none.
 */
function latestRow(
  rows: readonly ParameterValue<unknown>[],
  name: string,
  region: string,
): ParameterValue<unknown> | undefined {
  const chain = new Set(regionChain(region));
  let latest: ParameterValue<unknown> | undefined;
  for (const row of rows) {
    if (row.name !== name || !chain.has(row.region)) continue;
    const end = row.validTo ?? row.validFrom;
    if (!latest || end > (latest.validTo ?? latest.validFrom)) latest = row;
  }
  return latest;
}

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Resolves parameters for one region, remembering every row used, every provisional stand-in
 * and every missing value, so a caller can compute as far as it can, then either report all the
 * missing values at once or record exactly what the result rests on.
 */
export class ParameterResolver {
  private readonly usedRows = new Map<string, ParameterUsed>();
  readonly missing: MissingParameter[] = [];

  constructor(
    readonly rows: readonly ParameterValue<unknown>[],
    readonly region: string,
  ) {}

  /** The row in force on a date; undefined (and recorded as missing) when none is. */
  onDate<T = unknown>(name: string, onDate: string, region = this.region): ParameterValue<T> | undefined {
    try {
      const row = pickParameter(this.rows, name, region, onDate) as ParameterValue<T>;
      this.use(row);
      return row;
    } catch (err) {
      if (err instanceof ParameterLookupError && err.code === 'PARAMETER_NOT_FOUND') {
        this.addMissing({ name, region, onDate });
        return undefined;
      }
      throw err;
    }
  }

  /**
   * The row in force on a date, with publication in mind: the row covering the date; for a date
   * after the latest published row ends (a year not yet published), that latest row, marked
   * provisional; else (before the first row, in a gap) undefined, recorded as missing.
   */
  inForce<T = unknown>(
    name: string,
    onDate: string,
    o: { region?: string; year?: number } = {},
  ): { row: ParameterValue<T>; provisional: boolean } | undefined {
    const region = o.region ?? this.region;
    try {
      const row = pickParameter(this.rows, name, region, onDate);
      this.use(row, { year: o.year });
      return { row: row as ParameterValue<T>, provisional: false };
    } catch (err) {
      if (!(err instanceof ParameterLookupError) || err.code !== 'PARAMETER_NOT_FOUND') throw err;
    }
    const latest = latestRow(this.rows, name, region);
    if (latest?.validTo !== undefined && onDate > latest.validTo) {
      this.use(latest, { year: o.year ?? Number(onDate.slice(0, 4)), provisional: true });
      return { row: latest as ParameterValue<T>, provisional: true };
    }
    this.addMissing(o.year !== undefined ? { name, region, year: o.year } : { name, region, onDate });
    return undefined;
  }

  /** A yearly parameter (one row per calendar year): {@link inForce} on 1 January of the year. */
  forYear<T = unknown>(
    name: string,
    year: number,
    region = this.region,
  ): { row: ParameterValue<T>; provisional: boolean } | undefined {
    return this.inForce<T>(name, `${String(year).padStart(4, '0')}-01-01`, { region, year });
  }

  /** Every row used, in the order first used. */
  used(): ParameterUsed[] {
    return [...this.usedRows.values()];
  }

  /** The provisional stand-ins used (empty when the result is final). */
  provisional(): ParameterUsed[] {
    return this.used().filter((u) => u.provisional);
  }

  /** Throws {@link MissingParametersError} listing every missing value, if any. */
  assertComplete(): void {
    if (this.missing.length > 0) throw new MissingParametersError([...this.missing]);
  }

  private addMissing(m: MissingParameter): void {
    if (
      !this.missing.some(
        (x) => x.name === m.name && x.region === m.region && x.year === m.year && x.onDate === m.onDate,
      )
    )
      this.missing.push(m);
  }

  private use(row: ParameterValue<unknown>, o: { year?: number; provisional?: boolean } = {}): void {
    const key = `${row.name}|${row.region}|${row.validFrom}|${o.provisional ? o.year : ''}`;
    if (this.usedRows.has(key)) return;
    this.usedRows.set(key, {
      name: row.name,
      region: row.region,
      validFrom: row.validFrom,
      version: row.version ?? 1,
      verified: row.verified ?? false,
      value: valueText(row.value),
      source: row.source,
      ...(o.year !== undefined ? { year: o.year } : {}),
      ...(o.provisional ? { provisional: true } : {}),
    });
  }
}
