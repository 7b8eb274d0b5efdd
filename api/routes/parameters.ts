/**
 * Rule parameters are published, not edited (issue 9): read the published rows with their
 * versions and sources; a supervisor proposes a row; a second supervisor approves it, which
 * publishes it and wakes every case waiting on parameters (and recalculates provisional awards).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { App, AppContext } from '../app';
import { actorOf } from '../auth/access';
import { errorResponses } from '../schemas/common';
import { idempotencyKeyOf } from '../validation';

const Region = Type.String({
  pattern: '^(CN|[0-9]{2}|[0-9]{4}|[0-9]{6})$',
  description: "'CN' (national), a province (62), a city (6201) or a county (620102)",
});
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Name = Type.String({ pattern: '^[a-zA-Z]+\\.[a-zA-Z]+$', maxLength: 80, examples: ['account.interestRate'] });

const ListQuery = Type.Object(
  {
    name: Type.Optional(Name),
    region: Type.Optional(Region),
    onDate: Type.Optional(IsoDate),
    history: Type.Optional(Type.Boolean({ description: 'Include superseded versions' })),
  },
  { additionalProperties: false },
);

const Row = Type.Object({
  name: Type.String(),
  region: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  version: Type.Integer({ description: '1 when first published, +1 per published correction' }),
  value: Type.Unknown({ description: 'Decimal string, integer, option or the divisor table' }),
  source: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  verified: Type.Boolean({ description: 'Read in the official text or quoted by an official source (grades A/B)' }),
  publicationId: Type.Union([Type.Integer(), Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  superseded: Type.Boolean(),
});

const ProposalBody = Type.Object(
  {
    name: Name,
    region: Region,
    validFrom: IsoDate,
    validTo: Type.Optional(IsoDate),
    value: Type.Union(
      [
        Type.String({ maxLength: 40 }),
        Type.Integer({ minimum: 0, maximum: 100_000 }),
        Type.Record(Type.String({ pattern: '^[0-9]{2}$' }), Type.Integer({ minimum: 1, maximum: 1000 })),
      ],
      {
        description:
          'A decimal string for amounts and rates ("7542", "0.0262"), an integer for months, ages and counts, an option, or the divisor table',
      },
    ),
    source: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The document the value comes from (number, title, URL)',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    verified: Type.Boolean({ description: 'True only when read in the official text or quoted by an official source' }),
  },
  { additionalProperties: false },
);

const Proposal = Type.Object({
  proposalId: Type.String(),
  status: Type.String({ description: 'proposed, approved or rejected' }),
  name: Type.String(),
  region: Type.String(),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
  value: Type.Unknown(),
  source: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  verified: Type.Boolean(),
  proposedBy: Type.String(),
  proposedAt: Type.String({ format: 'date-time' }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publicationId: Type.Union([Type.Integer(), Type.Null()]),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
});

const ProposalParams = Type.Object({
  id: Type.String({
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description: 'Proposal ID (UUID)',
  }),
});
const ApprovalBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export function registerParameterRoutes(app: App, ctx: AppContext): void {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/parameters',
    {
      schema: {
        summary: 'Published rule parameters with version, validity, value, source and the verified flag',
        description:
          'name: one parameter; region: the region and those it falls back to (county → city → province → CN); onDate: per name and region, the row in force that day; history: with superseded versions.',
        tags: ['parameters'],
        querystring: ListQuery,
        response: {
          200: Type.Object({
            parameterSetVersion: Type.Integer({ description: 'The latest publication' }),
            rows: Type.Array(Row),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ctx.parameters.list(request.query),
  );

  app.get<{ Querystring: { status?: string } }>(
    '/api/v1/parameters/proposals',
    {
      schema: {
        summary: 'Parameter proposals (newest first): what waits for a second supervisor',
        tags: ['parameters'],
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Proposal), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ctx.parameters.proposals(request.query.status),
  );

  app.post<{ Body: Static<typeof ProposalBody> }>(
    '/api/v1/parameters',
    {
      schema: {
        summary: 'Propose a parameter row (a supervisor); published when a second supervisor approves it',
        description:
          'A row with the same name, region and validFrom as a published one is a correction: approving it publishes the next version. Idempotency-Key: the same key and body answer the same proposal.',
        tags: ['parameters'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: ProposalBody,
        response: { 201: Proposal, 200: Proposal, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const { proposal, replayed } = await ctx.parameters.propose(
        actorOf(request),
        request.body,
        idempotencyKeyOf(request.headers),
      );
      return reply.status(replayed ? 200 : 201).send(proposal);
    },
  );

  app.post<{ Params: Static<typeof ProposalParams>; Body: Static<typeof ApprovalBody> }>(
    '/api/v1/parameters/proposals/:id/approval',
    {
      schema: {
        summary: 'Approve a proposal (a second supervisor, not the proposer): it is published',
        description:
          'Publishes the row as a new version of its key, then wakes every case waiting on parameters and recalculates every provisional award (the parametersPublished workflow).',
        tags: ['parameters'],
        params: ProposalParams,
        body: Type.Optional(ApprovalBody),
        response: {
          200: Type.Object({
            proposal: Proposal,
            publicationId: Type.Integer(),
            version: Type.Integer(),
            fanOut: Type.String({
              description: 'started, or deferred to the reconciler when Temporal was unreachable',
            }),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => ctx.parameters.approve(actorOf(request), request.params.id, request.body?.reason),
  );
}
