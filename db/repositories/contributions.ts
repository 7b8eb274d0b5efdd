/**
 * Contribution records intake (C-1): the one import core behind the file command
 * (scripts/import-contributions.ts) and the tax-feed pull (activities/contributions-intake.ts).
 *
 * A delivery is a batch (`contribution_batches`: source `file` or `tax_feed`, reference = the
 * file name or the feed cursor after the batch, counts, refusals with line numbers, received /
 * finished). Rows are imported in chunks; each chunk is one transaction holding its records,
 * the relation changes they cause and the batch's updated counts, so the batch row always
 * agrees with what was written, and a refused row writes nothing.
 *
 * Per row: the checks of domain/contribution-rows.ts, then the person must be registered (by ID
 * number) under the same name with a contributing or interrupted relation at the row's agency.
 * Records are idempotent per person and month (unique index): a month already recorded with the
 * same base is a duplicate, with another base it is refused as conflicting (the message names
 * the month and the recorded base). Records are inserted with ON CONFLICT DO NOTHING; a row that
 * loses a race with a concurrent import is classified against the row that won.
 *
 * Records carry `source` (`tax_feed` or `batch_import`) and `source_reference` =
 * "<batch id>" or "<batch id>#<tax record ID>" (the schema has no batch column; see
 * {@link batchIdOfSourceReference}).
 *
 * Nothing here logs or stores an ID number or a name: refusals carry the line number, the tax
 * department's record ID and a code with a Chinese message.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  REFUSAL_TEXT,
  checkContributionRow,
  type CheckedContributionRow,
  type RawContributionRow,
  type RefusalCode,
  type RowCheckContext,
  type RowRefusal,
} from '../../domain/contribution-rows';
import { validateIdNumber } from '../../domain/id-number';
import { LIVE_RELATION_STATUSES, PRE_PENSION_RELATION_STATUSES } from '../../domain/relation-status';
import { chinaDateOf } from '../../domain/working-days';
import { yearMonthChinese } from '../../domain/year-month';
import type { Db, DbOrTx } from '../client';
import { loadParameters } from '../parameters-store';
import { contributionBatches, contributionRecords, persons, relations, type RelationStatus } from '../schema';

export type BatchSource = 'file' | 'tax_feed' | 'tax_push';

/** `contribution_records.source` of the records a batch of each kind writes. */
export const RECORD_SOURCE: Readonly<Record<BatchSource, string>> = {
  file: 'batch_import',
  tax_feed: 'tax_feed',
  tax_push: 'tax_push',
};

/** Rows per transaction and per INSERT. */
export const DEFAULT_CHUNK_SIZE = 1000;

export interface ImportCounts {
  rows: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Interrupted relations that became contributing again. */
  resumed: number;
}

export interface ChunkOutcome extends ImportCounts {
  refusals: RowRefusal[];
}

export const zeroCounts = (): ImportCounts => ({ rows: 0, accepted: 0, duplicates: 0, refused: 0, resumed: 0 });

/** The checks' context: today's China date and the parameter rows, read once per import. */
export async function loadImportContext(db: DbOrTx, now: Date = new Date()): Promise<RowCheckContext> {
  return { today: chinaDateOf(now.getTime()), parameters: await loadParameters(db) };
}

/** The batch ID part of a record's source_reference ("<batch id>" or "<batch id>#<record ID>"). */
export function batchIdOfSourceReference(reference: string | null): string | null {
  if (!reference) return null;
  return reference.split('#')[0];
}

export async function createBatch(
  tx: DbOrTx,
  o: {
    source: BatchSource;
    reference: string;
    receivedAt?: Date;
    request?: { key: string; hash: string; submittedBy: string };
  },
): Promise<string> {
  const [row] = await tx
    .insert(contributionBatches)
    .values({
      source: o.source,
      reference: o.reference,
      receivedAt: o.receivedAt ?? new Date(),
      ...(o.request
        ? { requestKey: o.request.key, requestHash: o.request.hash, submittedBy: o.request.submittedBy }
        : {}),
    })
    .returning({ id: contributionBatches.id });
  return row.id;
}

