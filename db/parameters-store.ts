/**
 * The published rule parameters, in the shape the pure rules take, and their publication:
 * proposals approved by a second supervisor, and the seed rows shipped with a release. A
 * published row is never changed: a correction is a new version of the same key.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ParameterValue } from '../domain/parameters';
import type { DbOrTx } from './client';
import { parameterProposals, parameterPublications, ruleParameters, type ParameterProposal } from './schema';

/** The rows in force (latest version of every key), with their versions and verified flags. */
export async function loadParameters(db: DbOrTx): Promise<ParameterValue<unknown>[]> {
  const rows = await db
    .select({
      name: ruleParameters.name,
      region: ruleParameters.region,
      validFrom: ruleParameters.validFrom,
      validTo: ruleParameters.validTo,
      version: ruleParameters.version,
      verified: ruleParameters.verified,
      // Read as text and parse once: drizzle parses jsonb a second time, which turns the
      // decimal string "0.08" into the binary number 0.08.
      value: sql<string>`${ruleParameters.value}::text`,
      source: ruleParameters.source,
      note: ruleParameters.note,
    })
    .from(ruleParameters)
    .where(isNull(ruleParameters.supersededAt));
  return rows.map((r) => ({
    name: r.name,
    region: r.region,
    validFrom: r.validFrom,
    validTo: r.validTo ?? undefined,
    value: JSON.parse(r.value) as unknown,
    source: r.source,
    note: r.note ?? undefined,
    verified: r.verified,
    version: r.version,
  }));
}

/** The parameter-set version: the highest publication (0 before any). */
export async function parameterSetVersion(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ id: sql<number>`coalesce(max(${parameterPublications.id}), 0)::int` })
    .from(parameterPublications);
  return row.id;
}

/** The rows in force and the parameter-set version they belong to, read together. */
export async function loadParameterSet(db: DbOrTx): Promise<{ rows: ParameterValue<unknown>[]; version: number }> {
  const [rows, version] = [await loadParameters(db), await parameterSetVersion(db)];
  return { rows, version };
}

/**
 * Publishes rows shipped with the release that are not in the table yet (any version of the
 * key): one 'seed' publication for all of them, fanned out like any other (a release may bring
 * a value that cases wait for). Rows already published — including ones corrected since — are
 * left alone.
 */
export async function publishSeed(db: DbOrTx, seed: readonly ParameterValue<unknown>[]): Promise<number> {
  return db.transaction(async (tx) => {
    // Processes starting together (API, worker, tests) publish the seed once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rule_parameters.publication'))`);
    const existing = await tx
      .select({ name: ruleParameters.name, region: ruleParameters.region, validFrom: ruleParameters.validFrom })
      .from(ruleParameters);
    const have = new Set(existing.map((r) => `${r.name}|${r.region}|${r.validFrom}`));
    const fresh = seed.filter((p) => !have.has(`${p.name}|${p.region}|${p.validFrom}`));
    if (fresh.length === 0) return 0;
    const [publication] = await tx
      .insert(parameterPublications)
      .values({ kind: 'seed', publishedBy: 'seed', note: `${fresh.length} reference rows shipped with the release` })
      .returning({ id: parameterPublications.id });
    await tx.insert(ruleParameters).values(
      fresh.map((p) => ({
        name: p.name,
        region: p.region,
        validFrom: p.validFrom,
        validTo: p.validTo ?? null,
        version: 1,
        value: p.value,
        source: p.source,
        note: p.note ?? null,
        verified: p.verified ?? false,
        publicationId: publication.id,
      })),
    );
    return fresh.length;
  });
}

/** Why an approval is refused (the API maps each code to 403/409). */
export class PublicationRefused extends Error {
  constructor(
    readonly code: 'parameters.proposal_not_found' | 'parameters.proposal_decided' | 'separation.own_proposal',
    message: string,
  ) {
    super(message);
    this.name = 'PublicationRefused';
  }
}

/**
 * Approves a proposal and publishes it in one transaction: a new version of the key (the
 * previous one superseded), a publication, the proposal marked approved. The proposer cannot
 * approve their own proposal. Returns the publication and the published row's version.
 */
export async function approveProposal(
  db: DbOrTx,
  o: { proposalId: string; approverId: string; reason?: string },
): Promise<{ publicationId: number; version: number; proposal: ParameterProposal }> {
  return db.transaction(async (tx) => {
    const [proposal] = await tx
      .select()
      .from(parameterProposals)
      .where(eq(parameterProposals.id, o.proposalId))
      .for('update');
    if (!proposal)
      throw new PublicationRefused('parameters.proposal_not_found', `proposal ${o.proposalId} does not exist`);
    if (proposal.status !== 'proposed')
      throw new PublicationRefused(
        'parameters.proposal_decided',
        `proposal ${o.proposalId} is already ${proposal.status}`,
      );
    if (proposal.proposedBy === o.approverId) {
      throw new PublicationRefused(
        'separation.own_proposal',
        `${o.approverId} 提出了该参数，不能自己批准发布（须另一名主管批准）`,
      );
    }
    // One publication at a time, so versions of a key are assigned in order.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rule_parameters.publication'))`);
    const [previous] = await tx
      .select({ version: ruleParameters.version })
      .from(ruleParameters)
      .where(
        and(
          eq(ruleParameters.name, proposal.name),
          eq(ruleParameters.region, proposal.region),
          eq(ruleParameters.validFrom, proposal.validFrom),
        ),
      )
      .orderBy(desc(ruleParameters.version))
      .limit(1);
    const version = (previous?.version ?? 0) + 1;
    const [publication] = await tx
      .insert(parameterPublications)
      .values({
        kind: 'proposal',
        publishedBy: o.approverId,
        note: `${proposal.name} ${proposal.region} ${proposal.validFrom} v${version}`,
      })
      .returning({ id: parameterPublications.id });
    const now = new Date();
    if (previous) {
      await tx
        .update(ruleParameters)
        .set({ supersededAt: now })
        .where(
          and(
            eq(ruleParameters.name, proposal.name),
            eq(ruleParameters.region, proposal.region),
            eq(ruleParameters.validFrom, proposal.validFrom),
            isNull(ruleParameters.supersededAt),
          ),
        );
    }
    await tx.insert(ruleParameters).values({
      name: proposal.name,
      region: proposal.region,
      validFrom: proposal.validFrom,
      validTo: proposal.validTo,
      version,
      value: proposal.value,
      source: proposal.source,
      note: proposal.note,
      verified: proposal.verified,
      publicationId: publication.id,
    });
    const [decided] = await tx
      .update(parameterProposals)
      .set({
        status: 'approved',
        decidedBy: o.approverId,
        decidedAt: now,
        decisionReason: o.reason ?? null,
        publicationId: publication.id,
        publishedVersion: version,
      })
      .where(eq(parameterProposals.id, proposal.id))
      .returning();
    return { publicationId: publication.id, version, proposal: decided };
  });
}

/** Publications whose fan-out (waking waiting cases, recalculating awards) has not finished. */
export async function publicationsToFanOut(db: DbOrTx): Promise<number[]> {
  const rows = await db
    .select({ id: parameterPublications.id })
    .from(parameterPublications)
    .where(isNull(parameterPublications.fannedOutAt));
  return rows.map((r) => r.id);
}
