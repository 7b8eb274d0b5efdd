/**
 * Idempotency-Key, bound to the caller and the body. A key names one request of one caller:
 * the same caller repeating it with the same body gets the first answer; the same caller with
 * another body gets 422 `idempotency.mismatch` and nothing is done; another caller's key of the
 * same text is another key. Keys live in `idempotency_keys` under a scope of the route and the
 * caller (`POST /api/v1/enrollments by clerk-01`).
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { canonicalJson } from '../../db/repositories/events';
import { idempotencyKeys } from '../../db/schema';
import { unprocessable } from '../errors';

/** SHA-256 of the body in canonical form (object keys sorted, as the event chain hashes), hex. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** The scope a caller's keys of a route live in. */
export function keyScope(route: string, callerId: string): string {
  return `${route} by ${callerId}`;
}

export function mismatch(): never {
  throw unprocessable(
    'idempotency.mismatch',
    'Idempotency-Key 已由您用于内容不同的请求：重试须发送完全相同的请求，新请求请使用新的 Idempotency-Key',
    'Idempotency-Key',
  );
}

/**
 * Binds a key of a request on an existing case (a decision, a supplement, an extension, a
 * certification, a task's completion) to its caller and body, and returns the ID downstream
 * de-duplication uses (the Temporal Update ID): derived from scope and key, so it is stable for
 * the caller's retries and distinct from every other caller's.
 */
export async function bindKey(
  db: DbOrTx,
  o: { route: string; callerId: string; key: string; body: unknown; caseId: string },
): Promise<string> {
  const scope = keyScope(o.route, o.callerId);
  const hash = requestHash({ caseId: o.caseId, body: o.body });
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ scope, key: o.key, requestHash: hash, caseId: o.caseId, responseStatus: 200 })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) {
    const [row] = await db
      .select({ requestHash: idempotencyKeys.requestHash })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, o.key)));
    if (row && row.requestHash !== hash) mismatch();
  }
  return createHash('sha256').update(`${scope}\n${o.key}`).digest('hex').slice(0, 32);
}
