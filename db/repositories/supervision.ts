/**
 * Supervision's reads and writes on the case record: who acted on a case (so an inspector is
 * someone else), the risk grade a case records, the supervision tasks of the inbox, and the facts
 * the service evaluation counts. Tasks written here are on closed or audited cases and are never
 * touched by the case workflows' step records (case-steps.ts leaves supervision steps alone).
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { EvaluatedCase, Breach } from '../../domain/evaluation';
import { FINDING_CATEGORIES } from '../../domain/supervision';
import type { DbOrTx } from '../client';
import { caseEvents, caseRiskPoints, cases, decisions, findings, tasks } from '../schema';

/** Everyone recorded as acting on the case: event actors, decision makers and the counter receiver. */
export async function caseActorIds(db: DbOrTx, caseId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select ${caseEvents.actorId} as id from ${caseEvents} where ${caseEvents.caseId} = ${caseId} and ${caseEvents.actorId} is not null
    union select ${decisions.actorId} from ${decisions} where ${decisions.caseId} = ${caseId}
    union select ${cases.application}->'receivedBy'->>'id' from ${cases} where ${cases.id} = ${caseId} and ${cases.application}->'receivedBy'->>'id' is not null`);
  return rows.rows.map((r) => r.id);
}

/**
 * The highest risk grade each case records: the grades the published risk register gave the
 * points it touched (case_risk_points); for a claim closed before the register, its own
 * high-risk flag. Cases without a grade are absent from the map (sampled as 'unknown').
 */
export async function caseRiskGrades(
  db: DbOrTx,
  caseIds: readonly string[],
): Promise<Map<string, 'high' | 'medium' | 'low'>> {
  if (caseIds.length === 0) return new Map();
  // The highest grade the published register gave the points each case touched.
  const rows = await db
    .select({
      caseId: caseRiskPoints.caseId,
      rank: sql<number>`max(case ${caseRiskPoints.grade} when 'high' then 3 when 'medium' then 2 else 1 end)::int`,
    })
    .from(caseRiskPoints)
    .where(inArray(caseRiskPoints.caseId, [...caseIds]))
    .groupBy(caseRiskPoints.caseId);
  const graded = new Map(rows.map((r) => [r.caseId, r.rank === 3 ? 'high' : r.rank === 2 ? 'medium' : 'low'] as const));
  // Cases closed before the register (no risk points): a claim's own high-risk flag, as assessed.
  const older = caseIds.filter((id) => !graded.has(id));
  if (older.length > 0) {
    const flagged = await db
      .select({
        caseId: caseEvents.caseId,
        high: sql<boolean>`bool_or((${caseEvents.detail}->'risk'->>'highRisk')::boolean)`,
      })
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseId, older), eq(caseEvents.type, 'claim_assessed')))
      .groupBy(caseEvents.caseId);
    for (const r of flagged) graded.set(r.caseId, r.high ? 'high' : 'low');
  }
  return graded;
}

export interface SupervisionTaskInput {
  key: string;
  caseId: string;
  agencyCode: string;
  step: string;
  title: string;
  clause: string;
  dueAt: Date;
  detail: Record<string, unknown>;
}

/** Opens a supervisor's task on a case; opening the same key twice opens it once. */
export async function openSupervisionTask(db: DbOrTx, t: SupervisionTaskInput): Promise<void> {
  await db
    .insert(tasks)
    .values({
      taskKey: t.key,
      caseId: t.caseId,
      agencyCode: t.agencyCode,
      step: t.step,
      role: 'supervisor',
      clause: t.clause,
      title: t.title,
      dueAt: t.dueAt,
      detail: t.detail,
    })
    .onConflictDoNothing({ target: tasks.taskKey });
}

/** Closes a live supervision task as done (or cancelled); returns whether it was live. */
export async function closeSupervisionTask(
  db: DbOrTx,
  key: string,
  at: Date,
  status: 'done' | 'cancelled' = 'done',
): Promise<boolean> {
  const rows = await db
    .update(tasks)
    .set({ status, completedAt: at, updatedAt: at })
    .where(and(eq(tasks.taskKey, key), inArray(tasks.status, ['open', 'claimed'])))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

export async function taskByKey(db: DbOrTx, key: string) {
  const [row] = await db
    .select({
      id: tasks.id,
      status: tasks.status,
      assignee: tasks.assignee,
      dueAt: tasks.dueAt,
      completedAt: tasks.completedAt,
    })
    .from(tasks)
    .where(eq(tasks.taskKey, key));
  return row;
}

/** Findings (of an inspection or an audit: `where`), each with its rectification task as it stands now. */
export async function findingsWithFollowUps(db: DbOrTx, where: SQL) {
  const rows = await db
    .select({
      id: findings.id,
      caseId: findings.caseId,
      category: findings.category,
      text: findings.text,
      recordedBy: findings.recordedBy,
      recordedAt: findings.recordedAt,
      status: findings.status,
      followUpTaskKey: findings.followUpTaskKey,
      resolvedBy: findings.resolvedBy,
      resolvedAt: findings.resolvedAt,
      resolution: findings.resolution,
      taskId: tasks.id,
      taskStatus: tasks.status,
      taskDueAt: tasks.dueAt,
    })
    .from(findings)
    .leftJoin(tasks, eq(tasks.taskKey, findings.followUpTaskKey))
    .where(where)
    .orderBy(asc(findings.recordedAt), asc(findings.caseId));
  return rows.map((f) => {
    const category = FINDING_CATEGORIES[f.category] ?? FINDING_CATEGORIES.other;
    return {
      findingId: f.id,
      caseId: f.caseId,
      category: f.category,
      categoryText: category.text,
      clause: category.clause,
      text: f.text,
      recordedBy: f.recordedBy,
      recordedAt: f.recordedAt.toISOString(),
      status: f.status,
      followUp: f.followUpTaskKey
        ? {
            taskId: f.taskId,
            status: f.taskStatus,
            dueAt: f.taskDueAt?.toISOString() ?? null,
            resolvedBy: f.resolvedBy,
            resolvedAt: f.resolvedAt?.toISOString() ?? null,
            resolution: f.resolution,
          }
        : null,
    };
  });
}

export interface EvaluationScope {
  /** China dates, inclusive. */
  from: string;
  to: string;
  /** Agencies to count; undefined = every agency. */
  agencies?: readonly string[];
  procedures: readonly string[];
}

const startOf = (date: string) => `${date}T00:00:00+08:00`;
const afterEndOf = (date: string) => sql`(${`${date}T00:00:00+08:00`}::timestamptz + interval '1 day')`;

/** The facts of every case closed in the period (China dates), for the evaluation. */
export async function evaluatedCases(db: DbOrTx, s: EvaluationScope): Promise<EvaluatedCase[]> {
  const agencyFilter = s.agencies
    ? sql`and c.agency_code in (${sql.join(
        s.agencies.map((a) => sql`${a}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await db.execute<{
    id: string;
    agency_code: string;
    procedure: string;
    outcome: 'approved' | 'refused' | 'withdrawn';
    outcome_reason: string | null;
    received_at: Date;
    closed_at: Date;
    consumed: number | null;
    breached: boolean;
    last_resumed: Date | null;
    last_paused: Date | null;
    notice_rounds: number;
    score: number | null;
    followed_up: boolean;
  }>(sql`
    select c.id, c.agency_code, c.procedure::text as procedure, c.outcome::text as outcome, c.outcome_reason, c.received_at, c.closed_at,
      (c.clock->>'consumedWorkingDays')::int as consumed,
      exists (select 1 from case_events e where e.case_id = c.id and e.type = 'deadline_breached') as breached,
      (select max(e.occurred_at) from case_events e where e.case_id = c.id and e.type = 'materials_supplemented'
         and jsonb_array_length(coalesce(e.detail->'outstanding', '[]'::jsonb)) = 0) as last_resumed,
      (select max(e.occurred_at) from case_events e where e.case_id = c.id and e.type = 'notice_issued') as last_paused,
      (select count(*)::int from notices n where n.case_id = c.id and n.kind in ('missing_materials', 'return_for_completion')) as notice_rounds,
      r.score, r.followed_up_at is not null as followed_up
    from cases c left join service_ratings r on r.case_id = c.id
    where c.status = 'closed' and c.outcome is not null
      and c.procedure::text in (${sql.join(
        s.procedures.map((p) => sql`${p}`),
        sql`, `,
      )})
      and c.closed_at >= ${startOf(s.from)}::timestamptz and c.closed_at < ${afterEndOf(s.to)}
      ${agencyFilter}
    order by c.id`);
  return rows.rows.map((r) => ({
    caseId: r.id,
    agencyCode: r.agency_code,
    procedure: r.procedure,
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    receivedAtMs: new Date(r.received_at).getTime(),
    closedAtMs: new Date(r.closed_at).getTime(),
    consumedWorkingDays: r.consumed ?? 0,
    lastResumedAtMs: r.last_resumed ? new Date(r.last_resumed).getTime() : null,
    lastPausedAtMs: r.last_paused ? new Date(r.last_paused).getTime() : null,
    breached: r.breached,
    noticeRounds: r.notice_rounds,
    rating: r.score,
    ratingFollowedUp: r.followed_up,
  }));
}

/** The statutory deadline breaches recorded in the period (cases open or closed). */
export async function breachesIn(db: DbOrTx, s: EvaluationScope): Promise<Breach[]> {
  const agencyFilter = s.agencies
    ? sql`and c.agency_code in (${sql.join(
        s.agencies.map((a) => sql`${a}`),
        sql`, `,
      )})`
    : sql``;
  const rows = await db.execute<{ agency_code: string; procedure: string }>(sql`
    select c.agency_code, c.procedure::text as procedure from case_events e join cases c on c.id = e.case_id
    where e.type = 'deadline_breached'
      and c.procedure::text in (${sql.join(
        s.procedures.map((p) => sql`${p}`),
        sql`, `,
      )})
      and e.occurred_at >= ${startOf(s.from)}::timestamptz and e.occurred_at < ${afterEndOf(s.to)}
      ${agencyFilter}`);
  return rows.rows.map((r) => ({ agencyCode: r.agency_code, procedure: r.procedure }));
}
