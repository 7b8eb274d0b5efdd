/**
 * Activities and repositories against real PostgreSQL: recordStep's idempotency and projection
 * guard, the append-only event log, the versioned calendar store and its bootstrap, deadline
 * projection, and the relation effects of enrollment and stop applied twice. Each group runs in
 * a scratch database of its own (created from the committed migrations), so DDL-level checks
 * and calendar versions cannot disturb the run's shared database.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq, sql } from 'drizzle-orm';
import { createActivities, type Activities } from '../../../activities';
import { createHttpTransferPlatform } from '../../../adapters/transfer-platform/platform';
import { createHttpGovernmentSystems } from '../../../adapters/government/http';
import { createCalendarActivities } from '../../../activities/calendar';
import { bootstrapCalendar } from '../../../db/calendar-bootstrap';
import { chineseDaysCalendarYears, type CalendarYearData } from '../../../db/calendar-source';
import {
  createCalendarProvider,
  importCalendarYears,
  latestCalendarVersion,
  loadCalendarYears,
} from '../../../db/calendar-store';
import type { Db } from '../../../db/client';
import {
  calendarDays,
  calendarVersions,
  caseEvents,
  cases,
  decisions,
  caseMaterials,
  notices,
  persons,
  relations,
} from '../../../db/schema';
import { validateIdNumber } from '../../../domain/id-number';
import type { ClockSnapshot, StepRecord } from '../../../domain/case-records';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/scratch-db';
import { today } from '../../helpers/time';

const activityEnv = new MockActivityEnvironment();

/** Runs an activity call inside the mock activity context (Context.current() works as in a worker). */
function inActivity<R>(call: () => Promise<R>): Promise<R> {
  return activityEnv.run<[], R, () => Promise<R>>(call);
}

const runningClock: ClockSnapshot = {
  budgetWorkingDays: 0,
  extensionWorkingDays: 0,
  consumedWorkingDays: 0,
  state: 'running',
  dueDate: '2026-03-02',
  dueAt: '2026-03-02T16:00:00.000Z',
  reminderAt: null,
  provisional: false,
  calendarVersion: 1,
  clause: '5.1.4',
  overdue: false,
};

async function seedPerson(db: Db): Promise<string> {
  const idNumber = makeIdNumber();
  const check = validateIdNumber(idNumber, today());
  const [row] = await db
    .insert(persons)
    .values({
      idNumber,
      name: '测试人',
      sex: check.sex!,
      birthDate: check.birthDate!,
      personKey: `P${randomBytes(12).toString('hex').toUpperCase()}`,
    })
    .returning({ id: persons.id });
  return row.id;
}

async function seedCase(
  db: Db,
  o: { procedure: 'enrollment' | 'stop'; agencyCode: string; personId?: string },
): Promise<{ caseId: string; personId: string }> {
  const personId = o.personId ?? (await seedPerson(db));
  const caseId = `${o.procedure}-${o.agencyCode}-2026-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  await db.insert(cases).values({
    id: caseId,
    procedure: o.procedure,
    agencyCode: o.agencyCode,
    channel: 'offline',
    stage: 'received',
    personId,
    application: {},
    workflowId: caseId,
    receivedAt: new Date('2026-03-02T01:00:00Z'),
  });
  return { caseId, personId };
}

function stepOf(caseId: string, seq: number, over: Partial<StepRecord> = {}): StepRecord {
  return {
    caseId,
    seq,
    eventKey: `${caseId}#${seq}`,
    runId: 'run-1',
    type: 'case_received',
    clause: '5.2.1.1',
    occurredAt: '2026-03-02T02:00:00.000Z',
    stage: 'received',
    waitingOn: null,
    status: 'open',
    clock: runningClock,
    detail: {},
    ...over,
  };
}

function closingStep(caseId: string, seq: number, type: string): StepRecord {
  return stepOf(caseId, seq, {
    type,
    clause: '5.2.2.2 a',
    stage: 'closed',
    status: 'closed',
    outcome: 'approved',
    clock: { ...runningClock, state: 'stopped', dueDate: null, dueAt: null },
  });
}

async function count(
  db: Db,
  table: typeof caseEvents | typeof notices | typeof decisions | typeof caseMaterials,
  caseId: string,
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(eq(table.caseId, caseId));
  return row.n;
}

