/** POST /api/v1/stops — 停止参保 (S-1..S-4). */
import { Type, type Static } from '@sinclair/typebox';
import { STOP_REASONS } from '../../domain/stop';
import { chinaDateOf, isValidDate } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { actorOf, requireIntake } from '../auth/access';
import { badRequest, unprocessable } from '../errors';
import { AgencyCode, CaseResponse, Channel, errorResponses, IdNumberInput, Materials } from '../schemas/common';
import { idempotencyKeyOf, requireValidIdNumber } from '../validation';
import { keyScope } from '../services/idempotency';
import { respondWithCase } from './respond';

export const StopRequest = Type.Object(
  {
    agencyCode: AgencyCode,
    idNumber: IdNumberInput,
    reason: Type.Union(
      STOP_REASONS.map((r) => Type.Literal(r)),
      {
        description:
          'S-1: death, voluntary, settled_abroad (出国(境)定居), other (legal ground; detail required). transferred_out is refused here (422): a relation is transferred out only by a transfer case.',
      },
    ),
    detail: Type.Optional(Type.String({ maxLength: 500 })),
    channel: Type.Optional(Channel),
    effectiveDate: Type.Optional(
      Type.String({ description: 'YYYY-MM-DD the stop takes effect (e.g. the date of death); defaults to today' }),
    ),
    materials: Type.Optional(Materials),
  },
  { additionalProperties: false },
);

export function registerStopRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof StopRequest> }>(
    '/api/v1/stops',
    {
      schema: {
        summary: 'Apply to stop insurance (停止参保); online applications return the final outcome',
        tags: ['procedures'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: StopRequest,
        response: {
          201: Type.Ref(CaseResponse),
          202: Type.Ref(CaseResponse),
          ...errorResponses(400, 401, 403, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const key = idempotencyKeyOf(request.headers);
      const now = ctx.now();
      const id = requireValidIdNumber(body.idNumber, 'idNumber', now);
      if (body.reason === 'transferred_out') {
        throw unprocessable(
          'stop.transferred_out_via_transfer',
          'reason: 关系转出只能经跨省转移接续办理（转出地收到联系函后由转移案件停止关系），不能直接申请停保',
          'reason',
        );
      }
      if (body.reason === 'other' && !body.detail?.trim()) {
        throw badRequest('validation.detail_required', 'detail: 以"其他法定情形"停保须说明具体依据', 'detail');
      }
      const today = chinaDateOf(now.getTime());
      const effectiveDate = body.effectiveDate ?? today;
      if (!isValidDate(effectiveDate))
        throw badRequest('validation.date', 'effectiveDate: 日期格式应为 YYYY-MM-DD', 'effectiveDate');
      if (effectiveDate > today)
        throw badRequest('validation.date_in_future', 'effectiveDate: 不能晚于今天', 'effectiveDate');
      const channel = body.channel ?? 'online';
      const receivedBy = await requireIntake(ctx.db, request, {
        channel,
        agencyCode: body.agencyCode,
        idNumber: id.normalized,
        personKeySecret: ctx.personKeySecret,
        idField: 'idNumber',
      });
      const result = await ctx.intake.create({
        procedure: 'stop',
        agencyCode: body.agencyCode,
        channel,
        person: { idNumber: id.normalized },
        application: {
          reason: body.reason,
          detail: body.detail?.trim() || undefined,
          effectiveDate,
          materials: body.materials ?? [],
        },
        materials: body.materials ?? [],
        receivedBy,
        idempotency: key ? { scope: keyScope('POST /api/v1/stops', actorOf(request).id), key, body } : undefined,
      });
      return respondWithCase(ctx, reply, result);
    },
  );
}
