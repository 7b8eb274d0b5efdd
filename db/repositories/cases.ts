/** Case reads for the API: the full case view and the filtered list. */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { maskIdNumber } from '../../domain/id-number';
import type { DbOrTx } from '../client';
import { cappedTotal, decodeCursor, encodeCursor, instantParam, TOTAL_CAP } from './paging';
import {
  awards,
  caseEvents,
  caseMaterials,
  caseRiskPoints,
  cases,
  decisions,
  notices,
  persons,
  platformMessages,
  transfers,
} from '../schema';

/** SQL for "overdue", derived from the clock: open, running and past its due instant. */
export const overdueSql = sql<boolean>`(${cases.status} = 'open' and ${cases.clockState} = 'running' and ${cases.dueAt} is not null and ${cases.dueAt} < now())`;

/**
 * Everything recorded about one case, as the API shows it (GET /cases/:id) and the archive files
 * it at the close: the projection with materials, notices, decisions, events, messages, award and
 * risk points. Not the workflow's own CaseView (domain/case-records.ts), which is the small state
 * a running case reports in its query and Update answers.
 */
export async function getCaseDetail(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({
      c: cases,
      p: { personKey: persons.personKey, idNumber: persons.idNumber, name: persons.name },
      overdue: overdueSql,
    })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .where(eq(cases.id, caseId));
  if (!row) return undefined;
  // One query after the other: on a transaction (the closing step files this view) the queries
  // share one connection, which runs one query at a time (pg 9 refuses overlapping ones).
  const materialRows = await db
    .select()
    .from(caseMaterials)
    .where(eq(caseMaterials.caseId, caseId))
    .orderBy(asc(caseMaterials.round), asc(caseMaterials.kind));
  const noticeRows = await db
    .select()
    .from(notices)
    .where(eq(notices.caseId, caseId))
    .orderBy(asc(notices.issuedAt), asc(notices.round));
  const decisionRows = await db
    .select()
    .from(decisions)
    .where(eq(decisions.caseId, caseId))
    .orderBy(asc(decisions.decidedAt));
  const eventRows = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id));
  // Only transfers exchange platform messages and have a transfer row; only benefit claims have
  // an award: the other procedures skip those look-ups (every view filed at a close reads it all).
  const isTransfer = row.c.procedure === 'transfer_in' || row.c.procedure === 'transfer_out';
  const transferRows = isTransfer ? await db.select().from(transfers).where(eq(transfers.caseId, caseId)) : [];
  const messageRows = isTransfer
    ? await db
        .select({
          messageId: platformMessages.messageId,
          direction: platformMessages.direction,
          type: platformMessages.type,
          summary: platformMessages.summary,
          status: platformMessages.status,
          error: platformMessages.error,
          deliveries: platformMessages.deliveries,
          occurredAt: platformMessages.occurredAt,
        })
        .from(platformMessages)
        .where(eq(platformMessages.caseId, caseId))
        .orderBy(asc(platformMessages.occurredAt), asc(platformMessages.createdAt))
    : [];
  const transfer = transferRows[0];
  // A certified benefit claim's award (B-8): every component, the divisor, the inputs and the working.
  const [award] =
    row.c.procedure === 'benefit_claim' ? await db.select().from(awards).where(eq(awards.caseId, caseId)) : [];
  // the risk points the case touched, graded by the register when touched.
  const riskRows = await db
    .select()
    .from(caseRiskPoints)
    .where(eq(caseRiskPoints.caseId, caseId))
    .orderBy(asc(caseRiskPoints.touchedAt), asc(caseRiskPoints.key));
  const c = row.c;
  return {
    caseId: c.id,
    workflowId: c.workflowId,
    procedure: c.procedure,
    agencyCode: c.agencyCode,
    channel: c.channel,
    status: c.status,
    stage: c.stage,
    waitingOn: c.waitingOn,
    outcome: c.outcome,
    outcomeReason: c.outcomeReason,
    followUp: c.followUp,
    receivedAt: c.receivedAt.toISOString(),
    dueAt: c.dueAt?.toISOString() ?? null,
    dueDate: c.dueDate,
    overdue: row.overdue,
    closedAt: c.closedAt?.toISOString() ?? null,
    clock: c.clock,
    /** Secondary clocks: step limits and, in a transfer, the other province's expected reply. */
    clocks: c.clocks ?? {},
    waitingSince: c.waitingSince?.toISOString() ?? null,
    counterpartDueAt: c.counterpartDueAt?.toISOString() ?? null,
    calendarVersion: c.calendarVersion,
    transfer: transfer
      ? {
          transferId: transfer.transferId,
          side: transfer.side,
          counterpartAgency: transfer.counterpartAgency,
          sheetVersion: transfer.sheetVersion,
        }
      : null,
    /** Messages exchanged with the transfer platform: direction, time and a summary without personal data. */
    messages: messageRows.map((m) => ({ ...m, occurredAt: m.occurredAt.toISOString() })),
    person: { personKey: row.p.personKey, idNumberMasked: maskIdNumber(row.p.idNumber), name: row.p.name },
    application: c.application,
    materials: materialRows.map((m) => ({
      kind: m.kind,
      ref: m.ref,
      round: m.round,
      submittedAt: m.submittedAt.toISOString(),
      contentHash: m.contentHash,
      size: m.sizeBytes,
      type: m.mediaType,
    })),
    notices: noticeRows.map((n) => ({
      kind: n.kind,
      round: n.round,
      items: n.items,
      text: n.text,
      channel: n.channel,
      replyDueDate: n.replyDueDate,
      issuedAt: n.issuedAt.toISOString(),
    })),
    decisions: decisionRows.map((d) => ({
      step: d.step,
      result: d.result,
      actor: { id: d.actorId, role: d.actorRole },
      reason: d.reason,
      items: d.items,
      decidedAt: d.decidedAt.toISOString(),
    })),
    events: eventRows.map((e) => ({
      type: e.type,
      clause: e.clause,
      stage: e.stage,
      actor: e.actorId ? { id: e.actorId, role: e.actorRole } : null,
      detail: e.detail,
      occurredAt: e.occurredAt.toISOString(),
    })),
    riskPoints: riskRows.map((r) => ({
      key: r.key,
      grade: r.grade,
      description: r.description,
      registerVersion: r.registerVersion,
      detail: r.detail,
      touchedAt: r.touchedAt.toISOString(),
    })),
    riskGrade: ['high', 'medium', 'low'].find((g) => riskRows.some((r) => r.grade === g)) ?? null,
    award: award
      ? {
          awardId: award.id,
          status: award.status,
          certifiedOn: award.certifiedOn,
          firstPaymentMonth: award.firstPaymentMonth,
          monthlyAmount: award.monthlyAmount,
          basic: award.basic,
          account: award.account,
          transitional: award.transitional,
          divisor: award.divisor,
          inputs: award.inputs,
          working: award.working,
          ruleVersion: award.ruleVersion,
          provisional: award.provisional,
          parameterSetVersion: award.parameterSetVersion,
          parameters: award.parameters,
        }
      : null,
  };
}

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof getCaseDetail>>>;

