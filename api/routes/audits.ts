/**
 * Audits (稽核, R-5): routine (a period's closed cases, sampled), special (every case a query
 * selects) and tip-off driven (the cases a tip-off names; the `tipOffAudit` workflow runs its
 * clock in working days). Findings link to cases and may open a rectification task; the audit is
 * concluded by a supervisor. Supervisors write; supervisors and auditors read (their agencies).
 */
import { Type, type Static } from '@sinclair/typebox';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import {
  AUDIT_CASE_LIMIT,
  auditView,
  casesMatching,
  nextAuditId,
  routineSample,
  type AuditQuery,
} from '../../db/repositories/audits';
import { openSupervisionTask } from '../../db/repositories/supervision';
import { auditCases, audits, cases, findings } from '../../db/schema';
import { APPLICANT_PROCEDURES } from '../../domain/procedures';
import { FINDING_CATEGORIES, SUPERVISION_LIMITS, SUPERVISION_STEP } from '../../domain/supervision';
import { chinaDateOf, isValidDate } from '../../domain/working-days';
import { concludeAuditUpdate, type TipOffAuditInput } from '../../workflows/tip-off-audit';
import { createCalendarProvider } from '../../db/calendar-store';
import type { App, AppContext } from '../app';
import { actorOf, caseActor, inScope, listScope } from '../auth/access';
import { requireAgency } from '../auth/plugin';
import { ApiError, badRequest, conflict, notFound, unprocessable } from '../errors';
import { errorResponses } from '../schemas/common';
import { requestHash } from '../services/idempotency';
import { executeCaseUpdate } from '../services/case-updates';
import { followUpDue, requireNotHandled, validateFindingItems } from '../services/supervision-tasks';
import { startTipOffAudit } from '../services/tip-off-audits';
import { idempotencyKeyOf } from '../validation';

const DateString = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const CaseId = Type.String({ pattern: '^[a-z-]+-[0-9]{6}-[0-9]{4}-[0-9]{6}$' });

