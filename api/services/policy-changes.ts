/**
 * What a policy change touches (V-2, 12.2): for each parameter publication and each calendar
 * version, the cases it affected and the service-guide entries it changes. A parameter
 * publication reaches the cases that waited for one of its parameters, the awards it recalculated
 * and the awards computed with a value it corrected; a calendar version reaches the cases whose
 * provisional deadlines it re-projected (or still will). Guide entries name what they are computed
 * from (GuideEntry.dependsOn).
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  awardAmounts,
  awards,
  calendarVersions,
  caseEvents,
  cases,
  parameterPublications,
  ruleParameters,
} from '../../db/schema';
import type { ServiceGuide } from '../../domain/service-guide';

export interface AffectedCase {
  caseId: string;
  agencyCode: string;
  procedure: string;
  status: string;
  why: string;
}

export interface PolicyChange {
  kind: 'parameters' | 'calendar';
  /** Publication ID (parameters) or calendar version. */
  id: number;
  publishedAt: string;
  publishedBy: string | null;
  summary: string;
  changes: Array<Record<string, unknown>>;
  affectedCases: AffectedCase[];
  affectedGuideEntries: Array<{ procedure: string; name: string; why: string }>;
}

const WHY_TEXT: Record<string, string> = {
  waited_for_parameters: '等待该参数发布的案件',
  award_recalculated: '因该参数发布而重算待遇',
  used_corrected_value: '待遇核定使用了被更正的参数值',
  deadline_reprojected: '暂定的法定时限已按新日历重新计算',
  deadline_provisional: '法定时限仍为暂定，将按新日历重新计算',
};

async function casesByIds(
  db: Db,
  ids: Map<string, string>,
  agencies: readonly string[] | undefined,
): Promise<AffectedCase[]> {
  if (ids.size === 0) return [];
  const rows = await db
    .select({ caseId: cases.id, agencyCode: cases.agencyCode, procedure: cases.procedure, status: cases.status })
    .from(cases)
    .where(and(inArray(cases.id, [...ids.keys()]), ...(agencies ? [inArray(cases.agencyCode, [...agencies])] : [])));
  return rows
    .map((r) => ({ ...r, why: WHY_TEXT[ids.get(r.caseId)!] ?? ids.get(r.caseId)! }))
    .sort((a, b) => a.caseId.localeCompare(b.caseId));
}

async function parameterChange(
  db: Db,
  pub: typeof parameterPublications.$inferSelect,
  guide: ServiceGuide,
  agencies: readonly string[] | undefined,
): Promise<PolicyChange> {
  const rows = await db
    .select({
      name: ruleParameters.name,
      region: ruleParameters.region,
      validFrom: ruleParameters.validFrom,
      validTo: ruleParameters.validTo,
      version: ruleParameters.version,
    })
    .from(ruleParameters)
    .where(eq(ruleParameters.publicationId, pub.id));
  const names = [...new Set(rows.map((r) => r.name))];
  const ids = new Map<string, string>();
  if (names.length > 0) {
    const waited = await db
      .selectDistinct({ caseId: caseEvents.caseId })
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.type, 'parameters_missing'),
          sql`exists (select 1 from jsonb_array_elements(coalesce(${caseEvents.detail}->'missing', '[]'::jsonb)) m where m->>'name' in (${sql.join(
            names.map((n) => sql`${n}`),
            sql`, `,
          )}))`,
          sql`${caseEvents.occurredAt} <= ${pub.publishedAt.toISOString()}::timestamptz`,
        ),
      );
    for (const w of waited) ids.set(w.caseId, 'waited_for_parameters');
  }
  const recalculated = await db
    .select({ caseId: awards.caseId })
    .from(awardAmounts)
    .innerJoin(awards, eq(awards.id, awardAmounts.awardId))
    .where(eq(awardAmounts.publicationId, pub.id));
  for (const r of recalculated) ids.set(r.caseId, 'award_recalculated');
  for (const corrected of rows.filter((r) => r.version > 1)) {
    const used = await db
      .select({ caseId: awards.caseId })
      .from(awards)
      .where(
        and(
          sql`${awards.parameters} @> ${JSON.stringify([{ name: corrected.name, region: corrected.region, validFrom: corrected.validFrom }])}::jsonb`,
          sql`not ${awards.parameters} @> ${JSON.stringify([{ name: corrected.name, region: corrected.region, validFrom: corrected.validFrom, version: corrected.version }])}::jsonb`,
        ),
      );
    for (const u of used) if (!ids.has(u.caseId)) ids.set(u.caseId, 'used_corrected_value');
  }
  return {
    kind: 'parameters',
    id: pub.id,
    publishedAt: pub.publishedAt.toISOString(),
    publishedBy: pub.publishedBy,
    summary: `参数发布 #${pub.id}（${pub.kind === 'seed' ? '随版本发布的参数' : '经两名主管审批'}）：${names.join('、') || '无'}`,
    changes: rows.map((r) => ({ ...r })),
    affectedCases: await casesByIds(db, ids, agencies),
    affectedGuideEntries: guide.procedures
      .filter((e) => e.dependsOn.parameters.some((p) => names.includes(p)))
      .map((e) => ({
        procedure: e.procedure,
        name: e.name,
        why: `办事指南使用参数 ${e.dependsOn.parameters.filter((p) => names.includes(p)).join('、')}`,
      })),
  };
}

