/** Cases: read one, list with filters, and the steps that move an open case on. */
import { Type, type Static } from '@sinclair/typebox';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { getCaseView, listCases } from '../../db/repositories/cases';
import { procedureEnum } from '../../db/schema';
import { decideUpdate, extendDeadlineUpdate, supplementUpdate } from '../../workflows/shared/messages';
import type { App, AppContext } from '../app';
import { ApiError, badRequest, conflict, notFound } from '../errors';
import { CaseResponse, errorResponses, Materials } from '../schemas/common';
import { idempotencyKeyOf } from '../validation';

const CaseParams = Type.Object({ caseId: Type.String({ pattern: '^[a-z-]+-[0-9]{6}-[0-9]{4}-[0-9]{6}$', description: 'Case ID (= workflow ID)' }) });
type CaseParams = Static<typeof CaseParams>;
const ActorHeaders = Type.Object({
  'x-actor-id': Type.String({ minLength: 1, maxLength: 64, description: 'Staff member ID (until token authentication replaces it)' }),
  'x-actor-role': Type.String({ minLength: 1, maxLength: 32, description: 'Role: acceptor, reviewer, supervisor…' }),
  'idempotency-key': Type.Optional(Type.String()),
});

const DecisionBody = Type.Object(
  {
    step: Type.String({ minLength: 1, maxLength: 40, examples: ['acceptance', 'review'] }),
    result: Type.String({ minLength: 1, maxLength: 40, examples: ['accept', 'incomplete', 'approve', 'refuse'] }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    items: Type.Optional(
      Type.Array(Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }), {
        maxItems: 20,
      }),
    ),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    procedure: Type.Optional(Type.Union(procedureEnum.enumValues.map((p) => Type.Literal(p)))),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    stage: Type.Optional(Type.String({ maxLength: 40 })),
    waitingOn: Type.Optional(Type.String({ maxLength: 20 })),
    overdue: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** Maps a refused Update to 409 (the case is not in that state) or 422 (the step is invalid). */
function updateError(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? 'update.refused';
    const field = (err.cause.details?.[0] as { field?: string } | undefined)?.field;
    throw new ApiError(type.startsWith('case.') ? 409 : 422, type, err.cause.message, field);
  }
  if (err instanceof WorkflowNotFoundError) throw conflict('case.closed', '案件已办结');
  throw err;
}

async function openCase(ctx: AppContext, caseId: string) {
  const view = await getCaseView(ctx.db, caseId);
  if (!view) throw notFound('case.not_found', `case ${caseId} not found`);
  if (view.status !== 'open') throw conflict('case.closed', '案件已办结', { caseId });
  return view;
}

export function registerCaseRoutes(app: App, ctx: AppContext): void {
  app.get<{ Params: CaseParams }>(
    '/api/v1/cases/:caseId',
    {
      schema: {
        summary: 'A case with its notices, decisions and events',
        tags: ['cases'],
        params: CaseParams,
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const view = await getCaseView(ctx.db, request.params.caseId);
      if (!view) throw notFound('case.not_found', `case ${request.params.caseId} not found`);
      return view;
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/cases',
    {
      schema: {
        summary: 'List cases (filters: procedure, status, agency, stage, waitingOn, overdue)',
        tags: ['cases'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(
              Type.Object({
                caseId: Type.String(),
                procedure: Type.String(),
                agencyCode: Type.String(),
                channel: Type.String(),
                status: Type.String(),
                stage: Type.String(),
                waitingOn: Type.Union([Type.String(), Type.Null()]),
                outcome: Type.Union([Type.String(), Type.Null()]),
                receivedAt: Type.String(),
                dueAt: Type.Union([Type.String(), Type.Null()]),
                dueDate: Type.Union([Type.String(), Type.Null()]),
                overdue: Type.Boolean(),
              }),
            ),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => listCases(ctx.db, request.query),
  );

  app.post<{ Params: CaseParams; Body: { materials: Static<typeof Materials> } }>(
    '/api/v1/cases/:caseId/materials',
    {
      schema: {
        summary: 'Supplement materials after a one-time notice',
        tags: ['cases'],
        params: CaseParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object({ materials: Type.Array(Materials.items, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      await openCase(ctx, caseId);
      const key = idempotencyKeyOf(request.headers);
      await ctx.temporal.workflow
        .getHandle(caseId)
        .executeUpdate(supplementUpdate, { args: [{ materials: request.body.materials }], ...(key ? { updateId: `supplement:${key}` } : {}) })
        .catch(updateError);
      return getCaseView(ctx.db, caseId);
    },
  );

  app.post<{ Params: CaseParams; Body: Static<typeof DecisionBody>; Headers: Static<typeof ActorHeaders> }>(
    '/api/v1/cases/:caseId/decisions',
    {
      schema: {
        summary: 'Record a staff step (acceptance check, review confirmation)',
        tags: ['cases'],
        params: CaseParams,
        headers: ActorHeaders,
        body: DecisionBody,
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      await openCase(ctx, caseId);
      const key = idempotencyKeyOf(request.headers);
      const actor = { id: request.headers['x-actor-id'], role: request.headers['x-actor-role'] };
      await ctx.temporal.workflow
        .getHandle(caseId)
        .executeUpdate(decideUpdate, { args: [{ ...request.body, actor }], ...(key ? { updateId: `decide:${key}` } : {}) })
        .catch(updateError);
      return getCaseView(ctx.db, caseId);
    },
  );

  app.post<{ Params: CaseParams; Body: { workingDays: number; reason: string }; Headers: Static<typeof ActorHeaders> }>(
    '/api/v1/cases/:caseId/deadline-extension',
    {
      schema: {
        summary: 'Extend the statutory deadline once, with a reason',
        tags: ['cases'],
        params: CaseParams,
        headers: ActorHeaders,
        body: Type.Object({ workingDays: Type.Integer({ minimum: 1, maximum: 30 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      await openCase(ctx, caseId);
      if (!request.body.reason.trim()) throw badRequest('validation.blank', 'reason: 不能为空', 'reason');
      const key = idempotencyKeyOf(request.headers);
      const actor = { id: request.headers['x-actor-id'], role: request.headers['x-actor-role'] };
      await ctx.temporal.workflow
        .getHandle(caseId)
        .executeUpdate(extendDeadlineUpdate, { args: [{ ...request.body, actor }], ...(key ? { updateId: `extend:${key}` } : {}) })
        .catch(updateError);
      return getCaseView(ctx.db, caseId);
    },
  );
}
