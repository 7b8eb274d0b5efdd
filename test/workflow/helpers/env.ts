/**
 * Workflow tests with mocked activities on a time-skipping server of the file's own (the bundle
 * is the run's, test/setup/workflow-global-setup.ts). A test file calls `useTimeSkipping()` once; each test
 * then runs `caseTest(activities, async (t) => …)`: a worker of its own on a task queue of its
 * own, with the activities given (plain objects implementing part of `Activities`, every call
 * recorded), and a client that signs inputs the way the API does (api/auth/assertions.ts).
 * Workflows the test started are terminated when it ends, so nothing of one test runs on.
 *
 * Time passes only in `t.sleep()`/`t.sleepUntil()`: the test server's skipping stays locked
 * otherwise, and results are awaited with a plain client (see test/setup/workflow-global-setup.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import {
  assertionSigner,
  newAssertionKey,
  signInput,
  type AssertedBy,
  type AssertionSigner,
} from '../../../api/auth/assertions';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type Activities, type ActivityDeps } from '../../../activities';
import type { Material } from '../../../domain/materials';
import { dataConverter, parsePayloadKeys } from '../../../workers/payload-codec';
import { registerSearchAttributesOnTestServer } from '../../helpers/search-attributes';
import {
  caseViewQuery,
  decideUpdate,
  platformMessageUpdate,
  settleUpdate,
  supplementUpdate,
} from '../../../workflows/shared/messages';
import type { RefusalRecord } from '../../../workflows/shared/trust';
import type { CaseStart, CaseView, StaffDecision, StepRecord } from '../../../workflows/shared/types';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the workflow tests through jest (the workflow project's global set-up sets it)`,
    );
  return value;
}

/** This jest worker's keys: the API's assertion key (the mocked `assertionKeys` trusts its public half) and the payload key. */
const signer: AssertionSigner = assertionSigner(newAssertionKey('wf-test'));
const converter = dataConverter(parsePayloadKeys(`wf-test:${randomBytes(32).toString('hex')}`));

let shared: { env: TestWorkflowEnvironment; client: Client } | undefined;

/**
 * Starts this file's own time-skipping server (the JVM wrapper the workflow project's global
 * set-up resolved) for the file's run. One server per file, not one per run: see
 * test/setup/workflow-global-setup.ts for what went wrong with a shared one.
 */
export function useTimeSkipping(): void {
  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // Installed already in this jest worker by an earlier file.
    }
    const env = await startTimeSkipping(required('TEST_TIME_SKIPPING_SERVER'));
    await registerSearchAttributesOnTestServer(env.connection, 'default');
    // A plain client: its result() leaves the server's time lock alone, so time passes only in sleep().
    shared = {
      env,
      client: new Client({ connection: env.connection, namespace: 'default', dataConverter: converter }),
    };
  });
  afterAll(async () => {
    await shared?.env.teardown();
    shared = undefined;
  });
}

/** The SDK waits five seconds for the JVM to listen; on a loaded 2-core machine a start is tried again. */
async function startTimeSkipping(wrapper: string): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: wrapper } },
        client: { dataConverter: converter },
      });
    } catch (err) {
      if (attempt >= 3 || !(err instanceof Error) || !/did not start within/.test(err.message)) throw err;
    }
  }
}

export interface ActivityCall {
  name: string;
  input: unknown;
}

export type MockActivities = Partial<Activities>;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const chinaDate = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
const endOfChinaDate = (date: string) => Date.parse(`${date}T00:00:00+08:00`) + DAY_MS;

/**
 * What every case needs: the trusted keys, a calendar where every day is a working day (a due
 * date N working days after a day is N calendar days later, due at the end of that day in
 * China), steps recorded, no match in the registries and low-risk points with a quorum of 3.
 */
