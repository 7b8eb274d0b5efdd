/**
 * The closing step runs in one transaction on one connection, one query at a time: pg 8 only
 * warns when a query is sent while the connection is still busy with another, and pg 9 refuses.
 * Every query of the transaction goes through a client that counts overlapping calls.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq } from 'drizzle-orm';
import { Client, type QueryConfig } from 'pg';
import { createActivities } from '../../../activities';
import { createHttpGovernmentSystems } from '../../../adapters/government/http';
import { createHttpTransferPlatform } from '../../../adapters/transfer-platform/platform';
import { createCalendarProvider } from '../../../db/calendar-store';
import { createDb, type DbHandle } from '../../../db/client';
import { archiveRecords } from '../../../db/schema';
import type { ClockSnapshot, StepRecord } from '../../../domain/case-records';
import { insertBareCase } from '../../helpers/bare-case';
import { testEnv } from '../../helpers/env';

const overlaps: string[] = [];

/** A pg client that notes every query sent while another is still running on it. */
class OverlapCountingClient extends Client {
  private running = 0;

  override query(...args: unknown[]): never {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as QueryConfig | undefined)?.text ?? '');
    if (this.running > 0) overlaps.push(text.slice(0, 80));
    this.running += 1;
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<unknown>).finally(() => (this.running -= 1)) as never;
    }
    this.running -= 1;
    return result as never;
  }
}

const stopped: ClockSnapshot = {
  budgetWorkingDays: 0,
  extensionWorkingDays: 0,
  consumedWorkingDays: 0,
  state: 'stopped',
  dueDate: null,
  dueAt: null,
  reminderAt: null,
  provisional: false,
  calendarVersion: 1,
  clause: '5.1.4',
  overdue: false,
};

let handle: DbHandle;
beforeAll(() => {
  handle = createDb(testEnv.databaseUrl, { max: 2, Client: OverlapCountingClient });
});
afterAll(async () => {
  await handle?.close();
});

test('closing an enrollment (the record, the archive with the whole case view, the relation) never overlaps two queries on its connection', async () => {
  const { db } = handle;
  const { caseId } = await insertBareCase(db, { procedure: 'enrollment', agencyCode: '620105' });
  const step: StepRecord = {
    caseId,
    seq: 4,
    eventKey: `${caseId}#4`,
    runId: 'run-1',
    type: 'relation_created',
    clause: '5.2.2.2 a',
    occurredAt: '2026-03-02T02:00:00.000Z',
    stage: 'closed',
    waitingOn: null,
    status: 'closed',
    outcome: 'approved',
    clock: stopped,
    detail: {},
  };
  const activities = createActivities({
    db,
    calendar: createCalendarProvider(db),
    platform: createHttpTransferPlatform(testEnv.platformUrl),
    government: createHttpGovernmentSystems(testEnv.governmentUrl),
    assertionPublicKeys: testEnv.assertionPublicKeys,
  });
  overlaps.length = 0;
  await new MockActivityEnvironment().run(() =>
    activities.completeEnrollment({ step, action: 'create', category: 'part_time', agencyCode: '620105' }),
  );

  const [archived] = await db
    .select({ caseId: archiveRecords.caseId })
    .from(archiveRecords)
    .where(eq(archiveRecords.caseId, caseId));
  expect({ archived: archived?.caseId, overlaps }).toEqual({ archived: caseId, overlaps: [] });
});
