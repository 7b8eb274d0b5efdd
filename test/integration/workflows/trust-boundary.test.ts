/**
 * Nothing reaches a case except through the API (issue 13, finding 1). Clients that talk to the
 * Temporal frontend directly — one with no token and no payload key, one with the payload key
 * but not the API's signing key — send Updates, signals and starts; the workflows refuse every
 * one (workflows/shared/trust.ts), each refusal lands in audit_refusals, and no case moves.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { newAssertionKey, assertionSigner, signInput } from '../../../api/auth/assertions';
import { signalInputsChanged, startRetirementWatch } from '../../../api/services/watches';
import { personKeyOf } from '../../../db/repositories/persons';
import { auditRefusals, caseEvents, cases, decisions } from '../../../db/schema';
import type { EnrollmentInput } from '../../../workflows/enrollment';
import { inputsChangedSignal, retirementWatchId, retirementWatchQuery } from '../../../workflows/retirement-watch';
import { decideUpdate } from '../../../workflows/shared/messages';
import type { StaffDecision } from '../../../workflows/shared/types';
import { refusalOf } from '../../helpers/assertions';
import { ACCEPTOR, asUser, REVIEWER } from '../../helpers/auth';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, post, seedRelation } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';
import { startWorkflow } from '../../../api/services/workflow-starts';

let h: Harness;
let connection: Connection;
/** No token, no payload key: plain JSON payloads, as the reviewer's client sent them. */
let outsider: Client;
beforeAll(async () => {
  h = await startHarness();
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  outsider = new Client({ connection, namespace: 'default' });
});
afterAll(async () => {
  await connection?.close();
  await h?.stop();
});

async function openCase(): Promise<string> {
  const res = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), asUser(ACCEPTOR));
  expect(res.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
  return res.body.caseId as string;
}

/** The audit rows of a case with a code (written by the worker's sink, shortly after). */
async function audited(caseId: string, code: string, count = 1) {
  return eventually(
    () =>
      h.db
        .select()
        .from(auditRefusals)
        .where(and(eq(auditRefusals.caseId, caseId), eq(auditRefusals.code, code))),
    (rows) => rows.length >= count,
    10_000,
  );
}

async function untouched(caseId: string): Promise<void> {
  const [row] = await h.db.select().from(cases).where(eq(cases.id, caseId));
  expect(row).toMatchObject({ status: 'open', stage: 'acceptance', outcome: null });
  expect(await h.db.select().from(decisions).where(eq(decisions.caseId, caseId))).toEqual([]);
}

