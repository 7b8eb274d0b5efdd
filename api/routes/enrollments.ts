/** POST /api/v1/enrollments — 参保登记 (E-1..E-8). */
import { Type, type Static } from '@sinclair/typebox';
import { FLEXIBLE_CATEGORIES } from '../../domain/enrollment';
import type { App, AppContext } from '../app';
import { actorOf, requireIntake } from '../auth/access';
import { badRequest } from '../errors';
import { AgencyCode, CaseResponse, Channel, errorResponses, IdNumberInput, Materials } from '../schemas/common';
import { idempotencyKeyOf, requireNonBlank, requireValidIdNumber } from '../validation';
import { keyScope } from '../services/idempotency';
import { respondWithCase } from './respond';

const Name = Type.String({ minLength: 1, maxLength: 50 });
const Phone = Type.String({ pattern: '^[0-9+()\\- ]{5,20}$' });

export const EnrollmentRequest = Type.Object(
  {
    agencyCode: AgencyCode,
    channel: Channel,
    category: Type.Union(
      FLEXIBLE_CATEGORIES.map((c) => Type.Literal(c)),
      {
        description:
          'E-2: individual_business (无雇工的个体工商户), part_time (非全日制从业人员), other_flexible (其他灵活就业人员)',
      },
    ),
    applicant: Type.Object(
      { idNumber: IdNumberInput, name: Name, phone: Type.Optional(Phone) },
      { additionalProperties: false },
    ),
    materials: Materials,
    delegate: Type.Optional(Type.Object({ idNumber: IdNumberInput, name: Name }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export function registerEnrollmentRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof EnrollmentRequest> }>(
    '/api/v1/enrollments',
    {
      schema: {
        summary: 'Apply for enrollment (参保登记); online applications return the final outcome',
        tags: ['procedures'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: EnrollmentRequest,
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
      const applicant = requireValidIdNumber(body.applicant.idNumber, 'applicant.idNumber', now);
      const name = requireNonBlank(body.applicant.name, 'applicant.name');
      let delegate: { idNumber: string; name: string } | undefined;
      if (body.delegate) {
        const d = requireValidIdNumber(body.delegate.idNumber, 'delegate.idNumber', now);
        if (d.normalized === applicant.normalized)
          throw badRequest(
            'validation.delegate_is_applicant',
            'delegate.idNumber: 受托人不能是申请人本人',
            'delegate.idNumber',
          );
        delegate = { idNumber: d.normalized, name: requireNonBlank(body.delegate.name, 'delegate.name') };
      }
      const receivedBy = await requireIntake(ctx.db, request, {
        channel: body.channel,
        agencyCode: body.agencyCode,
        idNumber: applicant.normalized,
        personKeySecret: ctx.personKeySecret,
        idField: 'applicant.idNumber',
      });
      const result = await ctx.intake.create({
        procedure: 'enrollment',
        agencyCode: body.agencyCode,
        channel: body.channel,
        person: {
          idNumber: applicant.normalized,
          name,
          sex: applicant.sex,
          birthDate: applicant.birthDate,
          phone: body.applicant.phone,
        },
        application: {
          category: body.category,
          materials: body.materials,
          delegate,
          supplementWorkingDays: ctx.supplementWorkingDays,
        },
        materials: body.materials,
        receivedBy,
        idempotency: key ? { scope: keyScope('POST /api/v1/enrollments', actorOf(request).id), key, body } : undefined,
      });
      return respondWithCase(ctx, reply, result);
    },
  );
}
