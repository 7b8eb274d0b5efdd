/**
 * The API's Prometheus metrics, with prom-client: the process (CPU, memory, event-loop lag),
 * HTTP requests, refusals of callers without a valid token (counted here, not written to
 * audit_refusals row by row: an anonymous flood must not become a database flood), rate-limited
 * requests, and the case figures read from PostgreSQL at each scrape (so they agree with the
 * case lists). GET /metrics serves them, followed by the Temporal SDK runtime's own metrics
 * (worker slots, schedule-to-start latency, sticky cache, …) when the worker runs in this process.
 */
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client';
import { overdueSql } from '../db/repositories/cases';
import { caseEvents, cases, platformMessages } from '../db/schema';

export interface ApiMetrics {
  registry: Registry;
  /** A request refused before a valid token was presented (401), by code. */
  anonymousRefusals: Counter<'code'>;
  /** Requests answered 429 by the rate limiter, by kind of caller. */
  rateLimited: Counter<'caller'>;
  httpRequests: Histogram<'method' | 'route' | 'status'>;
  /** Answers 503 because a dependency is down, by dependency. */
  unavailable: Counter<'dependency'>;
  /** Reads the case figures from PostgreSQL into their gauges (at each scrape). */
  readCaseFigures(): Promise<void>;
}

export function createApiMetrics(db: Db): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'flexpension_api_' });
  const anonymousRefusals = new Counter({
    name: 'flexpension_auth_anonymous_refusals_total',
    help: 'Requests refused without a valid token (401), by code; counted instead of recorded one by one.',
    labelNames: ['code'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'flexpension_rate_limited_total',
    help: 'Requests answered 429 by the rate limiter.',
    labelNames: ['caller'],
    registers: [registry],
  });
  const unavailable = new Counter({
    name: 'flexpension_dependency_unavailable_total',
    help: 'Requests answered 503 because a dependency was down.',
    labelNames: ['dependency'],
    registers: [registry],
  });
  const httpRequests = new Histogram({
    name: 'flexpension_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });

  const open = new Gauge({
    name: 'flexpension_cases_open',
    help: 'Open cases by procedure, agency and who they wait on.',
    labelNames: ['procedure', 'agency', 'waiting_on'],
    registers: [registry],
  });
  const overdue = new Gauge({
    name: 'flexpension_cases_overdue',
    help: 'Open cases past their statutory deadline (clock running).',
    labelNames: ['procedure', 'agency', 'waiting_on'],
    registers: [registry],
  });
  const deadlineEvents = new Gauge({
    name: 'flexpension_deadline_events_total',
    help: 'Deadline reminders and breaches recorded.',
    labelNames: ['procedure', 'event'],
    registers: [registry],
  });
  const messages = new Gauge({
    name: 'flexpension_platform_messages_total',
    help: 'Messages exchanged with the transfer platform.',
    labelNames: ['direction', 'type', 'status'],
    registers: [registry],
  });

  /** The case figures, read once per scrape for all four gauges. */
  const readCaseFigures = async (): Promise<void> => {
    const [openRows, eventRows, messageRows] = await Promise.all([
      db
        .select({
          procedure: cases.procedure,
          agency: cases.agencyCode,
          waitingOn: cases.waitingOn,
          open: sql<number>`count(*)::int`,
          overdue: sql<number>`count(*) filter (where ${overdueSql})::int`,
        })
        .from(cases)
        .where(sql`${cases.status} = 'open'`)
        .groupBy(cases.procedure, cases.agencyCode, cases.waitingOn),
      db
        .select({ procedure: cases.procedure, type: caseEvents.type, n: sql<number>`count(*)::int` })
        .from(caseEvents)
        .innerJoin(cases, sql`${cases.id} = ${caseEvents.caseId}`)
        .where(sql`${caseEvents.type} like '%deadline_breached' or ${caseEvents.type} like '%deadline_reminder'`)
        .groupBy(cases.procedure, caseEvents.type),
      db
        .select({
          direction: platformMessages.direction,
          type: platformMessages.type,
          status: platformMessages.status,
          n: sql<number>`count(*)::int`,
        })
        .from(platformMessages)
        .groupBy(platformMessages.direction, platformMessages.type, platformMessages.status),
    ]);
    for (const g of [open, overdue, deadlineEvents, messages]) g.reset();
    for (const r of openRows) {
      const labels = { procedure: r.procedure, agency: r.agency, waiting_on: r.waitingOn ?? '' };
      open.set(labels, r.open);
      overdue.set(labels, r.overdue);
    }
    for (const r of eventRows) deadlineEvents.set({ procedure: r.procedure, event: r.type }, r.n);
    for (const r of messageRows) messages.set({ direction: r.direction, type: r.type, status: r.status }, r.n);
  };

  return { registry, anonymousRefusals, rateLimited, httpRequests, unavailable, readCaseFigures };
}

/** The exposition text: the API's registry (case figures read now), then the SDK runtime's, if any. */
export async function metricsText(metrics: ApiMetrics, runtimeMetricsUrl?: string): Promise<string> {
  await metrics.readCaseFigures();
  const own = await metrics.registry.metrics();
  if (!runtimeMetricsUrl) return own;
  const runtime = await fetch(runtimeMetricsUrl, { signal: AbortSignal.timeout(1000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  return runtime ? `${own}\n# Temporal SDK runtime (worker in this process)\n${runtime}` : own;
}