/** A notice from the tax department that a person's contributions at an agency stopped after a month (停保/减员). */
export interface InterruptionNotice {
  /** Position in the delivery (1-based), for refusals. */
  line: number;
  idNumber: string;
  name: string;
  agencyCode: string;
  /** The last month paid, YYYY-MM: the relation is interrupted from the month after. */
  lastPaidMonth: string;
}

/**
 * Interrupts (中断缴费) the contributing relation at the agency of each notice, from the month
 * after the last month paid — an employee whose employer stopped paying, or a flexible worker
 * who stopped — so E-7 b lets the person enrol as flexibly employed from there. A relation
 * already interrupted is a duplicate (a notice delivered twice changes nothing); any other state
 * is refused with a code. Call inside the delivery's transaction.
 */
export async function applyInterruptions(
  tx: DbOrTx,
  ctx: RowCheckContext,
  notices: readonly InterruptionNotice[],
): Promise<{ interrupted: number; duplicates: number; refusals: RowRefusal[] }> {
  const refusals: RowRefusal[] = [];
  let interrupted = 0;
  let duplicates = 0;
  const refuseNotice = (n: InterruptionNotice, reason: RefusalCode, message: string = REFUSAL_TEXT[reason]) =>
    refusals.push({ line: n.line, reason, message });
  for (const n of notices) {
    const id = validateIdNumber(n.idNumber, ctx.today);
    if (!id.valid) {
      refuseNotice(n, id.errors[0].code);
      continue;
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(n.lastPaidMonth) || n.lastPaidMonth > ctx.today.slice(0, 7)) {
      refuseNotice(n, 'year_month.invalid', '最后缴费年月不是有效月份（YYYY-MM，不晚于当前月份）');
      continue;
    }
    const [person] = await tx
      .select({ id: persons.id, name: persons.name })
      .from(persons)
      .where(eq(persons.idNumber, id.normalized!));
    if (!person) {
      refuseNotice(n, 'person.not_registered');
      continue;
    }
    if (person.name !== n.name.trim()) {
      refuseNotice(n, 'name.mismatch');
      continue;
    }
    const live = await tx
      .select({ id: relations.id, status: relations.status })
      .from(relations)
      .where(
        and(
          eq(relations.personId, person.id),
          eq(relations.agencyCode, n.agencyCode),
          inArray(relations.status, [...LIVE_RELATION_STATUSES]),
        ),
      );
    if (live.length === 0) {
      refuseNotice(n, 'relation.not_at_agency', `该人员在经办机构${n.agencyCode}无有效养老保险关系`);
      continue;
    }
    if (live[0].status === 'interrupted') {
      duplicates += 1;
      continue;
    }
    if (live[0].status !== 'contributing') {
      refuseNotice(
        n,
        'relation.not_contributing',
        `该人员在经办机构${n.agencyCode}的养老保险关系为“${STATUS_TEXT[live[0].status]}”状态，不能中断缴费`,
      );
      continue;
    }
    const [y, m] = n.lastPaidMonth.split('-').map(Number);
    const since = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    await tx
      .update(relations)
      .set({ status: 'interrupted', since, updatedAt: new Date() })
      .where(and(eq(relations.id, live[0].id), eq(relations.status, 'contributing')));
    interrupted += 1;
  }
  return { interrupted, duplicates, refusals };
}

export async function finishBatch(tx: DbOrTx, batchId: string, at: Date = new Date()): Promise<void> {
  await tx.update(contributionBatches).set({ finishedAt: at }).where(eq(contributionBatches.id, batchId));
}

/**
 * The tax-feed cursor: the reference of the last `tax_feed` batch (null before the first).
 * Pulls are serialised by a transaction-level advisory lock (see the feed activity), so the
 * last batch received is the last one committed.
 */
export async function lastTaxFeedCursor(tx: DbOrTx): Promise<string | null> {
  const [row] = await tx
    .select({ reference: contributionBatches.reference })
    .from(contributionBatches)
    .where(eq(contributionBatches.source, 'tax_feed'))
    .orderBy(desc(contributionBatches.receivedAt), desc(contributionBatches.createdAt))
    .limit(1);
  return row?.reference ?? null;
}

