/**
 * The public service guide (办事指南, R-5): GET /api/v1/service-guide (JSON, or `?format=html`)
 * and GET /service-guide.html, the printable page. No token: 10.2.4 asks for the procedures,
 * materials, channels, time limits and help-line to be published. Built on every request from
 * the rules (domain/service-guide.ts) and the published parameter table.
 */
import { Type, type Static } from '@sinclair/typebox';
import { loadParameters } from '../../db/parameters-store';
import { minimumYearsTableFromParameters } from '../../domain/minimum-years';
import { GANSU_REGION } from '../../domain/parameters';
import { buildServiceGuide, renderServiceGuideHtml, type ServiceGuide } from '../../domain/service-guide';
import { chinaDateOf } from '../../domain/working-days';
import type { App, AppContext } from '../app';
import { errorResponses } from '../schemas/common';

const Line = Type.Object({ text: Type.String(), clause: Type.String() });
const GuideMaterial = Type.Object({ code: Type.String(), text: Type.String(), note: Type.Optional(Type.String()) });

export const ServiceGuideSchema = Type.Object(
  {
    title: Type.String(),
    standard: Type.String(),
    clause: Type.String(),
    helpline: Type.String({ description: 'The help-line (SERVICE_HOTLINE)' }),
    asOf: Type.String({ format: 'date', description: 'The day the guide speaks for (China date)' }),
    procedures: Type.Array(
      Type.Object({
        procedure: Type.String({ examples: ['enrollment'] }),
        name: Type.String(),
        handledBy: Line,
        conditions: Type.Array(Line),
        materials: Type.Object({
          clause: Type.String(),
          required: Type.Array(GuideMaterial),
          whenDelegated: Type.Array(GuideMaterial),
          notRequired: Type.Array(GuideMaterial),
        }),
        channels: Type.Array(Type.Object({ channel: Type.String(), text: Type.String(), clause: Type.String() })),
        timeLimit: Type.Object({
          workingDays: Type.Integer(),
          sameDay: Type.Boolean(),
          text: Type.String(),
          clause: Type.String(),
          steps: Type.Array(Line),
        }),
        supplement: Type.Union([
          Type.Object({ workingDays: Type.Integer(), text: Type.String(), clause: Type.String() }),
          Type.Null(),
        ]),
        notes: Type.Array(Line),
        helpline: Type.String(),
        dependsOn: Type.Object({ parameters: Type.Array(Type.String()), calendar: Type.Boolean() }),
      }),
    ),
  },
  { $id: 'ServiceGuide' },
);

const GuideQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { default: 'json' })) },
  { additionalProperties: false },
);

const Html = { type: 'string', description: 'The printable page (HTML, no scripts)' } as const;

/** The guide as of today, from the published parameters. */
export async function currentServiceGuide(ctx: AppContext): Promise<ServiceGuide> {
  const rows = await loadParameters(ctx.db);
  return buildServiceGuide({
    helpline: ctx.serviceHotline,
    supplementWorkingDays: ctx.supplementWorkingDays,
    asOf: chinaDateOf(ctx.now().getTime()),
    minimumYearsTable: minimumYearsTableFromParameters(rows, GANSU_REGION),
  });
}

export function registerServiceGuideRoutes(app: App, ctx: AppContext): void {
  app.addSchema(ServiceGuideSchema);

  app.get<{ Querystring: Static<typeof GuideQuery> }>(
    '/api/v1/service-guide',
    {
      schema: {
        summary:
          'The service guide (办事指南): conditions, materials, channels, time limits, clauses and help-line of every procedure — public',
        tags: ['public'],
        querystring: GuideQuery,
        response: {
          200: {
            description: 'The guide',
            content: { 'application/json': { schema: Type.Ref(ServiceGuideSchema) }, 'text/html': { schema: Html } },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const guide = await currentServiceGuide(ctx);
      if (request.query.format === 'html')
        return reply.type('text/html; charset=utf-8').send(renderServiceGuideHtml(guide));
      return reply.type('application/json; charset=utf-8').send(guide);
    },
  );

  app.get(
    '/service-guide.html',
    {
      schema: {
        summary: 'The service guide as a printable page — public',
        tags: ['public'],
        produces: ['text/html'],
        response: { 200: { description: 'The printable page', content: { 'text/html': { schema: Html } } } },
      },
    },
    async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(renderServiceGuideHtml(await currentServiceGuide(ctx))),
  );
}
