/**
 * Verifying the audit trail: every case's hash chain, and the anchors that fix the heads of all
 * chains at a point in time (so deleting a whole case's events, or rewriting a chain from some
 * event on with fresh hashes, is still found).
 */
import { createHash } from 'node:crypto';
import { asc, desc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { auditAnchors, auditRefusals, caseEvents } from '../schema';
import { verifyCaseChain, verifyChain, type ChainProblem } from './events';

/** Advisory lock key of anchor writing ("anchor" in ASCII). */
const ANCHOR_LOCK = 0x616e63686f72;

/** Heads of every chain as of event `upToEventId`, as (case ID, hash) pairs sorted by case. */
async function headsAt(db: DbOrTx, upToEventId: number): Promise<Array<{ caseId: string; hash: string }>> {
  const rows = await db.execute<{ case_id: string; hash: string }>(sql`
    select distinct on (case_id) case_id, hash from ${caseEvents}
    where id <= ${upToEventId} and hash is not null
    order by case_id, chain_seq desc`);
  return rows.rows.map((r) => ({ caseId: r.case_id, hash: r.hash })).sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
}

function anchorHash(
  previousHash: string | null,
  upToEventId: number,
  heads: Array<{ caseId: string; hash: string }>,
): string {
  return createHash('sha256')
    .update(`${previousHash ?? ''}\n${upToEventId}\n${heads.map((h) => `${h.caseId}:${h.hash}`).join('\n')}`)
    .digest('hex');
}

/**
 * Fixes the current heads of every chain in a new anchor, linked to the previous one. Anchors
 * form a chain of their own, so two writers must not both link to the same previous anchor: a
 * transaction-scoped advisory lock serialises them. With `onlyIfNew`, nothing is written when no
 * event was appended since the last anchor (the periodic schedule uses it).
 */
export async function createAnchor(
  db: DbOrTx,
  o: { onlyIfNew?: boolean } = {},
): Promise<{ created: boolean; upToEventId: number; caseCount: number; hash: string }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ANCHOR_LOCK})`);
    const [{ max }] = (await tx.execute<{ max: number | null }>(sql`select max(id)::bigint as max from ${caseEvents}`))
      .rows;
    const upToEventId = Number(max ?? 0);
    const [previous] = await tx
      .select()
      .from(auditAnchors)
      .orderBy(desc(auditAnchors.upToEventId), desc(auditAnchors.createdAt))
      .limit(1);
    if (o.onlyIfNew && (previous ? previous.upToEventId >= upToEventId : upToEventId === 0)) {
      return {
        created: false,
        upToEventId: previous?.upToEventId ?? 0,
        caseCount: previous?.caseCount ?? 0,
        hash: previous?.hash ?? '',
      };
    }
    const heads = await headsAt(tx, upToEventId);
    const hash = anchorHash(previous?.hash ?? null, upToEventId, heads);
    await tx
      .insert(auditAnchors)
      .values({ upToEventId, caseCount: heads.length, hash, previousHash: previous?.hash ?? null });
    return { created: true, upToEventId, caseCount: heads.length, hash };
  });
}

export interface AuditReport {
  ok: boolean;
  casesChecked: number;
  eventsChecked: number;
  anchorsChecked: number;
  problems: Array<
    ChainProblem | { caseId: null; chainSeq: null; eventId: null; problem: 'anchor_mismatch'; detail: string }
  >;
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
  const anchors = await db
    .select()
    .from(auditAnchors)
    .orderBy(asc(auditAnchors.upToEventId), asc(auditAnchors.createdAt));
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
  return {
    ok: problems.length === 0,
    casesChecked: byCase.size,
    eventsChecked: rows.length,
    anchorsChecked: anchors.length,
    problems,
  };
}

export interface RefusalRow {
  actorId?: string | null;
  actorRole?: string | null;
  agencyCode?: string | null;
  action: string;
  caseId?: string | null;
  code: string;
  reason: string;
}

/** One refused attempt in audit_refusals (the API's refusals, and the workflows' through the worker's sink). */
export async function insertRefusal(db: DbOrTx, r: RefusalRow): Promise<void> {
  await db.insert(auditRefusals).values({
    actorId: (r.actorId ?? 'anonymous').slice(0, 200),
    actorRole: (r.actorRole ?? 'none').slice(0, 60),
    agencyCode: r.agencyCode ?? null,
    action: r.action.slice(0, 200),
    caseId: r.caseId ?? null,
    code: r.code.slice(0, 100),
    reason: r.reason.slice(0, 1000),
    occurredAt: new Date(),
  });
}
