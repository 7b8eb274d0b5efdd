/**
 * The quarterly self-inspection (自查, R-5) in the database: the sample drawn for an agency and
 * quarter (one inspection task per sampled case in the supervisors' inbox), the progress, and the
 * written report. Every write is idempotent: the selfInspection workflow may run a step twice.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { DEFAULT_SAMPLING_PLAN, drawSample } from '../../domain/inspection-sample';
import { PROCEDURE_TEXT } from '../../domain/notices';
import { APPLICANT_PROCEDURES } from '../../domain/procedures';
import { quarterRange, SUPERVISION_STEP } from '../../domain/supervision';
import type { DbOrTx } from '../client';
import { cases, findings, inspectionItems, inspections } from '../schema';
import { caseRiskGrades, closeSupervisionTask, findingsWithFollowUps, openSupervisionTask } from './supervision';

const startOf = (date: string) => new Date(`${date}T00:00:00+08:00`);
const dayAfter = (date: string) => new Date(startOf(date).getTime() + 86_400_000);

/** Agencies with cases of the applicant procedures closed in the quarter (optionally among `among`). */
export async function agenciesWithClosedCases(
  db: DbOrTx,
  quarter: string,
  among?: readonly string[],
): Promise<string[]> {
  const { from, to } = quarterRange(quarter);
  const rows = await db
    .selectDistinct({ agencyCode: cases.agencyCode })
    .from(cases)
    .where(
      and(
        eq(cases.status, 'closed'),
        inArray(cases.procedure, [...APPLICANT_PROCEDURES]),
        sql`${cases.closedAt} >= ${startOf(from).toISOString()}::timestamptz and ${cases.closedAt} < ${dayAfter(to).toISOString()}::timestamptz`,
        ...(among ? [inArray(cases.agencyCode, among.length > 0 ? [...among] : [''])] : []),
      ),
    )
    .orderBy(asc(cases.agencyCode));
  return rows.map((r) => r.agencyCode);
}

export const inspectionTaskKey = (inspectionId: string, caseId: string) => `${inspectionId}:${caseId}`;

export interface InspectionProgress {
  items: number;
  pending: number;
}

export async function inspectionProgress(db: DbOrTx, inspectionId: string): Promise<InspectionProgress> {
  const [row] = await db
    .select({
      items: sql<number>`count(*)::int`,
      pending: sql<number>`(count(*) filter (where ${inspectionItems.status} = 'pending'))::int`,
    })
    .from(inspectionItems)
    .where(eq(inspectionItems.inspectionId, inspectionId));
  return { items: row?.items ?? 0, pending: row?.pending ?? 0 };
}

/**
 * Draws the sample of the quarter's closed cases and opens one `self_inspection` task per sampled
 * case (role supervisor). Drawn once: a second call returns the progress of the first.
 */
export async function drawInspectionSample(
  db: DbOrTx,
  o: { inspectionId: string; agencyCode: string; quarter: string; startedAt: Date; dueDate: string; dueAt: Date },
): Promise<InspectionProgress> {
  const [existing] = await db
    .select({ id: inspections.id })
    .from(inspections)
    .where(eq(inspections.id, o.inspectionId));
  if (existing) return inspectionProgress(db, o.inspectionId);
  const { from, to } = quarterRange(o.quarter);
  const closed = await db
    .select({ caseId: cases.id, procedure: cases.procedure })
    .from(cases)
    .where(
      and(
        eq(cases.agencyCode, o.agencyCode),
        eq(cases.status, 'closed'),
        inArray(cases.procedure, [...APPLICANT_PROCEDURES]),
        sql`${cases.closedAt} >= ${startOf(from).toISOString()}::timestamptz and ${cases.closedAt} < ${dayAfter(to).toISOString()}::timestamptz`,
      ),
    );
  const grades = await caseRiskGrades(
    db,
    closed.map((c) => c.caseId),
  );
  const strata = drawSample(
    closed.map((c) => ({ ...c, riskGrade: grades.get(c.caseId) })),
    DEFAULT_SAMPLING_PLAN,
    o.inspectionId,
  );
  const plan = {
    ...DEFAULT_SAMPLING_PLAN,
    strata: strata.map((s) => ({
      procedure: s.procedure,
      riskGrade: s.riskGrade,
      population: s.population,
      sampled: s.sampled.length,
    })),
  };
  const run = async (tx: DbOrTx) => {
    const inserted = await tx
      .insert(inspections)
      .values({
        id: o.inspectionId,
        agencyCode: o.agencyCode,
        quarter: o.quarter,
        periodFrom: from,
        periodTo: to,
        plan,
        seed: o.inspectionId,
        dueDate: o.dueDate,
        dueAt: o.dueAt,
        startedAt: o.startedAt,
      })
      .onConflictDoNothing()
      .returning({ id: inspections.id });
    if (inserted.length === 0) return;
    for (const s of strata) {
      for (const caseId of s.sampled) {
        const key = inspectionTaskKey(o.inspectionId, caseId);
        await tx.insert(inspectionItems).values({
          inspectionId: o.inspectionId,
          caseId,
          procedure: s.procedure,
          riskGrade: s.riskGrade,
          taskKey: key,
        });
        await openSupervisionTask(tx, {
          key,
          caseId,
          agencyCode: o.agencyCode,
          step: 'self_inspection',
          title: `${SUPERVISION_STEP.self_inspection.title}（${o.quarter}，${PROCEDURE_TEXT[s.procedure] ?? s.procedure}，风险等级 ${s.riskGrade}）`,
          clause: SUPERVISION_STEP.self_inspection.clause,
          dueAt: o.dueAt,
          detail: { kind: 'inspection', inspectionId: o.inspectionId },
        });
      }
    }
  };
  await db.transaction(run);
  return inspectionProgress(db, o.inspectionId);
}

