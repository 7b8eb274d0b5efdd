/**
 * Verifying the audit trail: every case's hash chain, and the anchors that fix the heads of all
 * chains at a point in time (so deleting a whole case's events, or rewriting a chain from some
 * event on with fresh hashes, is still found).
 */
import { createHash } from 'node:crypto';
import { asc, desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { auditAnchors, caseEvents } from '../schema';
import { verifyCaseChain, verifyChain, type ChainProblem } from './events';

/** Heads of every chain as of event `upToEventId`, as (case ID, hash) pairs sorted by case. */
async function headsAt(db: DbOrTx, upToEventId: number): Promise<Array<{ caseId: string; hash: string }>> {
  const rows = await db.execute<{ case_id: string; hash: string }>(sql`
    select distinct on (case_id) case_id, hash from ${caseEvents}
    where id <= ${upToEventId} and hash is not null
    order by case_id, chain_seq desc`);
  return rows.rows.map((r) => ({ caseId: r.case_id, hash: r.hash })).sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
}

function anchorHash(previousHash: string | null, upToEventId: number, heads: Array<{ caseId: string; hash: string }>): string {
  return createHash('sha256')
    .update(`${previousHash ?? ''}\n${upToEventId}\n${heads.map((h) => `${h.caseId}:${h.hash}`).join('\n')}`)
    .digest('hex');
}

/** Fixes the current heads of every chain in a new anchor, linked to the previous one. */
export async function createAnchor(db: DbOrTx): Promise<{ upToEventId: number; caseCount: number; hash: string }> {
  const [{ max }] = (await db.execute<{ max: number | null }>(sql`select max(id)::bigint as max from ${caseEvents}`)).rows;
  const upToEventId = Number(max ?? 0);
  const [previous] = await db.select().from(auditAnchors).orderBy(desc(auditAnchors.upToEventId), desc(auditAnchors.createdAt)).limit(1);
  const heads = await headsAt(db, upToEventId);
  const hash = anchorHash(previous?.hash ?? null, upToEventId, heads);
  await db.insert(auditAnchors).values({ upToEventId, caseCount: heads.length, hash, previousHash: previous?.hash ?? null });
  return { upToEventId, caseCount: heads.length, hash };
}

export interface AuditReport {
  ok: boolean;
  casesChecked: number;
  eventsChecked: number;
  anchorsChecked: number;
  problems: Array<ChainProblem | { caseId: null; chainSeq: null; eventId: null; problem: 'anchor_mismatch'; detail: string }>;
}

/** Verifies one case's chain, or every chain and every anchor. */
export async function verifyAuditTrail(db: DbOrTx, caseId?: string): Promise<AuditReport> {
  if (caseId) {
    const r = await verifyCaseChain(db, caseId);
    return { ok: r.ok, casesChecked: 1, eventsChecked: r.events, anchorsChecked: 0, problems: r.problems };
  }
  const rows = await db.select().from(caseEvents).orderBy(asc(caseEvents.caseId), asc(caseEvents.chainSeq));
  const byCase = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byCase.get(row.caseId) ?? [];
    list.push(row);
    byCase.set(row.caseId, list);
  }
  const problems: AuditReport['problems'] = [];
  for (const [id, list] of byCase) problems.push(...verifyChain(id, list).problems);
  const anchors = await db.select().from(auditAnchors).orderBy(asc(auditAnchors.upToEventId), asc(auditAnchors.createdAt));
  let previous: string | null = null;
  for (const anchor of anchors) {
    const expected = anchorHash(previous, anchor.upToEventId, await headsAt(db, anchor.upToEventId));
    if (expected !== anchor.hash || anchor.previousHash !== previous) {
      problems.push({
        caseId: null,
        chainSeq: null,
        eventId: null,
        problem: 'anchor_mismatch',
        detail: `anchor up to event ${anchor.upToEventId} (${anchor.createdAt.toISOString()}) no longer matches the chains: events covered by it were changed or removed`,
      });
    }
    previous = anchor.hash;
  }
  return { ok: problems.length === 0, casesChecked: byCase.size, eventsChecked: rows.length, anchorsChecked: anchors.length, problems };
}
