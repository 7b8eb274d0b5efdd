/** Calculators for counter staff: the same rules the procedures use. */
import { Type } from '@sinclair/typebox';
import { validateIdNumber } from '../../domain/id-number';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { errorResponses } from '../schemas/common';

export function registerRuleRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/v1/rules/id-number',
    {
      schema: {
        summary: 'Validate a resident ID number (GB 11643)',
        tags: ['rules'],
        body: Type.Object({ idNumber: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            normalized: Type.Union([Type.String(), Type.Null()]),
            birthDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
            sex: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
            errors: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => validateIdNumber(request.body.idNumber, chinaDateOf(ctx.now().getTime())),
  );
}
