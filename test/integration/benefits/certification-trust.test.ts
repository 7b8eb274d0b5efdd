/**
 * The certification watch behind the trust boundary (workflows/shared/trust.ts) on the dev
 * server: a client that reaches Temporal directly (here the tests' own, with the payload key but
 * not the API's signing key) can neither start a watch, nor certify a pensioner (a forged
 * certification would keep paying a dead person), nor end the watch of a living one with an
 * `awardStopped` signal. Each attempt is refused and lands in audit_refusals; the API's own
 * certification and the stop procedure's death still do what they did.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { signInput } from '../../../api/auth/assertions';
import { signedWatchInput, startCertificationWatch } from '../../../api/services/certification-watches';
import { certificationWatchStart, withStartOperation } from '../../../api/services/workflow-starts';
import { auditRefusals } from '../../../db/schema';
import {
  awardStoppedSignal,
  certificationWatchId,
  certificationWatchQuery,
  certifyUpdate,
} from '../../../workflows/certification';
import { refusalOf } from '../../helpers/assertions';
import { awardOf, seedPensioner, startPrivateHarness, type Pensioner } from '../../helpers/benefits';
import { testEnv } from '../../helpers/env';
import { get, post } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { addYears, monthsAgo } from '../../helpers/time';
import { eventually } from '../../helpers/wait';

jest.setTimeout(120_000);

let h: Harness;
beforeEach(async () => {
  h = await startPrivateHarness();
});
afterEach(async () => {
  await h?.stop();
});

/** Last certified six months ago: the next certification lies months ahead, the watch only waits. */
const lastCertifiedOn = () => `${monthsAgo(6)}-01`;

async function pensioner(): Promise<Pensioner> {
  return seedPensioner(h, {
    firstPaymentMonth: '2026-08',
    monthlyAmount: '2500.00',
    lastCertifiedOn: lastCertifiedOn(),
  });
}

/** The audit rows of a watch with a code for an action (written by the worker's sink, shortly after). */
async function audited(watchId: string, code: string, action: string) {
  return eventually(
    () =>
      h.db
        .select()
        .from(auditRefusals)
        .where(
          and(
            eq(auditRefusals.caseId, watchId),
            eq(auditRefusals.code, code),
            eq(auditRefusals.action, `workflow ${action}`),
          ),
        ),
    (rows) => rows.length > 0,
    10_000,
  );
}

async function waitingView(p: Pensioner) {
  const view = await eventually(
    () => h.client.workflow.getHandle(certificationWatchId(p.awardId)).query(certificationWatchQuery),
    (v) => v.dueDate === addYears(lastCertifiedOn(), 1),
  );
  expect(view).toMatchObject({ status: 'active', lastOutcome: null });
  return view;
}

/** Nothing certified: no certification recorded, the cycle unchanged. */
async function uncertified(p: Pensioner): Promise<void> {
  const award = await get(h, `/api/v1/awards/${p.awardId}`);
  expect(award.body).toMatchObject({ status: 'active', lastCertifiedOn: lastCertifiedOn(), certifications: [] });
}

