/**
 * Audits (稽核, R-5): routine (a period's closed cases, sampled), special (every case a query
 * selects) and tip-off driven (the cases a tip-off names, with a clock of its own run by the
 * tipOffAudit workflow). Findings link to cases; a finding to rectify opens an `audit_followup`
 * task on its case.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { DEFAULT_SAMPLING_PLAN, drawSample } from '../../domain/inspection-sample';
import type { ClockSnapshot } from '../../domain/case-records';
import type { DbOrTx } from '../client';
import { auditCases, auditCounters, audits, caseEvents, cases, findings } from '../schema';
import { caseRiskGrades, findingsWithFollowUps } from './supervision';

/** The query of a special audit (and the period of a routine one): all filters optional but the agency. */
export interface AuditQuery {
  procedure?: string;
  /** Closed (or, with status open, received) from / to, China dates inclusive. */
  from?: string;
  to?: string;
  status?: 'open' | 'closed';
  outcome?: 'approved' | 'refused' | 'withdrawn';
  channel?: 'online' | 'offline' | 'platform';
  /** Only cases whose statutory deadline was breached. */
  breached?: boolean;
  /** Only cases with more than one missing-materials notice round. */
  multipleNotices?: boolean;
  /** Only cases graded high risk. */
  highRisk?: boolean;
}

/** Most cases one audit covers; a query selecting more is refused (narrow it). */
export const AUDIT_CASE_LIMIT = 500;

export async function nextAuditId(tx: DbOrTx, agencyCode: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(auditCounters)
    .values({ agencyCode, year, last: 1 })
    .onConflictDoUpdate({
      target: [auditCounters.agencyCode, auditCounters.year],
      set: { last: sql`${auditCounters.last} + 1` },
    })
    .returning({ last: auditCounters.last });
  return `audit-${agencyCode}-${year}-${String(row.last).padStart(6, '0')}`;
}

/** The case IDs of the agency a query selects (at most AUDIT_CASE_LIMIT + 1, to tell "too many"). */
export async function casesMatching(db: DbOrTx, agencyCode: string, q: AuditQuery): Promise<string[]> {
  const where: SQL[] = [eq(cases.agencyCode, agencyCode)];
  if (q.procedure) where.push(sql`${cases.procedure}::text = ${q.procedure}`);
  if (q.status) where.push(eq(cases.status, q.status));
  if (q.outcome) where.push(sql`${cases.outcome}::text = ${q.outcome}`);
  if (q.channel) where.push(sql`${cases.channel}::text = ${q.channel}`);
  const instant = q.status === 'open' ? cases.receivedAt : cases.closedAt;
  if (q.from) where.push(sql`${instant} >= ${`${q.from}T00:00:00+08:00`}::timestamptz`);
  if (q.to) where.push(sql`${instant} < (${`${q.to}T00:00:00+08:00`}::timestamptz + interval '1 day')`);
  if (q.breached)
    where.push(
      sql`exists (select 1 from ${caseEvents} e where e.case_id = ${cases.id} and e.type = 'deadline_breached')`,
    );
  if (q.multipleNotices)
    where.push(
      sql`(select count(*) from notices n where n.case_id = ${cases.id} and n.kind in ('missing_materials', 'return_for_completion')) > 1`,
    );
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(...where))
    .orderBy(asc(cases.id))
    .limit(AUDIT_CASE_LIMIT * 4);
  let ids = rows.map((r) => r.id);
  if (q.highRisk) {
    const grades = await caseRiskGrades(db, ids);
    ids = ids.filter((id) => grades.get(id) === 'high');
  }
  return ids.slice(0, AUDIT_CASE_LIMIT + 1);
}

/** A routine audit's cases: the period's closed cases, sampled like a self-inspection (seed = the audit ID). */
export async function routineSample(db: DbOrTx, agencyCode: string, q: AuditQuery, seed: string): Promise<string[]> {
  const ids = await casesMatching(db, agencyCode, { ...q, status: 'closed' });
  const rows = ids.length
    ? await db.select({ caseId: cases.id, procedure: cases.procedure }).from(cases).where(inArray(cases.id, ids))
    : [];
  const grades = await caseRiskGrades(db, ids);
  return drawSample(
    rows.map((r) => ({ ...r, riskGrade: grades.get(r.caseId) })),
    DEFAULT_SAMPLING_PLAN,
    seed,
  ).flatMap((s) => s.sampled);
}

/** Records the tip-off clock as the workflow reports it (opened, reminder, breached, concluded). */
export async function recordAuditClock(
  db: DbOrTx,
  o: {
    auditId: string;
    event: 'opened' | 'reminder' | 'breached' | 'concluded';
    clock: ClockSnapshot;
    conclusion?: { text: string; actorId: string; at: Date };
  },
): Promise<void> {
  await db
    .update(audits)
    .set({
      clock: o.clock,
      ...(o.clock.dueDate ? { dueDate: o.clock.dueDate, dueAt: o.clock.dueAt ? new Date(o.clock.dueAt) : null } : {}),
      ...(o.event === 'breached' ? { overdue: true } : {}),
      ...(o.conclusion
        ? {
            status: 'concluded',
            conclusion: o.conclusion.text,
            concludedBy: o.conclusion.actorId,
            concludedAt: o.conclusion.at,
          }
        : {}),
    })
    .where(and(eq(audits.id, o.auditId), o.conclusion ? eq(audits.status, 'open') : sql`true`));
}

/** An audit with its cases and findings (each finding with its follow-up task's state). */
export async function auditView(db: DbOrTx, auditId: string) {
  const [a] = await db.select().from(audits).where(eq(audits.id, auditId));
  if (!a) return undefined;
  const covered = await db
    .select({
      caseId: auditCases.caseId,
      source: auditCases.source,
      procedure: cases.procedure,
      status: cases.status,
      outcome: cases.outcome,
    })
    .from(auditCases)
    .innerJoin(cases, eq(cases.id, auditCases.caseId))
    .where(eq(auditCases.auditId, auditId))
    .orderBy(asc(auditCases.caseId));
  const found = await findingsWithFollowUps(db, eq(findings.auditId, auditId));
  return {
    auditId: a.id,
    agencyCode: a.agencyCode,
    kind: a.kind,
    title: a.title,
    scope: a.scope,
    status: a.status,
    openedBy: a.openedBy,
    openedAt: a.openedAt.toISOString(),
    receivedAt: a.receivedAt?.toISOString() ?? null,
    dueDate: a.dueDate,
    dueAt: a.dueAt?.toISOString() ?? null,
    overdue: a.overdue,
    clock: a.clock ?? null,
    conclusion: a.conclusion,
    concludedBy: a.concludedBy,
    concludedAt: a.concludedAt?.toISOString() ?? null,
    cases: covered.map((c) => ({
      caseId: c.caseId,
      source: c.source,
      procedure: c.procedure,
      status: c.status,
      outcome: c.outcome,
    })),
    findings: found,
  };
}

export type AuditView = NonNullable<Awaited<ReturnType<typeof auditView>>>;