export function baseActivities(): MockActivities {
  return {
    assertionKeys: async () => ({ [signer.kid]: signer.publicKeyHex }),
    projectDeadline: async ({ fromMs, workingDays, reminderWorkingDays }) => {
      const due = chinaDate(Date.parse(chinaDate(fromMs)) + workingDays * DAY_MS);
      const reminder = reminderWorkingDays
        ? endOfChinaDate(chinaDate(Date.parse(chinaDate(fromMs)) + reminderWorkingDays * DAY_MS))
        : null;
      return {
        dueDate: due,
        dueAtMs: endOfChinaDate(due),
        reminderAtMs: reminder,
        provisional: false,
        calendarVersion: 1,
      };
    },
    countWorkingDays: async ({ fromMs, toMs }) => ({
      workingDays: Math.max(Math.round((Date.parse(chinaDate(toMs)) - Date.parse(chinaDate(fromMs))) / DAY_MS), 0),
      provisional: false,
      calendarVersion: 1,
    }),
    recordStep: async () => undefined,
    compareDeathRegistry: async () => ({ deceased: false, dateOfDeath: null }),
    compareInsuredElsewhere: async () => [],
    touchRiskPoints: async ({ points }) => ({
      touched: points.map((p) => ({ key: p.key, grade: 'low' as const, description: `风险点 ${p.key}` })),
      highest: points.length ? 'low' : null,
      quorum: 3,
    }),
  };
}

/** Risk points graded high for the keys given (the rest low): the case goes to collective review. */
export function gradedHigh(...keys: string[]): MockActivities['touchRiskPoints'] {
  const seen: string[] = [];
  return async ({ points }) => {
    for (const p of points) if (!seen.includes(p.key)) seen.push(p.key);
    const touched = seen.map((key) => ({
      key,
      grade: keys.includes(key) ? ('high' as const) : ('low' as const),
      description: `风险点 ${key}`,
    }));
    return { touched, highest: touched.some((p) => p.grade === 'high') ? 'high' : 'low', quorum: 3 };
  };
}

/**
 * Every activity the worker knows, failing at once (not retried) with its name: a workflow that
 * calls one the test did not mock fails clearly instead of retrying for ever.
 */
function notMocked(): Record<string, () => Promise<never>> {
  const names = Object.keys(createActivities({} as ActivityDeps));
  return Object.fromEntries(
    names.map((name) => [
      name,
      async () => {
        throw ApplicationFailure.nonRetryable(`activity ${name} is not mocked in this test`, 'test.not_mocked');
      },
    ]),
  );
}

export const AGENCY = '620102';

export const actors = {
  applicant: { id: 'applicant-1', role: 'applicant' },
  acceptor: { id: 'acceptor-1', role: 'acceptor' },
  reviewer: { id: 'reviewer-1', role: 'reviewer' },
  reviewer2: { id: 'reviewer-2', role: 'reviewer' },
  supervisor: { id: 'supervisor-1', role: 'supervisor' },
  member: (n: number) => ({ id: `member-${n}`, role: 'collective_reviewer' }),
} as const;

