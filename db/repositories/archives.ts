/**
 * Archives (A-1..A-3, GB/T 31599): when a case closes, its application, materials, review
 * records, notices, messages and outcome are filed as one record with a content hash and a
 * retention class; authorised look-ups are served from it and each one is logged.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { archiveLookups, archiveRecords } from '../schema';
import { getCaseDetail } from './cases';
import { canonicalJson } from './events';

/**
 * Retention class per procedure. GB/T 31599 sets the classes (永久, 100年, 30年, 10年); which
 * class each business of flexible workers falls into is a local decision — UNVERIFIED, to be
 * confirmed with the provincial archive rules before go-live.
 */
export const RETENTION_CLASS: Record<string, string> = {
  enrollment: 'permanent',
  stop: 'permanent',
  transfer_in: 'permanent',
  transfer_out: 'permanent',
  benefit_claim: 'permanent',
  pre_review: '30y',
};

export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Files the closed case (idempotent: a case is filed once). */
export async function fileArchive(tx: DbOrTx, caseId: string, filedAt: Date): Promise<void> {
  const view = await getCaseDetail(tx, caseId);
  if (!view) return;
  const { person, ...rest } = view;
  // The archive keeps the record as the agency holds it, personal data included: it is served
  // only to authorised roles and every look-up is logged.
  const content = { ...rest, person };
  await tx
    .insert(archiveRecords)
    .values({
      caseId,
      agencyCode: view.agencyCode,
      procedure: view.procedure,
      retentionClass: RETENTION_CLASS[view.procedure] ?? 'permanent',
      content: content,
      contentHash: contentHash(content),
      filedAt,
    })
    .onConflictDoNothing({ target: archiveRecords.caseId });
}

/** reads an archive record and logs the look-up (who, role, purpose, when). */
export async function lookUpArchive(
  db: DbOrTx,
  o: { caseId: string; actorId: string; actorRole: string; purpose?: string },
): Promise<(typeof archiveRecords.$inferSelect & { intact: boolean }) | undefined> {
  const [record] = await db.select().from(archiveRecords).where(eq(archiveRecords.caseId, o.caseId));
  if (!record) return undefined;
  await db.insert(archiveLookups).values({
    archiveId: record.id,
    caseId: record.caseId,
    actorId: o.actorId,
    actorRole: o.actorRole,
    purpose: o.purpose ?? null,
    occurredAt: new Date(),
  });
  return { ...record, intact: contentHash(record.content) === record.contentHash };
}

export async function archiveLookupLog(db: DbOrTx, caseId: string) {
  return db
    .select()
    .from(archiveLookups)
    .where(and(eq(archiveLookups.caseId, caseId)))
    .orderBy(desc(archiveLookups.occurredAt));
}
