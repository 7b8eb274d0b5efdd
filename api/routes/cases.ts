/** Cases: read one, list with filters, and the steps that move an open case on. */
import { Type, type Static } from '@sinclair/typebox';
import { getCaseDetail, listCases } from '../../db/repositories/cases';
import { CursorError, TOTAL_CAP } from '../../db/repositories/paging';
import { procedureEnum } from '../../db/schema';
import { decideUpdate, extendDeadlineUpdate, supplementUpdate } from '../../workflows/shared/messages';
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../app';
import { actorOf, caseActor, listScope, requireCaseAccess } from '../auth/access';
import { caseNotFound } from '../auth/plugin';
import { badRequest, conflict } from '../errors';
import { executeCaseUpdate } from '../services/case-updates';
import { bindKey } from '../services/idempotency';
import { CaseResponse, errorResponses, Materials } from '../schemas/common';
import { CaseOutcomeSchema, StaffResultSchema, StaffStepSchema } from '../schemas/decisions';
import { idempotencyKeyOf } from '../validation';

const CaseParams = Type.Object({
  caseId: Type.String({ pattern: '^[a-z-]+-[0-9]{6}-[0-9]{4}-[0-9]{6}$', description: 'Case ID (= workflow ID)' }),
});
type CaseParams = Static<typeof CaseParams>;
const KeyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String()) });

const DecisionBody = Type.Object(
  {
    step: StaffStepSchema,
    result: StaffResultSchema,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    items: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 40 }), note: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        {
          maxItems: 20,
        },
      ),
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
    offset: Type.Integer({
      minimum: 0,
      maximum: 1000000,
      default: 0,
      description: 'Rows to skip; prefer `cursor`, which does not read the skipped rows',
    }),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: "The previous page's `nextCursor`: the page after it" }),
    ),
  },
  { additionalProperties: false },
);

/** The request's Idempotency-Key bound to its caller, case and body (api/services/idempotency.ts), as the ID to de-duplicate by. */
async function boundKey(
  ctx: AppContext,
  request: FastifyRequest,
  caseId: string,
  route: string,
): Promise<string | undefined> {
  const key = idempotencyKeyOf(request.headers);
  if (!key) return undefined;
  return bindKey(ctx.db, { route, callerId: actorOf(request).id, key, body: request.body, caseId });
}

/**
 * The agencies the API vouches for in the assertion it sends the workflow: a member of staff's,
 * from the token; an applicant, who has none, acts for their own case only (checked above), so
 * for that case's agency.
 */
function assertedAgencies(actor: { role: string; agencies: string[] }, caseAgency: string): string[] {
  return actor.role === 'applicant' ? [caseAgency] : actor.agencies;
}