export interface CaseTest {
  /** A plain client: awaiting a result never lets time pass (only `sleep` does). */
  client: Client;
  taskQueue: string;
  /** Every activity call, in order. */
  calls: ActivityCall[];
  /** Inputs the workflows refused at the trust boundary (the audit sink). */
  refusals: RefusalRecord[];
  callsOf(name: keyof Activities): unknown[];
  /** Steps the case recorded, in order (whatever activity carried them), without retries' repeats. */
  steps(caseId: string): StepRecord[];
  events(caseId: string): string[];
  now(): Promise<number>;
  /** Lets time pass on the server: exactly `ms`, every timer due by then firing in order. */
  sleep(ms: number | string): Promise<void>;
  sleepUntil(instantMs: number): Promise<void>;
  /** A new case ID (the workflow ID) for the procedure. */
  caseId(procedure: string): string;
  /** The fields every case starts with, received now. */
  caseStart(
    caseId: string,
    channel: CaseStart['channel'],
    receivedBy?: { id: string; role: string },
  ): Promise<CaseStart>;
  /** Starts a workflow with its input signed for `start` and waits until it settles. */
  start<I extends CaseStart>(
    workflow: (input: I) => Promise<CaseView>,
    input: I,
  ): Promise<{ handle: WorkflowHandle; view: CaseView }>;
  view(handle: WorkflowHandle): Promise<CaseView>;
  /**
   * The case's view once `done` holds (polled in wall time; this file's time lock stays held, so
   * server time does not move meanwhile): for what a fired timer sets going.
   */
  until(handle: WorkflowHandle, done: (view: CaseView) => boolean): Promise<CaseView>;
  decide(
    handle: WorkflowHandle,
    decision: Omit<StaffDecision, 'assertion'>,
    o?: { signedAs?: AssertedBy; unsigned?: boolean },
  ): Promise<CaseView>;
  supplement(handle: WorkflowHandle, materials: Material[], actor: { id: string; role: string }): Promise<CaseView>;
  platformMessage(
    handle: WorkflowHandle,
    message: { type: string; transferId: string; messageId?: string },
  ): Promise<CaseView>;
  /**
   * Delivers a platform message and returns once the workflow accepted it (as the API does): for
   * a message the case takes now but consumes later; the result is the view once consumed.
   */
  deliverPlatformMessage(
    handle: WorkflowHandle,
    message: { type: string; transferId: string; messageId?: string },
  ): Promise<{ consumed: Promise<CaseView> }>;
  /** Also terminate this workflow when the test ends (children the case started). */
  alsoCleanUp(workflowId: string): void;
  /** The input signed by the test's API key, for a workflow started outside `start` (e.g. a watch). */
  sign<T extends object>(input: T, workflowId: string, action: string, key: string): Promise<T>;
}

function isStep(value: unknown): value is StepRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StepRecord).eventKey === 'string' &&
    typeof (value as StepRecord).seq === 'number'
  );
}

