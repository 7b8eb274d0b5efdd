/**
 * Publishing parameters (issue 9): a supervisor proposes a row, a second supervisor approves it
 * (the proposer cannot), the approval publishes it as a new version, and the publication wakes
 * every case waiting on parameters and recalculates every provisional award, durably, through
 * the `parametersPublished` workflow. The reconciler starts that workflow for any publication
 * whose fan-out has not finished (a crash between the commit and the start).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { approveProposal, publicationsToFanOut, PublicationRefused } from '../../db/parameters-store';
import { parameterProposals, parameterPublications, ruleParameters, type ParameterProposal } from '../../db/schema';
import { parameterValueProblem } from '../../domain/parameter-kinds';
import { regionChain } from '../../domain/parameters';
import { isIsoDate } from '../../domain/year-month';
import type { Actor } from '../auth/plugin';
import { ApiError, unprocessable } from '../errors';
import { requestHash } from './idempotency';
import { parametersPublishedStart, startWorkflow } from './workflow-starts';

export interface ParameterServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export interface ProposalBody {
  name: string;
  region: string;
  validFrom: string;
  validTo?: string;
  value: unknown;
  source: string;
  note?: string;
  verified: boolean;
}

/** A region the actor answers for: 'CN' for anyone; a province or city for staff of an agency in it (or '*'). */
function coversRegion(actor: Actor, region: string): boolean {
  return region === 'CN' || actor.agencies.includes('*') || actor.agencies.some((a) => a.startsWith(region));
}

function proposalView(p: ParameterProposal) {
  return {
    proposalId: p.id,
    status: p.status,
    name: p.name,
    region: p.region,
    validFrom: p.validFrom,
    validTo: p.validTo,
    value: p.value,
    source: p.source,
    note: p.note,
    verified: p.verified,
    proposedBy: p.proposedBy,
    proposedAt: p.proposedAt.toISOString(),
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt?.toISOString() ?? null,
    publicationId: p.publicationId,
    publishedVersion: p.publishedVersion,
  };
}

export type ProposalView = ReturnType<typeof proposalView>;

