/** POST /api/v1/transfers/in — a transfer-in application at the counter or online (T-3, T-5 a). */
import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { agencies, transfers } from '../../db/schema';
import type { App, AppContext } from '../app';
import { actorOf, requireIntake } from '../auth/access';
import { badRequest, unprocessable } from '../errors';
import { AgencyCode, CaseResponse, Channel, errorResponses, IdNumberInput, Materials } from '../schemas/common';
import { idempotencyKeyOf, requireNonBlank, requireValidIdNumber } from '../validation';
import { keyScope } from '../services/idempotency';
import { respondWithCase } from './respond';

export const TransferInRequest = Type.Object(
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
    fromAgencyCode: Type.String({
      pattern: '^[0-9]{6}$',
      description: 'The agency holding the relation now (原参保地社保机构)',
    }),
    householdCode: Type.Optional(
      Type.String({ pattern: '^[0-9]{6}$', description: 'County code of the household registration (户籍地)' }),
    ),
    returningHome: Type.Optional(
      Type.Boolean({ description: 'Returning to the household-registration place to work (T-2 b)' }),
    ),
    reachedBenefitConditions: Type.Optional(
      Type.Boolean({ description: 'Transfer at benefit time under the 10-year rule (T-2 c); needs yearsAtEachPlace' }),
    ),
    yearsAtEachPlace: Type.Optional(
      Type.Array(
        Type.Object(
          {
            agencyCode: Type.String({ pattern: '^[0-9]{6}$' }),
            years: Type.Number({
              minimum: 0,
              maximum: 60,
              description: 'Cumulative contribution years at this place (may be fractional)',
            }),
            temporaryAccountOnly: Type.Optional(
              Type.Boolean({
                description: 'Only a temporary contribution account there (临时缴费账户): never a ten-year place',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 20,
          description:
            'T-2 c: the places the person contributed, oldest first, the current relation place last (国办发〔2009〕66号 第六条)',
        },
      ),
    ),
    materials: Type.Optional(Materials),
  },
  { additionalProperties: false },
);

export function registerTransferRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof TransferInRequest> }>(
    '/api/v1/transfers/in',
    {
      schema: {
        summary: 'Apply to transfer a pension relation in from another province (转入申请)',
        tags: ['procedures'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: TransferInRequest,
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
      const receivedBy = await requireIntake(ctx.db, request, {
        channel: body.channel,
        agencyCode: body.agencyCode,
        idNumber: id.normalized,
        personKeySecret: ctx.personKeySecret,
        idField: 'applicant.idNumber',
      });
      if (body.fromAgencyCode === body.agencyCode)
        throw badRequest('validation.same_agency', 'fromAgencyCode: 转出地与转入地不能相同', 'fromAgencyCode');
      if (body.reachedBenefitConditions && !body.yearsAtEachPlace?.length) {
        throw badRequest(
          'validation.required',
          'yearsAtEachPlace: 达到待遇领取条件申请转移（T-2 c）须列明各参保地的累计缴费年限',
          'yearsAtEachPlace',
        );
      }
      const [from] = await ctx.db
        .select({ code: agencies.code })
        .from(agencies)
        .where(eq(agencies.code, body.fromAgencyCode));
      if (!from)
        throw unprocessable(
          'transfer.unknown_agency',
          `fromAgencyCode: 经办机构 ${body.fromAgencyCode} 不在经办机构名录中`,
          'fromAgencyCode',
        );
      const result = await ctx.intake.create({
        procedure: 'transfer_in',
        agencyCode: body.agencyCode,
        channel: body.channel,
        person: { idNumber: id.normalized, name, sex: id.sex, birthDate: id.birthDate, phone: body.applicant.phone },
        application: {
          fromAgencyCode: body.fromAgencyCode,
          householdCode: body.householdCode,
          returningHome: body.returningHome,
          reachedBenefitConditions: body.reachedBenefitConditions,
          yearsAtEachPlace: body.yearsAtEachPlace,
          materials: body.materials ?? [],
        },
        materials: body.materials ?? [],
        receivedBy,
        // A counter application's transfer ID is its own case ID.
        afterInsert: async (tx, row, person) => {
          await tx.insert(transfers).values({
            transferId: row.id,
            side: 'in',
            caseId: row.id,
            personId: person.id,
            agencyCode: row.agencyCode,
            counterpartAgency: body.fromAgencyCode,
          });
        },
        idempotency: key ? { scope: keyScope('POST /api/v1/transfers/in', actorOf(request).id), key, body } : undefined,
      });
      return respondWithCase(ctx, reply, result);
    },
  );
}
