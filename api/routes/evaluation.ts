/**
 * GET /api/v1/evaluation (V-1, 12.1): the service evaluation of the cases closed in a period —
 * JSON, an HTML report with SVG charts (`format=html`) or CSV (`format=csv`). Supervisors and
 * auditors, for their own agencies.
 */
import { Type, type Static } from '@sinclair/typebox';
import { createCalendarProvider } from '../../db/calendar-store';
import { breachesIn, evaluatedCases } from '../../db/repositories/supervision';
import { evaluate, evaluationCsv } from '../../domain/evaluation';
import { renderEvaluationHtml } from '../../domain/evaluation-report';
import { APPLICANT_PROCEDURES } from '../../domain/procedures';
import { chinaDateOf, isValidDate } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { listScope } from '../auth/access';
import { badRequest } from '../errors';
import { errorResponses } from '../schemas/common';

const DateParam = (description: string) => Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });

const EvaluationQuery = Type.Object(
  {
    agency: Type.Optional(
      Type.String({ pattern: '^[0-9]{6}$', description: 'One of the caller’s agencies; default all of them' }),
    ),
    procedure: Type.Optional(Type.Union(APPLICANT_PROCEDURES.map((p) => Type.Literal(p)))),
    from: Type.Optional(
      DateParam('First day (China date) of the period, by closing date; default 1 January of `to`’s year'),
    ),
    to: Type.Optional(DateParam('Last day (China date) of the period; default today')),
    format: Type.Union([Type.Literal('json'), Type.Literal('html'), Type.Literal('csv')], { default: 'json' }),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Figures = {
  handled: Type.Integer(),
  approved: Type.Integer(),
  refused: Type.Integer(),
  withdrawn: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  onTimeRate: Nullable(Type.Number()),
  handlingWorkingDays: Type.Object({
    median: Nullable(Type.Number()),
    p90: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
  }),
  pausedCases: Type.Integer(),
  noticeCases: Type.Integer(),
  multiRoundNoticeCases: Type.Integer(),
  oneTimeNoticeRate: Nullable(Type.Number()),
  refusalReasons: Type.Array(Type.Object({ code: Type.String(), count: Type.Integer() })),
  satisfaction: Type.Object({
    ratings: Type.Integer(),
    distribution: Type.Object({
      '1': Type.Integer(),
      '2': Type.Integer(),
      '3': Type.Integer(),
      '4': Type.Integer(),
      '5': Type.Integer(),
    }),
    average: Nullable(Type.Number()),
    poor: Type.Integer(),
    poorFollowedUp: Type.Integer(),
  }),
  deadlineBreaches: Type.Integer(),
};
const Group = Type.Object({ agencyCode: Nullable(Type.String()), procedure: Nullable(Type.String()), ...Figures });

export const EvaluationSchema = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    agencies: Type.Array(Type.String()),
    procedures: Type.Array(Type.String()),
    total: Type.Object(Figures),
    byProcedure: Type.Array(Group),
    byAgency: Type.Array(Group),
    byAgencyProcedure: Type.Array(Group),
  },
  { $id: 'Evaluation' },
);

export function registerEvaluationRoutes(app: App, ctx: AppContext): void {
  app.addSchema(EvaluationSchema);
  const calendar = createCalendarProvider(ctx.db);

  app.get<{ Querystring: Static<typeof EvaluationQuery> }>(
    '/api/v1/evaluation',
    {
      schema: {
        summary:
          'Service evaluation (绩效评价, GB/T 34414): handled, on time, handling time net of pauses, one-time notices, refusals, satisfaction, breaches — per procedure and agency; JSON, HTML or CSV',
        tags: ['evaluation'],
        querystring: EvaluationQuery,
        response: {
          200: {
            description: 'The evaluation',
            content: {
              'application/json': { schema: Type.Ref(EvaluationSchema) },
              'text/html': { schema: { type: 'string', description: 'Report with SVG charts (no JavaScript)' } },
              'text/csv': {
                schema: {
                  type: 'string',
                  description: 'One line per group (total, procedure, agency, agency × procedure)',
                },
              },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const to = q.to ?? chinaDateOf(ctx.now().getTime());
      const from = q.from ?? `${to.slice(0, 4)}-01-01`;
      if (!isValidDate(from)) throw badRequest('validation.date', `from: ${from} 不是有效日期`, 'querystring.from');
      if (!isValidDate(to)) throw badRequest('validation.date', `to: ${to} 不是有效日期`, 'querystring.to');
      if (from > to) throw badRequest('validation.period', 'from: 开始日期不能晚于结束日期', 'querystring.from');
      const agencies = await listScope(ctx.db, request, q.agency);
      const procedures = q.procedure ? [q.procedure] : [...APPLICANT_PROCEDURES];
      const scope = { from, to, agencies, procedures };
      const [cases, breaches, cal] = await Promise.all([
        evaluatedCases(ctx.db, scope),
        breachesIn(ctx.db, scope),
        calendar.current(),
      ]);
      const evaluation = evaluate(cal, { from, to, agencies: agencies ?? [], procedures, cases, breaches });
      if (q.format === 'html')
        return reply
          .type('text/html; charset=utf-8')
          .send(renderEvaluationHtml(evaluation, { generatedAt: ctx.now().toISOString() }));
      if (q.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="evaluation-${from}-${to}.csv"`)
          .send(evaluationCsv(evaluation));
      }
      return reply.type('application/json; charset=utf-8').send(evaluation);
    },
  );
}
