/**
 * Service improvement (V-2, 12.2): the public's suggestions and complaints, recorded with a reply
 * due in SUPERVISION_LIMITS.feedbackReply working days (POST /api/v1/feedback, no token), listed
 * for supervisors and auditors with their clocks, and answered by a supervisor; and the policy
 * changes (parameter and calendar publications) with the cases and guide entries they affect.
 */
import { Type, type Static } from '@sinclair/typebox';
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { createCalendarProvider } from '../../db/calendar-store';
import { agencies, feedback, type Feedback } from '../../db/schema';
import { APPLICANT_PROCEDURES } from '../../domain/procedures';
import { SUPERVISION_LIMITS } from '../../domain/supervision';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { actorOf, inScope, servedAgencies } from '../auth/access';
import { requireAgency, servesAgency } from '../auth/plugin';
import { conflict, notFound, unprocessable } from '../errors';
import { errorResponses } from '../schemas/common';
import { requestHash } from '../services/idempotency';
import { policyChanges } from '../services/policy-changes';
import { followUpDue } from '../services/supervision-tasks';
import { idempotencyKeyOf } from '../validation';
import { currentServiceGuide } from './service-guide';

const FeedbackBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('suggestion'), Type.Literal('complaint')], {
      description: 'suggestion 意见建议; complaint 投诉',
    }),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'The agency it concerns, if one' })),
    procedure: Type.Optional(Type.Union(APPLICANT_PROCEDURES.map((p) => Type.Literal(p)))),
    contact: Type.Optional(
      Type.String({ maxLength: 100, description: 'How to reach the sender for the reply (phone or address)' }),
    ),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Receipt = Type.Object({
  feedbackId: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  replyDueDate: Type.String({ format: 'date' }),
  replyWorkingDays: Type.Integer(),
  message: Type.String(),
});

const FeedbackItem = Type.Object(
  {
    feedbackId: Type.String({ format: 'uuid' }),
    kind: Type.String(),
    text: Type.String(),
    agencyCode: Nullable(Type.String()),
    procedure: Nullable(Type.String()),
    contact: Nullable(Type.String({ description: 'Shown to supervisors (who reply), not to auditors' })),
    receivedAt: Type.String({ format: 'date-time' }),
    replyDueDate: Type.String({ format: 'date' }),
    status: Type.Union([Type.Literal('open'), Type.Literal('replied')]),
    overdue: Type.Boolean({ description: 'Open past its reply date, or replied after it' }),
    reply: Nullable(Type.String()),
    repliedBy: Nullable(Type.String()),
    repliedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Feedback' },
);

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('replied')])),
    overdue: Type.Optional(Type.Boolean()),
    agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1000000, default: 0 }),
  },
  { additionalProperties: false },
);

const AffectedCase = Type.Object({
  caseId: Type.String(),
  agencyCode: Type.String(),
  procedure: Type.String(),
  status: Type.String(),
  why: Type.String(),
});
const PolicyChange = Type.Object({
  kind: Type.Union([Type.Literal('parameters'), Type.Literal('calendar')]),
  id: Type.Integer({ description: 'Parameter publication ID or calendar version' }),
  publishedAt: Type.String({ format: 'date-time' }),
  publishedBy: Nullable(Type.String()),
  summary: Type.String(),
  changes: Type.Array(Type.Object({}, { additionalProperties: true })),
  affectedCases: Type.Array(AffectedCase),
  affectedGuideEntries: Type.Array(Type.Object({ procedure: Type.String(), name: Type.String(), why: Type.String() })),
});

function itemOf(f: Feedback, showContact: boolean, now: Date) {
  return {
    feedbackId: f.id,
    kind: f.kind,
    text: f.text,
    agencyCode: f.agencyCode,
    procedure: f.procedure,
    contact: showContact ? f.contact : null,
    receivedAt: f.receivedAt.toISOString(),
    replyDueDate: f.replyDueDate,
    status: f.status as 'open' | 'replied',
    overdue: (f.repliedAt ?? now) > f.replyDueAt,
    reply: f.reply,
    repliedBy: f.repliedBy,
    repliedAt: f.repliedAt?.toISOString() ?? null,
  };
}