test('a certification watch takes neither a start nor a certification that the API did not sign: refused and audited, nothing certified; the API still certifies', async () => {
  const p = await pensioner();
  const watchId = certificationWatchId(p.awardId);

  // A start straight on Temporal, unsigned: the watch fails before reading the award.
  const forgedStart = await h.client.workflow.start('certificationWatch', {
    workflowId: watchId,
    taskQueue: h.taskQueue,
    args: [{ awardId: p.awardId, caseId: p.caseId }],
  });
  const failure = await forgedStart.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({ type: 'assertion.missing' });
  expect((await audited(watchId, 'assertion.missing', 'start'))[0]).toMatchObject({ actorId: 'unverified' });
  expect(await awardOf(h, p.awardId)).toMatchObject({ nextCertificationDue: null });

  // The API's start (signed) runs the watch.
  const watch = await startCertificationWatch(h.client, h.taskQueue, testEnv.assertions, p);
  await waitingView(p);

  // A certification straight on Temporal: refused by the validator, audited, nothing certified.
  expect(
    await refusalOf(
      watch.executeUpdate(certifyUpdate, {
        args: [{ method: 'self_service', requestId: 'forged-1' }],
        updateId: 'certify:forged-1',
      }),
    ),
  ).toBe('assertion.missing');
  expect((await audited(watchId, 'assertion.missing', 'certify'))[0]).toMatchObject({
    actorId: 'unverified',
    agencyCode: p.agencyCode,
  });
  // One the API signed, replayed under another Update ID (a captured assertion): refused too.
  const acceptor = { id: 'acc-cert-trust', role: 'acceptor', agencies: [p.agencyCode] };
  const captured = signInput(
    testEnv.assertions,
    { method: 'self_service' as const, requestId: 'face-1' },
    { actor: acceptor, caseId: watchId, action: 'certify', key: 'certify:face-1' },
  );
  expect(await refusalOf(watch.executeUpdate(certifyUpdate, { args: [captured], updateId: 'certify:face-2' }))).toBe(
    'assertion.wrong_request',
  );
  expect((await audited(watchId, 'assertion.wrong_request', 'certify'))[0]).toMatchObject({
    actorId: acceptor.id,
    actorRole: 'acceptor',
  });
  // Signed for another award's watch: refused.
  const elsewhere = signInput(
    testEnv.assertions,
    { method: 'visit' as const, requestId: 'visit-1' },
    {
      actor: acceptor,
      caseId: certificationWatchId('00000000-0000-4000-8000-000000000000'),
      action: 'certify',
      key: 'certify:visit-1',
    },
  );
  expect(await refusalOf(watch.executeUpdate(certifyUpdate, { args: [elsewhere], updateId: 'certify:visit-1' }))).toBe(
    'assertion.wrong_case',
  );
  await uncertified(p);
  expect(await watch.query(certificationWatchQuery)).toMatchObject({ status: 'active', lastOutcome: null });
  expect((await watch.describe()).status.name).toBe('RUNNING');

  // The API's own certification goes through (and starts the next cycle).
  const certified = await post(h, `/api/v1/awards/${p.awardId}/certifications`, {
    method: 'self_service',
    requestId: 'face-api-1',
  });
  expect(certified.status).toBe(200);
  expect(certified.body).toMatchObject({
    outcome: 'certified',
    award: { status: 'active', certifications: [expect.objectContaining({ requestId: 'face-api-1' })] },
  });
});

test('an unsigned certification that comes with a signed start (update-with-start) is refused once the keys are loaded: audited, nothing certified, the watch runs on', async () => {
  const p = await pensioner();
  const watchId = certificationWatchId(p.awardId);
  const startWorkflowOperation = withStartOperation(
    certificationWatchStart(h.taskQueue, signedWatchInput(testEnv.assertions, p)),
  );
  const forged = h.client.workflow.executeUpdateWithStart(certifyUpdate, {
    args: [{ method: 'visit', requestId: 'forged-with-start' }],
    updateId: 'certify:forged-with-start',
    startWorkflowOperation,
  });
  expect(await refusalOf(forged)).toBe('assertion.missing');
  expect((await audited(watchId, 'assertion.missing', 'certify'))[0]).toMatchObject({ agencyCode: p.agencyCode });
  await waitingView(p);
  await uncertified(p);
});

test('a forged awardStopped signal does not end the watch of a living pensioner: the database says active, the signal is audited and the watch goes on; a death through the stop procedure ends it', async () => {
  const p = await pensioner();
  const watchId = certificationWatchId(p.awardId);
  const watch = await startCertificationWatch(h.client, h.taskQueue, testEnv.assertions, p);
  await waitingView(p);

  await watch.signal(awardStoppedSignal, { reason: 'death', caseId: 'stop-620102-2026-999999' });
  const [row] = await audited(watchId, 'signal.not_confirmed', 'awardStopped');
  expect(row).toMatchObject({ actorId: 'unverified', agencyCode: p.agencyCode });
  expect(row.reason).toContain('stop-620102-2026-999999');
  expect(await waitingView(p)).toMatchObject({ status: 'active' });
  expect((await watch.describe()).status.name).toBe('RUNNING');
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'active' });

  // The real death (S-1 a): the stop procedure stops the award in the database, then signals.
  const registered = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${p.idNumber}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dateOfDeath: '2026-08-20' }),
  });
  expect(registered.status).toBe(200);
  const stop = await post(h, '/api/v1/stops', {
    agencyCode: p.agencyCode,
    idNumber: p.idNumber,
    reason: 'death',
    effectiveDate: '2026-08-20',
  });
  expect(stop.body).toMatchObject({ procedure: 'stop', status: 'closed', outcome: 'approved' });
  expect(await watch.result()).toEqual({ awardId: p.awardId, outcome: 'stopped' });
  expect(await awardOf(h, p.awardId)).toMatchObject({ status: 'stopped' });
});
