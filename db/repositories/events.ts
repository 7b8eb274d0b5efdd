/**
 * The case event log as a hash chain: each event carries the hash of the case's previous event,
 * so an edited, deleted or reordered event breaks the chain, and `verifyCaseChain` finds it.
 * Writes to one case are serialised by locking its row.
 */
import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { caseEvents, cases, type CaseEvent } from '../schema';
import { canonicalJson } from '../../domain/canonical-json';

export interface NewEvent {
  caseId: string;
  eventKey: string;
  type: string;
  clause: string | null;
  stage: string | null;
  actorId: string | null;
  actorRole: string | null;
  detail: Record<string, unknown>;
  occurredAt: Date;
}

export { canonicalJson };

export function eventHash(prevHash: string | null, chainSeq: number, e: NewEvent): string {
  const body = canonicalJson({
    caseId: e.caseId,
    chainSeq,
    eventKey: e.eventKey,
    type: e.type,
    clause: e.clause,
    stage: e.stage,
    actorId: e.actorId,
    actorRole: e.actorRole,
    detail: e.detail,
    occurredAt: e.occurredAt.toISOString(),
  });
  return createHash('sha256')
    .update(`${prevHash ?? ''}\n${body}`)
    .digest('hex');
}

/** Appends an event to its case's chain; returns false when the event key was recorded already. */
export async function appendEvent(tx: DbOrTx, e: NewEvent): Promise<boolean> {
  return (await appendEventToLockedCase(tx, e)).appended;
}

/** The case row as it was before the step, read with the lock (case-steps.ts uses it). */
export interface LockedCase {
  dueAt: Date | null;
  personId: string;
  agencyCode: string;
  channel: string;
}

/**
 * Appends an event to its case's chain, holding the case row's lock (one writer per case at a
 * time, so the chain has no forks) until the transaction ends. The lock, the chain's head and
 * whether the event key was recorded already are one statement; the case row comes back as it
 * was. `appended` is false when the event key was recorded already.
 */
export async function appendEventToLockedCase(
  tx: DbOrTx,
  e: NewEvent,
): Promise<{ appended: boolean; locked?: LockedCase }> {
  const result = await tx.execute<{
    due_at: Date | string | null;
    person_id: string;
    agency_code: string;
    channel: string;
    chain_seq: number | null;
    hash: string | null;
    recorded: boolean;
  }>(sql`
    select c.due_at, c.person_id, c.agency_code, c.channel, h.chain_seq, h.hash,
           exists (select 1 from ${caseEvents} x where x.event_key = ${e.eventKey}) as recorded
    from ${cases} c
    left join lateral (
      select chain_seq, hash from ${caseEvents} where case_id = c.id order by chain_seq desc limit 1
    ) h on true
    where c.id = ${e.caseId}
    for update of c`);
  const [row] = result.rows;
  const locked = row
    ? {
        dueAt: row.due_at === null ? null : new Date(row.due_at),
        personId: row.person_id,
        agencyCode: row.agency_code,
        channel: row.channel,
      }
    : undefined;
  if (row?.recorded) return { appended: false, locked };
  const chainSeq = (row?.chain_seq ?? 0) + 1;
  const prevHash = row?.hash ?? null;
  const inserted = await tx
    .insert(caseEvents)
    .values({ ...e, chainSeq, prevHash, hash: eventHash(prevHash, chainSeq, e) })
    .onConflictDoNothing({ target: caseEvents.eventKey })
    .returning({ id: caseEvents.id });
  return { appended: inserted.length > 0, locked };
}

export interface ChainProblem {
  caseId: string;
  chainSeq: number | null;
  eventId: number | null;
  problem: 'edited' | 'missing' | 'reordered' | 'broken_link';
  detail: string;
}

/** Recomputes one case's chain from its rows and lists every problem found. */
export function verifyChain(
  caseId: string,
  rows: CaseEvent[],
): { ok: boolean; events: number; head: string | null; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  const sorted = [...rows].sort((a, b) => (a.chainSeq ?? 0) - (b.chainSeq ?? 0));
  let prev: string | null = null;
  let expectedSeq = 1;
  for (const row of sorted) {
    const seq = row.chainSeq ?? 0;
    if (seq !== expectedSeq) {
      problems.push({
        caseId,
        chainSeq: expectedSeq,
        eventId: null,
        problem: 'missing',
        detail: `event ${expectedSeq}${seq > expectedSeq + 1 ? `–${seq - 1}` : ''} of the chain is missing`,
      });
      expectedSeq = seq;
    }
    if (row.prevHash !== prev) {
      problems.push({
        caseId,
        chainSeq: seq,
        eventId: row.id,
        problem: 'broken_link',
        detail: `event ${seq} does not follow the previous event's hash`,
      });
    }
    const recomputed = eventHash(row.prevHash, seq, {
      caseId: row.caseId,
      eventKey: row.eventKey,
      type: row.type,
      clause: row.clause,
      stage: row.stage,
      actorId: row.actorId,
      actorRole: row.actorRole,
      detail: row.detail,
      occurredAt: row.occurredAt,
    });
    if (recomputed !== row.hash)
      problems.push({
        caseId,
        chainSeq: seq,
        eventId: row.id,
        problem: 'edited',
        detail: `event ${seq} does not match its hash: its content was changed`,
      });
    prev = row.hash;
    expectedSeq += 1;
  }
  // Rows stored out of order (ids not increasing along the chain) were re-inserted or reordered.
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].id < sorted[i - 1].id) {
      problems.push({
        caseId,
        chainSeq: sorted[i].chainSeq,
        eventId: sorted[i].id,
        problem: 'reordered',
        detail: `event ${sorted[i].chainSeq} was stored before event ${sorted[i - 1].chainSeq}`,
      });
    }
  }
  return {
    ok: problems.length === 0,
    events: rows.length,
    head: sorted.length > 0 ? sorted[sorted.length - 1].hash : null,
    problems,
  };
}

export async function verifyCaseChain(db: DbOrTx, caseId: string) {
  const rows = await db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.chainSeq));
  return verifyChain(caseId, rows);
}