export function createParameterService(deps: ParameterServiceDeps) {
  const { db } = deps;

  /** Starts the fan-out of a publication (idempotent by its workflow ID). */
  async function startFanOut(publicationId: number): Promise<void> {
    try {
      await startWorkflow(deps.temporal, parametersPublishedStart(deps.taskQueue, publicationId));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  return {
    startFanOut,

    /** Fan-outs not finished (e.g. the API died after the commit): started again. */
    async reconcileFanOuts(): Promise<number[]> {
      const pending = await publicationsToFanOut(db);
      for (const id of pending) await startFanOut(id);
      return pending;
    },

    /**
     * The published rows: of a name, of a region (with the regions it falls back to: city,
     * province, CN), in force on a date (the row each region has in force that day), and with
     * superseded versions when `history` is asked for.
     */
    async list(q: { name?: string; region?: string; onDate?: string; history?: boolean }) {
      if (q.onDate !== undefined && !isIsoDate(q.onDate))
        throw new ApiError(400, 'validation.date', 'onDate: 不是有效日期（YYYY-MM-DD）', 'onDate');
      const rows = await db
        .select({
          name: ruleParameters.name,
          region: ruleParameters.region,
          validFrom: ruleParameters.validFrom,
          validTo: ruleParameters.validTo,
          version: ruleParameters.version,
          value: sql<string>`${ruleParameters.value}::text`,
          source: ruleParameters.source,
          note: ruleParameters.note,
          verified: ruleParameters.verified,
          publicationId: ruleParameters.publicationId,
          publishedAt: parameterPublications.publishedAt,
          publishedBy: parameterPublications.publishedBy,
          supersededAt: ruleParameters.supersededAt,
        })
        .from(ruleParameters)
        .leftJoin(parameterPublications, eq(parameterPublications.id, ruleParameters.publicationId))
        .where(
          and(
            q.name ? eq(ruleParameters.name, q.name) : undefined,
            q.region ? inArray(ruleParameters.region, regionChain(q.region)) : undefined,
            q.history ? undefined : isNull(ruleParameters.supersededAt),
            q.onDate
              ? and(
                  lte(ruleParameters.validFrom, q.onDate),
                  or(isNull(ruleParameters.validTo), sql`${ruleParameters.validTo} >= ${q.onDate}`),
                )
              : undefined,
          ),
        )
        .orderBy(
          asc(ruleParameters.name),
          asc(ruleParameters.region),
          asc(ruleParameters.validFrom),
          desc(ruleParameters.version),
        );
      let out = rows;
      if (q.onDate) {
        // Per name and region, the row in force that day: the latest validFrom.
        const best = new Map<string, (typeof rows)[number]>();
        for (const r of rows.filter((x) => x.supersededAt === null)) {
          const key = `${r.name}|${r.region}`;
          const seen = best.get(key);
          if (!seen || r.validFrom > seen.validFrom) best.set(key, r);
        }
        out = [...best.values()];
      }
      const [{ version }] = await db
        .select({ version: sql<number>`coalesce(max(${parameterPublications.id}), 0)::int` })
        .from(parameterPublications);
      return {
        parameterSetVersion: version,
        rows: out.map((r) => ({
          name: r.name,
          region: r.region,
          validFrom: r.validFrom,
          validTo: r.validTo,
          version: r.version,
          value: JSON.parse(r.value) as unknown,
          source: r.source,
          note: r.note,
          verified: r.verified,
          publicationId: r.publicationId,
          publishedAt: r.publishedAt?.toISOString() ?? null,
          publishedBy: r.publishedBy ?? null,
          superseded: r.supersededAt !== null,
        })),
      };
    },

    /** A supervisor proposes a row; nothing is published until a second supervisor approves. */
    async propose(
      actor: Actor,
      body: ProposalBody,
      key?: string,
    ): Promise<{ proposal: ProposalView; replayed: boolean }> {
      const problem = parameterValueProblem(body.name, body.value);
      if (problem)
        throw unprocessable(
          problem.startsWith('未知参数') ? 'parameters.unknown_name' : 'parameters.invalid_value',
          problem,
          problem.startsWith('未知参数') ? 'name' : 'value',
        );
      if (!isIsoDate(body.validFrom))
        throw new ApiError(400, 'validation.date', 'validFrom: 不是有效日期（YYYY-MM-DD）', 'validFrom');
      if (body.validTo !== undefined && (!isIsoDate(body.validTo) || body.validTo < body.validFrom)) {
        throw new ApiError(400, 'validation.date', 'validTo: 须为不早于 validFrom 的有效日期', 'validTo');
      }
      if (!coversRegion(actor, body.region)) {
        throw new ApiError(
          403,
          'auth.forbidden_region',
          `region: 您所在的经办机构（${actor.agencies.join(',')}）不在 ${body.region} 地区内，不能提出该地区的参数`,
          'region',
        );
      }
      const hash = key ? requestHash(body) : null;
      if (key) {
        const [seen] = await db
          .select()
          .from(parameterProposals)
          .where(and(eq(parameterProposals.proposedBy, actor.id), eq(parameterProposals.requestKey, key)));
        if (seen) {
          if (seen.requestHash !== hash)
            throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的请求', 'Idempotency-Key');
          return { proposal: proposalView(seen), replayed: true };
        }
      }
      const [row] = await db
        .insert(parameterProposals)
        .values({
          name: body.name,
          region: body.region,
          validFrom: body.validFrom,
          validTo: body.validTo ?? null,
          value: body.value,
          source: body.source.trim(),
          note: body.note?.trim() || null,
          verified: body.verified,
          proposedBy: actor.id,
          requestKey: key ?? null,
          requestHash: hash,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        // The same key raced itself: answer with the proposal that won.
        const [seen] = await db
          .select()
          .from(parameterProposals)
          .where(and(eq(parameterProposals.proposedBy, actor.id), eq(parameterProposals.requestKey, key!)));
        if (seen.requestHash !== hash)
          throw unprocessable('idempotency.mismatch', 'Idempotency-Key 已用于内容不同的请求', 'Idempotency-Key');
        return { proposal: proposalView(seen), replayed: true };
      }
      return { proposal: proposalView(row), replayed: false };
    },

    /** A second supervisor approves: published as a new version; the fan-out starts. */
    async approve(actor: Actor, proposalId: string, reason?: string) {
      const [proposal] = await db.select().from(parameterProposals).where(eq(parameterProposals.id, proposalId));
      if (!proposal) throw new ApiError(404, 'parameters.proposal_not_found', `proposal ${proposalId} not found`);
      if (!coversRegion(actor, proposal.region)) {
        throw new ApiError(
          403,
          'auth.forbidden_region',
          `您所在的经办机构（${actor.agencies.join(',')}）不在 ${proposal.region} 地区内，不能批准该地区的参数`,
        );
      }
      try {
        const published = await approveProposal(db, { proposalId, approverId: actor.id, reason });
        let fanOut: 'started' | 'deferred' = 'started';
        try {
          await startFanOut(published.publicationId);
        } catch {
          fanOut = 'deferred'; // Temporal unreachable: the reconciler starts it.
        }
        return {
          proposal: proposalView(published.proposal),
          publicationId: published.publicationId,
          version: published.version,
          fanOut,
        };
      } catch (err) {
        if (err instanceof PublicationRefused) {
          if (err.code === 'separation.own_proposal') throw new ApiError(403, err.code, err.message);
          if (err.code === 'parameters.proposal_not_found') throw new ApiError(404, err.code, err.message);
          throw new ApiError(409, err.code, err.message);
        }
        throw err;
      }
    },

    async proposals(status?: string) {
      const rows = await db
        .select()
        .from(parameterProposals)
        .where(status ? eq(parameterProposals.status, status) : undefined)
        .orderBy(desc(parameterProposals.proposedAt))
        .limit(200);
      return rows.map(proposalView);
    },
  };
}

export type ParameterService = ReturnType<typeof createParameterService>;