export interface CaseListFilter {
  procedure?: string;
  status?: string;
  agencyCode?: string;
  stage?: string;
  waitingOn?: string;
  overdue?: boolean;
  /** Only cases of these agencies (the caller's); undefined = every agency. */
  agencies?: readonly string[];
  limit: number;
  offset: number;
  /** Continue after the page a `nextCursor` ended (keyset paging; `offset` is then ignored). */
  cursor?: string;
}

const LIST_SORT = 'receivedAt:desc';

function listCondition(f: CaseListFilter) {
  const where: SQL[] = [];
  if (f.procedure) where.push(sql`${cases.procedure} = ${f.procedure}`);
  if (f.status) where.push(sql`${cases.status} = ${f.status}`);
  if (f.agencyCode) where.push(eq(cases.agencyCode, f.agencyCode));
  if (f.agencies) where.push(f.agencies.length > 0 ? inArray(cases.agencyCode, [...f.agencies]) : sql`false`);
  if (f.stage) where.push(eq(cases.stage, f.stage));
  if (f.waitingOn) where.push(eq(cases.waitingOn, f.waitingOn));
  if (f.overdue !== undefined) where.push(f.overdue ? overdueSql : sql`not ${overdueSql}`);
  return where;
}

/**
 * The page query of the case list (exported so a test can EXPLAIN it), newest first: one row
 * more than the page (is there another?); with a cursor the rows after it (keyset, read off the
 * indexes on (agency, status, received_at, id) and (status, received_at, id)), else from `offset`.
 */
export function caseListPageQuery(db: DbOrTx, f: CaseListFilter) {
  const where = listCondition(f);
  if (f.cursor) {
    const [receivedAt, id] = decodeCursor(f.cursor, LIST_SORT, 2).key;
    where.push(sql`(${cases.receivedAt}, ${cases.id}) < (${instantParam(receivedAt)}, ${id})`);
  }
  return db
    .select({
      caseId: cases.id,
      procedure: cases.procedure,
      agencyCode: cases.agencyCode,
      channel: cases.channel,
      status: cases.status,
      stage: cases.stage,
      waitingOn: cases.waitingOn,
      outcome: cases.outcome,
      receivedAt: cases.receivedAt,
      dueAt: cases.dueAt,
      dueDate: cases.dueDate,
      overdue: overdueSql,
      // For the cursor: the instant as PostgreSQL writes it (microseconds, which a Date would drop).
      keyReceivedAt: sql<string>`${cases.receivedAt}::text`,
    })
    .from(cases)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(cases.receivedAt), desc(cases.id))
    .limit(f.limit + 1)
    .offset(f.cursor ? 0 : f.offset);
}

/** The count query of the case list (exported for EXPLAIN): at most TOTAL_CAP + 1 rows of a constant, in the page's order (see inboxCountQuery). */
export function caseListCountQuery(db: DbOrTx, f: CaseListFilter) {
  const where = listCondition(f);
  return db
    .select({ one: sql<number>`1` })
    .from(cases)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(cases.receivedAt), desc(cases.id))
    .limit(TOTAL_CAP + 1);
}

/** One page of the cases the filter selects, the next page's cursor, and the total counted up to TOTAL_CAP. */
export async function listCases(db: DbOrTx, f: CaseListFilter) {
  const page = await caseListPageQuery(db, f);
  const rows = page.slice(0, f.limit);
  const counted = await caseListCountQuery(db, f);
  const last = rows[rows.length - 1];
  return {
    ...cappedTotal(counted.length),
    nextCursor:
      page.length > f.limit ? encodeCursor({ sort: LIST_SORT, key: [last.keyReceivedAt, last.caseId] }) : null,
    items: rows.map(({ keyReceivedAt: _k, ...r }) => ({
      ...r,
      receivedAt: r.receivedAt.toISOString(),
      dueAt: r.dueAt?.toISOString() ?? null,
    })),
  };
}
