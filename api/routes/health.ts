import { Type } from '@sinclair/typebox';
import type { App, AppContext } from '../app';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  temporal: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  /** What is down, for a person reading it. */
  down: Type.Array(Type.Union([Type.Literal('database'), Type.Literal('temporal')])),
});

export function registerHealthRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/health',
    {
      schema: {
        summary:
          'Liveness and dependencies: 200 when PostgreSQL and Temporal answer, else 503 naming what is down (within 2 s)',
        tags: ['operations'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      // Probed now, both at once, each within 1.5 s (api/services/dependencies.ts).
      const state = await ctx.dependencies.probe();
      const down = (['database', 'temporal'] as const).filter((d) => state[d] !== 'ok');
      return reply
        .status(down.length === 0 ? 200 : 503)
        .send({ status: down.length === 0 ? 'ok' : 'degraded', ...state, down });
    },
  );
}
