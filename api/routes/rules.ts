/** Calculators for counter staff: the same rules the procedures use. */
import { Type, type Static } from '@sinclair/typebox';
import { TransferRuleError } from '../../domain/transfer-errors';
import { computeTransferFunds } from '../../domain/transfer-funds';
import { validateIdNumber } from '../../domain/id-number';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { badRequest } from '../errors';
import { errorResponses } from '../schemas/common';

const Money = Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,2})?$' });
const TransferFundsBody = Type.Object(
  {
    years: Type.Array(
      Type.Object(
        {
          year: Type.Integer({ minimum: 1900, maximum: 2200 }),
          months: Type.Integer({ minimum: 0, maximum: 12 }),
          monthlyBase: Money,
        },
        { additionalProperties: false },
      ),
      { maxItems: 200, description: 'Contribution history: one row per year (or segment of a year)' },
    ),
    account: Type.Object(
      {
        before1998Personal: Type.String({ description: '① 1998年1月1日前账户中个人缴费累计储存额' }),
        from1998ToLastYearEnd: Type.String({ description: '② 1998年1月1日至调转上年末个人账户累计储存额' }),
        currentYearPrincipal: Type.String({ description: '③ 调转当年记入个人账户本金金额' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export function registerRuleRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof TransferFundsBody> }>(
    '/api/v1/rules/transfer-funds',
    {
      schema: {
        summary: "The information sheet's fund items from a contribution history (国办发〔2009〕66号 Art. 4)",
        tags: ['rules'],
        body: TransferFundsBody,
        response: {
          200: Type.Object({
            individualAccount: Type.String({ description: '④ = ① + ② + ③' }),
            pooledFund: Type.String({ description: "⑤ 12% of each year's base × months, from 1998" }),
            total: Type.String({ description: '⑥ = ④ + ⑤' }),
            working: Type.Object({}, { additionalProperties: true }),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      try {
        const funds = computeTransferFunds(request.body);
        return {
          individualAccount: funds.individualAccount,
          pooledFund: funds.pooledFund,
          total: funds.total,
          working: funds.working,
        };
      } catch (err) {
        if (err instanceof TransferRuleError) throw badRequest(err.code, `${err.field}: ${err.message}`, err.field);
        throw err;
      }
    },
  );

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
