/** POST /api/v1/claims — 待遇申领 (B-1..B-6, B-8, B-9). Staff steps go through /api/v1/cases/:caseId/decisions. */
import { Type, type Static } from '@sinclair/typebox';
import { RuleInputError } from '../../domain/errors';
import { yearMonthIndex } from '../../domain/year-month';
import type { App, AppContext } from '../app';
import { actorOf, requireIntake } from '../auth/access';
import { badRequest } from '../errors';
import { AgencyCode, CaseResponse, Channel, errorResponses, IdNumberInput, Materials } from '../schemas/common';
import { idempotencyKeyOf, requireNonBlank, requireValidIdNumber } from '../validation';
import { keyScope } from '../services/idempotency';
import { respondWithCase } from './respond';

export const ClaimRequest = Type.Object(
  {
    agencyCode: AgencyCode,
    channel: Channel,
    applicant: Type.Object(
      {
        idNumber: IdNumberInput,
        name: Type.String({ minLength: 1, maxLength: 50 }),
        phone: Type.Optional(Type.String({ pattern: '^[0-9+()\\- ]{5,20}$' })),
      },
      { additionalProperties: false },
    ),
    materials: Type.Array(Materials.items, {
      maxItems: 20,
      description:
        'B-5: id_card (required), personnel_file (file or deposit certificate; the agency retrieves the file itself), contribution_proof (only when the record is disputed)',
    }),
    retireAt: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}-[0-9]{2}$',
        description:
          'Flexible early or late retirement month (弹性提前/延迟退休), YYYY-MM; the statutory month when absent',
      }),
    ),
    lumpSum: Type.Optional(
      Type.Boolean({
        description: 'The applicant pays missing years as a lump sum (一次性缴费); such claims go to collective review',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerClaimRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof ClaimRequest> }>(
    '/api/v1/claims',
    {
      schema: {
        summary: 'Apply for the basic pension (待遇申领); answers with the case once it waits for a person',
        description:
          'Initial check (8.2.2): accepted, returned for completion (one-time notice, the clock pauses), or refused by the counter. ' +
          'The agency then retrieves the personnel file, a reviewer recognises the deemed months (step file_review, result recognise, ' +
          'items [{code: deemed_months, note: "<months>"}]) and confirms the review (step review: approve / refuse); high-risk claims ' +
          'go to collective review (step collective_review: approve / refuse with a reason, role collective_reviewer, one vote per ' +
          'member, none who accepted or reviewed the case). 20 working days (8.1.3).',
        tags: ['procedures'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: ClaimRequest,
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
      const id = requireValidIdNumber(body.applicant.idNumber, 'applicant.idNumber', ctx.now());
      const name = requireNonBlank(body.applicant.name, 'applicant.name');
      if (body.retireAt !== undefined) {
        try {
          yearMonthIndex(body.retireAt, 'retireAt');
        } catch (err) {
          if (err instanceof RuleInputError) throw badRequest(err.code, err.message, err.field);
          throw err;
        }
      }
      const receivedBy = await requireIntake(ctx.db, request, {
        channel: body.channel,
        agencyCode: body.agencyCode,
        idNumber: id.normalized,
        personKeySecret: ctx.personKeySecret,
        idField: 'applicant.idNumber',
      });
      const result = await ctx.intake.create({
        procedure: 'benefit_claim',
        agencyCode: body.agencyCode,
        channel: body.channel,
        person: { idNumber: id.normalized, name, sex: id.sex, birthDate: id.birthDate, phone: body.applicant.phone },
        application: {
          materials: body.materials,
          retireAt: body.retireAt,
          lumpSum: body.lumpSum ?? false,
          supplementWorkingDays: ctx.supplementWorkingDays,
        },
        materials: body.materials,
        receivedBy,
        idempotency: key ? { scope: keyScope('POST /api/v1/claims', actorOf(request).id), key, body } : undefined,
      });
      return respondWithCase(ctx, reply, result);
    },
  );
}
