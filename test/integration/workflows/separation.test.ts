/**
 * Separation of duties is enforced by the workflow's Update validators (every procedure shares
 * them): each rule refuses through a real workflow with a 403 `separation.*`, the attempt is in
 * audit_refusals with actor, role, case and code, and the case has not moved. (Collective-review
 * members and "own work" on a claim: test/integration/claims/collective-review.test.ts; a file
 * correction and its pre-review: test/integration/benefits/retirement-watch.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { ApiError } from '../../../api/errors';
import { executeCaseUpdate } from '../../../api/services/case-updates';
import { auditRefusals } from '../../../db/schema';
import { extendDeadlineUpdate } from '../../../workflows/shared/messages';
import { asUser, type TestUser } from '../../helpers/auth';
import { testEnv } from '../../helpers/env';
import { enrollmentBody, get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const person = (prefix: string, role: TestUser['role']): TestUser => ({
  user: `${prefix}-${randomUUID().slice(0, 6)}`,
  role,
  agencies: ['620102'],
});
const as = (u: TestUser, role: TestUser['role'] = u.role): Record<string, string> => asUser({ ...u, role });

async function refusals(caseId: string) {
  const rows = await h.db.select().from(auditRefusals).where(eq(auditRefusals.caseId, caseId));
  return rows.map((r) => ({ actorId: r.actorId, actorRole: r.actorRole, code: r.code, action: r.action }));
}

/** An offline enrollment received at the counter by `receiver`, waiting for the acceptance check. */
async function counterCase(receiver: TestUser): Promise<string> {
  const created = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), as(receiver));
  expect(created.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  return created.body.caseId as string;
}

test('a step is decided only by the role of its task: a reviewer cannot do the acceptance check (separation.wrong_role)', async () => {
  const receiver = person('clerk', 'acceptor');
  const reviewer = person('rev', 'reviewer');
  const caseId = await counterCase(receiver);
  const res = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    as(reviewer),
  );
  expect(res).toMatchObject({ status: 403, body: { error: { code: 'separation.wrong_role', field: 'actor' } } });
  expect(await refusals(caseId)).toEqual([
    { actorId: reviewer.user, actorRole: 'reviewer', code: 'separation.wrong_role', action: 'decide acceptance' },
  ]);
  expect((await get(h, `/api/v1/cases/${caseId}`)).body).toMatchObject({
    stage: 'acceptance',
    waitingOn: 'staff',
    decisions: [],
  });
});

test('whoever accepted a case cannot review it, even holding a reviewer token (separation.acceptor_cannot_review)', async () => {
  const receiver = person('clerk', 'acceptor');
  const checker = person('checker', 'acceptor');
  const caseId = await counterCase(receiver);
  const accepted = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    as(checker),
  );
  expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });

  const own = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    as(checker, 'reviewer'),
  );
  expect(own).toMatchObject({ status: 403, body: { error: { code: 'separation.acceptor_cannot_review' } } });
  expect(await refusals(caseId)).toEqual([
    {
      actorId: checker.user,
      actorRole: 'reviewer',
      code: 'separation.acceptor_cannot_review',
      action: 'decide review',
    },
  ]);
  const after = (await get(h, `/api/v1/cases/${caseId}`)).body;
  expect(after).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  expect(after.decisions).toHaveLength(1);
});

test('whoever received a case at the counter cannot review it either; another reviewer can, and the case moves on', async () => {
  const receiver = person('clerk', 'acceptor');
  const caseId = await counterCase(receiver);
  await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    as(person('checker', 'acceptor')),
  );

  const own = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    as(receiver, 'reviewer'),
  );
  expect(own).toMatchObject({ status: 403, body: { error: { code: 'separation.acceptor_cannot_review' } } });
  expect(await refusals(caseId)).toEqual([
    {
      actorId: receiver.user,
      actorRole: 'reviewer',
      code: 'separation.acceptor_cannot_review',
      action: 'decide review',
    },
  ]);
  expect((await get(h, `/api/v1/cases/${caseId}`)).body).toMatchObject({ status: 'open', stage: 'review' });

  const reviewer = person('rev', 'reviewer');
  const approved = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    as(reviewer),
  );
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(
    approved.body.decisions.map((d: { step: string; actor: { id: string; role: string } }) => [
      d.step,
      d.actor.id,
      d.actor.role,
    ]),
  ).toEqual([
    ['acceptance', expect.stringMatching(/^checker-/), 'acceptor'],
    ['review', reviewer.user, 'reviewer'],
  ]);
});

test('the deadline is extended only by a supervisor: the workflow refuses anyone else (separation.wrong_role), recorded; a supervisor extends it', async () => {
  const caseId = await counterCase(person('clerk', 'acceptor'));
  // The API lets only supervisors call the route; the workflow checks again for any other client.
  const clerk = { id: `clerk-${randomUUID().slice(0, 6)}`, role: 'acceptor' };
  const attempt = executeCaseUpdate(
    { db: h.db, temporal: h.client, assertions: testEnv.assertions },
    {
      caseId,
      agencyCode: '620102',
      update: extendDeadlineUpdate,
      arg: { workingDays: 2, reason: '需调取档案', actor: clerk },
      actor: { ...clerk, agencies: ['620102'] },
      action: 'extend deadline',
    },
  );
  await expect(attempt).rejects.toMatchObject({ statusCode: 403, code: 'separation.wrong_role' });
  await expect(attempt).rejects.toBeInstanceOf(ApiError);
  expect(await refusals(caseId)).toEqual([
    { actorId: clerk.id, actorRole: 'acceptor', code: 'separation.wrong_role', action: 'extend deadline' },
  ]);
  expect((await get(h, `/api/v1/cases/${caseId}`)).body.events.map((e: { type: string }) => e.type)).not.toContain(
    'deadline_extended',
  );

  const supervisor = person('sup', 'supervisor');
  const extended = await post(
    h,
    `/api/v1/cases/${caseId}/deadline-extension`,
    { workingDays: 2, reason: '需调取档案' },
    as(supervisor),
  );
  expect(extended.status).toBe(200);
  const event = (extended.body.events as Array<{ type: string; actor: unknown }>).find(
    (e) => e.type === 'deadline_extended',
  );
  expect(event?.actor).toEqual({ id: supervisor.user, role: 'supervisor' });
  const rows = await h.db
    .select()
    .from(auditRefusals)
    .where(and(eq(auditRefusals.caseId, caseId), eq(auditRefusals.actorId, supervisor.user)));
  expect(rows).toEqual([]);
});

test('a refused attempt appears on the case timeline as a refusal with actor, role and code', async () => {
  const caseId = await counterCase(person('clerk', 'acceptor'));
  const reviewer = person('rev', 'reviewer');
  await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, as(reviewer));
  const timeline = await get(h, `/api/v1/cases/${caseId}/timeline`);
  expect(timeline.status).toBe(200);
  expect(timeline.body.entries.filter((e: { kind: string }) => e.kind === 'refusal')).toEqual([
    expect.objectContaining({
      source: 'audit',
      label: 'separation.wrong_role',
      actor: { id: reviewer.user, role: 'reviewer' },
      detail: expect.objectContaining({ action: 'decide acceptance' }),
    }),
  ]);
});
