/**
 * The tax department pushes contribution batches (issue 9, item 6): POST
 * /api/v1/contributions/batches with role tax_feed and an Idempotency-Key bound to the sender and
 * the body; rows checked as a file's are; one bad row refuses the batch with every bad row listed
 * and nothing written; stop notices interrupt the contributing relation, so a former employee can
 * enrol as flexibly employed (E-7 b).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { contributionBatches, contributionRecords, relations } from '../../../db/schema';
import { asUser, applicantOf, type TestUser } from '../../helpers/auth';
import { freshAgency, rec, registerPerson } from '../../helpers/contributions';
import { post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { monthsAgo } from '../../helpers/time';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const TAX: TestUser = { user: 'tax-gansu', role: 'tax_feed', agencies: ['*'] };
const push = (body: object, key: string, user: TestUser = TAX) =>
  post(h, '/api/v1/contributions/batches', body, { ...asUser(user), 'idempotency-key': key });

async function recordsOf(personId: string) {
  return h.db.select().from(contributionRecords).where(eq(contributionRecords.personId, personId));
}

test('a pushed batch is recorded once: the same key and body answer the first delivery, another body under the key is refused, another sender has keys of its own', async () => {
  const agency = await freshAgency(h.db);
  const p = await registerPerson(h.db, { agencyCode: agency });
  const rows = [monthsAgo(3), monthsAgo(2), monthsAgo(1)].map((m) => rec(p, agency, m, '5000'));
  const key = `push-${randomUUID()}`;
  const first = await push({ records: rows }, key);
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ rows: 3, accepted: 3, duplicates: 0, interrupted: 0, replayed: false });
  expect(await recordsOf(p.personId)).toHaveLength(3);
  expect((await recordsOf(p.personId)).every((r) => r.source === 'tax_push')).toBe(true);

  const again = await push({ records: rows }, key);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ batchId: first.body.batchId, accepted: 3, replayed: true });
  const other = await push({ records: rows.slice(0, 2) }, key);
  expect(other.status).toBe(422);
  expect(other.body.error).toMatchObject({ code: 'idempotency.mismatch', field: 'Idempotency-Key' });
  expect(await recordsOf(p.personId)).toHaveLength(3);

  const otherSender = await push({ records: rows }, key, { ...TAX, user: 'tax-second-node' });
  expect(otherSender.status).toBe(201);
  expect(otherSender.body).toMatchObject({ accepted: 0, duplicates: 3, replayed: false });
  const batches = await h.db
    .select()
    .from(contributionBatches)
    .where(eq(contributionBatches.requestKey, `${TAX.user}:${key}`));
  expect(batches).toEqual([expect.objectContaining({ source: 'tax_push', submittedBy: TAX.user, accepted: 3 })]);

  const noKey = await post(h, '/api/v1/contributions/batches', { records: rows }, asUser(TAX));
  expect(noKey.status).toBe(400);
  expect(noKey.body.error).toMatchObject({ field: 'headers.idempotency-key' });
  const notTax = await push({ records: rows }, `push-${randomUUID()}`, {
    user: 'clerk-01',
    role: 'acceptor',
    agencies: ['*'],
  });
  expect(notTax.status).toBe(403);
});

test('one bad row refuses the whole batch with every bad row listed by line; nothing is written', async () => {
  const agency = await freshAgency(h.db);
  const p = await registerPerson(h.db, { agencyCode: agency });
  const stranger = await registerPerson(h.db, { agencyCode: agency, status: null });
  const before = (await h.db.select({ n: sql<number>`count(*)::int` }).from(contributionBatches))[0].n;
  const res = await push(
    {
      records: [
        rec(p, agency, monthsAgo(3), '5000'),
        rec({ ...p, name: '别人' }, agency, monthsAgo(2), '5000'),
        rec(p, agency, monthsAgo(1), '5000', { amount: '1.00' }),
        rec(stranger, agency, monthsAgo(1), '5000'),
      ],
    },
    `push-${randomUUID()}`,
  );
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('contributions.batch_refused');
  expect(res.body.error.refusals.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([
    [2, 'name.mismatch'],
    [3, 'amount.mismatch'],
    [4, 'relation.not_at_agency'],
  ]);
  expect(await recordsOf(p.personId)).toHaveLength(0);
  expect((await h.db.select({ n: sql<number>`count(*)::int` }).from(contributionBatches))[0].n).toBe(before);
});

test('a stop notice interrupts the contributing relation of a former employee, who can then enrol as flexibly employed (E-7 b); the same notice again changes nothing', async () => {
  const agency = await freshAgency(h.db);
  const employee = await registerPerson(h.db, { agencyCode: agency });
  await h.db.update(relations).set({ category: 'employee' }).where(eq(relations.id, employee.relationId!));
  const lastPaid = monthsAgo(1);
  const notice = { idNumber: employee.idNumber, name: employee.name, agencyCode: agency, lastPaidMonth: lastPaid };

  // Before the notice: the employee relation is contributing, E-7 b refuses the enrollment.
  const refused = await post(
    h,
    '/api/v1/enrollments',
    {
      agencyCode: agency,
      channel: 'online',
      category: 'part_time',
      applicant: { idNumber: employee.idNumber, name: employee.name },
      materials: [{ kind: 'id_card', ref: 'scan-1' }],
    },
    asUser(applicantOf(employee.idNumber)),
  );
  expect(refused.body).toMatchObject({ outcome: 'refused' });
  expect(JSON.stringify(refused.body.notices)).toContain('须中断缴费后方可以灵活就业人员身份参保');

  const res = await push({ records: [], interruptions: [notice] }, `push-${randomUUID()}`);
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ interrupted: 1, duplicates: 0 });
  const [relation] = await h.db.select().from(relations).where(eq(relations.id, employee.relationId!));
  expect(relation).toMatchObject({ status: 'interrupted', since: `${monthsAgo(0)}-01` });
  const again = await push({ records: [], interruptions: [notice] }, `push-${randomUUID()}`);
  expect(again.body).toMatchObject({ interrupted: 0, duplicates: 1 });

  const enrolled = await post(
    h,
    '/api/v1/enrollments',
    {
      agencyCode: agency,
      channel: 'online',
      category: 'part_time',
      applicant: { idNumber: employee.idNumber, name: employee.name },
      materials: [{ kind: 'id_card', ref: 'scan-1' }],
    },
    asUser(applicantOf(employee.idNumber)),
  );
  expect(enrolled.status).toBe(201);
  expect(enrolled.body).toMatchObject({ outcome: 'approved' });
  const live = await h.db
    .select()
    .from(relations)
    .where(and(eq(relations.personId, employee.personId), eq(relations.status, 'contributing')));
  expect(live).toEqual([expect.objectContaining({ agencyCode: agency, category: 'part_time' })]);

  // A notice for a relation that is not contributing, or a person the agency does not know, is refused.
  const stranger = await registerPerson(h.db, { agencyCode: agency, status: null });
  const bad = await push(
    { records: [], interruptions: [{ ...notice, idNumber: stranger.idNumber, name: stranger.name }] },
    `push-${randomUUID()}`,
  );
  expect(bad.status).toBe(422);
  expect(bad.body.error.refusals).toEqual([expect.objectContaining({ line: 1, reason: 'relation.not_at_agency' })]);
});
