/**
 * Self-inspection (自查, R-5): start a quarter's inspection of an agency now (the quarterly
 * schedule does it for every agency), list inspections, and read one's written report (JSON, or
 * `format=html` for the printable report). Supervisors start; supervisors and auditors read.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Type, type Static } from '@sinclair/typebox';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { inspectionReportContent, type InspectionReport } from '../../db/repositories/inspections';
import { inspections } from '../../db/schema';
import { renderInspectionReportHtml } from '../../domain/supervision-report';
import { isQuarter, quarterOf, SUPERVISION_LIMITS } from '../../domain/supervision';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { inScope, listScope } from '../auth/access';
import { requireAgency } from '../auth/plugin';
import { badRequest, notFound, unprocessable } from '../errors';
import { errorResponses } from '../schemas/common';
import { selfInspectionStart, startWorkflow } from '../services/workflow-starts';

const Open = Type.Object({}, { additionalProperties: true });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const InspectionReportSchema = Type.Object(
  {
    inspectionId: Type.String(),
    agencyCode: Type.String(),
    quarter: Type.String(),
    period: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
    status: Type.String({ description: 'inspecting → reported' }),
    startedAt: Type.String({ format: 'date-time' }),
    dueDate: Type.String({ format: 'date' }),
    reportedAt: Nullable(Type.String({ format: 'date-time' })),
    plan: Open,
    summary: Open,
    strata: Type.Array(Open),
    items: Type.Array(Open),
    findings: Type.Array(Open, { description: 'Every finding with its follow-up task as it stands now' }),
    report: Type.Union([Open, Type.Null()], { description: 'The written report as issued (null until issued)' }),
  },
  { $id: 'InspectionReport' },
);

const InspectionParams = Type.Object({
  inspectionId: Type.String({ pattern: '^self-inspection-[0-9]{6}-[0-9]{4}Q[1-4]$' }),
});

async function reportOf(ctx: AppContext, inspectionId: string) {
  const live = await inspectionReportContent(ctx.db, inspectionId);
  if (!live) return undefined;
  const [row] = await ctx.db
    .select({ report: inspections.report })
    .from(inspections)
    .where(eq(inspections.id, inspectionId));
  return { ...live, report: (row?.report as InspectionReport | null) ?? null };
}

export function registerInspectionRoutes(app: App, ctx: AppContext, taskQueue: string): void {
  app.addSchema(InspectionReportSchema);

  app.post<{ Body: { agencyCode: string; quarter: string } }>(
    '/api/v1/inspections',
    {
      schema: {
        summary: 'Start the self-inspection of an agency for an ended quarter now (once per agency and quarter)',
        tags: ['supervision'],
        body: Type.Object(
          {
            agencyCode: Type.String({ pattern: '^[0-9]{6}$' }),
            quarter: Type.String({ pattern: '^[0-9]{4}Q[1-4]$', examples: ['2026Q1'] }),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            inspectionId: Type.String(),
            started: Type.Boolean({ description: 'false: it had been started before' }),
          }),
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const { agencyCode, quarter } = request.body;
      await requireAgency(ctx.db, request, agencyCode);
      if (!isQuarter(quarter)) throw badRequest('validation.quarter', `quarter: ${quarter} 不是季度`, 'quarter');
      if (quarter >= quarterOf(chinaDateOf(ctx.now().getTime())))
        throw unprocessable(
          'inspection.quarter_not_ended',
          `quarter: ${quarter} 尚未结束，只能自查已结束的季度`,
          'quarter',
        );
      const start = selfInspectionStart(taskQueue, { agencyCode, quarter, workingDays: SUPERVISION_LIMITS.inspection });
      const inspectionId = start.options.workflowId;
      try {
        await startWorkflow(ctx.temporal, start);
        return reply.status(202).send({ inspectionId, started: true });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        return reply.status(202).send({ inspectionId, started: false });
      }
    },
  );

  app.get<{ Querystring: { agencyCode?: string; quarter?: string; status?: string } }>(
    '/api/v1/inspections',
    {
      schema: {
        summary: 'Self-inspections of the caller’s agencies, newest first',
        tags: ['supervision'],
        querystring: Type.Object(
          {
            agencyCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
            quarter: Type.Optional(Type.String({ pattern: '^[0-9]{4}Q[1-4]$' })),
            status: Type.Optional(Type.Union([Type.Literal('inspecting'), Type.Literal('reported')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                inspectionId: Type.String(),
                agencyCode: Type.String(),
                quarter: Type.String(),
                status: Type.String(),
                dueDate: Type.String(),
                reportedAt: Nullable(Type.String()),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const where: SQL[] = [];
      const scope = inScope(inspections.agencyCode, await listScope(ctx.db, request, q.agencyCode));
      if (scope) where.push(scope);
      if (q.quarter) where.push(eq(inspections.quarter, q.quarter));
      if (q.status) where.push(eq(inspections.status, q.status));
      const rows = await ctx.db
        .select()
        .from(inspections)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(inspections.quarter), desc(inspections.agencyCode))
        .limit(200);
      return {
        items: rows.map((r) => ({
          inspectionId: r.id,
          agencyCode: r.agencyCode,
          quarter: r.quarter,
          status: r.status,
          dueDate: r.dueDate,
          reportedAt: r.reportedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get<{ Params: Static<typeof InspectionParams>; Querystring: { format: 'json' | 'html' } }>(
    '/api/v1/inspections/:inspectionId',
    {
      schema: {
        summary:
          'A self-inspection: sample, results, findings and follow-ups, and the written report once issued (JSON or printable HTML)',
        tags: ['supervision'],
        params: InspectionParams,
        querystring: Type.Object(
          { format: Type.Union([Type.Literal('json'), Type.Literal('html')], { default: 'json' }) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The inspection',
            content: {
              'application/json': { schema: Type.Ref(InspectionReportSchema) },
              'text/html': { schema: { type: 'string', description: 'The written report (自查报告)' } },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const report = await reportOf(ctx, request.params.inspectionId);
      if (!report) throw notFound('inspection.not_found', `inspection ${request.params.inspectionId} not found`);
      await requireAgency(ctx.db, request, report.agencyCode);
      if (request.query.format === 'html')
        return reply.type('text/html; charset=utf-8').send(renderInspectionReportHtml(report));
      return reply.type('application/json; charset=utf-8').send(report);
    },
  );
}
