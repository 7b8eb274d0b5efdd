/**
 * T-6 b: the fund transfer happens exactly once even if the transfer-out side's worker dies in
 * the middle of it. The idempotency key is stored with the transfer before the platform is
 * called; the worker runs in an OS process of its own that is killed with SIGKILL while the
 * remittance call hangs (the simulator's `delay_fund_response` fault), several times, each time
 * replaced by a new process. The activity's heartbeat timeout lets Temporal notice the dead
 * worker within seconds and retry on the new one, under the same key.
 */
import { and, eq } from 'drizzle-orm';
import { temporal } from '@temporalio/proto';
import { accountEntries, fundTransfers } from '../../../db/schema';
import { applicantOf, asUser } from '../../helpers/auth';
import { makeIdNumber } from '../../helpers/env';
import { randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import {
  killAllWorkerProcesses,
  processAlive,
  spawnWorkerProcess,
  type WorkerProcess,
} from '../../helpers/spawn-worker';
import {
  addFault,
  caseOfTransfer,
  holdAgency,
  pendingActivities,
  seedHistory,
  simulator,
  simulatorMessages,
  waitForCase,
} from '../../helpers/transfers';
import { eventually } from '../../helpers/wait';
import { birthDateAged } from '../../helpers/time';

const EventType = temporal.api.enums.v1.EventType;

/** How often the worker is killed mid-remittance. */
const KILLS = 3;
/** How long the platform holds back its answer: time enough to see the call in flight and kill the worker. */
const FUND_RESPONSE_DELAY_MS = 4_000;

jest.setTimeout(300_000);

let lanzhou: Installation;
let xian: Installation;
let codes: { lanzhou: string; xian: string };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  codes = randomAgencies();
  const directory = [codes.lanzhou, codes.xian];
  [lanzhou, xian] = await Promise.all([
    startInstallation({ name: 'once_in', servedAgencies: [codes.lanzhou], directory }),
    // The transfer-out side runs no worker in this process: its worker is a child process.
    startInstallation({ name: 'once_out', servedAgencies: [codes.xian], directory, worker: false }),
  ]);
});

afterAll(async () => {
  await killAllWorkerProcesses();
  await Promise.all([lanzhou?.stop(), xian?.stop()]);
  // No worker process outlives the test.
  for (const w of workers) expect(processAlive(w.pid)).toBe(false);
});

interface SimFundTransfer {
  request: { idempotencyKey: string; transferId: string; total: string; individualAccount: string };
  paymentReference: string;
  calls: number;
}

async function simFundTransfers(transferId: string): Promise<SimFundTransfer[]> {
  return (await simulator(`/fund-transfers?transferId=${encodeURIComponent(transferId)}`)) as SimFundTransfer[];
}

async function fundRows(transferId: string) {
  return xian.db.select().from(fundTransfers).where(eq(fundTransfers.transferId, transferId));
}

async function startXianWorker(): Promise<WorkerProcess> {
  const worker = await spawnWorkerProcess({
    databaseUrl: xian.databaseUrl,
    taskQueue: xian.taskQueue,
    identity: `${xian.taskQueue}-w${workers.length + 1}`,
  });
  workers.push(worker);
  return worker;
}

