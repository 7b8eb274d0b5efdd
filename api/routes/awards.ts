/**
 * Awards after the claim (8.2.4, 10.2.3): read an award with its payments, certifications and
 * overpayments; record an eligibility certification (领取待遇资格认证); read a payroll run (B-9).
 */
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { getAwardView, getPayrollRun } from '../../db/repositories/awards';
import { refusalStatus } from '../../domain/refusal-codes';
import { certificationWatchId, certifyUpdate } from '../../workflows/certification';
import type { App, AppContext } from '../app';
import { signInput } from '../auth/assertions';
import { recordRefusal, requireAgency } from '../auth/plugin';
import { ApiError, conflict, notFound } from '../errors';
import { errorResponses, ParameterUsedSchema } from '../schemas/common';
import { idempotencyKeyOf } from '../validation';
import { signedWatchInput } from '../services/certification-watches';
import { bindKey } from '../services/idempotency';
import { certificationWatchStart, withStartOperation } from '../services/workflow-starts';
import { actorOf } from '../auth/access';

const AwardParams = Type.Object({
  awardId: Type.String({
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description: 'Award ID (UUID)',
  }),
});
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const AwardResponse = Type.Object({
  awardId: Type.String(),
  caseId: Type.String({ description: 'The benefit claim that created the award' }),
  personKey: Type.String(),
  agencyCode: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('stopped')]),
  certifiedOn: Type.String({ format: 'date' }),
  firstPaymentMonth: Type.String(),
  monthlyAmount: Type.String(),
  suspendedFrom: Nullable(Type.String({ description: 'First month withheld while suspended (not certified in time)' })),
  stoppedAfter: Nullable(Type.String({ description: 'Last month paid once stopped (the month of death)' })),
  lastCertifiedOn: Nullable(Type.String({ format: 'date' })),
  nextCertificationDue: Nullable(Type.String({ format: 'date' })),
  payments: Type.Array(
    Type.Object({
      month: Type.String(),
      amount: Type.String(),
      kind: Type.String({ description: 'regular or arrears' }),
      runMonth: Type.String(),
    }),
  ),
  certifications: Type.Array(
    Type.Object({ certifiedOn: Type.String({ format: 'date' }), method: Type.String(), requestId: Type.String() }),
  ),
  overpayments: Type.Array(Type.Object({ month: Type.String(), amount: Type.String(), reason: Type.String() })),
  provisional: Type.Boolean({
    description: 'The amount rests on a value not yet published (预发); it is recalculated when the value is published',
  }),
  parameterSetVersion: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The parameter publication the amount was computed with',
  }),
  parameters: Type.Array(ParameterUsedSchema, {
    description: 'Every parameter row the amount used, with its version; provisional stand-ins marked',
  }),
  amounts: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      reason: Type.String({ description: 'certified or recalculated' }),
      effectiveFrom: Type.String({ description: 'First month paid at this amount' }),
      monthlyAmount: Type.String(),
      basic: Type.String(),
      account: Type.String(),
      transitional: Type.String(),
      divisor: Type.String(),
      provisional: Type.Boolean(),
      parameterSetVersion: Type.Union([Type.Integer(), Type.Null()]),
      publicationId: Type.Union([Type.Integer(), Type.Null()]),
      parameters: Type.Array(ParameterUsedSchema),
      recordedAt: Type.String({ format: 'date-time' }),
    }),
    { description: 'The history of the monthly amount (待遇重算), oldest first' },
  ),
  adjustments: Type.Array(
    Type.Object({
      amount: Type.String({ description: 'Positive: paid back (补发); negative: recovered (追回)' }),
      months: Type.Array(
        Type.Object({ month: Type.String(), paid: Type.String(), owed: Type.String(), difference: Type.String() }),
      ),
      settledInRun: Nullable(
        Type.String({ description: 'The payroll run (YYYY-MM) that settled it; null while pending' }),
      ),
      recordedAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

const CertificationBody = Type.Object(
  {
    method: Type.Union([Type.Literal('self_service'), Type.Literal('visit')], {
      description: 'self_service (face recognition in an app) or visit (home visit by staff)',
    }),
    requestId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'Idempotency: the same requestId certifies once (else the Idempotency-Key header)',
      }),
    ),
  },
  { additionalProperties: false },
);

const CertificationResponse = Type.Object({
  outcome: Type.Union([Type.Literal('certified'), Type.Literal('duplicate')], {
    description: 'duplicate: this requestId was recorded before',
  }),
  certifiedOn: Type.String({ format: 'date' }),
  nextCertificationDue: Nullable(Type.String({ format: 'date' })),
  resumed: Type.Boolean({
    description: 'The award was suspended and is paid again; the missed months follow in arrears',
  }),
  award: AwardResponse,
});