const STATUS_TEXT: Readonly<Record<RelationStatus, string>> = {
  contributing: '参保缴费',
  interrupted: '中断缴费',
  stopped: '已停止参保',
  transferred_out: '已转出',
  receiving: '领取待遇',
};

/** Relation states in which contribution records are received. */
const RECEIVING_STATES: readonly RelationStatus[] = PRE_PENSION_RELATION_STATUSES;

interface Relation {
  id: string;
  personId: string;
  agencyCode: string;
  status: RelationStatus;
  since: string;
}

function refuse(row: CheckedContributionRow, reason: RefusalCode, message: string = REFUSAL_TEXT[reason]): RowRefusal {
  return { line: row.line, ...(row.recordId ? { recordId: row.recordId } : {}), reason, message };
}

const keyOf = (personId: string, yearMonth: string) => `${personId}|${yearMonth}`;

/**
 * Imports rows into a batch inside the caller's transaction (call it inside one: the records,
 * the relation changes and the batch counts must commit together) and adds the outcome to the
 * batch row. Rows are handled in line order; a later row of the same person and month in the
 * same delivery is a duplicate or a conflict of the earlier one, as if imported separately.
 */
export async function importRows(
  tx: DbOrTx,
  ctx: RowCheckContext,
  batch: { id: string; source: BatchSource },
  rows: readonly RawContributionRow[],
): Promise<ChunkOutcome> {
  const refusals: RowRefusal[] = [];
  const checked: CheckedContributionRow[] = [];
  for (const raw of rows) {
    const r = checkContributionRow(raw, ctx);
    if (r.ok) checked.push(r.row);
    else refusals.push(r.refusal);
  }
  checked.sort((a, b) => a.line - b.line);

  let duplicates = 0;
  let accepted = 0;
  let resumed = 0;
  if (checked.length > 0) {
    const idNumbers = [...new Set(checked.map((c) => c.idNumber))];
    const people = await tx
      .select({ id: persons.id, idNumber: persons.idNumber, name: persons.name })
      .from(persons)
      .where(inArray(persons.idNumber, idNumbers));
    const personByIdNumber = new Map(people.map((p) => [p.idNumber, p]));
    const personIds = people.map((p) => p.id);
    const relationRows: Relation[] =
      personIds.length === 0
        ? []
        : await tx
            .select({
              id: relations.id,
              personId: relations.personId,
              agencyCode: relations.agencyCode,
              status: relations.status,
              since: relations.since,
            })
            .from(relations)
            .where(inArray(relations.personId, personIds));
    const relationsOf = new Map<string, Relation[]>();
    for (const r of relationRows) relationsOf.set(r.personId, [...(relationsOf.get(r.personId) ?? []), r]);
    const months = [...new Set(checked.map((c) => c.yearMonth))];
    // A superset (these persons × these months), narrowed by key below.
    const existing =
      personIds.length === 0
        ? []
        : await tx
            .select({
              personId: contributionRecords.personId,
              yearMonth: contributionRecords.yearMonth,
              base: contributionRecords.base,
            })
            .from(contributionRecords)
            .where(
              and(inArray(contributionRecords.personId, personIds), inArray(contributionRecords.yearMonth, months)),
            );
    /** Base recorded per person and month: in the database, or accepted earlier in this chunk (with its line). */
    const recorded = new Map<string, { base: string; line?: number }>(
      existing.map((e) => [keyOf(e.personId, e.yearMonth), { base: e.base }]),
    );

    const toInsert: Array<{ row: CheckedContributionRow; personId: string; relation: Relation }> = [];
    for (const c of checked) {
      const person = personByIdNumber.get(c.idNumber);
      if (!person) {
        refusals.push(refuse(c, 'person.not_registered'));
        continue;
      }
      if (person.name !== c.name) {
        refusals.push(refuse(c, 'name.mismatch'));
        continue;
      }
      // A month already recorded is judged first: the same base is a duplicate whatever the
      // relation has become since (re-delivering a file stays idempotent), another base conflicts.
      const key = keyOf(person.id, c.yearMonth);
      const prior = recorded.get(key);
      if (prior) {
        if (prior.base === c.base) duplicates += 1;
        else refusals.push(conflict(c, prior));
        continue;
      }
      const atAgency = (relationsOf.get(person.id) ?? []).filter((r) => r.agencyCode === c.agencyCode);
      const relation = atAgency.find((r) => RECEIVING_STATES.includes(r.status));
      if (!relation) {
        if (atAgency.length === 0)
          refusals.push(refuse(c, 'relation.not_at_agency', `该人员在经办机构${c.agencyCode}无养老保险关系`));
        else {
          const latest = [...atAgency].sort((a, b) => (a.since < b.since ? 1 : -1))[0];
          refusals.push(
            refuse(
              c,
              'relation.not_contributing',
              `该人员在经办机构${c.agencyCode}的养老保险关系为“${STATUS_TEXT[latest.status]}”状态，不接收缴费记录`,
            ),
          );
        }
        continue;
      }
      recorded.set(key, { base: c.base, line: c.line });
      toInsert.push({ row: c, personId: person.id, relation });
    }

    if (toInsert.length > 0) {
      const source = RECORD_SOURCE[batch.source];
      const values = toInsert.map(({ row, personId }) => ({
        personId,
        agencyCode: row.agencyCode,
        yearMonth: row.yearMonth,
        base: row.base,
        amount: row.amount,
        sourceReference: row.recordId ? `${batch.id}#${row.recordId}` : batch.id,
        paidOn: row.paidOn,
      }));
      // One statement with one array parameter per column (unnest): a thousand rows cost the
      // same round trip and parse as one, and the ON CONFLICT keeps it idempotent.
      const column = <K extends keyof (typeof values)[number]>(k: K) => sql.param(values.map((v) => v[k]));
      const inserted = (
        await tx.execute<{ person_id: string; year_month: string }>(sql`
          insert into ${contributionRecords} (person_id, agency_code, year_month, base, amount, source, source_reference, paid_on)
          select p, a, m, b, t, ${source}, r, d
          from unnest(${column('personId')}::uuid[], ${column('agencyCode')}::text[], ${column('yearMonth')}::text[], ${column('base')}::numeric[],
                      ${column('amount')}::numeric[], ${column('sourceReference')}::text[], ${column('paidOn')}::date[]) as u(p, a, m, b, t, r, d)
          on conflict (person_id, year_month) do nothing
          returning person_id, year_month`)
      ).rows.map((r) => ({ personId: r.person_id, yearMonth: r.year_month }));
      const insertedKeys = new Set(inserted.map((r) => keyOf(r.personId, r.yearMonth)));
      const lost = toInsert.filter((t) => !insertedKeys.has(keyOf(t.personId, t.row.yearMonth)));
      if (lost.length > 0) {
        // A concurrent import committed the same person and month between our read and our
        // insert: classify against the row that won, as if it had been there all along.
        const winners = await tx
          .select({
            personId: contributionRecords.personId,
            yearMonth: contributionRecords.yearMonth,
            base: contributionRecords.base,
          })
          .from(contributionRecords)
          .where(
            and(
              inArray(contributionRecords.personId, [...new Set(lost.map((l) => l.personId))]),
              inArray(contributionRecords.yearMonth, [...new Set(lost.map((l) => l.row.yearMonth))]),
            ),
          );
        const winnerBase = new Map(winners.map((w) => [keyOf(w.personId, w.yearMonth), w.base]));
        for (const l of lost) {
          const base = winnerBase.get(keyOf(l.personId, l.row.yearMonth));
          if (base === l.row.base) duplicates += 1;
          else refusals.push(conflict(l.row, { base: base ?? '?' }));
        }
      }
      const kept = toInsert.filter((t) => insertedKeys.has(keyOf(t.personId, t.row.yearMonth)));
      accepted = kept.length;

      // An interrupted relation (中断缴费) becomes contributing (参保缴费) again when records
      // arrive for it: C-1 makes the tax department's records the evidence of payment, so a
      // person who pays again after a break is contributing, and every procedure reading the
      // status (E-7 b re-enrollment, stop, transfer, benefit claim) must see that. Only a month
      // from the month the interruption began counts: a late record for a month before the
      // break proves nothing about now. Same transaction as the records, so they never disagree.
      const toResume = new Set(
        kept
          .filter((t) => t.relation.status === 'interrupted' && t.row.yearMonth >= t.relation.since.slice(0, 7))
          .map((t) => t.relation.id),
      );
      if (toResume.size > 0) {
        const updated = await tx
          .update(relations)
          .set({ status: 'contributing', since: ctx.today, updatedAt: new Date() })
          .where(and(inArray(relations.id, [...toResume]), eq(relations.status, 'interrupted')))
          .returning({ id: relations.id });
        resumed = updated.length;
      }
    }
  }

  refusals.sort((a, b) => a.line - b.line);
  const outcome: ChunkOutcome = {
    rows: rows.length,
    accepted,
    duplicates,
    refused: refusals.length,
    resumed,
    refusals,
  };
  await tx
    .update(contributionBatches)
    .set({
      accepted: sql`${contributionBatches.accepted} + ${outcome.accepted}`,
      duplicates: sql`${contributionBatches.duplicates} + ${outcome.duplicates}`,
      refused: sql`${contributionBatches.refused} + ${outcome.refused}`,
      ...(refusals.length > 0
        ? { refusals: sql`${contributionBatches.refusals} || ${JSON.stringify(refusals)}::jsonb` }
        : {}),
    })
    .where(eq(contributionBatches.id, batch.id));
  return outcome;
}

