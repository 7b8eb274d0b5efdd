/**
 * The tax department's contribution feed (C-1): one page per activity call, imported through
 * the same core as files (db/repositories/contributions.ts).
 *
 * The cursor is kept durably in the database: it is the reference of the last `tax_feed` batch,
 * written in the same transaction as the page's records. A pull reads the cursor, asks the feed
 * for the records after it, then, holding a transaction-level advisory lock, checks that the
 * cursor has not moved (another pull got there first: nothing is written, the caller pulls
 * again) and writes the batch, the records and the relation changes together. An attempt that
 * fails before the commit writes nothing; a retry after a commit starts from the new cursor. So
 * every page is imported exactly once, whichever worker runs it.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import { sql } from 'drizzle-orm';
import type { TaxContributionRecord, TaxFeed } from '../adapters/government/types';
import type { Db } from '../db/client';
import {
  DEFAULT_CHUNK_SIZE,
  createBatch,
  finishBatch,
  importRows,
  lastTaxFeedCursor,
  loadImportContext,
  zeroCounts,
  type ImportCounts,
} from '../db/repositories/contributions';
import { CONTRIBUTION_COLUMNS, type RawContributionRow } from '../domain/contribution-rows';

export interface ContributionIntakeDeps {
  db: Db;
  government: { taxFeed: TaxFeed };
  now?: () => Date;
}

export interface PullTaxFeedInput {
  /** Records asked for per page (the simulator allows up to 10 000). */
  limit?: number;
}

export interface PullTaxFeedResult extends ImportCounts {
  /** The batch written, or null when the page was empty or another pull moved the cursor. */
  batchId: string | null;
  /** The cursor the page started from and the one after it. */
  cursorBefore: string | null;
  cursor: string | null;
  /** True when the feed may hold more (a full page, or a pull lost the race): pull again. */
  more: boolean;
}

/** Advisory-lock key of the tax-feed cursor (any fixed 64-bit number unique in this database). */
const TAX_FEED_LOCK = sql`hashtext('contribution_batches.tax_feed_cursor')`;

export const DEFAULT_TAX_FEED_PAGE = 1000;

function rowsOf(records: readonly TaxContributionRecord[]): RawContributionRow[] {
  // The feed's own types are not trusted: each field is checked like a file's.
  return records.map((r: unknown, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return { line: i + 1, malformed: '不是JSON对象' };
    const row: RawContributionRow = { line: i + 1 };
    for (const c of CONTRIBUTION_COLUMNS) row[c] = (r as Record<string, unknown>)[c];
    return row;
  });
}

/** Pulls and imports one page of the feed (see the module comment). */
export async function pullTaxFeedPage(
  deps: ContributionIntakeDeps,
  input: PullTaxFeedInput = {},
): Promise<PullTaxFeedResult> {
  const limit = input.limit ?? DEFAULT_TAX_FEED_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw ApplicationFailure.nonRetryable(`limit must be 1..10000, got ${limit}`, 'tax_feed.bad_limit');
  const now = deps.now ?? (() => new Date());
  const cursorBefore = await lastTaxFeedCursor(deps.db);
  const page = await deps.government.taxFeed.pull({ cursor: cursorBefore, limit });
  const nothing = (more: boolean, cursor: string | null): PullTaxFeedResult => ({
    ...zeroCounts(),
    batchId: null,
    cursorBefore,
    cursor,
    more,
  });
  if (page.records.length === 0) return nothing(false, cursorBefore);
  if (!page.nextCursor || page.nextCursor === cursorBefore) {
    throw ApplicationFailure.nonRetryable(
      'the tax feed returned records without advancing its cursor',
      'tax_feed.no_cursor',
    );
  }
  const nextCursor = page.nextCursor;
  const ctx = await loadImportContext(deps.db, now());
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${TAX_FEED_LOCK})`);
    if ((await lastTaxFeedCursor(tx)) !== cursorBefore) return nothing(true, cursorBefore);
    const batchId = await createBatch(tx, { source: 'tax_feed', reference: nextCursor, receivedAt: now() });
    const counts = zeroCounts();
    const rows = rowsOf(page.records);
    for (let i = 0; i < rows.length; i += DEFAULT_CHUNK_SIZE) {
      const outcome = await importRows(
        tx,
        ctx,
        { id: batchId, source: 'tax_feed' },
        rows.slice(i, i + DEFAULT_CHUNK_SIZE),
      );
      for (const k of ['rows', 'accepted', 'duplicates', 'refused', 'resumed'] as const) counts[k] += outcome[k];
    }
    await finishBatch(tx, batchId, now());
    return { ...counts, batchId, cursorBefore, cursor: nextCursor, more: page.records.length >= limit };
  });
}

export function createContributionIntakeActivities(deps: ContributionIntakeDeps) {
  return {
    /** One page of the tax feed, imported (C-1). Idempotent through the durable cursor. */
    async pullTaxFeed(input: PullTaxFeedInput = {}): Promise<PullTaxFeedResult> {
      const result = await pullTaxFeedPage(deps, input);
      // Counts, cursor and batch ID only: never personal data in logs.
      const { batchId, cursor, rows, accepted, duplicates, refused, resumed, more } = result;
      if (batchId)
        log.info('tax feed page imported', { batchId, cursor, rows, accepted, duplicates, refused, resumed, more });
      return result;
    },
  };
}