/** Runs `body` with a worker of its own on a task queue of its own, with `activities` over the base ones. */
export async function caseTest(activities: MockActivities, body: (t: CaseTest) => Promise<void>): Promise<void> {
  if (!shared) throw new Error('call useTimeSkipping() in the test file first');
  const { env, client } = shared;
  const taskQueue = `wf-${randomUUID()}`;
  const calls: ActivityCall[] = [];
  const refusals: RefusalRecord[] = [];
  const started: string[] = [];
  const recorded = Object.fromEntries(
    Object.entries({ ...notMocked(), ...baseActivities(), ...activities }).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        return (fn as (i: unknown) => Promise<unknown>)(input);
      },
    ]),
  );
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath: required('TEST_WORKFLOW_BUNDLE') },
    activities: recorded,
    dataConverter: converter,
    sinks: { audit: { refusal: { fn: (_info, r: RefusalRecord) => void refusals.push(r), callDuringReplay: false } } },
  });
  const sign = async <T extends object>(input: T, caseId: string, action: string, key: string, actor?: AssertedBy) =>
    signInput(signer, input, {
      actor: actor ?? { id: 'flex-pension-api', role: 'system', agencies: [AGENCY] },
      caseId,
      action,
      key,
      now: await env.currentTimeMs(),
    });
  const steps = (caseId: string) => {
    const byKey = new Map<string, StepRecord>();
    for (const c of calls) {
      const step = isStep(c.input) ? c.input : (c.input as { step?: unknown } | undefined)?.step;
      if (isStep(step) && step.caseId === caseId) byKey.set(step.eventKey, step);
    }
    return [...byKey.values()].sort((a, b) => a.seq - b.seq);
  };
  /**
   * An Update the case should answer at once (the activities are mocks): one still unanswered
   * after 30 s fails the test there, saying where the case stands, instead of at jest's timeout.
   */
  const answered = async <T>(handle: WorkflowHandle, what: string, update: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void handle
          .query(caseViewQuery)
          .then((v) =>
            JSON.stringify({
              status: v.status,
              stage: v.stage,
              waitingOn: v.waitingOn,
              awaitingStep: v.awaitingStep,
              expectedMessages: v.expectedMessages,
            }),
          )
          .catch((err: unknown) => String(err))
          .then((where) =>
            reject(new Error(`${what} on ${handle.workflowId} got no answer in 30 s; the case: ${where}`)),
          );
      }, 30_000);
    });
    try {
      return await Promise.race([update, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  const settle = (handle: WorkflowHandle) => answered(handle, 'settle', handle.executeUpdate(settleUpdate));
  const t: CaseTest = {
    client,
    taskQueue,
    calls,
    refusals,
    callsOf: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
    steps,
    events: (caseId) => steps(caseId).map((s) => s.type),
    now: () => env.currentTimeMs(),
    sign: (input, workflowId, action, key) => sign(input, workflowId, action, key),
    sleep: (ms) => env.sleep(ms),
    async sleepUntil(instantMs) {
      const ms = instantMs - (await env.currentTimeMs());
      if (ms > 0) await env.sleep(ms);
    },
    caseId: (procedure) => `${procedure}-${AGENCY}-${randomUUID().slice(0, 8)}`,
    async caseStart(caseId, channel, receivedBy) {
      return {
        caseId,
        agencyCode: AGENCY,
        channel,
        personKey: `pk-${randomUUID()}`,
        receivedAt: new Date(await env.currentTimeMs()).toISOString(),
        ...(receivedBy ? { receivedBy } : {}),
      };
    },
    async start(workflow, input) {
      const signed = await sign(input, input.caseId, 'start', input.caseId);
      started.push(input.caseId);
      const handle = await client.workflow.start(workflow, { workflowId: input.caseId, taskQueue, args: [signed] });
      return { handle, view: await settle(handle) };
    },
    view: (handle) => handle.query(caseViewQuery),
    async until(handle, done) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const view = await handle.query(caseViewQuery);
        if (done(view)) return view;
        if (Date.now() > deadline)
          throw new Error(
            `the case never reached the state waited for; it is ${JSON.stringify({ stage: view.stage, waitingOn: view.waitingOn, status: view.status })}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async decide(handle, decision, o = {}) {
      const updateId = randomUUID();
      const actor = o.signedAs ?? { ...decision.actor, agencies: [AGENCY] };
      const input = o.unsigned ? decision : await sign(decision, handle.workflowId, 'decide', updateId, actor);
      return answered(
        handle,
        `decide ${decision.step}`,
        handle.executeUpdate(decideUpdate, { args: [input], updateId }),
      );
    },
    async supplement(handle, materials, actor) {
      const updateId = randomUUID();
      const input = await sign({ materials, actor }, handle.workflowId, 'supplement', updateId, {
        ...actor,
        agencies: [AGENCY],
      });
      return answered(handle, 'supplement', handle.executeUpdate(supplementUpdate, { args: [input], updateId }));
    },
    async platformMessage(handle, message) {
      return answered(
        handle,
        `platformMessage ${message.type}`,
        (await t.deliverPlatformMessage(handle, message)).consumed,
      );
    },
    async deliverPlatformMessage(handle, message) {
      const updateId = randomUUID();
      const ref = {
        messageId: message.messageId ?? `msg-${randomUUID()}`,
        type: message.type,
        transferId: message.transferId,
      };
      const update = await handle.startUpdate(platformMessageUpdate, {
        args: [await sign(ref, handle.workflowId, 'platformMessage', updateId)],
        updateId,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      return { consumed: update.result() };
    },
    alsoCleanUp: (workflowId) => void started.push(workflowId),
  };
  // Not runUntil: a body that fails must still see the worker stopped before the test ends, or
  // the next test (or file) shares the server with a worker half shut down.
  const running = worker.run();
  try {
    await body(t);
  } finally {
    await Promise.all(
      started.map((id) =>
        client.workflow
          .getHandle(id)
          .terminate('the test ended')
          .catch(() => undefined),
      ),
    );
    worker.shutdown();
    await running;
  }
}

/** The refusal an Update was rejected with (its validator's `refuse`): error type and message. */
export async function refusalOf(update: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await update;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    return { type: cause?.type ?? `(no refusal: ${String(err)})`, message: cause?.message ?? '' };
  }
  throw new Error('the Update was accepted; a refusal was expected');
}
