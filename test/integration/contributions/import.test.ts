/**
 * The contribution import core through a file (C-1), on the shared database: every kind of row
 * (good, duplicate, conflicting, bad of every kind) with exact counts and reasons per line, good
 * rows kept and nothing written for a bad one; re-import is all duplicates; CSV and JSON lines
 * give the same outcome whatever the chunk size; interrupted relations resume; the batch row.
 * Each test has its own agency code and people.
 */
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { createDb, type DbHandle } from '../../../db/client';
import { importContributionFile } from '../../../db/contribution-file';
import type { ImportSummary } from '../../../db/repositories/contributions';
import { contributionBatches, contributionRecords, persons, relations } from '../../../db/schema';
import { CONTRIBUTION_COLUMNS, type RowRefusal } from '../../../domain/contribution-rows';
import { addMonths } from '../../../domain/year-month';
import { chinaDateOf } from '../../../domain/working-days';
import {
  csvLine,
  freshAgency,
  monthsOf,
  rec,
  registerPerson,
  relationOf,
  writeTestFile,
  type TestPerson,
} from '../../helpers/contributions';
import { makeIdNumber, testEnv } from '../../helpers/env';

let database: DbHandle;
beforeAll(() => {
  database = createDb(testEnv.databaseUrl, { max: 3 });
});
afterAll(async () => {
  await database?.close();
});

const today = () => chinaDateOf(Date.now());

async function batchRow(batchId: string) {
  const [row] = await database.db.select().from(contributionBatches).where(eq(contributionBatches.id, batchId));
  return row;
}

/** Refusal codes by line, from the stored batch. */
async function reasonsByLine(batchId: string): Promise<Record<number, string>> {
  const row = await batchRow(batchId);
  return Object.fromEntries(row.refusals.map((r) => [r.line, r.reason]));
}

interface World {
  agency: string;
  otherAgency: string;
  p1: TestPerson;
  p2: TestPerson;
  stopped: TestPerson;
  elsewhere: TestPerson;
  resumes: TestPerson;
  staysInterrupted: TestPerson;
  unregistered: { idNumber: string; name: string };
}

async function world(): Promise<World> {
  const agency = await freshAgency(database.db);
  const otherAgency = await freshAgency(database.db);
  const w: World = {
    agency,
    otherAgency,
    p1: await registerPerson(database.db, { agencyCode: agency }),
    p2: await registerPerson(database.db, { agencyCode: agency }),
    stopped: await registerPerson(database.db, { agencyCode: agency, status: 'stopped' }),
    elsewhere: await registerPerson(database.db, { agencyCode: otherAgency }),
    resumes: await registerPerson(database.db, { agencyCode: agency, status: 'interrupted', since: '2025-06-01' }),
    staysInterrupted: await registerPerson(database.db, {
      agencyCode: agency,
      status: 'interrupted',
      since: '2025-06-01',
    }),
    unregistered: { idNumber: makeIdNumber(), name: '未登记' },
  };
  // p1 already has January 2025 recorded (e.g. by an earlier delivery).
  await database.db.insert(contributionRecords).values({
    personId: w.p1.personId,
    agencyCode: agency,
    yearMonth: '2025-01',
    base: '5000.00',
    amount: '1000.00',
    source: 'manual',
  });
  return w;
}

