/**
 * A simulator of the government systems outside the agency, for development and tests:
 *  - the tax department's contribution feed (records in order, pulled with a cursor);
 *  - the personnel-archive service (a file is "pending" until released, as retrieval takes days);
 *  - the death registry (data comparison).
 * Test and demo data are loaded through the /admin routes. State can be kept in a JSON file.
 */
import fs from 'node:fs';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DeathRecord, PersonnelFileContent, TaxContributionRecord } from '../../adapters/government/types';

interface ArchiveEntry {
  file?: PersonnelFileContent;
  /** Released files are delivered; until then requests stay pending. */
  released: boolean;
}

interface State {
  tax: TaxContributionRecord[];
  archives: Record<string, ArchiveEntry>;
  requests: Record<string, { idNumber: string; name: string; requestedAt: string; polls: number }>;
  deaths: Record<string, string>;
}

export async function buildGovernmentSimulator(
  o: { stateFile?: string; logger?: boolean } = {},
): Promise<FastifyInstance> {
  const state: State =
    o.stateFile && fs.existsSync(o.stateFile)
      ? (JSON.parse(fs.readFileSync(o.stateFile, 'utf8')) as State)
      : { tax: [], archives: {}, requests: {}, deaths: {} };
  const save = () => {
    if (!o.stateFile) return;
    fs.writeFileSync(`${o.stateFile}.tmp`, JSON.stringify(state));
    fs.renameSync(`${o.stateFile}.tmp`, o.stateFile);
  };
  const app = Fastify({ logger: o.logger ?? false, bodyLimit: 64 * 1024 * 1024 });
  app.get('/health', async () => ({ status: 'ok' }));

  // --- tax department contribution feed -------------------------------------------------
  app.get<{ Querystring: { after?: string; limit?: number } }>(
    '/tax/contributions',
    {
      schema: {
        querystring: Type.Object({
          after: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 10000, default: 1000 }),
        }),
      },
    },
    async (request) => {
      const start = request.query.after === undefined ? 0 : Number(request.query.after);
      const records = state.tax.slice(start, start + (request.query.limit ?? 1000));
      return {
        records,
        nextCursor: records.length > 0 ? String(start + records.length) : (request.query.after ?? null),
      };
    },
  );
  app.post<{ Body: { records: TaxContributionRecord[] } }>('/admin/tax/contributions', async (request) => {
    state.tax.push(...request.body.records);
    save();
    return { total: state.tax.length };
  });

  // --- personnel-archive service ---------------------------------------------------------
  app.post<{ Body: { requestRef: string; idNumber: string; name: string } }>(
    '/archives/requests',
    {
      schema: {
        body: Type.Object({
          requestRef: Type.String({ minLength: 1 }),
          idNumber: Type.String({ minLength: 15 }),
          name: Type.String({ minLength: 1 }),
        }),
      },
    },
    async (request) => {
      const r = request.body;
      state.requests[r.requestRef] ??= {
        idNumber: r.idNumber,
        name: r.name,
        requestedAt: new Date().toISOString(),
        polls: 0,
      };
      save();
      return { accepted: true };
    },
  );
  app.get<{ Params: { ref: string } }>('/archives/requests/:ref', async (request, reply) => {
    const req = state.requests[request.params.ref];
    if (!req)
      return reply.status(404).send({ error: { code: 'archives.unknown_request', message: 'unknown request' } });
    req.polls += 1;
    save();
    const entry = state.archives[req.idNumber];
    if (!entry) return { status: 'not_found' };
    if (!entry.released || !entry.file) return { status: 'pending' };
    return { status: 'delivered', file: entry.file };
  });
  app.put<{ Params: { idNumber: string }; Body: { file: PersonnelFileContent; released?: boolean } }>(
    '/admin/archives/:idNumber',
    async (request) => {
      state.archives[request.params.idNumber] = { file: request.body.file, released: request.body.released ?? true };
      save();
      return { ok: true };
    },
  );
  app.post<{ Params: { idNumber: string } }>('/admin/archives/:idNumber/release', async (request, reply) => {
    const entry = state.archives[request.params.idNumber];
    if (!entry) return reply.status(404).send({ error: { code: 'archives.unknown_file', message: 'no file' } });
    entry.released = true;
    save();
    return { ok: true };
  });
  app.get('/admin/archives/requests', async () =>
    Object.entries(state.requests).map(([ref, r]) => ({ ref, polls: r.polls, requestedAt: r.requestedAt })),
  );

  // --- death registry --------------------------------------------------------------------
  app.post<{ Body: { idNumbers: string[] } }>(
    '/death-registry/checks',
    { schema: { body: Type.Object({ idNumbers: Type.Array(Type.String(), { maxItems: 10000 }) }) } },
    async (request) => ({
      records: request.body.idNumbers.map((idNumber): DeathRecord =>
        state.deaths[idNumber]
          ? { idNumber, deceased: true, dateOfDeath: state.deaths[idNumber] }
          : { idNumber, deceased: false },
      ),
    }),
  );
  app.put<{ Params: { idNumber: string }; Body: { dateOfDeath: string } }>(
    '/admin/death-registry/:idNumber',
    async (request) => {
      state.deaths[request.params.idNumber] = request.body.dateOfDeath;
      save();
      return { ok: true };
    },
  );
  return app;
}
