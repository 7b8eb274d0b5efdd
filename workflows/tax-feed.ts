/**
 * Pulling the tax department's contribution feed (C-1), started daily by the `tax-feed-daily`
 * schedule (composition/schedules.ts) or by hand. Pulls page after page until the feed is drained;
 * after `maxPages` pages it continues as new (a short history per run) carrying its totals. The
 * cursor lives in the database, so a run that fails or is cancelled loses nothing: the next
 * run continues where the last committed page ended.
 */
import { continueAsNew, log } from '@temporalio/workflow';
import type { PullTaxFeedResult } from '../activities/contributions-intake';
import { external } from './shared/activity-options';

export interface TaxFeedTotals {
  pages: number;
  rows: number;
  accepted: number;
  duplicates: number;
  refused: number;
  resumed: number;
  /** Runs of this pull so far (1 + the number of continue-as-new). */
  runs: number;
}

export interface TaxFeedPullInput {
  /** Records per page (default 1000). */
  pageSize?: number;
  /** Pages per run before continuing as new (default 50). */
  maxPages?: number;
  /** Totals of the earlier runs of this pull (set by continue-as-new). */
  carried?: TaxFeedTotals;
}

/** Fixed ID of a pull started by hand; the schedule adds its own timestamp suffix. */
export const TAX_FEED_WORKFLOW_ID = 'tax-feed-pull';

export async function taxFeedPull(input: TaxFeedPullInput = {}): Promise<TaxFeedTotals> {
  const pageSize = input.pageSize ?? 1000;
  const maxPages = input.maxPages ?? 50;
  const totals: TaxFeedTotals = input.carried
    ? { ...input.carried, runs: input.carried.runs + 1 }
    : { pages: 0, rows: 0, accepted: 0, duplicates: 0, refused: 0, resumed: 0, runs: 1 };
  for (let i = 0; i < maxPages; i += 1) {
    const page: PullTaxFeedResult = await external.pullTaxFeed({ limit: pageSize });
    if (page.batchId) totals.pages += 1;
    for (const k of ['rows', 'accepted', 'duplicates', 'refused', 'resumed'] as const) totals[k] += page[k];
    if (!page.more) {
      log.info('tax feed drained', { ...totals });
      return totals;
    }
  }
  log.info('tax feed not drained after maxPages: continuing as new', { ...totals });
  return continueAsNew<typeof taxFeedPull>({ pageSize, maxPages, carried: totals });
}