/** The mixed file: line number → [content, expected outcome]. Line 1 is the header, line 29 blank. */
function mixedLines(w: World): Array<[number, string, string]> {
  const a = w.agency;
  const badCheck = w.p2.idNumber.slice(0, 17) + (w.p2.idNumber[17] === '0' ? '1' : '0');
  const next = addMonths(today().slice(0, 7), 1);
  return [
    [2, csvLine(rec(w.p1, a, '2025-01', '5000.00')), 'duplicate'],
    [3, csvLine(rec(w.p1, a, '2025-02', '5000')), 'accepted'],
    [4, csvLine(rec(w.p1, a, '2025-02', '5000.00')), 'duplicate'],
    [5, csvLine(rec(w.p1, a, '2025-02', '6000')), 'month.conflict'],
    [6, csvLine(rec(w.p1, a, '2025-01', '4900')), 'month.conflict'],
    [7, csvLine(rec(w.p2, a, '2025-01', '5000')), 'accepted'],
    [8, csvLine(rec(w.p2, a, '2025-02', '5000', { amount: '999.99' })), 'amount.mismatch'],
    [9, csvLine(rec({ ...w.p2, idNumber: badCheck }, a, '2025-02', '5000')), 'id_number.checksum'],
    [10, csvLine(rec({ ...w.p2, name: ' ' }, a, '2025-02', '5000')), 'name.blank'],
    [11, csvLine(rec({ ...w.p2, name: '李四不对' }, a, '2025-02', '5000')), 'name.mismatch'],
    [12, csvLine(rec(w.p2, a.slice(0, 4), '2025-02', '5000')), 'agency_code.invalid'],
    [13, csvLine(rec(w.p2, a, '2025-13', '5000')), 'year_month.invalid'],
    [14, csvLine(rec(w.p2, a, next, '5000')), 'year_month.future'],
    [15, csvLine(rec(w.p2, a, '2025-02', '5000', { base: 'abc' })), 'base.invalid'],
    [16, csvLine(rec(w.p2, a, '2025-02', '0')), 'base.not_positive'],
    [17, csvLine(rec(w.p2, a, '2025-02', '5000', { amount: 'x' })), 'amount.invalid'],
    [18, csvLine(rec(w.p2, a, '2026-01', '4000')), 'base.below_floor'],
    [19, csvLine(rec(w.p2, a, '2026-02', '30000')), 'base.above_ceiling'],
    [20, csvLine(rec(w.p2, a, '2005-06', '1000')), 'rate.unavailable'],
    [21, csvLine(rec(w.p2, a, '2025-02', '5000', { paidOn: '2025-02-30' })), 'paid_on.invalid'],
    [22, csvLine(rec(w.unregistered, a, '2025-02', '5000')), 'person.not_registered'],
    [23, csvLine(rec(w.stopped, a, '2025-02', '5000')), 'relation.not_contributing'],
    [24, csvLine(rec(w.elsewhere, a, '2025-02', '5000')), 'relation.not_at_agency'],
    [25, `"broken,${w.p2.idNumber}`, 'row.malformed'],
    [26, `R1,${w.p2.idNumber},${w.p2.name}`, 'row.malformed'],
    [27, csvLine(rec(w.resumes, a, '2025-07', '5000')), 'accepted'],
    [28, csvLine(rec(w.staysInterrupted, a, '2025-03', '5000')), 'accepted'],
    [30, csvLine(rec(w.p2, a, '2025-03', '5000')), 'accepted'],
  ];
}

function mixedFile(w: World, name = 'mixed.csv'): { file: string; expected: Array<[number, string, string]> } {
  const expected = mixedLines(w);
  const lines: string[] = [CONTRIBUTION_COLUMNS.join(',')];
  for (const [line, content] of expected) {
    while (lines.length < line - 1) lines.push('');
    lines.push(content);
  }
  return { file: writeTestFile(name, lines), expected };
}

const refusedLines = (expected: Array<[number, string, string]>) =>
  Object.fromEntries(
    expected.filter(([, , o]) => o !== 'accepted' && o !== 'duplicate').map(([line, , o]) => [line, o]),
  );

function expectCounts(
  s: ImportSummary,
  counts: { rows: number; accepted: number; duplicates: number; refused: number; resumed: number },
) {
  expect({
    rows: s.rows,
    accepted: s.accepted,
    duplicates: s.duplicates,
    refused: s.refused,
    resumed: s.resumed,
  }).toEqual(counts);
}