function conflict(row: CheckedContributionRow, prior: { base: string; line?: number }): RowRefusal {
  const where = prior.line === undefined ? '已记录' : `已由本批第${prior.line}行记录`;
  return refuse(
    row,
    'month.conflict',
    `该人员${yearMonthChinese(row.yearMonth)}${where}缴费基数${prior.base}元，与本行缴费基数${row.base}元不一致（更正须另行办理）`,
  );
}

/** Counts per refusal code with the first line numbers, for summaries. */
export interface RefusalGroup {
  reason: RefusalCode;
  text: string;
  count: number;
  firstLines: number[];
}

export interface ImportSummary extends ImportCounts {
  batchId: string;
  source: BatchSource;
  reference: string;
  byReason: RefusalGroup[];
}

/** Tallies refusals by code, keeping only the first `keepLines` line numbers of each (bounded memory). */
export class RefusalTally {
  private readonly groups = new Map<RefusalCode, RefusalGroup>();
  constructor(private readonly keepLines = 10) {}

  add(refusals: readonly RowRefusal[]): void {
    for (const r of refusals) {
      let g = this.groups.get(r.reason);
      if (!g) {
        g = { reason: r.reason, text: REFUSAL_TEXT[r.reason], count: 0, firstLines: [] };
        this.groups.set(r.reason, g);
      }
      g.count += 1;
      if (g.firstLines.length < this.keepLines) g.firstLines.push(r.line);
    }
  }

