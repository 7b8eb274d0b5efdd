/**
 * The risk register (风险评估清单, R-2): read the version in force, and propose a new one (a
 * supervisor) — published when a second supervisor approves it (POST
 * /api/v1/parameters/proposals/{id}/approval), exactly like a parameter.
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import { loadParameters } from '../../db/parameters-store';
import { parameterPublications } from '../../db/schema';
import { GANSU_REGION, pickParameter } from '../../domain/parameters';
import { CONTROL_KINDS, RISK_GRADES, RISK_REGISTER_PARAMETER, type RiskPoint } from '../../domain/risk-register';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { actorOf } from '../auth/access';
import { errorResponses } from '../schemas/common';
import { idempotencyKeyOf } from '../validation';

const RiskPointSchema = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', examples: ['stop.death_certificate'] }),
    procedure: Type.String({ maxLength: 40 }),
    step: Type.String({ maxLength: 60 }),
    department: Type.String({ maxLength: 60 }),
    role: Type.String({ maxLength: 40 }),
    grade: Type.Union(RISK_GRADES.map((g) => Type.Literal(g))),
    description: Type.String({ minLength: 1, maxLength: 200 }),
    controls: Type.Array(
      Type.Object(
        { kind: Type.Union(CONTROL_KINDS.map((k) => Type.Literal(k))), description: Type.String({ maxLength: 300 }) },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 10,
      },
    ),
    clause: Type.String({ maxLength: 60 }),
  },
  { additionalProperties: false },
);

const Register = Type.Object({
  region: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  version: Type.Integer({ description: 'Version of the published register (1 first, +1 per approved change)' }),
  source: Type.String(),
  verified: Type.Boolean(),
  parameterSetVersion: Type.Integer(),
  points: Type.Array(RiskPointSchema),
});

const ProposalBody = Type.Object(
  {
    points: Type.Array(RiskPointSchema, { minItems: 1, maxItems: 200 }),
    source: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why: the risk assessment or decision behind the change',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export function registerRiskRoutes(app: App, ctx: AppContext): void {
  const current = async (region: string) => {
    const rows = await loadParameters(ctx.db);
    const row = pickParameter(rows, RISK_REGISTER_PARAMETER, region, chinaDateOf(ctx.now().getTime()));
    const [{ version }] = await ctx.db
      .select({ version: sql<number>`coalesce(max(${parameterPublications.id}), 0)::int` })
      .from(parameterPublications);
    return { row, parameterSetVersion: version };
  };

  app.get<{ Querystring: { region?: string } }>(
    '/api/v1/risk/register',
    {
      schema: {
        summary:
          'The risk register in force (风险评估清单, R-2): every risk point by step, department and role, its grade, controls and clause',
        tags: ['risk'],
        querystring: Type.Object(
          { region: Type.Optional(Type.String({ pattern: '^[0-9]{2,6}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Register, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { row, parameterSetVersion } = await current(request.query.region ?? GANSU_REGION);
      return {
        region: row.region,
        validFrom: row.validFrom,
        version: row.version ?? 1,
        source: row.source,
        verified: row.verified ?? false,
        parameterSetVersion,
        points: row.value as RiskPoint[],
      };
    },
  );

  app.post<{ Body: Static<typeof ProposalBody> }>(
    '/api/v1/risk/register',
    {
      schema: {
        summary:
          'Propose a new version of the risk register (a supervisor); published when a second supervisor approves it',
        description:
          'Answers the proposal; approve it with POST /api/v1/parameters/proposals/{id}/approval (not by the proposer). Idempotency-Key as for parameters.',
        tags: ['risk'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: ProposalBody,
        response: {
          201: Type.Object({
            proposalId: Type.String(),
            status: Type.String(),
            version: Type.Integer({ description: 'The version the approval will publish' }),
          }),
          200: Type.Object({ proposalId: Type.String(), status: Type.String(), version: Type.Integer() }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const { row } = await current(GANSU_REGION);
      const { proposal, replayed } = await ctx.parameters.propose(
        actorOf(request),
        {
          name: RISK_REGISTER_PARAMETER,
          region: row.region,
          validFrom: row.validFrom,
          value: request.body.points,
          source: request.body.source,
          note: request.body.note,
          verified: false,
        },
        idempotencyKeyOf(request.headers),
      );
      return reply
        .status(replayed ? 200 : 201)
        .send({ proposalId: proposal.proposalId, status: proposal.status, version: (row.version ?? 1) + 1 });
    },
  );
}
