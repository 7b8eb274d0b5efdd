import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { App, AppContext } from '../app';

export function registerHealthRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness and dependencies',
        tags: ['operations'],
        response: {
          200: Type.Object({ status: Type.String(), database: Type.String(), temporal: Type.String() }),
          503: Type.Object({ status: Type.String(), database: Type.String(), temporal: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      const database = await ctx.db
        .execute(sql`select 1`)
        .then(() => 'ok')
        .catch(() => 'unavailable');
      const temporal = await ctx.temporal.connection.workflowService
        .getSystemInfo({})
        .then(() => 'ok')
        .catch(() => 'unavailable');
      const ok = database === 'ok' && temporal === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database, temporal });
    },
  );
}