export function registerFeedbackRoutes(app: App, ctx: AppContext): void {
  app.addSchema(FeedbackItem);
  const calendar = createCalendarProvider(ctx.db);

  app.post<{ Body: Static<typeof FeedbackBody> }>(
    '/api/v1/feedback',
    {
      schema: {
        summary: 'Send a suggestion or complaint (意见建议) — public; the reply is due in working days',
        tags: ['public'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: FeedbackBody,
        response: { 201: Receipt, 200: Receipt, ...errorResponses(400, 422) },
      },
    },
    async (request, reply) => {
      const key = idempotencyKeyOf(request.headers);
      const body = request.body;
      const text = body.text.trim();
      if (!text) throw unprocessable('validation.blank', 'text: 不能为空', 'text');
      if (body.agencyCode) {
        const [known] = await ctx.db
          .select({ code: agencies.code })
          .from(agencies)
          .where(eq(agencies.code, body.agencyCode));
        if (!known)
          throw unprocessable(
            'feedback.unknown_agency',
            `agencyCode: 经办机构 ${body.agencyCode} 不在经办机构名录中`,
            'agencyCode',
          );
      }
      const hash = requestHash(body);
      const receipt = (f: Feedback) => ({
        feedbackId: f.id,
        kind: f.kind,
        receivedAt: f.receivedAt.toISOString(),
        replyDueDate: f.replyDueDate,
        replyWorkingDays: SUPERVISION_LIMITS.feedbackReply,
        message: `您的${f.kind === 'complaint' ? '投诉' : '意见建议'}已收到，我们将于${f.replyDueDate}前答复。咨询电话：${ctx.serviceHotline}`,
      });
      if (key) {
        const [earlier] = await ctx.db.select().from(feedback).where(eq(feedback.requestKey, key));
        if (earlier) {
          if (earlier.requestHash !== hash)
            throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的意见', 'Idempotency-Key');
          return reply.status(200).send(receipt(earlier));
        }
      }
      const dueAt = await followUpDue({ now: ctx.now, calendar }, SUPERVISION_LIMITS.feedbackReply);
      const [row] = await ctx.db
        .insert(feedback)
        .values({
          kind: body.kind,
          text,
          agencyCode: body.agencyCode ?? null,
          procedure: body.procedure ?? null,
          contact: body.contact?.trim() || null,
          receivedAt: ctx.now(),
          replyDueDate: chinaDateOf(dueAt.getTime() - 1),
          replyDueAt: dueAt,
          requestKey: key ?? null,
          requestHash: hash,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        const [earlier] = await ctx.db.select().from(feedback).where(eq(feedback.requestKey, key!));
        if (earlier.requestHash !== hash)
          throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的意见', 'Idempotency-Key');
        return reply.status(200).send(receipt(earlier));
      }
      return reply.status(201).send(receipt(row));
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/feedback',
    {
      schema: {
        summary: 'Suggestions and complaints with their reply clocks (the caller’s agencies and those naming none)',
        tags: ['evaluation'],
        querystring: ListQuery,
        response: {
          200: Type.Object({ total: Type.Integer(), items: Type.Array(Type.Ref(FeedbackItem)) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = request.query;
      if (q.agencyCode) await requireAgency(ctx.db, request, q.agencyCode);
      const now = ctx.now();
      const where: SQL[] = [];
      // Feedback on no agency (about the guide, the system) is seen by every agency's staff.
      const served = inScope(feedback.agencyCode, servedAgencies(actor));
      if (served) where.push(or(isNull(feedback.agencyCode), served)!);
      if (q.agencyCode) where.push(eq(feedback.agencyCode, q.agencyCode));
      if (q.status) where.push(eq(feedback.status, q.status));
      const late = sql`coalesce(${feedback.repliedAt}, ${now.toISOString()}::timestamptz) > ${feedback.replyDueAt}`;
      if (q.overdue !== undefined) where.push(q.overdue ? late : sql`not ${late}`);
      const condition = where.length ? and(...where) : undefined;
      const rows = await ctx.db
        .select()
        .from(feedback)
        .where(condition)
        .orderBy(asc(feedback.replyDueAt), asc(feedback.id))
        .limit(q.limit)
        .offset(q.offset);
      const [count] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(feedback)
        .where(condition);
      return { total: count.n, items: rows.map((r) => itemOf(r, actor.role === 'supervisor', now)) };
    },
  );

  app.post<{ Params: { feedbackId: string }; Body: { reply: string } }>(
    '/api/v1/feedback/:feedbackId/reply',
    {
      schema: {
        summary: 'Reply to a suggestion or complaint (recorded with who and when; late if after its reply date)',
        tags: ['evaluation'],
        params: Type.Object({ feedbackId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ reply: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref(FeedbackItem), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const text = request.body.reply.trim();
      if (!text) throw unprocessable('validation.blank', 'reply: 不能为空', 'reply');
      const [row] = await ctx.db.select().from(feedback).where(eq(feedback.id, request.params.feedbackId));
      if (!row) throw notFound('feedback.not_found', `feedback ${request.params.feedbackId} not found`);
      if (row.agencyCode && !servesAgency(actor, row.agencyCode)) await requireAgency(ctx.db, request, row.agencyCode);
      const [updated] = await ctx.db
        .update(feedback)
        .set({ status: 'replied', reply: text, repliedBy: actor.id, repliedAt: ctx.now() })
        .where(and(eq(feedback.id, row.id), eq(feedback.status, 'open')))
        .returning();
      if (updated) return itemOf(updated, true, ctx.now());
      const [current] = await ctx.db.select().from(feedback).where(eq(feedback.id, row.id));
      // The same reply sent again by the same supervisor is a duplicate; anything else a conflict.
      if (current.reply === text && current.repliedBy === actor.id) return itemOf(current, true, ctx.now());
      throw conflict('feedback.replied', '该意见已答复', { feedbackId: row.id });
    },
  );

  app.get<{ Querystring: { kind?: 'parameters' | 'calendar'; limit: number } }>(
    '/api/v1/policy-changes',
    {
      schema: {
        summary:
          'Policy changes (parameter and calendar publications), newest first, with the cases and service-guide entries each affects',
        tags: ['evaluation'],
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Union([Type.Literal('parameters'), Type.Literal('calendar')])),
            limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PolicyChange) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const guide = await currentServiceGuide(ctx);
      const items = await policyChanges(ctx.db, {
        kind: request.query.kind,
        limit: request.query.limit,
        guide,
        agencies: servedAgencies(actor),
      });
      return { items };
    },
  );
}
