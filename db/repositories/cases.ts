/** Case reads for the API: the full case view and the filtered list. */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { maskIdNumber } from '../../domain/id-number';
import type { DbOrTx } from '../client';
import { awards, caseEvents, caseMaterials, caseRiskPoints, cases, decisions, notices, persons, platformMessages, transfers } from '../schema';

/** SQL for "overdue", derived from the clock: open, running and past its due instant. */
export const overdueSql = sql<boolean>`(${cases.status} = 'open' and ${cases.clockState} = 'running' and ${cases.dueAt} is not null and ${cases.dueAt} < now())`;

export async function getCaseView(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({ c: cases, p: { personKey: persons.personKey, idNumber: persons.idNumber, name: persons.name }, overdue: overdueSql })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .where(eq(cases.id, caseId));
  if (!row) return undefined;
  const [materialRows, noticeRows, decisionRows, eventRows, transferRows, messageRows] = await Promise.all([
    db.select().from(caseMaterials).where(eq(caseMaterials.caseId, caseId)).orderBy(asc(caseMaterials.round), asc(caseMaterials.kind)),
    db.select().from(notices).where(eq(notices.caseId, caseId)).orderBy(asc(notices.issuedAt), asc(notices.round)),
    db.select().from(decisions).where(eq(decisions.caseId, caseId)).orderBy(asc(decisions.decidedAt)),
    db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id)),
    db.select().from(transfers).where(eq(transfers.caseId, caseId)),
    db
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
      .orderBy(asc(platformMessages.occurredAt), asc(platformMessages.createdAt)),
  ]);
  const transfer = transferRows[0];
  // A certified benefit claim's award (B-8): every component, the divisor, the inputs and the working.
  const [award] = await db.select().from(awards).where(eq(awards.caseId, caseId));
  // the risk points the case touched, graded by the register when touched.
  const riskRows = await db.select().from(caseRiskPoints).where(eq(caseRiskPoints.caseId, caseId)).orderBy(asc(caseRiskPoints.touchedAt), asc(caseRiskPoints.key));
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
      ? { transferId: transfer.transferId, side: transfer.side, counterpartAgency: transfer.counterpartAgency, sheetVersion: transfer.sheetVersion }
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
    riskPoints: riskRows.map((r) => ({ key: r.key, grade: r.grade, description: r.description, registerVersion: r.registerVersion, detail: r.detail, touchedAt: r.touchedAt.toISOString() })),
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

export type CaseView = NonNullable<Awaited<ReturnType<typeof getCaseView>>>;

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
}

export async function listCases(db: DbOrTx, f: CaseListFilter) {
  const where: SQL[] = [];
  if (f.procedure) where.push(sql`${cases.procedure} = ${f.procedure}`);
  if (f.status) where.push(sql`${cases.status} = ${f.status}`);
  if (f.agencyCode) where.push(eq(cases.agencyCode, f.agencyCode));
  if (f.agencies) where.push(f.agencies.length > 0 ? inArray(cases.agencyCode, [...f.agencies]) : sql`false`);
  if (f.stage) where.push(eq(cases.stage, f.stage));
  if (f.waitingOn) where.push(eq(cases.waitingOn, f.waitingOn));
  if (f.overdue !== undefined) where.push(f.overdue ? overdueSql : sql`not ${overdueSql}`);
  const condition = where.length > 0 ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
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
      })
      .from(cases)
      .where(condition)
      .orderBy(desc(cases.receivedAt), desc(cases.id))
      .limit(f.limit)
      .offset(f.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(cases).where(condition),
  ]);
  return {
    total,
    items: rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString(), dueAt: r.dueAt?.toISOString() ?? null })),
  };
}
