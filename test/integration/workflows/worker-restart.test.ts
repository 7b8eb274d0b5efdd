/**
 * Durability across worker restarts on the dev server: a case waiting for a person, or with an
 * activity retrying, is picked up by a new worker (which replays the history) and completes
 * exactly once — one relation, one event per step, one completion in the workflow history.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateStage } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { asc, eq, sql } from 'drizzle-orm';
import { caseEvents } from '../../../db/schema';
import { decideUpdate } from '../../../workflows/shared/messages';
import { enrollmentBody, post, relationsOf, reviewer, staff } from '../../helpers/fixtures';
import { REVIEWER } from '../../helpers/auth';
import { signedDecision } from '../../helpers/assertions';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

const EventType = temporal.api.enums.v1.EventType;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const EXPECTED_EVENTS = [
  'application_received',
  'case_received',
  'awaiting_decision',
  'decision_recorded',
  'materials_accepted',
  'review_started',
  'awaiting_decision',
  'decision_recorded',
  'relation_created',
];

/** An offline enrollment with complete materials, accepted at the counter, waiting for the reviewer. */
async function caseWaitingForReviewer(): Promise<{ caseId: string; idNumber: string }> {
  const body = enrollmentBody({ channel: 'offline', materials: [{ kind: 'id_card', ref: 'scan-1' }] });
  const created = await post(h, '/api/v1/enrollments', body);
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  const accepted = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
  expect(accepted.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  return { caseId, idNumber: body.applicant.idNumber };
}

/** The recorded events: unique keys, contiguous workflow sequence numbers, one run. */
async function expectEventsOnce(caseId: string): Promise<void> {
  const rows = await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id));
  expect(rows.map((r) => r.type)).toEqual(EXPECTED_EVENTS);
  const keys = rows.map((r) => r.eventKey);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys).toEqual(EXPECTED_EVENTS.map((_, i) => `${caseId}#${i}`));
  const runIds = new Set(rows.slice(1).map((r) => (r.detail as { runId?: string }).runId));
  expect(runIds.size).toBe(1);
}

async function historyEventCounts(caseId: string) {
  const history = await h.client.workflow.getHandle(caseId).fetchHistory();
  const events = history.events ?? [];
  const of = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type);
  const completeEnrollment = of(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'completeEnrollment',
  );
  return {
    started: of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).length,
    completed: of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED).length,
    failedOrTerminated:
      of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED).length +
      of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED).length,
    completeEnrollmentScheduled: completeEnrollment.length,
    activityAttempts: of(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).map(
      (e) => e.activityTaskStartedEventAttributes?.attempt ?? 0,
    ),
  };
}

test('a case waiting for the reviewer is finished by a new worker after the first one stopped, exactly once', async () => {
  const { caseId, idNumber } = await caseWaitingForReviewer();

  await h.stopWorker();
  await h.startWorker();

  const approved = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });

  expect(await relationsOf(h, idNumber)).toEqual([
    expect.objectContaining({ status: 'contributing', lastCaseId: caseId }),
  ]);
  await expectEventsOnce(caseId);
  expect(approved.body.decisions.map((d: { step: string }) => d.step)).toEqual(['acceptance', 'review']);

  const result = await h.client.workflow.getHandle(caseId).result();
  expect(result).toMatchObject({ caseId, status: 'closed', outcome: 'approved' });
  expect(await historyEventCounts(caseId)).toMatchObject({
    started: 1,
    completed: 1,
    failedOrTerminated: 0,
    completeEnrollmentScheduled: 1,
  });
});

test('a worker stopped while the closing activity is retrying leaves the case to the next worker, which completes it exactly once', async () => {
  const { caseId, idNumber } = await caseWaitingForReviewer();
  let failedAttempts = 0;
  const ddl = (statement: string) => h.db.execute(sql.raw(statement));
  // Make the closing step fail (retryably) for this case only, as a database outage would.
  const fn = `test_fail_${randomBytes(4).toString('hex')}`;
  await ddl(
    `create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'injected failure for a worker-restart test'; end; $$`,
  );
  await ddl(
    `create trigger ${fn} before insert on case_events for each row when (new.case_id = '${caseId}' and new.type = 'relation_created') execute function ${fn}()`,
  );
  const dropFailure = async () => {
    await ddl(`drop trigger if exists ${fn} on case_events`);
    await ddl(`drop function if exists ${fn}()`);
  };
  try {
    const handle = h.client.workflow.getHandle(caseId);
    const update = await handle.startUpdate(decideUpdate, {
      args: [
        signedDecision(
          caseId,
          { step: 'review', result: 'approve', actor: { id: REVIEWER.user, role: REVIEWER.role } },
          `decide:${caseId}:restart`,
        ),
      ],
      updateId: `decide:${caseId}:restart`,
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });

    const pending = await eventually(
      async () => (await handle.describe()).raw.pendingActivities ?? [],
      (acts) => acts.some((a) => a.activityType?.name === 'completeEnrollment' && (a.attempt ?? 0) >= 2),
    );
    const retrying = pending.find((a) => a.activityType?.name === 'completeEnrollment');
    expect(retrying?.attempt).toBeGreaterThanOrEqual(2);
    // Failure messages are stored encrypted (docs/codec.md): the client's data converter reads them.
    expect(retrying?.lastFailure?.message).toBe('Encoded failure');
    const error = await decodeOptionalFailureToOptionalError(
      h.client.options.loadedDataConverter,
      retrying?.lastFailure,
    );
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    expect(messages.join('\n')).toContain('injected failure for a worker-restart test');
    failedAttempts = retrying!.attempt! - 1;

    await h.stopWorker();
    await dropFailure();
    await h.startWorker();

    expect(await update.result()).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'approved' });
  } finally {
    await dropFailure();
  }

  expect(await relationsOf(h, idNumber)).toEqual([
    expect.objectContaining({ status: 'contributing', lastCaseId: caseId }),
  ]);
  await expectEventsOnce(caseId);
  const counts = await historyEventCounts(caseId);
  expect(counts).toMatchObject({ started: 1, completed: 1, failedOrTerminated: 0, completeEnrollmentScheduled: 1 });
  // The attempt that succeeded came after the failures seen before the restart.
  expect(Math.max(...counts.activityAttempts)).toBeGreaterThan(failedAttempts);
});
