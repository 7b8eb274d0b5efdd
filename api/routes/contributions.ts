/**
 * Contribution records for staff (C-1): the months recorded for a person, by year, with the
 * batches (tax-feed pulls, imported files) they came from. The person is named by the
 * pseudonymous key of the case API, never by ID number.
 */
import { Type, type Static } from '@sinclair/typebox';
import { contributionHistory } from '../../db/repositories/contributions';
import type { App, AppContext } from '../app';
import { actorOf, requirePersonAgency } from '../auth/access';
import { badRequest, notFound } from '../errors';
import { pushContributionBatch } from '../services/contribution-push';
import { idempotencyKeyOf } from '../validation';
import { errorResponses } from '../schemas/common';

const PersonParams = Type.Object({
  personKey: Type.String({
    pattern: '^P[0-9A-F]{24}$',
    description: "Pseudonymous person key, as in a case's person.personKey",
  }),
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

const PushRecord = Type.Object(
  {
    recordId: Type.String({ minLength: 1, maxLength: 64, description: "The tax department's record ID" }),
    idNumber: Type.String({ maxLength: 32 }),
    name: Type.String({ maxLength: 64 }),
    agencyCode: Type.String({ maxLength: 16 }),
    yearMonth: Type.String({ maxLength: 16 }),
    base: Type.String({ maxLength: 32, description: 'Decimal string' }),
    amount: Type.String({ maxLength: 32, description: 'Decimal string: base × the contribution rate, to the cent' }),
    paidOn: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);
const PushBody = Type.Object(
  {
    records: Type.Array(PushRecord, {
      maxItems: 10000,
      description: 'Rows in the import format (docs: contributions), checked as a file or the feed is',
    }),
    interruptions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            idNumber: Type.String({ maxLength: 32 }),
            name: Type.String({ maxLength: 64 }),
            agencyCode: Type.String({ pattern: '^[0-9]{6}$' }),
            lastPaidMonth: Type.String({
              maxLength: 16,
              description: 'Last month paid (YYYY-MM): the relation is interrupted (中断缴费) from the month after',
            }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 10000,
          description:
            'Notices that contributions stopped (停保/减员): the contributing relation at the agency becomes interrupted',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
const PushResponse = Type.Object({
  batchId: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer({
    description: 'Months already recorded with the same base, or relations already interrupted',
  }),
  resumed: Type.Integer({ description: 'Interrupted relations that became contributing again' }),
  interrupted: Type.Integer({ description: 'Relations interrupted by the notices' }),
  replayed: Type.Boolean({
    description: 'True when this Idempotency-Key and body were delivered before: nothing new was written',
  }),
});

export function registerContributionRoutes(app: App, ctx: AppContext): void {
  app.post<{ Body: Static<typeof PushBody> }>(
    '/api/v1/contributions/batches',
    {
      schema: {
        summary:
          'The tax department pushes a batch of contribution records and stop notices (C-1); all or nothing, idempotent',
        description:
          'Idempotency-Key is required and bound to the sender and the body. Every row is checked as an imported file is; one bad row refuses the whole batch ' +
          '(422 contributions.batch_refused with every bad row in error.refusals) and nothing is written.',
        tags: ['contributions'],
        headers: Type.Object({ 'idempotency-key': Type.String() }),
        body: PushBody,
        response: { 201: PushResponse, 200: PushResponse, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const key = idempotencyKeyOf(request.headers);
      if (!key)
        throw badRequest('validation.required', 'Idempotency-Key: 推送批次必须带 Idempotency-Key', 'Idempotency-Key');
      const result = await pushContributionBatch(ctx.db, {
        body: request.body,
        key,
        sender: actorOf(request).id,
        now: ctx.now(),
      });
      return reply.status(result.replayed ? 200 : 201).send(result);
    },
  );

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