const QuerySchema = Type.Object(
  {
    procedure: Type.Optional(Type.Union(APPLICANT_PROCEDURES.map((p) => Type.Literal(p)))),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    outcome: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('refused'), Type.Literal('withdrawn')])),
    channel: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('platform')])),
    breached: Type.Optional(Type.Boolean()),
    multipleNotices: Type.Optional(Type.Boolean()),
    highRisk: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const OpenBody = Type.Object(
  {
    agencyCode: Type.String({ pattern: '^[0-9]{6}$' }),
    kind: Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('tip_off')], {
      description: 'routine 日常稽核; special 专项稽核; tip_off 举报稽核',
    }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    query: Type.Optional(QuerySchema),
    tipOff: Type.Optional(
      Type.Object(
        {
          content: Type.String({
            minLength: 1,
            maxLength: 4000,
            description: 'The tip-off as received (kept in the database only)',
          }),
          channel: Type.Union([
            Type.Literal('phone'),
            Type.Literal('letter'),
            Type.Literal('online'),
            Type.Literal('visit'),
          ]),
          receivedAt: Type.Optional(
            Type.String({ format: 'date-time', description: 'Default now: the clock starts here' }),
          ),
          caseIds: Type.Optional(Type.Array(CaseId, { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
type OpenBody = Static<typeof OpenBody>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Open = Type.Object({}, { additionalProperties: true });

export const AuditSchema = Type.Object(
  {
    auditId: Type.String(),
    agencyCode: Type.String(),
    kind: Type.String(),
    title: Type.String(),
    scope: Open,
    status: Type.String({ description: 'open → concluded' }),
    openedBy: Type.String(),
    openedAt: Type.String({ format: 'date-time' }),
    receivedAt: Nullable(Type.String({ format: 'date-time' })),
    dueDate: Nullable(Type.String({ format: 'date' })),
    dueAt: Nullable(Type.String({ format: 'date-time' })),
    overdue: Type.Boolean(),
    clock: Type.Union([Open, Type.Null()]),
    conclusion: Nullable(Type.String()),
    concludedBy: Nullable(Type.String()),
    concludedAt: Nullable(Type.String({ format: 'date-time' })),
    cases: Type.Array(Open),
    findings: Type.Array(Open),
  },
  { $id: 'Audit' },
);

const AuditParams = Type.Object({ auditId: Type.String({ pattern: '^audit-[0-9]{6}-[0-9]{4}-[0-9]{6}$' }) });
type AuditParams = Static<typeof AuditParams>;
const KeyHeader = Type.Object({ 'idempotency-key': Type.Optional(Type.String()) });

function checkQuery(kind: OpenBody['kind'], q: AuditQuery | undefined): void {
  for (const f of ['from', 'to'] as const)
    if (q?.[f] && !isValidDate(q[f]))
      throw badRequest('validation.date', `query.${f}: ${q[f]} 不是有效日期`, `query.${f}`);
  if (q?.from && q.to && q.from > q.to)
    throw badRequest('validation.period', 'query.from: 开始日期不能晚于结束日期', 'query.from');
  if (kind === 'routine' && (!q?.from || !q.to))
    throw badRequest(
      'validation.required',
      'query: 日常稽核须给出稽核期间（from、to）',
      q?.from ? 'query.to' : 'query.from',
    );
  if (kind === 'special' && !q) throw badRequest('validation.required', 'query: 专项稽核须给出选取案件的条件', 'query');
}

async function viewOf(ctx: AppContext, request: FastifyRequest, auditId: string) {
  const view = await auditView(ctx.db, auditId);
  if (!view) throw notFound('audit.not_found', `audit ${auditId} not found`);
  await requireAgency(ctx.db, request, view.agencyCode);
  return view;
}

export function registerAuditSupervisionRoutes(app: App, ctx: AppContext, taskQueue: string): void {
  app.addSchema(AuditSchema);
  const calendar = createCalendarProvider(ctx.db);

  const startTipOffWorkflow = (input: TipOffAuditInput) =>
    startTipOffAudit(ctx.temporal, taskQueue, ctx.assertions, input);

  app.post<{ Body: OpenBody }>(
    '/api/v1/audits',
    {
      schema: {
        summary:
          'Open an audit: routine (a period, sampled), special (a query over cases) or tip-off (its own clock in working days)',
        tags: ['supervision'],
        headers: KeyHeader,
        body: OpenBody,
        response: { 201: Type.Ref(AuditSchema), 200: Type.Ref(AuditSchema), ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const key = idempotencyKeyOf(request.headers);
      const body = request.body;
      await requireAgency(ctx.db, request, body.agencyCode);
      const hash = requestHash(body);
      if (key) {
        const [earlier] = await ctx.db
          .select({
            id: audits.id,
            agencyCode: audits.agencyCode,
            hash: audits.requestHash,
            kind: audits.kind,
            receivedAt: audits.receivedAt,
          })
          .from(audits)
          .where(and(eq(audits.openedBy, actor.id), eq(audits.requestKey, key)));
        if (earlier) {
          if (earlier.hash !== hash)
            throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的稽核', 'Idempotency-Key');
          if (earlier.kind === 'tip_off')
            await startTipOffWorkflow({
              auditId: earlier.id,
              agencyCode: earlier.agencyCode,
              receivedAt: earlier.receivedAt!.toISOString(),
              workingDays: SUPERVISION_LIMITS.tipOffAudit,
            });
          return reply.status(200).send(await viewOf(ctx, request, earlier.id));
        }
      }
      checkQuery(body.kind, body.query);
      if (body.kind === 'tip_off' && !body.tipOff)
        throw badRequest('validation.required', 'tipOff: 举报稽核须记录举报内容', 'tipOff');
      if (body.kind !== 'tip_off' && body.tipOff)
        throw badRequest('validation.unexpected', 'tipOff: 仅举报稽核记录举报内容', 'tipOff');
      const now = ctx.now();
      const receivedAt = body.tipOff?.receivedAt ? new Date(body.tipOff.receivedAt) : now;
      if (receivedAt > now)
        throw badRequest('validation.future', 'tipOff.receivedAt: 收到举报的时间不能晚于现在', 'tipOff.receivedAt');
      const year = Number(chinaDateOf(now.getTime()).slice(0, 4));

      const auditId = await ctx.db.transaction(async (tx) => {
        const id = await nextAuditId(tx, body.agencyCode, year);
        let selected: Array<{ caseId: string; source: string }> = [];
        if (body.kind === 'special') {
          const ids = await casesMatching(tx, body.agencyCode, body.query!);
          if (ids.length > AUDIT_CASE_LIMIT)
            throw unprocessable(
              'audit.too_many_cases',
              `query: 条件选中的案件超过 ${AUDIT_CASE_LIMIT} 件，请缩小范围`,
              'query',
            );
          if (ids.length === 0) throw unprocessable('audit.no_cases', 'query: 条件未选中任何案件', 'query');
          selected = ids.map((caseId) => ({ caseId, source: 'query' }));
        } else if (body.kind === 'routine') {
          selected = (await routineSample(tx, body.agencyCode, body.query!, id)).map((caseId) => ({
            caseId,
            source: 'sample',
          }));
        } else {
          const named = [...new Set(body.tipOff!.caseIds ?? [])];
          const found = named.length
            ? await tx
                .select({ id: cases.id })
                .from(cases)
                .where(and(inArray(cases.id, named), eq(cases.agencyCode, body.agencyCode)))
            : [];
          const missing = named.findIndex((c) => !found.some((f) => f.id === c));
          if (missing >= 0)
            throw unprocessable(
              'audit.unknown_case',
              `tipOff.caseIds[${missing}]: 本经办机构没有案件 ${named[missing]}`,
              `tipOff.caseIds[${missing}]`,
            );
          selected = named.map((caseId) => ({ caseId, source: 'named' }));
        }
        await tx.insert(audits).values({
          id,
          agencyCode: body.agencyCode,
          kind: body.kind,
          title: body.title.trim(),
          scope: body.kind === 'tip_off' ? { channel: body.tipOff!.channel } : { query: body.query },
          tipOff: body.tipOff?.content ?? null,
          openedBy: actor.id,
          openedAt: now,
          receivedAt: body.kind === 'tip_off' ? receivedAt : null,
          workflowId: body.kind === 'tip_off' ? id : null,
          requestKey: key ?? null,
          requestHash: hash,
        });
        if (selected.length)
          await tx
            .insert(auditCases)
            .values(selected.map((s) => ({ auditId: id, caseId: s.caseId, source: s.source, addedAt: now })));
        return id;
      });
      if (body.kind === 'tip_off') {
        try {
          await startTipOffWorkflow({
            auditId,
            agencyCode: body.agencyCode,
            receivedAt: receivedAt.toISOString(),
            workingDays: SUPERVISION_LIMITS.tipOffAudit,
          });
        } catch (err) {
          // Nothing half-written: without its clock the tip-off audit is not opened.
          await ctx.db.transaction(async (tx) => {
            await tx.delete(auditCases).where(eq(auditCases.auditId, auditId));
            await tx.delete(audits).where(eq(audits.id, auditId));
          });
          throw err;
        }
      }
      return reply.status(201).send(await viewOf(ctx, request, auditId));
    },
  );

  app.get<{ Querystring: { agencyCode?: string; kind?: string; status?: string; overdue?: boolean } }>(
    '/api/v1/audits',
    {
      schema: {
        summary: 'Audits of the caller’s agencies, newest first',
        tags: ['supervision'],
        querystring: Type.Object(
          {
            agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
            kind: Type.Optional(
              Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('tip_off')]),
            ),
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('concluded')])),
            overdue: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                auditId: Type.String(),
                agencyCode: Type.String(),
                kind: Type.String(),
                title: Type.String(),
                status: Type.String(),
                openedAt: Type.String({ format: 'date-time' }),
                dueDate: Nullable(Type.String({ format: 'date' })),
                overdue: Type.Boolean(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const where: SQL[] = [];
      const scope = inScope(audits.agencyCode, await listScope(ctx.db, request, q.agencyCode));
      if (scope) where.push(scope);
      if (q.kind) where.push(eq(audits.kind, q.kind));
      if (q.status) where.push(eq(audits.status, q.status));
      if (q.overdue !== undefined) where.push(eq(audits.overdue, q.overdue));
      const rows = await ctx.db
        .select()
        .from(audits)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(audits.openedAt))
        .limit(200);
      return {
        items: rows.map((a) => ({
          auditId: a.id,
          agencyCode: a.agencyCode,
          kind: a.kind,
          title: a.title,
          status: a.status,
          openedAt: a.openedAt.toISOString(),
          dueDate: a.dueDate,
          overdue: a.overdue,
        })),
      };
    },
  );

  app.get<{ Params: AuditParams }>(
    '/api/v1/audits/:auditId',
    {
      schema: {
        summary: 'An audit with its cases, findings (and their rectification) and clock',
        tags: ['supervision'],
        params: AuditParams,
        response: { 200: Type.Ref(AuditSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => viewOf(ctx, request, request.params.auditId),
  );

  app.post<{ Params: AuditParams; Body: { caseId: string; category: string; text?: string; rectify: boolean } }>(
    '/api/v1/audits/:auditId/findings',
    {
      schema: {
        summary:
          'Record a finding of an open audit on a case of its agency (by a supervisor who did not handle the case); rectify opens a follow-up task',
        tags: ['supervision'],
        params: AuditParams,
        headers: KeyHeader,
        body: Type.Object(
          {
            caseId: CaseId,
            category: Type.String({ minLength: 1, maxLength: 40, examples: Object.keys(FINDING_CATEGORIES) }),
            text: Type.Optional(Type.String({ maxLength: 2000 })),
            rectify: Type.Boolean({ description: 'Open a rectification task (整改) on the case' }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Ref(AuditSchema),
          200: Type.Ref(AuditSchema),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const key = idempotencyKeyOf(request.headers);
      const view = await viewOf(ctx, request, request.params.auditId);
      if (key) {
        const [earlier] = await ctx.db
          .select({ id: findings.id })
          .from(findings)
          .where(and(eq(findings.recordedBy, actor.id), eq(findings.requestKey, key)));
        if (earlier) return reply.status(200).send(view);
      }
      if (view.status !== 'open')
        throw conflict('audit.concluded', '该稽核已办结，不能再记录问题', { auditId: view.auditId });
      const body = request.body;
      validateFindingItems([{ code: body.category, note: body.text }], 'category');
      const [target] = await ctx.db
        .select({ id: cases.id, agencyCode: cases.agencyCode })
        .from(cases)
        .where(eq(cases.id, body.caseId));
      if (!target || target.agencyCode !== view.agencyCode)
        throw unprocessable('audit.unknown_case', `caseId: 本经办机构没有案件 ${body.caseId}`, 'caseId');
      await requireNotHandled(ctx.db, request, actor, target.id, view.agencyCode);
      const now = ctx.now();
      const dueAt = body.rectify
        ? await followUpDue({ now: ctx.now, calendar }, SUPERVISION_LIMITS.rectification)
        : undefined;
      await ctx.db.transaction(async (tx) => {
        const [finding] = await tx
          .insert(findings)
          .values({
            source: 'audit',
            auditId: view.auditId,
            caseId: target.id,
            category: body.category,
            text: body.text?.trim() || FINDING_CATEGORIES[body.category].text,
            recordedBy: actor.id,
            recordedAt: now,
            status: body.rectify ? 'open' : 'noted',
            requestKey: key ?? null,
          })
          .returning({ id: findings.id });
        if (body.rectify) {
          const taskKey = `${view.auditId}:finding-${finding.id}`;
          await tx.update(findings).set({ followUpTaskKey: taskKey }).where(eq(findings.id, finding.id));
          await openSupervisionTask(tx, {
            key: taskKey,
            caseId: target.id,
            agencyCode: view.agencyCode,
            step: 'audit_followup',
            title: `${SUPERVISION_STEP.audit_followup.title}：${FINDING_CATEGORIES[body.category].text}`,
            clause: SUPERVISION_STEP.audit_followup.clause,
            dueAt: dueAt!,
            detail: { kind: 'finding', auditId: view.auditId },
          });
        }
        await tx
          .insert(auditCases)
          .values({ auditId: view.auditId, caseId: target.id, source: 'finding', addedAt: now })
          .onConflictDoNothing();
      });
      return reply.status(201).send(await viewOf(ctx, request, view.auditId));
    },
  );

  app.post<{ Params: AuditParams; Body: { conclusion: string } }>(
    '/api/v1/audits/:auditId/conclusion',
    {
      schema: {
        summary: 'Conclude an audit (a tip-off audit’s clock stops; late if past its due date)',
        tags: ['supervision'],
        params: AuditParams,
        body: Type.Object(
          { conclusion: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(AuditSchema), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const view = await viewOf(ctx, request, request.params.auditId);
      const text = request.body.conclusion.trim();
      if (!text) throw unprocessable('audit.conclusion_required', 'conclusion: 须写明稽核结论', 'conclusion');
      if (view.status === 'concluded') {
        if (view.conclusion === text && view.concludedBy === actor.id) return view;
        throw conflict('audit.concluded', '该稽核已办结', { auditId: view.auditId });
      }
      if (view.kind === 'tip_off') {
        try {
          await executeCaseUpdate(
            { db: ctx.db, temporal: ctx.temporal, assertions: ctx.assertions },
            {
              caseId: view.auditId,
              agencyCode: view.agencyCode,
              update: concludeAuditUpdate,
              arg: { conclusion: text, actor: caseActor(actor) },
              actor: { ...caseActor(actor), agencies: actor.agencies },
              action: 'POST /api/v1/audits/:auditId/conclusion',
            },
          );
        } catch (err) {
          // Concluded by someone else meanwhile: a conflict, as above.
          if (err instanceof ApiError && err.code === 'audit.concluded')
            throw conflict('audit.concluded', '该稽核已办结', { auditId: view.auditId });
          throw err;
        }
      } else {
        const done = await ctx.db
          .update(audits)
          .set({ status: 'concluded', conclusion: text, concludedBy: actor.id, concludedAt: ctx.now() })
          .where(and(eq(audits.id, view.auditId), eq(audits.status, 'open')))
          .returning({ id: audits.id });
        if (done.length === 0) throw conflict('audit.concluded', '该稽核已办结', { auditId: view.auditId });
      }
      return viewOf(ctx, request, view.auditId);
    },
  );
}