/** An open case the caller may act on (agency; applicant: own case), else 404/409. */
async function openCase(ctx: AppContext, request: FastifyRequest, caseId: string) {
  const view = await getCaseDetail(ctx.db, caseId);
  if (!view) throw caseNotFound(caseId);
  await requireCaseAccess(ctx.db, request, view);
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
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const view = await getCaseDetail(ctx.db, request.params.caseId);
      if (!view) throw caseNotFound(request.params.caseId);
      await requireCaseAccess(ctx.db, request, view);
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
            total: Type.Integer({ description: `Cases matching the filters, counted up to ${TOTAL_CAP}` }),
            totalCapped: Type.Boolean({ description: `More than ${TOTAL_CAP} cases match (total shows ${TOTAL_CAP})` }),
            nextCursor: Type.Union([Type.String(), Type.Null()], {
              description: 'Pass as `cursor` for the next page (newest first); null on the last page',
            }),
            items: Type.Array(
              Type.Object({
                caseId: Type.String(),
                procedure: Type.String(),
                agencyCode: Type.String(),
                channel: Type.String(),
                status: Type.String(),
                stage: Type.String(),
                waitingOn: Type.Union([Type.String(), Type.Null()]),
                outcome: CaseOutcomeSchema,
                receivedAt: Type.String(),
                dueAt: Type.Union([Type.String(), Type.Null()]),
                dueDate: Type.Union([Type.String(), Type.Null()]),
                overdue: Type.Boolean(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      // Staff see their agencies' cases; an agency outside them is refused (and recorded).
      const agencies = await listScope(ctx.db, request, request.query.agencyCode);
      try {
        return await listCases(ctx.db, { ...request.query, agencies });
      } catch (err) {
        if (err instanceof CursorError) throw badRequest('validation.cursor', `cursor: ${err.message}`, 'cursor');
        throw err;
      }
    },
  );

  app.post<{ Params: CaseParams; Body: { materials: Static<typeof Materials> } }>(
    '/api/v1/cases/:caseId/materials',
    {
      schema: {
        summary: 'Supplement materials after a one-time notice',
        tags: ['cases'],
        params: CaseParams,
        headers: KeyHeaders,
        body: Type.Object(
          { materials: Type.Array(Materials.items, { minItems: 1, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      const view = await openCase(ctx, request, caseId);
      const actor = caseActor(actorOf(request));
      const key = await boundKey(ctx, request, caseId, 'POST /api/v1/cases/:caseId/materials');
      await executeCaseUpdate(ctx, {
        caseId,
        agencyCode: view.agencyCode,
        update: supplementUpdate,
        arg: { materials: request.body.materials, actor },
        updateId: key ? `supplement:${key}` : undefined,
        actor: { ...actor, agencies: assertedAgencies(actorOf(request), view.agencyCode) },
        action: 'POST /api/v1/cases/:caseId/materials',
      });
      return getCaseDetail(ctx.db, caseId);
    },
  );

  app.post<{ Params: CaseParams; Body: Static<typeof DecisionBody>; Headers: Static<typeof KeyHeaders> }>(
    '/api/v1/cases/:caseId/decisions',
    {
      schema: {
        summary: 'Record a staff step (acceptance check, review confirmation)',
        tags: ['cases'],
        params: CaseParams,
        headers: KeyHeaders,
        body: DecisionBody,
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      const view = await openCase(ctx, request, caseId);
      // The decider is the verified actor of the token, never a header or the body.
      const actor = caseActor(actorOf(request));
      const key = await boundKey(ctx, request, caseId, 'POST /api/v1/cases/:caseId/decisions');
      await executeCaseUpdate(ctx, {
        caseId,
        agencyCode: view.agencyCode,
        update: decideUpdate,
        arg: { ...request.body, actor },
        updateId: key ? `decide:${key}` : undefined,
        actor: { ...actor, agencies: assertedAgencies(actorOf(request), view.agencyCode) },
        action: `decide ${request.body.step}`,
      });
      return getCaseDetail(ctx.db, caseId);
    },
  );

  app.post<{ Params: CaseParams; Body: { workingDays: number; reason: string }; Headers: Static<typeof KeyHeaders> }>(
    '/api/v1/cases/:caseId/deadline-extension',
    {
      schema: {
        summary: 'Extend the statutory deadline once, with a reason',
        tags: ['cases'],
        params: CaseParams,
        headers: KeyHeaders,
        body: Type.Object(
          {
            workingDays: Type.Integer({ minimum: 1, maximum: 30 }),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(CaseResponse), ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      const view = await openCase(ctx, request, caseId);
      if (!request.body.reason.trim()) throw badRequest('validation.blank', 'reason: 不能为空', 'reason');
      const actor = caseActor(actorOf(request));
      const key = await boundKey(ctx, request, caseId, 'POST /api/v1/cases/:caseId/deadline-extension');
      await executeCaseUpdate(ctx, {
        caseId,
        agencyCode: view.agencyCode,
        update: extendDeadlineUpdate,
        arg: { ...request.body, actor },
        updateId: key ? `extend:${key}` : undefined,
        actor: { ...actor, agencies: assertedAgencies(actorOf(request), view.agencyCode) },
        action: 'extend deadline',
      });
      return getCaseDetail(ctx.db, caseId);
    },
  );
}