describe('activities on a migrated database with the packaged calendar', () => {
  let scratch: ScratchDatabase;
  let db: Db;
  let activities: Activities;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ migrate: true });
    db = scratch.handle().db;
    await bootstrapCalendar(db);
    activities = createActivities({
      db,
      calendar: createCalendarProvider(db),
      platform: createHttpTransferPlatform(testEnv.platformUrl),
      government: createHttpGovernmentSystems(testEnv.governmentUrl),
      assertionPublicKeys: testEnv.assertionPublicKeys,
    });
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  describe('recordStep', () => {
    test('recording the same step twice (an activity retry) writes one event and one notice', async () => {
      const { caseId } = await seedCase(db, { procedure: 'enrollment', agencyCode: '620102' });
      const step = stepOf(caseId, 1, {
        type: 'notice_issued',
        clause: '5.2.1.2',
        stage: 'awaiting_supplement',
        waitingOn: 'applicant',
        clock: { ...runningClock, state: 'paused', dueDate: null, dueAt: null },
        detail: { round: 1, items: ['identity_document'] },
        notice: {
          kind: 'missing_materials',
          round: 1,
          items: [{ code: 'identity_document', text: '本人有效身份证件' }],
          text: '一次性告知书',
          replyDueDate: '2026-03-16',
        },
      });

      await inActivity(() => activities.recordStep(step));
      await inActivity(() => activities.recordStep(step));

      expect(await count(db, caseEvents, caseId)).toBe(1);
      expect(await count(db, notices, caseId)).toBe(1);
      const [notice] = await db.select().from(notices).where(eq(notices.caseId, caseId));
      expect(notice).toMatchObject({
        kind: 'missing_materials',
        round: 1,
        replyDueDate: '2026-03-16',
        channel: 'offline',
      });
      const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
      expect(row).toMatchObject({
        stage: 'awaiting_supplement',
        waitingOn: 'applicant',
        clockState: 'paused',
        projectionSeq: 1,
        dueAt: null,
      });
    });

    test('a decision and supplemented materials recorded twice are stored once', async () => {
      const { caseId } = await seedCase(db, { procedure: 'enrollment', agencyCode: '620102' });
      const decision = stepOf(caseId, 1, {
        type: 'decision_recorded',
        stage: 'acceptance',
        actor: { id: 'clerk-01', role: 'acceptor' },
        decision: { requestId: `decide:${caseId}`, step: 'acceptance', result: 'accept' },
      });
      const supplement = stepOf(caseId, 2, {
        type: 'materials_supplemented',
        stage: 'acceptance',
        materials: { round: 1, items: [{ kind: 'id_card', ref: 'scan-2' }] },
      });
      for (const step of [decision, supplement, decision, supplement])
        await inActivity(() => activities.recordStep(step));

      expect(await count(db, caseEvents, caseId)).toBe(2);
      expect(await count(db, decisions, caseId)).toBe(1);
      expect(await count(db, caseMaterials, caseId)).toBe(1);
      const [row] = await db.select({ seq: cases.projectionSeq }).from(cases).where(eq(cases.id, caseId));
      expect(row.seq).toBe(2);
    });

    test('the projection ignores a step older than the one it already shows, but the event is still logged', async () => {
      const { caseId } = await seedCase(db, { procedure: 'enrollment', agencyCode: '620102' });
      const newer = stepOf(caseId, 2, { type: 'awaiting_decision', stage: 'review', waitingOn: 'reviewer' });
      const older = stepOf(caseId, 1, { type: 'awaiting_decision', stage: 'acceptance', waitingOn: 'staff' });

      await inActivity(() => activities.recordStep(newer));
      await inActivity(() => activities.recordStep(older));

      const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
      expect(row).toMatchObject({ stage: 'review', waitingOn: 'reviewer', projectionSeq: 2 });
      const events = await db
        .select({ key: caseEvents.eventKey })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, caseId))
        .orderBy(caseEvents.id);
      expect(events.map((e) => e.key)).toEqual([`${caseId}#2`, `${caseId}#1`]);
    });
  });

  describe('the case event log', () => {
    let caseId: string;
    beforeAll(async () => {
      ({ caseId } = await seedCase(db, { procedure: 'enrollment', agencyCode: '620102' }));
      await inActivity(() => activities.recordStep(stepOf(caseId, 1)));
    });

    async function eventsOfCase(): Promise<number> {
      return count(db, caseEvents, caseId);
    }

    test.each([
      ['UPDATE', `update case_events set type = 'edited' where case_id = $1`],
      ['DELETE', `delete from case_events where case_id = $1`],
    ])('refuses %s of a recorded event', async (op, statement) => {
      await expect(scratch.handle().pool.query(statement, [caseId])).rejects.toMatchObject({
        code: '42501',
        message: `case_events is append-only (${op} refused)`,
      });
      expect(await eventsOfCase()).toBe(1);
      const [event] = await db.select({ type: caseEvents.type }).from(caseEvents).where(eq(caseEvents.caseId, caseId));
      expect(event.type).toBe('case_received');
    });

    test('refuses TRUNCATE of the whole log', async () => {
      await expect(scratch.handle().pool.query('truncate case_events')).rejects.toMatchObject({
        code: '42501',
        message: 'case_events is append-only (TRUNCATE refused)',
      });
      expect(await eventsOfCase()).toBe(1);
    });
  });

  describe('projectDeadline', () => {
    test('15 working days from 26 September 2025 (China time) fall due on 23 October 2025, across the National Day holiday', async () => {
      // 01:30 on 26 September in China is still 25 September in UTC: the China date must be used.
      const fromMs = Date.parse('2025-09-26T01:30:00+08:00');
      const projection = await inActivity(() =>
        activities.projectDeadline({ fromMs, workingDays: 15, reminderWorkingDays: 12 }),
      );
      expect(projection).toEqual({
        dueDate: '2025-10-23',
        dueAtMs: Date.parse('2025-10-24T00:00:00+08:00'),
        // By hand: 28 Sep (make-up Sunday) 1, 29–30 Sep 2–3, 1–8 Oct holiday, 9–10 Oct 4–5,
        // 11 Oct (make-up Saturday) 6, 13–17 Oct 7–11, 20 Oct 12.
        reminderAtMs: Date.parse('2025-10-21T00:00:00+08:00'),
        provisional: false,
        calendarVersion: await latestCalendarVersion(db),
      });
      const counted = await inActivity(() =>
        activities.countWorkingDays({ fromMs, toMs: Date.parse('2025-10-23T12:00:00+08:00') }),
      );
      expect(counted).toMatchObject({ workingDays: 15, provisional: false });
    });

    test('a deadline that runs past 2026, the last published year, is provisional', async () => {
      const within = await inActivity(() =>
        activities.projectDeadline({ fromMs: Date.parse('2026-12-01T10:00:00+08:00'), workingDays: 10 }),
      );
      expect(within).toMatchObject({ dueDate: '2026-12-15', provisional: false });

      const past = await inActivity(() =>
        activities.projectDeadline({ fromMs: Date.parse('2026-12-24T10:00:00+08:00'), workingDays: 10 }),
      );
      // Without a 2027 notice, 1 January 2027 (a Friday) counts as a plain working day.
      expect(past).toMatchObject({ dueDate: '2027-01-07', provisional: true });
    });
  });

  describe('relation effects', () => {
    test('completeEnrollment applied twice creates the relation once', async () => {
      const { caseId, personId } = await seedCase(db, { procedure: 'enrollment', agencyCode: '620105' });
      const input = {
        step: closingStep(caseId, 5, 'relation_created'),
        action: 'create' as const,
        category: 'part_time',
        agencyCode: '620105',
      };

      await inActivity(() => activities.completeEnrollment(input));
      // Without the event-key guard the second call would find the new live relation and fail.
      await inActivity(() => activities.completeEnrollment(input));

      const rows = await db.select().from(relations).where(eq(relations.personId, personId));
      expect(rows).toEqual([
        expect.objectContaining({
          agencyCode: '620105',
          provinceCode: '62',
          status: 'contributing',
          category: 'part_time',
          since: '2026-03-02',
          lastCaseId: caseId,
        }),
      ]);
      expect(await count(db, caseEvents, caseId)).toBe(1);
      const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
      expect(row).toMatchObject({ status: 'closed', outcome: 'approved', stage: 'closed' });
    });

    test('completeStop applied twice stops the relation once', async () => {
      const personId = await seedPerson(db);
      await db.insert(relations).values({
        personId,
        agencyCode: '620105',
        provinceCode: '62',
        status: 'contributing',
        category: 'part_time',
        since: '2020-01-01',
      });
      const { caseId } = await seedCase(db, { procedure: 'stop', agencyCode: '620105', personId });
      const input = {
        step: closingStep(caseId, 3, 'relation_stopped'),
        agencyCode: '620105',
        reason: 'voluntary' as const,
        effectiveDate: '2026-02-27',
      };

      await inActivity(() => activities.completeStop(input));
      const [first] = await db.select().from(relations).where(eq(relations.personId, personId));
      // Without the event-key guard the second call would find no live relation and fail.
      await inActivity(() => activities.completeStop(input));

      const rows = await db.select().from(relations).where(eq(relations.personId, personId));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'stopped',
        stopReason: 'voluntary',
        since: '2026-02-27',
        lastCaseId: caseId,
      });
      expect(rows[0].updatedAt).toEqual(first.updatedAt);
      expect(await count(db, caseEvents, caseId)).toBe(1);
    });
  });
});