test(`the funds are remitted exactly once although the transfer-out worker is killed ${KILLS} times during the remittance`, async () => {
  let worker = await startXianWorker();
  const idNumber = makeIdNumber({ birthDate: birthDateAged(36, { day: 8 }), sex: 'female' });
  await seedHistory(xian.db, {
    idNumber,
    name: '李四',
    agencyCode: codes.xian,
    periods: [{ from: '2022-01', to: '2024-12', base: '4500.00' }],
  });

  // The transfer ID is the receiving case's ID, known only after applying: hold deliveries to
  // Xi'an until the fault for this transfer is in place, so no remittance can start before it.
  await holdAgency(codes.xian, true);
  const applied = await lanzhou.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    payload: {
      agencyCode: codes.lanzhou,
      channel: 'online',
      applicant: { idNumber, name: '李四' },
      fromAgencyCode: codes.xian,
    },
    headers: asUser(applicantOf(idNumber)),
  });
  expect(applied.statusCode).toBe(201);
  const transferId = applied.json().caseId as string;
  await addFault({ action: 'delay_fund_response', transferId, times: KILLS, delayMs: FUND_RESPONSE_DELAY_MS });
  await holdAgency(codes.xian, false);
  const outCaseId = await caseOfTransfer(xian.db, transferId, 'out');
  const diagnose = async () => ({
    out: await pendingActivities(xian.client, outCaseId),
    in: await pendingActivities(lanzhou.client, transferId),
    funds: await fundRows(transferId),
    simulator: await simFundTransfers(transferId),
    workers: workers.map((w) => ({ identity: w.identity, exited: w.exited, log: w.logFile })),
  });

  for (let kill = 1; kill <= KILLS; kill++) {
    // The key is stored (status pending, one more attempt counted) before the platform is
    // called; the platform has taken the call and holds its answer back.
    const inFlight = await eventually(
      async () => ({ rows: await fundRows(transferId), sim: await simFundTransfers(transferId) }),
      ({ rows, sim }) => rows.length === 1 && rows[0].attempts >= kill && (sim[0]?.calls ?? 0) >= kill,
      120_000,
      100,
    );
    expect(inFlight.rows).toEqual([
      expect.objectContaining({ status: 'pending', attempts: kill, idempotencyKey: `${transferId}:funds` }),
    ]);
    expect(inFlight.sim).toEqual([expect.objectContaining({ calls: kill })]);

    await worker.kill9();
    expect(processAlive(worker.pid)).toBe(false);
    // Killed before the answer came back: nothing marked the remittance as sent.
    expect((await fundRows(transferId))[0].status).toBe('pending');
    worker = await startXianWorker();
  }

  const inDone = await waitForCase(lanzhou.db, transferId, (c) => c.status === 'closed', 180_000, diagnose);
  const outDone = await waitForCase(xian.db, outCaseId, (c) => c.status === 'closed', 60_000, diagnose);
  expect(inDone.outcome).toBe('approved');
  expect(outDone.outcome).toBe('approved');

  // One remittance at the platform, asked for once per attempt (every kill + the last one).
  const sim = await simFundTransfers(transferId);
  expect(sim).toHaveLength(1);
  expect(sim[0].request.idempotencyKey).toBe(`${transferId}:funds`);
  expect(sim[0].calls).toBeGreaterThanOrEqual(KILLS + 1);
  const fundsMessages = (await simulatorMessages(transferId)).filter((m) => m.envelope.type === 'funds_transferred');
  expect(fundsMessages).toHaveLength(1);
  expect(inDone.messages.filter((m) => m.type === 'funds_transferred')).toHaveLength(1);

  // One row under the key, sent, with the platform's reference and every attempt counted.
  const rows = await fundRows(transferId);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    status: 'sent',
    platformReference: sim[0].paymentReference,
    total: sim[0].request.total,
  });
  expect(rows[0].attempts).toBeGreaterThanOrEqual(KILLS + 1);

  // The money arrived once on the receiving side.
  const entries = await lanzhou.db
    .select()
    .from(accountEntries)
    .where(and(eq(accountEntries.caseId, transferId), eq(accountEntries.kind, 'transfer_in')));
  expect(entries).toHaveLength(1);
  expect(entries[0].amount).toBe(sim[0].request.individualAccount);

  // One activity in the workflow history, completed by the attempt after the last kill.
  const history = await xian.client.workflow.getHandle(outCaseId).fetchHistory();
  const events = history.events ?? [];
  const remitScheduled = events.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
      e.activityTaskScheduledEventAttributes?.activityType?.name === 'remitTransferFunds',
  );
  expect(remitScheduled).toHaveLength(1);
  const scheduledId = remitScheduled[0].eventId;
  const started = events.filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
      String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduledId),
  );
  expect(started).toHaveLength(1);
  expect(started[0].activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(KILLS + 1);
  expect(
    events.filter(
      (e) =>
        e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED &&
        String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === String(scheduledId),
    ),
  ).toHaveLength(1);
  expect(outDone.events.filter((e) => e.type === 'funds_remitted')).toHaveLength(1);
  expect(outDone.events.find((e) => e.type === 'funds_remitted')?.detail).toMatchObject({
    paymentReference: sim[0].paymentReference,
  });

  // The last worker is still the only one running; afterAll kills it and checks it is gone.
  expect(workers.filter((w) => !w.exited)).toHaveLength(1);
});