const RunParams = Type.Object({
  month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});
const PayrollRunResponse = Type.Object({
  month: Type.String(),
  status: Type.String({ description: 'running or completed' }),
  paid: Type.Integer({ description: 'Regular payments for the month' }),
  arrears: Type.Integer({ description: 'Earlier months paid in this run (补发)' }),
  skipped: Type.Integer({ description: 'Suspended awards not paid' }),
  adjustments: Type.Integer({ description: 'Recalculation differences settled in this run' }),
  adjustmentTotal: Type.String({ description: 'Their net sum (recoveries negative)' }),
  total: Type.String({ description: 'Payments plus the net adjustments' }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  log: Type.Array(Type.Object({ at: Type.String(), message: Type.String() })),
});

export function registerAwardRoutes(app: App, ctx: AppContext, taskQueue: string): void {
  app.get<{ Params: Static<typeof AwardParams> }>(
    '/api/v1/awards/:awardId',
    {
      schema: {
        summary: 'An award: status, payments, certifications and overpayments',
        tags: ['benefits'],
        params: AwardParams,
        response: { 200: AwardResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const award = await getAwardView(ctx.db, request.params.awardId);
      if (!award) throw notFound('award.not_found', `award ${request.params.awardId} not found`);
      await requireAgency(
        ctx.db,
        request,
        award.agencyCode,
        award.caseId,
        notFound('award.not_found', `award ${request.params.awardId} not found`),
      );
      return award;
    },
  );

  app.post<{ Params: Static<typeof AwardParams>; Body: Static<typeof CertificationBody> }>(
    '/api/v1/awards/:awardId/certifications',
    {
      schema: {
        summary: 'Record the yearly eligibility certification (领取待遇资格认证); a suspended award is resumed',
        tags: ['benefits'],
        params: AwardParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: CertificationBody,
        response: { 200: CertificationResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const key = idempotencyKeyOf(request.headers);
      const { awardId } = request.params;
      const award = await getAwardView(ctx.db, awardId);
      if (!award) throw notFound('award.not_found', `award ${awardId} not found`);
      await requireAgency(
        ctx.db,
        request,
        award.agencyCode,
        award.caseId,
        notFound('award.not_found', `award ${awardId} not found`),
      );
      if (award.status === 'stopped') throw conflict('award.stopped', '待遇已终止发放，无需认证', { awardId });
      const bound = key
        ? await bindKey(ctx.db, {
            route: 'POST /api/v1/awards/:awardId/certifications',
            callerId: actorOf(request).id,
            key,
            body: request.body,
            caseId: award.caseId,
          })
        : undefined;
      const requestId = request.body.requestId ?? bound ?? `api-${randomUUID()}`;
      // Started with the Update when no watch is running; both carry the API's assertion (the
      // watch refuses an unsigned start or certification: workflows/shared/trust.ts).
      const startWorkflowOperation = withStartOperation(
        certificationWatchStart(
          taskQueue,
          signedWatchInput(ctx.assertions, { awardId, caseId: award.caseId, agencyCode: award.agencyCode }),
        ),
      );
      const updateId = `certify:${requestId}`;
      const certification = signInput(
        ctx.assertions,
        { method: request.body.method, requestId },
        { actor: actorOf(request), caseId: certificationWatchId(awardId), action: certifyUpdate.name, key: updateId },
      );
      const outcome = await ctx.temporal.workflow
        .executeUpdateWithStart(certifyUpdate, { args: [certification], updateId, startWorkflowOperation })
        .catch(async (err: unknown) => {
          if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
            const code = err.cause.type ?? 'certification.refused';
            await recordRefusal(ctx.db, {
              actor: request.actor,
              action: 'certify',
              code,
              reason: err.cause.message,
              caseId: award.caseId,
              agencyCode: award.agencyCode,
            });
            throw new ApiError(refusalStatus(code), code, err.cause.message);
          }
          throw err;
        });
      if (outcome.outcome === 'stopped') throw conflict('award.stopped', '待遇已终止发放，无需认证', { awardId });
      return { ...outcome, certifiedOn: outcome.certifiedOn!, award: (await getAwardView(ctx.db, awardId))! };
    },
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/api/v1/payroll/runs/:month',
    {
      schema: {
        summary: "A month's payroll run: totals and the progress log (B-9)",
        tags: ['benefits'],
        params: RunParams,
        response: { 200: PayrollRunResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const run = await getPayrollRun(ctx.db, request.params.month);
      if (!run) throw notFound('payroll.run_not_found', `no payroll run for ${request.params.month}`);
      return run;
    },
  );
}
