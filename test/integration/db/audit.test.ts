/**
 * The tamper-evident audit trail: each case's events form a hash chain, anchors fix the heads of
 * all chains, and verification finds an edited, deleted or reordered event. Runs on a scratch
 * database, because tampering needs the append-only triggers switched off.
 */
import { eq, sql } from 'drizzle-orm';
import { createAnchor, verifyAuditTrail } from '../../../db/repositories/audit';
import { appendEvent, verifyCaseChain } from '../../../db/repositories/events';
import { personKeyOf, upsertPerson } from '../../../db/repositories/persons';
import { caseEvents, cases } from '../../../db/schema';
import type { Db } from '../../../db/client';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/scratch-db';

let scratch: ScratchDatabase;
let db: Db;

beforeAll(async () => {
  scratch = await createScratchDatabase({ migrate: true });
  db = scratch.handle().db;
});
afterAll(async () => {
  await scratch?.drop();
});

async function caseWithEvents(n: number): Promise<string> {
  const idNumber = makeIdNumber({ birthDate: '1980-02-03', sex: 'female' });
  const person = await upsertPerson(db, {
    idNumber,
    name: '审计人',
    sex: 'female',
    birthDate: '1980-02-03',
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  const caseId = `enrollment-620102-2026-${String(Math.floor(Math.random() * 900000) + 100000)}`;
  await db.insert(cases).values({
    id: caseId,
    procedure: 'enrollment',
    agencyCode: '620102',
    channel: 'offline',
    stage: 'received',
    personId: person.id,
    application: {},
    workflowId: caseId,
    receivedAt: new Date('2026-03-02T01:00:00Z'),
  });
  for (let i = 0; i < n; i++) {
    await db.transaction((tx) =>
      appendEvent(tx, {
        caseId,
        eventKey: `${caseId}#${i}`,
        type: i === 0 ? 'application_received' : 'step',
        clause: '5.2.1.2',
        stage: 'acceptance',
        actorId: i % 2 ? 'clerk-01' : null,
        actorRole: i % 2 ? 'acceptor' : null,
        detail: { n: i, nested: { b: 2, a: [1, 'x'] } },
        occurredAt: new Date(Date.UTC(2026, 2, 2, 1, i)),
      }),
    );
  }
  return caseId;
}

/** Runs `statement` with the append-only trigger off, as an intruder with database access would. */
async function tamper(...statements: Array<ReturnType<typeof sql>>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table case_events disable trigger case_events_append_only`);
    for (const statement of statements) await tx.execute(statement);
    await tx.execute(sql`alter table case_events enable trigger case_events_append_only`);
  });
}

test('events appended to a case form an intact chain; appending the same event key again adds nothing', async () => {
  const caseId = await caseWithEvents(5);
  const again = await appendEvent(db, {
    caseId,
    eventKey: `${caseId}#2`,
    type: 'step',
    clause: null,
    stage: null,
    actorId: null,
    actorRole: null,
    detail: {},
    occurredAt: new Date(),
  });
  expect(again).toBe(false);
  const report = await verifyCaseChain(db, caseId);
  expect(report).toMatchObject({ ok: true, events: 5, problems: [] });
  const rows = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.chainSeq);
  expect(rows.map((r) => r.chainSeq)).toEqual([1, 2, 3, 4, 5]);
  expect(rows[0].prevHash).toBeNull();
  for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
});

test('a hand-edited event row is found, and the events after it are still linked', async () => {
  const caseId = await caseWithEvents(4);
  await tamper(
    sql`update case_events set detail = jsonb_set(detail, '{n}', '99') where case_id = ${caseId} and chain_seq = 2`,
  );
  const report = await verifyCaseChain(db, caseId);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual([expect.objectContaining({ problem: 'edited', chainSeq: 2 })]);
});

test('a deleted event is found as a gap in the chain', async () => {
  const caseId = await caseWithEvents(4);
  await tamper(sql`delete from case_events where case_id = ${caseId} and chain_seq = 3`);
  const report = await verifyCaseChain(db, caseId);
  expect(report.ok).toBe(false);
  expect(report.problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['missing', 'broken_link']));
});

test('reordering two events (swapping their places in the chain) is found', async () => {
  const caseId = await caseWithEvents(4);
  await tamper(
    sql`update case_events set chain_seq = -1 where case_id = ${caseId} and chain_seq = 2`,
    sql`update case_events set chain_seq = 2 where case_id = ${caseId} and chain_seq = 3`,
    sql`update case_events set chain_seq = 3 where case_id = ${caseId} and chain_seq = -1`,
  );
  const report = await verifyCaseChain(db, caseId);
  expect(report.ok).toBe(false);
  expect(report.problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['edited', 'reordered']));
});

test('an anchor fixes every chain head: deleting the last events of a case after it is found even though the shortened chain is intact', async () => {
  const caseId = await caseWithEvents(3);
  const clean = await verifyAuditTrail(db, caseId);
  expect(clean.ok).toBe(true);
  await createAnchor(db);
  // Deleting the tail leaves a chain that verifies on its own…
  await tamper(sql`delete from case_events where case_id = ${caseId} and chain_seq = 3`);
  expect((await verifyCaseChain(db, caseId)).ok).toBe(true);
  // …but no longer matches the anchor.
  const report = await verifyAuditTrail(db);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ problem: 'anchor_mismatch' })]));
  expect(report.anchorsChecked).toBeGreaterThanOrEqual(1);
});

test('anchors written at once chain one after the other; with onlyIfNew nothing is written when no event came since', async () => {
  await caseWithEvents(2);
  const written = await Promise.all([createAnchor(db), createAnchor(db), createAnchor(db)]);
  expect(written.every((a) => a.created)).toBe(true);
  const anchors = await db.execute<{ hash: string; previous_hash: string | null }>(
    sql`select hash, previous_hash from audit_anchors`,
  );
  // A chain, not a fork: every anchor but the first is the previous of exactly one other.
  const previous = anchors.rows.map((a) => a.previous_hash).filter((h): h is string => h !== null);
  expect(new Set(previous).size).toBe(previous.length);
  expect(previous.every((h) => anchors.rows.some((a) => a.hash === h))).toBe(true);
  const count = anchors.rows.length;
  const again = await createAnchor(db, { onlyIfNew: true });
  expect(again.created).toBe(false);
  expect((await db.execute(sql`select 1 from audit_anchors`)).rows).toHaveLength(count);
  await caseWithEvents(1);
  expect((await createAnchor(db, { onlyIfNew: true })).created).toBe(true);
  expect((await verifyAuditTrail(db)).anchorsChecked).toBe(count + 1);
});

test('the verify command exits 1 and names the problem on a tampered database, 0 on an intact one', async () => {
  const { execFileSync } = await import('node:child_process');
  const fresh = await createScratchDatabase({ migrate: true });
  try {
    const run = (env: Record<string, string>) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
            env: { ...process.env, ...env },
            encoding: 'utf8',
          }),
        };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const intact = run({ DATABASE_URL: fresh.url });
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.out).toContain('audit trail intact');
    const broken = run({ DATABASE_URL: scratch.url });
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/PROBLEM (edited|missing|anchor_mismatch)/);
  } finally {
    await fresh.drop();
  }
});