async function calendarChange(
  db: Db,
  v: typeof calendarVersions.$inferSelect,
  guide: ServiceGuide,
  agencies: readonly string[] | undefined,
): Promise<PolicyChange> {
  const ids = new Map<string, string>();
  const reprojected = await db
    .selectDistinct({ caseId: caseEvents.caseId })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.type, 'deadline_reprojected'),
        sql`(${caseEvents.detail}->>'calendarVersion')::int = ${v.version}`,
      ),
    );
  for (const r of reprojected) ids.set(r.caseId, 'deadline_reprojected');
  const pending = await db
    .select({ caseId: cases.id })
    .from(cases)
    .where(
      and(
        eq(cases.status, 'open'),
        sql`(${cases.clock}->>'provisional')::boolean is true`,
        sql`coalesce((${cases.clock}->>'calendarVersion')::int, 0) < ${v.version}`,
      ),
    );
  for (const p of pending) if (!ids.has(p.caseId)) ids.set(p.caseId, 'deadline_provisional');
  return {
    kind: 'calendar',
    id: v.version,
    publishedAt: v.createdAt.toISOString(),
    publishedBy: null,
    summary: `工作日日历第 ${v.version} 版（${v.firstYear}–${v.lastYear} 年，${v.note ?? v.source}）`,
    changes: [{ firstYear: v.firstYear, lastYear: v.lastYear, source: v.source, note: v.note }],
    affectedCases: await casesByIds(db, ids, agencies),
    affectedGuideEntries: guide.procedures
      .filter((e) => e.dependsOn.calendar)
      .map((e) => ({ procedure: e.procedure, name: e.name, why: '办理时限按工作日计算' })),
  };
}

/** The latest policy changes, newest first, each with what it affected (cases of `agencies` only; undefined = all). */
export async function policyChanges(
  db: Db,
  o: { kind?: 'parameters' | 'calendar'; limit: number; guide: ServiceGuide; agencies?: readonly string[] },
): Promise<PolicyChange[]> {
  const pubs =
    o.kind === 'calendar'
      ? []
      : await db.select().from(parameterPublications).orderBy(desc(parameterPublications.id)).limit(o.limit);
  const versions =
    o.kind === 'parameters'
      ? []
      : await db.select().from(calendarVersions).orderBy(desc(calendarVersions.version)).limit(o.limit);
  const changes = [
    ...(await Promise.all(pubs.map((p) => parameterChange(db, p, o.guide, o.agencies)))),
    ...(await Promise.all(versions.map((v) => calendarChange(db, v, o.guide, o.agencies)))),
  ];
  return changes.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id).slice(0, o.limit);
}
