/**
 * The tax department pushes contribution records (C-1) as well as being pulled (issue 9): one
 * delivery is one batch (`tax_push`), checked row by row exactly as a file or the feed, plus the
 * notices that a person's contributions stopped (the relation becomes interrupted). A delivery
 * is all or nothing: one bad row refuses the batch with every bad row listed, and nothing is
 * written. The Idempotency-Key is bound to the sender and the body: the same key and body answer
 * what the first delivery did; another body under the same key is refused.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  applyInterruptions,
  createBatch,
  finishBatch,
  importRows,
  loadImportContext,
  type InterruptionNotice,
} from '../../db/repositories/contributions';
import { contributionBatches } from '../../db/schema';
import { CONTRIBUTION_COLUMNS, type RawContributionRow, type RowRefusal } from '../../domain/contribution-rows';
import { ApiError, unprocessable } from '../errors';
import { requestHash } from './idempotency';

export interface PushBody {
  records: Array<Record<string, unknown>>;
  interruptions?: Array<{ idNumber: string; name: string; agencyCode: string; lastPaidMonth: string }>;
}

export interface PushResult {
  batchId: string;
  reference: string;
  rows: number;
  accepted: number;
  duplicates: number;
  resumed: number;
  interrupted: number;
  replayed: boolean;
}

class BatchRefused extends Error {
  constructor(readonly refusals: RowRefusal[]) {
    super('batch refused');
  }
}

export async function pushContributionBatch(
  db: Db,
  o: { body: PushBody; key: string; sender: string; now: Date },
): Promise<PushResult> {
  const hash = requestHash(o.body);
  const reference = `push:${o.sender}:${o.key}`;
  const previous = async (): Promise<PushResult | undefined> => {
    const [b] = await db
      .select()
      .from(contributionBatches)
      .where(
        and(eq(contributionBatches.source, 'tax_push'), eq(contributionBatches.requestKey, `${o.sender}:${o.key}`)),
      );
    if (!b) return undefined;
    if (b.requestHash !== hash)
      throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的批次', 'Idempotency-Key');
    return {
      batchId: b.id,
      reference: b.reference,
      rows: b.accepted + b.duplicates,
      accepted: b.accepted,
      duplicates: b.duplicates,
      resumed: 0,
      interrupted: b.interrupted,
      replayed: true,
    };
  };
  const seen = await previous();
  if (seen) return seen;

  const rows: RawContributionRow[] = o.body.records.map((r, i) => {
    const row: RawContributionRow = { line: i + 1 };
    for (const c of CONTRIBUTION_COLUMNS) row[c] = r[c];
    return row;
  });
  const notices: InterruptionNotice[] = (o.body.interruptions ?? []).map((n, i) => ({ ...n, line: i + 1 }));
  const ctx = await loadImportContext(db, o.now);
  try {
    return await db.transaction(async (tx) => {
      const batchId = await createBatch(tx, {
        source: 'tax_push',
        reference,
        receivedAt: o.now,
        request: { key: `${o.sender}:${o.key}`, hash, submittedBy: o.sender },
      });
      const outcome = await importRows(tx, ctx, { id: batchId, source: 'tax_push' }, rows);
      const stops = await applyInterruptions(tx, ctx, notices);
      const refusals = [
        ...outcome.refusals.map((r) => ({ ...r, field: `records[${r.line - 1}]` })),
        ...stops.refusals.map((r) => ({ ...r, field: `interruptions[${r.line - 1}]` })),
      ];
      // All or nothing: the transaction rolls back and the sender gets every bad row at once.
      if (refusals.length > 0) throw new BatchRefused(refusals);
      await tx
        .update(contributionBatches)
        .set({ interrupted: stops.interrupted })
        .where(eq(contributionBatches.id, batchId));
      await finishBatch(tx, batchId, o.now);
      return {
        batchId,
        reference,
        rows: rows.length,
        accepted: outcome.accepted,
        duplicates: outcome.duplicates + stops.duplicates,
        resumed: outcome.resumed,
        interrupted: stops.interrupted,
        replayed: false,
      };
    });
  } catch (err) {
    if (err instanceof BatchRefused) {
      throw new ApiError(
        422,
        'contributions.batch_refused',
        `批次未接收：${err.refusals.length} 行有误，须全部更正后重新推送（本批未写入任何记录）`,
        err.refusals[0] && (err.refusals[0] as { field?: string }).field,
        {
          refusals: err.refusals,
        },
      );
    }
    // The same key delivered twice at once: the other delivery won the unique index.
    if ((err as { cause?: { code?: string } }).cause?.code === '23505' || (err as { code?: string }).code === '23505') {
      const won = await previous();
      if (won) return won;
    }
    throw err;
  }
}
