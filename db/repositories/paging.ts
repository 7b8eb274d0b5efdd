/**
 * Paging of long lists (the task inbox, the case list) by keyset rather than offset, and totals
 * that stop counting at a cap: with 100,000 open cases a page deep in a list or its total must
 * not cost a scan of everything before it. A cursor is the sort key of the last row of a page,
 * opaque to clients (base64url JSON), and only valid for the sort it was made for.
 */
import { sql, type SQL } from 'drizzle-orm';

/** Totals are exact up to this many; beyond it the list says "more than". */
export const TOTAL_CAP = 1000;

export class CursorError extends Error {}

export interface Cursor {
  /** The sort this cursor continues, e.g. "dueAt:asc". */
  sort: string;
  /** The sort key of the page's last row (instants as ISO strings, ±infinity as those words). */
  key: Array<string | null>;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, ...c.key])).toString('base64url');
}

export function decodeCursor(text: string, sort: string, keyLength: number): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('cursor is not one this API issued');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== keyLength + 1 ||
    parsed.some((v) => v !== null && typeof v !== 'string')
  ) {
    throw new CursorError('cursor is not one this API issued');
  }
  if (parsed[0] !== sort) throw new CursorError(`cursor was issued for the sort ${String(parsed[0])}, not ${sort}`);
  // Instants as PostgreSQL writes them, ±infinity, task UUIDs, case IDs: nothing else.
  for (const v of parsed.slice(1) as Array<string | null>) {
    if (
      v !== null &&
      !/^(-?infinity|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+[+-][0-9:]+|[0-9a-f-]{36}|[a-z0-9-]{1,80})$/.test(v)
    ) {
      throw new CursorError('cursor is not one this API issued');
    }
  }
  return { sort, key: parsed.slice(1) as Array<string | null> };
}

/**
 * The total of a list from the rows of a count query limited to TOTAL_CAP + 1 (a select of a
 * constant, so the rows are tiny and the scan stops there): the total, and whether it was capped.
 */
export function cappedTotal(counted: number): { total: number; totalCapped: boolean } {
  return counted > TOTAL_CAP ? { total: TOTAL_CAP, totalCapped: true } : { total: counted, totalCapped: false };
}

/** Instants of a cursor as SQL timestamptz values (±infinity kept). */
export function instantParam(value: string | null): SQL {
  return sql`${value}::timestamptz`;
}