/** The report's content as of now: strata, every item, every finding with its follow-up's state. */
export async function inspectionReportContent(db: DbOrTx, inspectionId: string) {
  const [inspection] = await db.select().from(inspections).where(eq(inspections.id, inspectionId));
  if (!inspection) return undefined;
  const items = await db
    .select()
    .from(inspectionItems)
    .where(eq(inspectionItems.inspectionId, inspectionId))
    .orderBy(asc(inspectionItems.caseId));
  const found = await findingsWithFollowUps(db, eq(findings.inspectionId, inspectionId));
  const strata = (inspection.plan.strata ?? []).map((s) => {
    const mine = items.filter((i) => i.procedure === s.procedure && i.riskGrade === s.riskGrade);
    return {
      ...s,
      inspected: mine.filter((i) => i.status === 'compliant' || i.status === 'finding').length,
      withFindings: mine.filter((i) => i.status === 'finding').length,
    };
  });
  const count = (status: string) => items.filter((i) => i.status === status).length;
  const plan = inspection.plan;
  const open = found.filter((f) => f.status === 'open').length;
  return {
    inspectionId,
    agencyCode: inspection.agencyCode,
    quarter: inspection.quarter,
    period: { from: inspection.periodFrom, to: inspection.periodTo },
    status: inspection.status,
    startedAt: inspection.startedAt.toISOString(),
    dueDate: inspection.dueDate,
    reportedAt: inspection.reportedAt?.toISOString() ?? null,
    plan: {
      rate: plan.rate,
      minimumPerStratum: plan.minimumPerStratum,
      maximumPerStratum: plan.maximumPerStratum,
      seed: inspection.seed,
    },
    summary: {
      population: strata.reduce((n, s) => n + s.population, 0),
      sampled: items.length,
      inspected: count('compliant') + count('finding'),
      compliant: count('compliant'),
      withFindings: count('finding'),
      notInspected: count('not_inspected') + count('pending'),
      findings: found.length,
      rectificationsOpen: open,
      rectificationsResolved: found.filter((f) => f.status === 'resolved').length,
    },
    strata,
    items: items.map((i) => ({
      caseId: i.caseId,
      procedure: i.procedure,
      riskGrade: i.riskGrade,
      status: i.status,
      inspectedBy: i.inspectedBy,
      inspectedAt: i.inspectedAt?.toISOString() ?? null,
      note: i.note,
    })),
    findings: found,
  };
}

export type InspectionReport = NonNullable<Awaited<ReturnType<typeof inspectionReportContent>>>;

/**
 * Issues the written report: sampled cases nobody inspected by the deadline are marked
 * not_inspected (their tasks cancelled), the content is fixed in `report`, the status is
 * `reported`. Issued once; a second call returns the report issued.
 */
export async function issueInspectionReport(db: DbOrTx, inspectionId: string, at: Date): Promise<InspectionReport> {
  const run = async (tx: DbOrTx) => {
    const [row] = await tx
      .select({ status: inspections.status })
      .from(inspections)
      .where(eq(inspections.id, inspectionId))
      .for('update');
    if (!row) throw new Error(`inspection ${inspectionId} not found`);
    if (row.status === 'reported') return;
    const pending = await tx
      .update(inspectionItems)
      .set({ status: 'not_inspected' })
      .where(and(eq(inspectionItems.inspectionId, inspectionId), eq(inspectionItems.status, 'pending')))
      .returning({ taskKey: inspectionItems.taskKey });
    for (const p of pending) await closeSupervisionTask(tx, p.taskKey, at, 'cancelled');
    await tx.update(inspections).set({ status: 'reported', reportedAt: at }).where(eq(inspections.id, inspectionId));
    const content = await inspectionReportContent(tx, inspectionId);
    await tx.update(inspections).set({ report: content }).where(eq(inspections.id, inspectionId));
  };
  await db.transaction(run);
  const [stored] = await db
    .select({ report: inspections.report })
    .from(inspections)
    .where(eq(inspections.id, inspectionId));
  return stored.report as unknown as InspectionReport;
}