describe('forged Updates', () => {
  test('a plain Temporal client (no token, no payload key) decides as "anyone": acceptance then review are refused as plaintext, audited, and the case does not move', async () => {
    const caseId = await openCase();
    const handle = outsider.workflow.getHandle(caseId);
    // Refused; the outsider cannot even read why (the failure is encrypted), the audit trail can.
    await expect(
      handle.executeUpdate('decide', {
        args: [{ step: 'acceptance', result: 'accept', actor: { id: 'anyone', role: 'acceptor' } }],
      }),
    ).rejects.toThrow(/binary\/encrypted/);
    await expect(
      handle.executeUpdate('decide', {
        args: [{ step: 'review', result: 'approve', actor: { id: 'anyone', role: 'reviewer' } }],
      }),
    ).rejects.toThrow(/binary\/encrypted/);
    const rows = await audited(caseId, 'codec.plaintext', 2);
    expect(rows.map((r) => r.action)).toEqual(['workflow decide', 'workflow decide']);
    await untouched(caseId);
    // The API's own decision still goes through.
    expect(
      (await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, asUser(ACCEPTOR)))
        .status,
    ).toBe(200);
  });

  test('a client with the payload key but not the signing key: unsigned, self-signed, replayed, altered, stale and misdirected decisions are each refused with their code and audited', async () => {
    const caseId = await openCase();
    const otherCase = await openCase();
    const handle = h.client.workflow.getHandle(caseId);
    const decision: StaffDecision = {
      step: 'acceptance',
      result: 'accept',
      actor: { id: ACCEPTOR.user, role: ACCEPTOR.role },
    };
    const as = { actor: { ...decision.actor, agencies: ['*'] }, caseId, action: 'decide' };
    const send = (arg: unknown, updateId = `forged:${randomUUID()}`) =>
      refusalOf(handle.executeUpdate(decideUpdate, { args: [arg as StaffDecision], updateId }));

    // A key of its own, under the API's key ID.
    const mallory = { ...assertionSigner(newAssertionKey(testEnv.assertions.kid)) };
    const genuineId = `decide:${randomUUID()}`;
    const genuine = signInput(testEnv.assertions, decision, { ...as, key: genuineId });
    const cases_: Array<[string, Promise<string | undefined>]> = [
      ['assertion.missing', send(decision)],
      ['assertion.bad_signature', send(signInput(mallory, decision, { ...as, key: 'x' }), 'x')],
      [
        'assertion.unknown_key',
        send(signInput(assertionSigner(newAssertionKey('mallory-1')), decision, { ...as, key: 'y' }), 'y'),
      ],
      // A genuine assertion captured and sent again under another Update ID.
      ['assertion.wrong_request', send(genuine)],
      // The genuine assertion with the result changed.
      ['assertion.bad_signature', send({ ...genuine, step: 'review', result: 'approve' }, genuineId)],
      [
        'assertion.expired',
        send(signInput(testEnv.assertions, decision, { ...as, key: 'old', now: Date.now() - 6 * 60_000 }), 'old'),
      ],
      [
        'assertion.wrong_case',
        send(signInput(testEnv.assertions, decision, { ...as, caseId: otherCase, key: 'other' }), 'other'),
      ],
      [
        'assertion.wrong_action',
        send(signInput(testEnv.assertions, decision, { ...as, action: 'supplement', key: 'act' }), 'act'),
      ],
      // Signed for a reviewer, but the input names the acceptor.
      [
        'assertion.actor_mismatch',
        send(
          signInput(testEnv.assertions, decision, {
            ...as,
            actor: { id: REVIEWER.user, role: REVIEWER.role, agencies: ['*'] },
            key: 'who',
          }),
          'who',
        ),
      ],
      [
        'assertion.wrong_agency',
        send(
          signInput(testEnv.assertions, decision, {
            ...as,
            actor: { ...as.actor, agencies: ['620105'] },
            key: 'where',
          }),
          'where',
        ),
      ],
    ];
    for (const [code, refused] of cases_) expect({ code, refused: await refused }).toEqual({ code, refused: code });
    for (const code of new Set(cases_.map(([c]) => c))) {
      const rows = await audited(caseId, code, cases_.filter(([c]) => c === code).length);
      expect(rows.every((r) => r.action === 'workflow decide')).toBe(true);
    }
    // Recorded as claimed, never trusted: the forged acceptor shows as who it claimed to be.
    expect((await audited(caseId, 'assertion.bad_signature'))[0]).toMatchObject({
      actorId: ACCEPTOR.user,
      actorRole: 'acceptor',
    });
    await untouched(caseId);
  });
});

