/**
 * Contribution records for staff (C-1): the months recorded for a person, by year, with the
 * batches (tax-feed pulls, imported files) they came from. The person is named by the
 * pseudonymous key of the case API, never by ID number.
 */
import { Type, type Static } from '@sinclair/typebox';
import { contributionHistory } from '../../db/repositories/contributions';
import type { App, AppContext } from '../app';
import { requirePersonAgency } from '../auth/access';
import { notFound } from '../errors';
import { errorResponses } from '../schemas/common';

const PersonParams = Type.Object({
  personKey: Type.String({ pattern: '^P[0-9A-F]{24}$', description: "Pseudonymous person key, as in a case's person.personKey" }),
});
type PersonParams = Static<typeof PersonParams>;

const Month = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', examples: ['2025-03'] });
const Money = Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', examples: ['5000.00'] });

const ContributionsResponse = Type.Object({
  personKey: Type.String(),
  totalMonths: Type.Integer({ description: 'Months recorded (each person and month is recorded once)' }),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      months: Type.Integer({ description: 'Months recorded in the year' }),
      records: Type.Array(
        Type.Object({
          yearMonth: Month,
          base: Money,
          amount: Money,
          agencyCode: Type.String({ description: 'Agency that held the relation the record was received for' }),
          source: Type.String({ description: 'tax_feed, batch_import, …' }),
          paidOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
          batchId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
        }),
      ),
    }),
  ),
  batches: Type.Array(
    Type.Object({
      batchId: Type.String({ format: 'uuid' }),
      source: Type.String({ description: 'tax_feed or file' }),
      reference: Type.String({ description: 'The file name, or the feed cursor after the batch' }),
      receivedAt: Type.String({ format: 'date-time' }),
      finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      months: Type.Integer({ description: "This person's months that came from the batch" }),
    }),
  ),
});

export function registerContributionRoutes(app: App, ctx: AppContext): void {
  app.get<{ Params: PersonParams }>(
    '/api/v1/persons/:personKey/contributions',
    {
      schema: {
        summary: 'Contribution months recorded for a person, by year, with their batches (C-1)',
        tags: ['contributions'],
        params: PersonParams,
        response: { 200: ContributionsResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const history = await contributionHistory(ctx.db, request.params.personKey);
      if (!history) throw notFound('person.not_found', '未找到该人员');
      await requirePersonAgency(ctx.db, request, request.params.personKey);
      return history;
    },
  );
}
