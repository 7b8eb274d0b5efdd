/**
 * Cross-province transfer end to end (T-1..T-6): two agencies in two provinces, each running
 * its own installation (own database, API, worker), exchanging messages only through the
 * platform simulator.
 */
import { and, eq } from 'drizzle-orm';
import { accountEntries, persons, relations, transfers } from '../../../db/schema';
import { applicantOf, asUser } from '../../helpers/auth';
import { makeIdNumber } from '../../helpers/env';
import { randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { caseOfTransfer, pendingActivities, seedHistory, simulator, waitForCase } from '../../helpers/transfers';
import { birthDateAged } from '../../helpers/time';

let lanzhou: Installation;
let xian: Installation;
let codes: { lanzhou: string; xian: string };

beforeAll(async () => {
  codes = randomAgencies();
  const directory = [codes.lanzhou, codes.xian];
  [lanzhou, xian] = await Promise.all([
    startInstallation({ name: 'lanzhou', servedAgencies: [codes.lanzhou], directory }),
    startInstallation({ name: 'xian', servedAgencies: [codes.xian], directory }),
  ]);
});
afterAll(async () => {
  await Promise.all([lanzhou?.stop(), xian?.stop()]);
});

async function applyIn(idNumber: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await lanzhou.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    payload: {
      agencyCode: codes.lanzhou,
      channel: 'online',
      applicant: { idNumber, name },
      fromAgencyCode: codes.xian,
      ...extra,
    },
    headers: asUser(applicantOf(idNumber)),
  });
  return { status: res.statusCode, body: res.json() };
}

async function relationAt(inst: Installation, idNumber: string, agencyCode: string) {
  const [row] = await inst.db
    .select({ status: relations.status, stopReason: relations.stopReason })
    .from(relations)
    .innerJoin(persons, eq(persons.id, relations.personId))
    .where(and(eq(persons.idNumber, idNumber), eq(relations.agencyCode, agencyCode)));
  return row;
}

test("a clean transfer from Xi'an to Lanzhou completes on both sides, with the funds moved once", async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(36, { day: 12 }), sex: 'male' });
  await seedHistory(xian.db, {
    idNumber,
    name: '张三',
    agencyCode: codes.xian,
    periods: [
      { from: '2023-01', to: '2024-12', base: '5000.00' },
      { from: '2025-01', to: '2025-06', base: '6000.00' },
    ],
  });
  const applied = await applyIn(idNumber, '张三');
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({
    procedure: 'transfer_in',
    status: 'open',
    transfer: { side: 'in', counterpartAgency: codes.xian },
  });
  const inCaseId = applied.body.caseId as string;

  const diagnose = async () => {
    const out = await xian.db.select().from(transfers).where(eq(transfers.transferId, inCaseId));
    return {
      in: await pendingActivities(lanzhou.client, inCaseId),
      out: out[0] && {
        caseId: out[0].caseId,
        pending: await pendingActivities(xian.client, out[0].caseId),
        view: await waitForCase(xian.db, out[0].caseId, () => true).then((v) => ({
          stage: v.stage,
          events: v.events.map((e) => e.type),
        })),
      },
    };
  };
  const done = await waitForCase(lanzhou.db, inCaseId, (c) => c.status === 'closed', 60_000, diagnose);
  expect(done.outcome).toBe('approved');
  expect(done.events.map((e) => e.type)).toEqual(
    expect.arrayContaining(['contact_letter_sent', 'sheet_confirmed', 'transfer_completed']),
  );
  expect(done.messages.map((m) => `${m.direction}:${m.type}`)).toEqual([
    'out:contact_letter',
    'in:information_sheet',
    'out:sheet_confirmed',
    'in:funds_transferred',
    'out:funds_received',
    'out:completion_feedback',
  ]);
  // Pooled part: 12% × (24 × 5000 + 6 × 6000) = 18720.00; the account (item ④) is the rest of the total.
  const outCaseId = await caseOfTransfer(xian.db, inCaseId, 'out');
  const out = await waitForCase(xian.db, outCaseId, (c) => c.status === 'closed');
  expect(out.outcome).toBe('approved');
  expect(await relationAt(xian, idNumber, codes.xian)).toEqual({
    status: 'transferred_out',
    stopReason: 'transferred_out',
  });
  expect((await relationAt(lanzhou, idNumber, codes.lanzhou))?.status).toBe('interrupted');
  const entries = await lanzhou.db.select().from(accountEntries).where(eq(accountEntries.caseId, inCaseId));
  expect(entries).toHaveLength(1);
  const funds = (await simulator(`/fund-transfers?transferId=${inCaseId}`)) as Array<{
    request: { total: string; pooledFund: string };
  }>;
  expect(funds).toHaveLength(1);
  expect(funds[0].request.pooledFund).toBe('18720.00');
  expect(entries[0].amount).toBe(
    funds[0].request.total === undefined ? '' : (Number(funds[0].request.total) - 18720).toFixed(2),
  );
});