  /** Most frequent first. */
  list(): RefusalGroup[] {
    return [...this.groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  }
}

export interface BatchImport {
  readonly batchId: string;
  readonly counts: ImportCounts;
  /** Imports rows, `chunkSize` per transaction. */
  add(rows: readonly RawContributionRow[]): Promise<ChunkOutcome>;
  /** Marks the batch finished and returns its summary. */
  finish(): Promise<ImportSummary>;
}

/**
 * A batch imported chunk by chunk, one transaction per chunk (a file: tens of thousands of rows
 * are never held at once). A batch left unfinished by a crash keeps `finished_at` null; running
 * the same file again is safe (what was written is a duplicate the second time).
 */
export async function startBatchImport(
  db: Db,
  o: { source: BatchSource; reference: string; chunkSize?: number; now?: () => Date },
): Promise<BatchImport> {
  const now = o.now ?? (() => new Date());
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const ctx = await loadImportContext(db, now());
  const batchId = await createBatch(db, { source: o.source, reference: o.reference, receivedAt: now() });
  const counts = zeroCounts();
  const tally = new RefusalTally();
  const batch = { id: batchId, source: o.source };
  return {
    batchId,
    counts,
    async add(rows) {
      const total: ChunkOutcome = { ...zeroCounts(), refusals: [] };
      for (let i = 0; i < rows.length; i += chunkSize) {
        const chunk = rows.slice(i, i + chunkSize);
        const outcome = await db.transaction((tx) => importRows(tx, ctx, batch, chunk));
        for (const k of ['rows', 'accepted', 'duplicates', 'refused', 'resumed'] as const) {
          counts[k] += outcome[k];
          total[k] += outcome[k];
        }
        total.refusals.push(...outcome.refusals);
        tally.add(outcome.refusals);
      }
      return total;
    },
    async finish() {
      await finishBatch(db, batchId, now());
      return { batchId, source: o.source, reference: o.reference, ...counts, byReason: tally.list() };
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ContributionHistory {
  personKey: string;
  totalMonths: number;
  years: Array<{
    year: number;
    months: number;
    records: Array<{
      yearMonth: string;
      base: string;
      amount: string;
      agencyCode: string;
      source: string;
      paidOn: string | null;
      batchId: string | null;
    }>;
  }>;
  batches: Array<{
    batchId: string;
    source: string;
    reference: string;
    receivedAt: string;
    finishedAt: string | null;
    months: number;
  }>;
}

/** A person's recorded months by year, with the batches they came from; null for an unknown person key. */
export async function contributionHistory(db: DbOrTx, personKey: string): Promise<ContributionHistory | null> {
  const [person] = await db.select({ id: persons.id }).from(persons).where(eq(persons.personKey, personKey));
  if (!person) return null;
  const records = await db
    .select({
      yearMonth: contributionRecords.yearMonth,
      base: contributionRecords.base,
      amount: contributionRecords.amount,
      agencyCode: contributionRecords.agencyCode,
      source: contributionRecords.source,
      sourceReference: contributionRecords.sourceReference,
      paidOn: contributionRecords.paidOn,
    })
    .from(contributionRecords)
    .where(eq(contributionRecords.personId, person.id))
    .orderBy(contributionRecords.yearMonth);
  const years = new Map<number, ContributionHistory['years'][number]>();
  const monthsPerBatch = new Map<string, number>();
  for (const r of records) {
    const batchId = batchIdOfSourceReference(r.sourceReference);
    const known = batchId && UUID.test(batchId) ? batchId : null;
    if (known) monthsPerBatch.set(known, (monthsPerBatch.get(known) ?? 0) + 1);
    const year = Number(r.yearMonth.slice(0, 4));
    let y = years.get(year);
    if (!y) {
      y = { year, months: 0, records: [] };
      years.set(year, y);
    }
    y.months += 1;
    y.records.push({
      yearMonth: r.yearMonth,
      base: r.base,
      amount: r.amount,
      agencyCode: r.agencyCode,
      source: r.source,
      paidOn: r.paidOn,
      batchId: known,
    });
  }
  const batchRows =
    monthsPerBatch.size === 0
      ? []
      : await db
          .select({
            id: contributionBatches.id,
            source: contributionBatches.source,
            reference: contributionBatches.reference,
            receivedAt: contributionBatches.receivedAt,
            finishedAt: contributionBatches.finishedAt,
          })
          .from(contributionBatches)
          .where(inArray(contributionBatches.id, [...monthsPerBatch.keys()]))
          .orderBy(contributionBatches.receivedAt);
  return {
    personKey,
    totalMonths: records.length,
    years: [...years.values()],
    batches: batchRows.map((b) => ({
      batchId: b.id,
      source: b.source,
      reference: b.reference,
      receivedAt: b.receivedAt.toISOString(),
      finishedAt: b.finishedAt?.toISOString() ?? null,
      months: monthsPerBatch.get(b.id) ?? 0,
    })),
  };
}
