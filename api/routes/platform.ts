/** POST /api/v1/platform/messages — where the national transfer platform delivers messages. */
import { Type } from '@sinclair/typebox';
import type { App, AppContext } from '../app';
import { actorOf } from '../auth/access';
import { errorResponses } from '../schemas/common';

export function registerPlatformRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/v1/platform/messages',
    {
      schema: {
        summary: 'Inbound message from the national transfer platform (validated, de-duplicated, recorded)',
        tags: ['transfer platform'],
        // Any JSON object is taken in, so that malformed messages are recorded with the reason.
        body: Type.Object({}, { additionalProperties: true }),
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('delivered'), Type.Literal('duplicate')]),
            caseId: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403, 409, 422),
        },
      },
    },
    async (request) => ctx.inbox.receive(request.body, actorOf(request)),
  );
}
