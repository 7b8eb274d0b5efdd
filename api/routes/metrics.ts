/**
 * GET /metrics — Prometheus text: open, overdue and waiting cases and deadline breaches per
 * procedure and agency, and platform messages by direction, type and status. Read from the
 * database, so the figures agree with the case lists.
 */
import { sql } from 'drizzle-orm';
import { overdueSql } from '../../db/repositories/cases';
import { caseEvents, cases, platformMessages } from '../../db/schema';
import type { App, AppContext } from '../app';

function line(name: string, labels: Record<string, string | null>, value: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${String(v ?? '').replace(/["\\\n]/g, '_')}"`)
    .join(',');
  return `${name}{${l}} ${value}`;
}

export function registerMetricsRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics: open, overdue and waiting cases; deadline events; platform messages',
        tags: ['operations'],
        produces: ['text/plain'],
        response: { 200: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } },
      },
    },
    async (_request, reply) => {
    const [open, events, messages] = await Promise.all([
      ctx.db
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
      ctx.db
        .select({ procedure: cases.procedure, type: caseEvents.type, n: sql<number>`count(*)::int` })
        .from(caseEvents)
        .innerJoin(cases, sql`${cases.id} = ${caseEvents.caseId}`)
        .where(sql`${caseEvents.type} like '%deadline_breached' or ${caseEvents.type} like '%deadline_reminder'`)
        .groupBy(cases.procedure, caseEvents.type),
      ctx.db
        .select({ direction: platformMessages.direction, type: platformMessages.type, status: platformMessages.status, n: sql<number>`count(*)::int` })
        .from(platformMessages)
        .groupBy(platformMessages.direction, platformMessages.type, platformMessages.status),
    ]);
    const out = [
      '# HELP flexpension_cases_open Open cases by procedure, agency and who they wait on.',
      '# TYPE flexpension_cases_open gauge',
      ...open.map((r) => line('flexpension_cases_open', { procedure: r.procedure, agency: r.agency, waiting_on: r.waitingOn }, r.open)),
      '# HELP flexpension_cases_overdue Open cases past their statutory deadline (clock running).',
      '# TYPE flexpension_cases_overdue gauge',
      ...open.map((r) => line('flexpension_cases_overdue', { procedure: r.procedure, agency: r.agency, waiting_on: r.waitingOn }, r.overdue)),
      '# HELP flexpension_deadline_events_total Deadline reminders and breaches recorded.',
      '# TYPE flexpension_deadline_events_total counter',
      ...events.map((r) => line('flexpension_deadline_events_total', { procedure: r.procedure, event: r.type }, r.n)),
      '# HELP flexpension_platform_messages_total Messages exchanged with the transfer platform.',
      '# TYPE flexpension_platform_messages_total counter',
      ...messages.map((r) => line('flexpension_platform_messages_total', { direction: r.direction, type: r.type, status: r.status }, r.n)),
    ];
    return reply.type('text/plain; version=0.0.4').send(`${out.join('\n')}\n`);
    },
  );
}
