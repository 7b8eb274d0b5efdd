/** For auditors: the case timeline, audit-trail verification and the archive. */
import { Type } from '@sinclair/typebox';
import { getCaseDetail } from '../../db/repositories/cases';
import { verifyAuditTrail } from '../../db/repositories/audit';
import { lookUpArchive } from '../../db/repositories/archives';
import type { App, AppContext } from '../app';
import { caseNotFound, requireAgency } from '../auth/plugin';
import { notFound } from '../errors';
import { errorResponses } from '../schemas/common';
import { caseTimeline } from '../services/history-export';

const CaseParams = Type.Object({ caseId: Type.String({ minLength: 5, maxLength: 80, pattern: '^[a-z0-9-]+$' }) });

const Entry = Type.Object(
  {
    at: Type.String(),
    source: Type.Union([Type.Literal('audit'), Type.Literal('temporal')]),
    kind: Type.String(),
    label: Type.String(),
    name: Type.Optional(Type.String()),
    clause: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    actor: Type.Optional(
      Type.Union([Type.Object({ id: Type.String(), role: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    ),
    detail: Type.Optional(Type.Object({}, { additionalProperties: true })),
    eventId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export function registerAuditRoutes(app: App, ctx: AppContext): void {
  app.get<{ Params: { caseId: string } }>(
    '/api/v1/cases/:caseId/timeline',
    {
      schema: {
        summary:
          "One timeline of the case: audit events and the Temporal history (live, or exported when the engine's retention removed it)",
        tags: ['audit'],
        params: CaseParams,
        response: {
          200: Type.Object({
            caseId: Type.String(),
            historySource: Type.Union([Type.Literal('live'), Type.Literal('export'), Type.Literal('none')]),
            entries: Type.Array(Entry),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const view = await getCaseDetail(ctx.db, request.params.caseId);
      if (!view) throw caseNotFound(request.params.caseId);
      await requireAgency(ctx.db, request, view.agencyCode, view.caseId, caseNotFound(view.caseId));
      return { caseId: view.caseId, ...(await caseTimeline(ctx.temporal, ctx.db, view.caseId)) };
    },
  );

  app.get<{ Querystring: { caseId?: string } }>(
    '/api/v1/audit/verify',
    {
      schema: {
        summary: 'Verify the hash-chained event log (one case, or every case and every anchor)',
        tags: ['audit'],
        querystring: Type.Object(
          { caseId: Type.Optional(Type.String({ maxLength: 80 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            casesChecked: Type.Integer(),
            eventsChecked: Type.Integer(),
            anchorsChecked: Type.Integer(),
            problems: Type.Array(Type.Object({}, { additionalProperties: true })),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => verifyAuditTrail(ctx.db, request.query.caseId),
  );

  app.get<{ Params: { caseId: string }; Querystring: { purpose?: string } }>(
    '/api/v1/archives/:caseId',
    {
      schema: {
        summary: "A closed case's archive record (A-1..A-3); every look-up is logged",
        tags: ['audit'],
        params: CaseParams,
        querystring: Type.Object(
          {
            purpose: Type.Optional(
              Type.String({ maxLength: 200, description: 'Why the record is consulted (logged)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            caseId: Type.String(),
            procedure: Type.String(),
            agencyCode: Type.String(),
            retentionClass: Type.String(),
            contentHash: Type.String(),
            intact: Type.Boolean({ description: 'The content still matches its hash' }),
            filedAt: Type.String(),
            content: Type.Object({}, { additionalProperties: true }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const filed = await getCaseDetail(ctx.db, request.params.caseId);
      if (filed)
        await requireAgency(
          ctx.db,
          request,
          filed.agencyCode,
          filed.caseId,
          notFound(
            'archive.not_found',
            `no archive record for case ${request.params.caseId} (a case is filed when it closes)`,
          ),
        );
      const record = await lookUpArchive(ctx.db, {
        caseId: request.params.caseId,
        actorId: request.actor?.id ?? 'anonymous',
        actorRole: request.actor?.role ?? 'none',
        purpose: request.query.purpose,
      });
      if (!record)
        throw notFound(
          'archive.not_found',
          `no archive record for case ${request.params.caseId} (a case is filed when it closes)`,
        );
      return {
        caseId: record.caseId,
        procedure: record.procedure,
        agencyCode: record.agencyCode,
        retentionClass: record.retentionClass,
        contentHash: record.contentHash,
        intact: record.intact,
        filedAt: record.filedAt.toISOString(),
        content: record.content,
      };
    },
  );
}
