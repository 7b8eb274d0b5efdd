/**
 * Satisfaction ratings (好差评, V-1, 12.1): after a case closes its applicant rates it once, 1–5
 * with a comment — online with their own token, or at the counter's rating pad (entered by the
 * acceptor). A poor rating (≤ 2) opens a `satisfaction_followup` task for the agency's
 * supervisors, due in SUPERVISION_LIMITS.poorRatingFollowUp working days; its completion records
 * the follow-up. The same rating sent again answers 200 with the first; another one is 409.
 */
import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { createCalendarProvider } from '../../db/calendar-store';
import { getCaseDetail } from '../../db/repositories/cases';
import { openSupervisionTask, taskByKey } from '../../db/repositories/supervision';
import { serviceRatings, type ServiceRating } from '../../db/schema';
import { POOR_RATING_MAX } from '../../domain/evaluation';
import { SUPERVISION_LIMITS, SUPERVISION_STEP } from '../../domain/supervision';
import type { App, AppContext } from '../app';
import { actorOf, requireCaseAccess } from '../auth/access';
import { conflict, notFound } from '../errors';
import { errorResponses } from '../schemas/common';
import { requestHash } from '../services/idempotency';
import { followUpDue } from '../services/supervision-tasks';

const CaseParams = Type.Object({
  caseId: Type.String({ pattern: '^[a-z-]+-[0-9]{6}-[0-9]{4}-[0-9]{6}$', description: 'Case ID' }),
});
type CaseParams = Static<typeof CaseParams>;

const RatingBody = Type.Object(
  {
    score: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: '1 非常不满意 … 5 非常满意; 1–2 is a poor rating (差评)',
    }),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const RatingResponse = Type.Object(
  {
    caseId: Type.String(),
    score: Type.Integer(),
    comment: Nullable(Type.String()),
    channel: Type.Union([Type.Literal('online'), Type.Literal('counter')]),
    ratedAt: Type.String({ format: 'date-time' }),
    poor: Type.Boolean(),
    followUp: Nullable(
      Type.Object({
        taskId: Nullable(Type.String()),
        status: Nullable(Type.String()),
        dueAt: Type.String({ format: 'date-time' }),
        followedUpAt: Nullable(Type.String({ format: 'date-time' })),
        followedUpBy: Nullable(Type.String()),
        note: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'Rating' },
);

async function ratingView(ctx: AppContext, r: ServiceRating) {
  const task = r.followUpTaskKey ? await taskByKey(ctx.db, r.followUpTaskKey) : undefined;
  return {
    caseId: r.caseId,
    score: r.score,
    comment: r.comment,
    channel: r.channel as 'online' | 'counter',
    ratedAt: r.ratedAt.toISOString(),
    poor: r.score <= POOR_RATING_MAX,
    followUp: r.followUpDueAt
      ? {
          taskId: task?.id ?? null,
          status: task?.status ?? null,
          dueAt: r.followUpDueAt.toISOString(),
          followedUpAt: r.followedUpAt?.toISOString() ?? null,
          followedUpBy: r.followedUpBy,
          note: r.followUpNote,
        }
      : null,
  };
}

async function caseOf(ctx: AppContext, request: FastifyRequest, caseId: string) {
  const view = await getCaseDetail(ctx.db, caseId);
  if (!view) throw notFound('case.not_found', `case ${caseId} not found`);
  await requireCaseAccess(ctx.db, request, view);
  return view;
}

export function registerRatingRoutes(app: App, ctx: AppContext): void {
  app.addSchema(RatingResponse);
  const calendar = createCalendarProvider(ctx.db);

  app.post<{ Params: CaseParams; Body: Static<typeof RatingBody> }>(
    '/api/v1/cases/:caseId/rating',
    {
      schema: {
        summary:
          'Rate a closed case once (好差评, 1–5 and a comment): the applicant online, or the acceptor for the counter’s rating pad',
        tags: ['evaluation'],
        params: CaseParams,
        body: RatingBody,
        response: {
          201: Type.Ref(RatingResponse),
          200: Type.Ref(RatingResponse),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const view = await caseOf(ctx, request, request.params.caseId);
      if (view.status !== 'closed') throw conflict('case.not_closed', '案件办结后方可评价', { caseId: view.caseId });
      const comment = request.body.comment?.trim() || null;
      const hash = requestHash({ score: request.body.score, comment });
      const now = ctx.now();
      const poor = request.body.score <= POOR_RATING_MAX;
      const dueAt = poor ? await followUpDue({ now: ctx.now, calendar }, SUPERVISION_LIMITS.poorRatingFollowUp) : null;
      const taskKey = `${view.caseId}:satisfaction_followup`;
      const created = await ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(serviceRatings)
          .values({
            caseId: view.caseId,
            agencyCode: view.agencyCode,
            score: request.body.score,
            comment,
            channel: actor.role === 'applicant' ? 'online' : 'counter',
            ratedBy: actor.id,
            ratedAt: now,
            requestHash: hash,
            followUpTaskKey: poor ? taskKey : null,
            followUpDueAt: dueAt,
          })
          .onConflictDoNothing({ target: serviceRatings.caseId })
          .returning();
        if (row && poor) {
          await openSupervisionTask(tx, {
            key: taskKey,
            caseId: view.caseId,
            agencyCode: view.agencyCode,
            step: 'satisfaction_followup',
            title: `${SUPERVISION_STEP.satisfaction_followup.title}（评分 ${request.body.score}）`,
            clause: SUPERVISION_STEP.satisfaction_followup.clause,
            dueAt: dueAt!,
            detail: { kind: 'rating', score: request.body.score },
          });
        }
        return row;
      });
      if (created) return reply.status(201).send(await ratingView(ctx, created));
      const [existing] = await ctx.db.select().from(serviceRatings).where(eq(serviceRatings.caseId, view.caseId));
      if (existing.requestHash !== hash)
        throw conflict('rating.already_rated', '该案件已评价，每件只能评价一次', { caseId: view.caseId });
      return reply.status(200).send(await ratingView(ctx, existing));
    },
  );

  app.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId/rating',
    {
      schema: {
        summary: 'The rating of a case and its follow-up',
        tags: ['evaluation'],
        params: CaseParams,
        response: { 200: Type.Ref(RatingResponse), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const view = await caseOf(ctx, request, request.params.caseId);
      const [row] = await ctx.db.select().from(serviceRatings).where(eq(serviceRatings.caseId, view.caseId));
      if (!row) throw notFound('rating.not_found', '该案件尚未评价');
      return ratingView(ctx, row);
    },
  );
}
