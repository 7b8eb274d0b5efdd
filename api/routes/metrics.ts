/**
 * GET /metrics — Prometheus text (api/metrics.ts): the API process, HTTP requests, anonymous
 * refusals, rate limiting, the case figures from the database, and the Temporal SDK runtime's
 * metrics when the worker runs in this process.
 */
import type { App } from '../app';
import { metricsText, type ApiMetrics } from '../metrics';

export function registerMetricsRoutes(app: App, deps: { metrics: ApiMetrics; runtimeMetricsUrl?: string }): void {
  app.get(
    '/metrics',
    {
      schema: {
        summary:
          'Prometheus metrics: API process and requests, refusals, open/overdue/waiting cases, deadline events, platform messages, Temporal worker runtime',
        tags: ['operations'],
        // Only the 200 is text; refusals are the API's JSON errors.
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) =>
      reply.type(deps.metrics.registry.contentType).send(await metricsText(deps.metrics, deps.runtimeMetricsUrl)),
  );
}