describe('a file with good, duplicate, conflicting and bad rows', () => {
  test('exact counts and a reason per refused line; good rows kept; nothing written for a bad row', async () => {
    const w = await world();
    const { file, expected } = mixedFile(w);
    const summary = await importContributionFile(database.db, { file });

    expectCounts(summary, { rows: 28, accepted: 5, duplicates: 2, refused: 21, resumed: 1 });
    expect(await reasonsByLine(summary.batchId)).toEqual(refusedLines(expected));

    // Good rows kept, bad ones wrote nothing.
    expect(await monthsOf(database.db, w.p1.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
    expect(await monthsOf(database.db, w.p2.personId)).toEqual(['2025-01 5000.00', '2025-03 5000.00']);
    expect(await monthsOf(database.db, w.stopped.personId)).toEqual([]);
    expect(await monthsOf(database.db, w.elsewhere.personId)).toEqual([]);
    expect(await database.db.select().from(persons).where(eq(persons.idNumber, w.unregistered.idNumber))).toEqual([]);
    expect(await relationOf(database.db, w.stopped.relationId!)).toEqual({ status: 'stopped', since: '2020-01-01' });

    // The record of a new month carries its source and batch.
    const [feb] = await database.db
      .select({
        source: contributionRecords.source,
        sourceReference: contributionRecords.sourceReference,
        amount: contributionRecords.amount,
        agencyCode: contributionRecords.agencyCode,
        paidOn: contributionRecords.paidOn,
      })
      .from(contributionRecords)
      .where(sql`${contributionRecords.personId} = ${w.p1.personId} and ${contributionRecords.yearMonth} = '2025-02'`);
    expect(feb).toEqual({
      source: 'batch_import',
      sourceReference: expect.stringMatching(new RegExp(`^${summary.batchId}#SW-`)),
      amount: '1000.00',
      agencyCode: w.agency,
      paidOn: '2025-12-01',
    });

    // The batch row: source, reference (base name only), counts, refusals, received and finished.
    const batch = await batchRow(summary.batchId);
    expect(batch).toMatchObject({
      source: 'file',
      reference: path.basename(file),
      accepted: 5,
      duplicates: 2,
      refused: 21,
    });
    expect(batch.finishedAt!.getTime()).toBeGreaterThanOrEqual(batch.receivedAt.getTime());
    expect(batch.refusals.map((r) => r.line)).toEqual(Object.keys(refusedLines(expected)).map(Number));

    // The conflicts say which month and which base is recorded (and where).
    const byLine = new Map((batch.refusals as RowRefusal[]).map((r) => [r.line, r]));
    expect(byLine.get(5)!.message).toBe(
      '该人员2025年2月已由本批第3行记录缴费基数5000.00元，与本行缴费基数6000.00元不一致（更正须另行办理）',
    );
    expect(byLine.get(6)!.message).toBe(
      '该人员2025年1月已记录缴费基数5000.00元，与本行缴费基数4900.00元不一致（更正须另行办理）',
    );
    expect(byLine.get(8)!.message).toBe('缴费金额999.99元与缴费基数5000.00元×费率20%=1000.00元不符');

    // Summary grouped by code with first lines.
    expect(summary.byReason.find((g) => g.reason === 'month.conflict')).toEqual({
      reason: 'month.conflict',
      text: '该月已有缴费记录且缴费基数不同',
      count: 2,
      firstLines: [5, 6],
    });

    // No ID number or name anywhere in the stored refusals.
    const stored = JSON.stringify(batch.refusals);
    for (const p of [w.p1, w.p2, w.stopped, w.elsewhere, w.unregistered]) {
      expect(stored).not.toContain(p.idNumber);
      expect(stored).not.toContain(p.idNumber.slice(6, 14));
      expect(stored).not.toContain(p.name);
    }
  });

  test('importing the same file again: every kept row is a duplicate, no new record, the same refusals', async () => {
    const w = await world();
    const { file, expected } = mixedFile(w);
    const people = [w.p1, w.p2, w.resumes, w.staysInterrupted].map((p) => p.personId);
    const count = async () =>
      (
        await database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(contributionRecords)
          .where(inArray(contributionRecords.personId, people))
      )[0].n;

    await importContributionFile(database.db, { file });
    const after1 = await count();
    expect(after1).toBe(6);
    // Even after p2 stopped insurance, the months already recorded stay duplicates.
    await database.db.update(relations).set({ status: 'stopped' }).where(eq(relations.id, w.p2.relationId!));
    const second = await importContributionFile(database.db, { file });
    expectCounts(second, { rows: 28, accepted: 0, duplicates: 7, refused: 21, resumed: 0 });
    expect(await count()).toBe(after1);
    expect(await reasonsByLine(second.batchId)).toEqual(refusedLines(expected));
    const byLine = new Map(((await batchRow(second.batchId)).refusals as RowRefusal[]).map((r) => [r.line, r]));
    // Line 3 is now in the database: line 5 conflicts with the recorded month.
    expect(byLine.get(5)!.message).toBe(
      '该人员2025年2月已记录缴费基数5000.00元，与本行缴费基数6000.00元不一致（更正须另行办理）',
    );

    // A file of good rows only is all duplicates the second time.
    const good = writeTestFile('good.csv', [
      CONTRIBUTION_COLUMNS.join(','),
      csvLine(rec(w.p1, w.agency, '2025-04', '7000')),
      csvLine(rec(w.p1, w.agency, '2025-05', '7000')),
    ]);
    expectCounts(await importContributionFile(database.db, { file: good }), {
      rows: 2,
      accepted: 2,
      duplicates: 0,
      refused: 0,
      resumed: 0,
    });
    expectCounts(await importContributionFile(database.db, { file: good }), {
      rows: 2,
      accepted: 0,
      duplicates: 2,
      refused: 0,
      resumed: 0,
    });
  });

  test('the outcome does not depend on the chunk size (rows of one person and month in different chunks)', async () => {
    const w = await world();
    const { file, expected } = mixedFile(w);
    const summary = await importContributionFile(database.db, { file, chunkSize: 2 });
    expectCounts(summary, { rows: 28, accepted: 5, duplicates: 2, refused: 21, resumed: 1 });
    expect(await reasonsByLine(summary.batchId)).toEqual(refusedLines(expected));
    expect(await monthsOf(database.db, w.p1.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
  });
});

describe('concurrent imports', () => {
  test('two imports of the same months at once record each month once; the other sees a duplicate or a conflict', async () => {
    const agency = await freshAgency(database.db);
    const people: TestPerson[] = [];
    for (let i = 0; i < 5; i += 1) people.push(await registerPerson(database.db, { agencyCode: agency }));
    const months = ['2025-01', '2025-02', '2025-03', '2025-04'];
    const lines = (base: string) => people.flatMap((p) => months.map((m) => csvLine(rec(p, agency, m, base))));
    const same1 = writeTestFile('same1.csv', lines('5000'));
    const same2 = writeTestFile('same2.csv', lines('5000'));
    const [a, b] = await Promise.all([
      importContributionFile(database.db, { file: same1, chunkSize: 3 }),
      importContributionFile(database.db, { file: same2, chunkSize: 3 }),
    ]);
    expect({
      accepted: a.accepted + b.accepted,
      duplicates: a.duplicates + b.duplicates,
      refused: a.refused + b.refused,
    }).toEqual({ accepted: 20, duplicates: 20, refused: 0 });

    const other = writeTestFile(
      'other.csv',
      people.map((p) => csvLine(rec(p, agency, '2025-05', '5000'))),
    );
    const conflicting = writeTestFile(
      'conflicting.csv',
      people.map((p) => csvLine(rec(p, agency, '2025-05', '6000'))),
    );
    const [c, d] = await Promise.all([
      importContributionFile(database.db, { file: other, chunkSize: 1 }),
      importContributionFile(database.db, { file: conflicting, chunkSize: 1 }),
    ]);
    expect({
      accepted: c.accepted + d.accepted,
      duplicates: c.duplicates + d.duplicates,
      refused: c.refused + d.refused,
    }).toEqual({ accepted: 5, duplicates: 0, refused: 5 });
    expect([...c.byReason, ...d.byReason].map((g) => g.reason)).toEqual(expect.arrayContaining(['month.conflict']));
    for (const p of people) expect(await monthsOf(database.db, p.personId)).toHaveLength(5);
  });
});

describe('CSV and JSON lines', () => {
  test('the same rows as JSON lines give the same outcome; numbers are read as decimals; bad JSON lines are refused', async () => {
    const w = await world();
    const expected = mixedLines(w).filter(([line]) => line !== 25 && line !== 26);
    const lines: string[] = ['{"not":"a header, a row without fields"}'];
    for (const [line, content] of expected) {
      while (lines.length < line - 1) lines.push('');
      const fields = content.split(',');
      lines.push(JSON.stringify(Object.fromEntries(CONTRIBUTION_COLUMNS.map((c, i) => [c, fields[i]]))));
    }
    lines.push('{"recordId": "R9", "broken"');
    lines.push('["an", "array"]');
    lines.push(JSON.stringify({ ...rec(w.p2, w.agency, '2025-08', '4900'), base: 4900, amount: 980 }));
    const file = writeTestFile('mixed.jsonl', lines);
    const summary = await importContributionFile(database.db, { file });
    expectCounts(summary, { rows: 30, accepted: 6, duplicates: 2, refused: 22, resumed: 1 });
    expect(await reasonsByLine(summary.batchId)).toEqual({
      1: 'id_number.empty',
      ...refusedLines(expected),
      31: 'row.malformed',
      32: 'row.malformed',
    });
    expect(await monthsOf(database.db, w.p2.personId)).toEqual([
      '2025-01 5000.00',
      '2025-03 5000.00',
      '2025-08 4900.00',
    ]);
  });

  test('CSV without a header uses the documented order; a header may list the columns in any order; quoted fields', async () => {
    const agency = await freshAgency(database.db);
    const p = await registerPerson(database.db, { agencyCode: agency });
    const r = rec(p, agency, '2025-01', '5000');
    const plain = writeTestFile('plain.csv', [csvLine(r)]);
    expectCounts(await importContributionFile(database.db, { file: plain }), {
      rows: 1,
      accepted: 1,
      duplicates: 0,
      refused: 0,
      resumed: 0,
    });

    const order = ['yearMonth', 'base', 'amount', 'paidOn', 'recordId', 'agencyCode', 'name', 'idNumber'] as const;
    const r2 = rec(p, agency, '2025-02', '5000');
    const reordered = writeTestFile('reordered.csv', [
      `\uFEFF${order.join(',')}`,
      order.map((c) => `"${r2[c]}"`).join(','),
    ]);
    expectCounts(await importContributionFile(database.db, { file: reordered }), {
      rows: 1,
      accepted: 1,
      duplicates: 0,
      refused: 0,
      resumed: 0,
    });
    expect(await monthsOf(database.db, p.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);

    // CRLF line ends, and an ID number written with a lowercase x check character, are normalised.
    let id = makeIdNumber();
    while (!id.endsWith('X')) id = makeIdNumber();
    const px = await registerPerson(database.db, { agencyCode: agency });
    await database.db.update(persons).set({ idNumber: id }).where(eq(persons.id, px.personId));
    const crlf = writeTestFile('crlf.csv', [
      `${csvLine(rec({ idNumber: id.toLowerCase(), name: px.name }, agency, '2025-03', '5000'))}\r`,
    ]);
    expectCounts(await importContributionFile(database.db, { file: crlf }), {
      rows: 1,
      accepted: 1,
      duplicates: 0,
      refused: 0,
      resumed: 0,
    });
    expect(await monthsOf(database.db, px.personId)).toEqual(['2025-03 5000.00']);
  });

  test('a CSV header lacking a column fails the import as a whole and leaves no batch', async () => {
    const file = writeTestFile('badheader.csv', ['recordId,idNumber,name,agencyCode,yearMonth,base', 'x,y,z,a,b,c']);
    await expect(importContributionFile(database.db, { file })).rejects.toThrow(/lacks the column\(s\) amount, paidOn/);
    expect(
      (
        await database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(contributionBatches)
          .where(eq(contributionBatches.reference, path.basename(file)))
      )[0].n,
    ).toBe(0);
  });
});

describe('interrupted relations', () => {
  test('records for a month from the interruption on make an interrupted relation contributing again, in the same import', async () => {
    const agency = await freshAgency(database.db);
    const resumes = await registerPerson(database.db, {
      agencyCode: agency,
      status: 'interrupted',
      since: '2025-06-01',
    });
    const early = await registerPerson(database.db, { agencyCode: agency, status: 'interrupted', since: '2025-06-01' });
    const badRow = await registerPerson(database.db, {
      agencyCode: agency,
      status: 'interrupted',
      since: '2025-06-01',
    });
    const file = writeTestFile('resume.csv', [
      csvLine(rec(resumes, agency, '2025-06', '5000')),
      csvLine(rec(resumes, agency, '2025-07', '5000')),
      // A late record for a month before the break proves nothing about now.
      csvLine(rec(early, agency, '2025-05', '5000')),
      // A refused row changes nothing.
      csvLine(rec(badRow, agency, '2025-07', '5000', { amount: '1.00' })),
    ]);
    const summary = await importContributionFile(database.db, { file });
    expectCounts(summary, { rows: 4, accepted: 3, duplicates: 0, refused: 1, resumed: 1 });
    expect(await relationOf(database.db, resumes.relationId!)).toEqual({
      status: 'contributing',
      since: chinaDateOf(Date.now()),
    });
    expect(await relationOf(database.db, early.relationId!)).toEqual({ status: 'interrupted', since: '2025-06-01' });
    expect(await relationOf(database.db, badRow.relationId!)).toEqual({ status: 'interrupted', since: '2025-06-01' });
    expect(await monthsOf(database.db, badRow.personId)).toEqual([]);

    // Again: the relation is contributing already, nothing more changes.
    expectCounts(await importContributionFile(database.db, { file }), {
      rows: 4,
      accepted: 0,
      duplicates: 3,
      refused: 1,
      resumed: 0,
    });
  });

  test('a relation that is not contributing or interrupted receives nothing, and a live relation elsewhere does not count', async () => {
    const agency = await freshAgency(database.db);
    const other = await freshAgency(database.db);
    const receiving = await registerPerson(database.db, { agencyCode: agency, status: 'receiving' });
    const transferred = await registerPerson(database.db, { agencyCode: agency, status: 'transferred_out' });
    const noRelation = await registerPerson(database.db, { agencyCode: agency, status: null });
    const movedAway = await registerPerson(database.db, { agencyCode: other, status: 'contributing' });
    const file = writeTestFile('states.csv', [
      csvLine(rec(receiving, agency, '2025-01', '5000')),
      csvLine(rec(transferred, agency, '2025-01', '5000')),
      csvLine(rec(noRelation, agency, '2025-01', '5000')),
      csvLine(rec(movedAway, agency, '2025-01', '5000')),
      csvLine(rec(movedAway, other, '2025-01', '5000')),
    ]);
    const summary = await importContributionFile(database.db, { file });
    expectCounts(summary, { rows: 5, accepted: 1, duplicates: 0, refused: 4, resumed: 0 });
    expect(await reasonsByLine(summary.batchId)).toEqual({
      1: 'relation.not_contributing',
      2: 'relation.not_contributing',
      3: 'relation.not_at_agency',
      4: 'relation.not_at_agency',
    });
    const messages = ((await batchRow(summary.batchId)).refusals as RowRefusal[]).map((r) => r.message);
    expect(messages[0]).toContain('领取待遇');
    expect(messages[1]).toContain('已转出');
  });
});
