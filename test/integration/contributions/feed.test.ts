/**
 * The tax department's feed (C-1) through the government simulator: records are loaded with
 * /admin/tax/contributions and pulled by the `pullTaxFeed` activity through the HTTP adapter;
 * the cursor (the reference of the last tax_feed batch) continues across pulls; re-delivered
 * records are duplicates; concurrent pulls import each page once; the `taxFeedPull` workflow
 * drains the feed and continues as new. The cursor is global to a database and the feed to a
 * simulator, so each test has a scratch database and an in-process simulator of its own.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { pullTaxFeedPage, type PullTaxFeedResult } from '../../../activities/contributions-intake';
import { createHttpGovernmentSystems, createHttpTaxFeed } from '../../../adapters/government/http';
import type { TaxContributionRecord, TaxFeed } from '../../../adapters/government/types';
import { createHttpTransferPlatform } from '../../../adapters/transfer-platform/platform';
import { createCalendarProvider } from '../../../db/calendar-store';
import type { Db } from '../../../db/client';
import { lastTaxFeedCursor } from '../../../db/repositories/contributions';
import { bootstrapReferenceData } from '../../../db/seed/bootstrap';
import { contributionBatches, contributionRecords } from '../../../db/schema';
import { buildGovernmentSimulator } from '../../../simulators/government/app';
import { taxFeedPull } from '../../../workflows/tax-feed';
import { createWorker } from '../../../workers/worker';
import { testDataConverter } from '../../helpers/codec';
import { monthsOf, rec, registerPerson, relationOf, type TestPerson } from '../../helpers/contributions';
import { testEnv, uniqueName } from '../../helpers/env';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/scratch-db';

interface FeedWorld {
  scratch: ScratchDatabase;
  db: Db;
  simulator: FastifyInstance;
  url: string;
  feed: TaxFeed;
  load(records: unknown[]): Promise<void>;
  pull(limit?: number): Promise<PullTaxFeedResult>;
}

const worlds: FeedWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.simulator.close();
    await w.scratch.drop();
  }
});

async function feedWorld(): Promise<FeedWorld> {
  const scratch = await createScratchDatabase({ migrate: true });
  const db = scratch.handle().db;
  await bootstrapReferenceData(db, { sampleAgencies: false });
  const simulator = await buildGovernmentSimulator();
  const url = await simulator.listen({ host: '127.0.0.1', port: 0 });
  const feed = createHttpTaxFeed(url);
  const w: FeedWorld = {
    scratch,
    db,
    simulator,
    url,
    feed,
    async load(records) {
      const res = await fetch(`${url}/admin/tax/contributions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });
      expect(res.status).toBe(200);
    },
    pull: (limit = 1000) => pullTaxFeedPage({ db, government: { taxFeed: feed } }, { limit }),
  };
  worlds.push(w);
  return w;
}

async function feedBatches(db: Db) {
  return db
    .select({
      id: contributionBatches.id,
      reference: contributionBatches.reference,
      accepted: contributionBatches.accepted,
      duplicates: contributionBatches.duplicates,
      refused: contributionBatches.refused,
      refusals: contributionBatches.refusals,
      finishedAt: contributionBatches.finishedAt,
    })
    .from(contributionBatches)
    .where(eq(contributionBatches.source, 'tax_feed'))
    .orderBy(asc(contributionBatches.receivedAt));
}

const counts = (r: PullTaxFeedResult) => ({
  rows: r.rows,
  accepted: r.accepted,
  duplicates: r.duplicates,
  refused: r.refused,
  more: r.more,
  cursor: r.cursor,
});

describe('pullTaxFeed', () => {
  test('pulls page by page; the cursor is the reference of the last batch and continues across pulls', async () => {
    const w = await feedWorld();
    const agency = '620102';
    const a = await registerPerson(w.db, { agencyCode: agency });
    const b = await registerPerson(w.db, { agencyCode: agency });
    await w.load([
      rec(a, agency, '2025-01', '5000'),
      rec(a, agency, '2025-02', '5000'),
      rec(b, agency, '2025-01', '6000'),
      rec(b, agency, '2025-02', '6000'),
      rec(b, agency, '2025-03', '6000'),
    ]);

    expect(await lastTaxFeedCursor(w.db)).toBeNull();
    const first = await w.pull(3);
    expect(counts(first)).toEqual({ rows: 3, accepted: 3, duplicates: 0, refused: 0, more: true, cursor: '3' });
    expect(first.cursorBefore).toBeNull();
    expect(await lastTaxFeedCursor(w.db)).toBe('3');
    const second = await w.pull(3);
    expect(counts(second)).toEqual({ rows: 2, accepted: 2, duplicates: 0, refused: 0, more: false, cursor: '5' });
    expect(second.cursorBefore).toBe('3');
    // Drained: nothing is written, the cursor stays.
    const empty = await w.pull(3);
    expect(empty).toMatchObject({ batchId: null, rows: 0, more: false, cursorBefore: '5', cursor: '5' });

    // New records later: the next pull starts after the last one, nothing is pulled twice.
    await w.load([rec(a, agency, '2025-03', '5000'), rec(b, agency, '2025-04', '6000')]);
    const third = await w.pull(3);
    expect(counts(third)).toEqual({ rows: 2, accepted: 2, duplicates: 0, refused: 0, more: false, cursor: '7' });

    const batches = await feedBatches(w.db);
    expect(batches.map((x) => [x.reference, x.accepted, x.duplicates, x.refused])).toEqual([
      ['3', 3, 0, 0],
      ['5', 2, 0, 0],
      ['7', 2, 0, 0],
    ]);
    expect(batches.every((x) => x.finishedAt !== null)).toBe(true);
    expect(await monthsOf(w.db, a.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00', '2025-03 5000.00']);
    expect(await monthsOf(w.db, b.personId)).toEqual([
      '2025-01 6000.00',
      '2025-02 6000.00',
      '2025-03 6000.00',
      '2025-04 6000.00',
    ]);
    // Records name their source and the batch (with the tax department's record ID).
    const sources = await w.db
      .select({ source: contributionRecords.source, ref: contributionRecords.sourceReference })
      .from(contributionRecords)
      .where(eq(contributionRecords.personId, a.personId));
    expect(sources.every((s) => s.source === 'tax_feed' && /^[0-9a-f-]{36}#SW-/.test(s.ref ?? ''))).toBe(true);
    expect(new Set(sources.map((s) => s.ref!.split('#')[0]))).toEqual(new Set([batches[0].id, batches[2].id]));
  });

  test('records delivered twice are duplicates; conflicting and bad records are refused with their position and record ID', async () => {
    const w = await feedWorld();
    const agency = '620102';
    const a = await registerPerson(w.db, { agencyCode: agency });
    const interrupted = await registerPerson(w.db, { agencyCode: agency, status: 'interrupted', since: '2025-01-01' });
    const jan = rec(a, agency, '2025-01', '5000');
    await w.load([jan, rec(interrupted, agency, '2025-02', '5000')]);
    expect(counts(await w.pull())).toEqual({
      rows: 2,
      accepted: 2,
      duplicates: 0,
      refused: 0,
      more: false,
      cursor: '2',
    });
    expect((await relationOf(w.db, interrupted.relationId!)).status).toBe('contributing');

    const conflicting = rec(a, agency, '2025-01', '7000', { recordId: 'SW-CONFLICT' });
    const bad = rec(a, agency, '2025-02', '5000', { recordId: 'SW-BAD', amount: '1.00' });
    await w.load([
      jan,
      { ...jan, recordId: 'SW-AGAIN' },
      conflicting,
      bad,
      { recordId: 'SW-EMPTY' },
      rec(a, agency, '2025-02', '5000'),
    ]);
    const page = await w.pull();
    expect(counts(page)).toEqual({ rows: 6, accepted: 1, duplicates: 2, refused: 3, more: false, cursor: '8' });
    const [, batch] = await feedBatches(w.db);
    expect(batch.refusals).toEqual([
      {
        line: 3,
        recordId: 'SW-CONFLICT',
        reason: 'month.conflict',
        message: '该人员2025年1月已记录缴费基数5000.00元，与本行缴费基数7000.00元不一致（更正须另行办理）',
      },
      {
        line: 4,
        recordId: 'SW-BAD',
        reason: 'amount.mismatch',
        message: '缴费金额1.00元与缴费基数5000.00元×费率20%=1000.00元不符',
      },
      {
        line: 5,
        recordId: 'SW-EMPTY',
        reason: 'id_number.empty',
        message: expect.stringContaining('公民身份号码为空'),
      },
    ]);
    expect(await monthsOf(w.db, a.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
  });

  test('two pulls at the same time import each page once', async () => {
    const w = await feedWorld();
    const agency = '620102';
    const people: TestPerson[] = [];
    for (let i = 0; i < 4; i += 1) people.push(await registerPerson(w.db, { agencyCode: agency }));
    const records: TaxContributionRecord[] = [];
    for (const p of people)
      for (const m of ['01', '02', '03', '04', '05']) records.push(rec(p, agency, `2025-${m}`, '5000'));
    await w.load(records);

    const results: PullTaxFeedResult[] = [];
    const puller = async () => {
      for (let i = 0; i < 20; i += 1) {
        const r = await w.pull(4);
        results.push(r);
        if (!r.more) return;
      }
    };
    await Promise.all([puller(), puller(), puller()]);
    const written = results.filter((r) => r.batchId);
    expect(written.reduce((n, r) => n + r.rows, 0)).toBe(20);
    expect(written.reduce((n, r) => n + r.accepted, 0)).toBe(20);
    expect(written.reduce((n, r) => n + r.duplicates, 0)).toBe(0);
    expect((await feedBatches(w.db)).map((b) => b.reference)).toEqual(['4', '8', '12', '16', '20']);
    const [{ n }] = await w.db.select({ n: sql<number>`count(*)::int` }).from(contributionRecords);
    expect(n).toBe(20);
  });

  test('a feed that fails leaves the cursor where it was; the next pull takes the same page', async () => {
    const w = await feedWorld();
    const agency = '620102';
    const a = await registerPerson(w.db, { agencyCode: agency });
    await w.load([rec(a, agency, '2025-01', '5000'), rec(a, agency, '2025-02', '5000')]);
    await w.pull(1);
    const failing: TaxFeed = { pull: () => Promise.reject(new Error('tax department unavailable')) };
    await expect(pullTaxFeedPage({ db: w.db, government: { taxFeed: failing } }, { limit: 1 })).rejects.toThrow(
      'tax department unavailable',
    );
    const stuck: TaxFeed = { pull: async (o) => ({ records: (await w.feed.pull(o)).records, nextCursor: o.cursor }) };
    await expect(pullTaxFeedPage({ db: w.db, government: { taxFeed: stuck } }, { limit: 1 })).rejects.toThrow(
      /without advancing its cursor/,
    );
    expect(await lastTaxFeedCursor(w.db)).toBe('1');
    expect(counts(await w.pull(1))).toEqual({
      rows: 1,
      accepted: 1,
      duplicates: 0,
      refused: 0,
      more: true,
      cursor: '2',
    });
    expect(await monthsOf(w.db, a.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
  });
});

describe('the taxFeedPull workflow', () => {
  test('drains the feed page by page, continuing as new after maxPages, and imports every record once', async () => {
    const w = await feedWorld();
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Installed by an earlier test file in this jest worker.
    }
    const agency = '620102';
    const a = await registerPerson(w.db, { agencyCode: agency });
    const records = ['01', '02', '03', '04', '05', '06', '07'].map((m) => rec(a, agency, `2025-${m}`, '5000'));
    await w.load([...records, records[0]]);

    const taskQueue = uniqueName('tq-taxfeed');
    const nativeConnection = await NativeConnection.connect({ address: testEnv.temporalAddress });
    const connection = await Connection.connect({ address: testEnv.temporalAddress });
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: {
        db: w.db,
        calendar: createCalendarProvider(w.db),
        platform: createHttpTransferPlatform(testEnv.platformUrl),
        government: createHttpGovernmentSystems(w.url),
        assertionPublicKeys: testEnv.assertionPublicKeys,
      },
      workflowBundle: { codePath: testEnv.workflowBundlePath },
      dataConverter: testDataConverter(),
    });
    const running = worker.run();
    try {
      const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
      const workflowId = `tax-feed-pull-test-${randomUUID()}`;
      const handle = await client.workflow.start(taxFeedPull, {
        taskQueue,
        workflowId,
        args: [{ pageSize: 2, maxPages: 2 }],
      });
      const totals = await handle.result();
      // 8 records in pages of 2, 2 pages a run: two full runs, then a third whose empty pull ends it.
      expect(totals).toEqual({ pages: 4, rows: 8, accepted: 7, duplicates: 1, refused: 0, resumed: 0, runs: 3 });
      expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
      expect(await monthsOf(w.db, a.personId)).toHaveLength(7);
      expect((await feedBatches(w.db)).map((b) => b.reference)).toEqual(['2', '4', '6', '8']);
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    }
  });
});