describe('the versioned calendar store', () => {
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const s of scratches) await s.drop();
  });
  async function emptyCalendarDb(): Promise<Db> {
    const s = await createScratchDatabase({ migrate: true });
    scratches.push(s);
    return s.handle().db;
  }

  /** A hand-made 2027, as staff would enter it from the State Council notice (test data only). */
  const handMade2027: CalendarYearData = {
    year: 2027,
    holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
    makeupWorkdays: [],
    source: 'test: hand-made 2027 notice',
  };

  async function versionCount(db: Db): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(calendarVersions);
    return row.n;
  }

  test('importing identical years again creates no new version, whatever the source text', async () => {
    const db = await emptyCalendarDb();
    const years: CalendarYearData[] = [
      { year: 2025, holidays: ['2025-01-01', '2025-10-01'], makeupWorkdays: ['2025-09-28'], source: 'a' },
      { year: 2026, holidays: ['2026-01-01'], makeupWorkdays: [], source: 'a' },
    ];

    const first = await importCalendarYears(db, years, 'notice A');
    const again = await importCalendarYears(db, [...years].reverse(), 'notice A, typed again');

    expect(first).toMatchObject({ created: true, firstYear: 2025, lastYear: 2026 });
    expect(again).toEqual({ ...first, created: false });
    expect(await versionCount(db)).toBe(1);
    const [days] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(calendarDays)
      .where(eq(calendarDays.version, first.version));
    expect(days.n).toBe(4);

    const changed = await importCalendarYears(
      db,
      [years[0], { ...years[1], holidays: ['2026-01-01', '2026-01-02'] }],
      'notice A, amended',
    );
    expect(changed).toMatchObject({ created: true, version: first.version + 1 });
    expect(await versionCount(db)).toBe(2);
  });

  test('bootstrapping again keeps a year that staff added later as a new version', async () => {
    const db = await emptyCalendarDb();
    const packaged = chineseDaysCalendarYears();
    const initial = await bootstrapCalendar(db);
    expect(initial).toMatchObject({
      created: true,
      firstYear: packaged[0].year,
      lastYear: packaged[packaged.length - 1].year,
    });
    expect(await bootstrapCalendar(db)).toEqual({ ...initial, created: false });

    const withNextYear = await importCalendarYears(
      db,
      [...(await loadCalendarYears(db)), handMade2027],
      'staff entry',
      '2027 from the State Council notice',
    );
    expect(withNextYear).toMatchObject({ created: true, lastYear: 2027 });

    const rebooted = await bootstrapCalendar(db);
    const latest = await latestCalendarVersion(db);
    const years = await loadCalendarYears(db, latest);
    expect(rebooted).toMatchObject({ created: false, version: withNextYear.version, lastYear: 2027 });
    expect(latest).toBe(withNextYear.version);
    expect(years[years.length - 1]).toEqual(handMade2027);
    expect(await versionCount(db)).toBe(2);
  });

  test('a deadline into a year not yet published is provisional, and exact once that year is added', async () => {
    const db = await emptyCalendarDb();
    await bootstrapCalendar(db);
    const calendar = createCalendarActivities({ calendar: createCalendarProvider(db) });
    const input = { fromMs: Date.parse('2026-12-24T10:00:00+08:00'), workingDays: 10 };

    const before = await inActivity(() => calendar.projectDeadline(input));
    await importCalendarYears(db, [...(await loadCalendarYears(db)), handMade2027], 'staff entry');
    const after = await inActivity(() => calendar.projectDeadline(input));

    expect(before).toMatchObject({ dueDate: '2027-01-07', provisional: true });
    // 25, 28–31 Dec are 1–5; 1 Jan 2027 is now a holiday; 4–8 Jan are 6–10.
    expect(after).toMatchObject({
      dueDate: '2027-01-08',
      provisional: false,
      calendarVersion: before.calendarVersion + 1,
    });
  });
});