describe('forged signals', () => {
  test("a retirement watch ignores an inputsChanged that is plaintext or unsigned, and audits it; the API's signed one re-arms it", async () => {
    // Born 1985: retirement decades ahead, so the watch waits for its pre-review date.
    const { idNumber } = await seedRelation(h, {
      agencyCode: '620102',
      status: 'contributing',
      idNumber: makeIdNumber({ birthDate: '1985-06-15', sex: 'male' }),
    });
    const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
    await startRetirementWatch(h.client, h.taskQueue, personKey);
    const watchId = retirementWatchId(personKey);
    const watch = h.client.workflow.getHandle(watchId);
    const planned = await eventually(
      () => watch.query(retirementWatchQuery),
      (v) => v.phase !== 'planning',
      20_000,
    );
    expect(planned.phase).toBe('waiting_for_pre_review');
    const { runId } = await watch.describe();

    await outsider.workflow.getHandle(watchId).signal('inputsChanged', {
      reason: 'file_corrected',
      fields: ['fileBirthDate'],
      actor: { id: 'anyone', role: 'reviewer' },
    });
    await watch.signal(inputsChangedSignal, {
      reason: 'file_corrected',
      fields: ['fileBirthDate'],
      actor: { id: 'insider', role: 'reviewer' },
    });
    expect((await audited(watchId, 'codec.plaintext'))[0]).toMatchObject({ action: 'workflow inputsChanged' });
    expect((await audited(watchId, 'assertion.missing'))[0]).toMatchObject({
      action: 'workflow inputsChanged',
      actorId: 'unverified',
    });
    // Not re-armed: the same run, the same plan.
    expect((await watch.describe()).runId).toBe(runId);
    expect(await watch.query(retirementWatchQuery)).toMatchObject({ rearmed: 0, phase: planned.phase });

    await signalInputsChanged(
      { client: h.client, db: h.db, taskQueue: h.taskQueue, nowMs: Date.now() },
      personKey,
      { reason: 'rules_changed', note: '测试' },
      { signer: testEnv.assertions, by: { id: 'sup-1', role: 'supervisor', agencies: ['*'] } },
    );
    const next = await eventually(
      () => watch.describe(),
      (d) => d.runId !== runId,
      20_000,
    );
    expect(next.runId).not.toBe(runId);
    await h.client.workflow.getHandle(watchId).terminate('test finished');
  });
});

describe('forged starts', () => {
  const forgedInput = (caseId: string): EnrollmentInput => ({
    caseId,
    agencyCode: '620102',
    channel: 'offline',
    personKey: `P${'A'.repeat(24)}`,
    receivedAt: new Date().toISOString(),
    receivedBy: { id: 'anyone', role: 'acceptor' },
    category: 'part_time',
    materials: [{ kind: 'id_card', ref: 'x' }],
    hasDelegate: false,
    supplementWorkingDays: 10,
  });

  test('an enrollment started straight on Temporal, plaintext or encrypted but unsigned, fails before recording anything; both audited', async () => {
    for (const [client, code] of [
      [outsider, 'codec.plaintext'],
      [h.client, 'assertion.missing'],
    ] as const) {
      const caseId = `enrollment-620102-2099-${String(Math.floor(Math.random() * 900_000) + 100_000)}`;
      const handle = await startWorkflow(client, {
        type: 'enrollment',
        options: { workflowId: caseId, taskQueue: h.taskQueue, args: [forgedInput(caseId)] },
      });
      // The workflow fails; the outsider cannot read the (encrypted) failure, the insider reads the code.
      const failure = await h.client.workflow
        .getHandle(handle.workflowId)
        .result()
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toMatchObject({ type: code });
      expect((await audited(caseId, code))[0]).toMatchObject({
        action: 'workflow start',
        agencyCode: client === h.client ? '620102' : null,
      });
      expect(await h.db.select().from(cases).where(eq(cases.id, caseId))).toEqual([]);
      expect(await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).toEqual([]);
    }
  });

  test("a closed case's workflow ID started again with another input (ALLOW_DUPLICATE) is refused; the case record is unchanged", async () => {
    const closed = await post(h, '/api/v1/enrollments', enrollmentBody(), {});
    expect(closed.body).toMatchObject({ status: 'closed' });
    const caseId = closed.body.caseId as string;
    const before = await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    const handle = await startWorkflow(h.client, {
      type: 'enrollment',
      options: {
        workflowId: caseId,
        taskQueue: h.taskQueue,
        args: [forgedInput(caseId)],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      },
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    await audited(caseId, 'assertion.missing');
    expect(await h.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).toHaveLength(before.length);
    const [row] = await h.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ status: 'closed', outcome: closed.body.outcome as string });
  });
});
