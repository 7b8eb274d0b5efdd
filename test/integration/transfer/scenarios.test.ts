/**
 * Cross-province transfer scenarios end to end (T-1..T-6, 国办发〔2009〕66号 Art. 5 and 8): two
 * agencies in two provinces (Lanzhou 62…, Xi'an 61…), each with its own installation (database,
 * API, worker), exchanging messages only through the platform simulator. A person is moved in
 * each direction: a clean run, rejected applications and contact letters, an information sheet
 * returned once for correction, duplicated and lost messages, malformed and unexpected inbound
 * messages, the case API while the other province is silent, and the routes that need no
 * transfer (temporary account, in-province continuation).
 *
 * The simulator is shared with every other test file running at the same time: faults and holds
 * are always narrowed to this file's random agency codes or to one transfer.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { getCaseDetail, type CaseDetail } from '../../../db/repositories/cases';
import { accountEntries, fundTransfers, platformMessages, transferredPeriods, transfers } from '../../../db/schema';
import type { InformationSheet } from '../../../domain/information-sheet';
import { caseViewQuery } from '../../../workflows/shared/messages';
import { applicantOf, asUser, AUDITOR, PLATFORM } from '../../helpers/auth';
import { chinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { makeIdNumber } from '../../helpers/env';
import { addAgencies, randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { birthDateAged } from '../../helpers/time';
import {
  addFault,
  caseOfTransfer,
  holdAgency,
  pendingActivities,
  relationsOf,
  seedHistory,
  simulator,
  simulatorMessages,
  waitForCase,
} from '../../helpers/transfers';

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
  // A failed test must not leave this file's agencies held for the rest of the run.
  await Promise.all([
    codes && holdAgency(codes.lanzhou, false).catch(() => undefined),
    codes && holdAgency(codes.xian, false).catch(() => undefined),
  ]);
  await Promise.all([lanzhou?.stop(), xian?.stop()]);
});

type Side = { inst: Installation; code: string };
const L = (): Side => ({ inst: lanzhou, code: codes.lanzhou });
const X = (): Side => ({ inst: xian, code: codes.xian });

/** A transfer-in application at the receiving agency's counter API (online channel). */
async function applyIn(to: Side, from: string, idNumber: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await to.inst.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    payload: { agencyCode: to.code, channel: 'online', applicant: { idNumber, name }, fromAgencyCode: from, ...extra },
    headers: asUser(applicantOf(idNumber)),
  });
  return { status: res.statusCode, body: res.json() };
}

/** The case as the API shows it. */
async function caseApi(inst: Installation, caseId: string): Promise<CaseDetail> {
  const res = await inst.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: asUser(AUDITOR) });
  expect(res.statusCode).toBe(200);
  return res.json<CaseDetail>();
}

/** Both sides of a transfer as a failing test's message: stages, events, messages, stuck activities. */
function diagnose(transferId: string) {
  return async () => {
    const report: Record<string, unknown> = {
      platform: (await simulatorMessages(transferId)).map(
        (m) => `${m.envelope.type}→${m.envelope.to}:${m.status}:${m.lastError ?? ''}`,
      ),
    };
    for (const [name, inst] of [
      ['lanzhou', lanzhou],
      ['xian', xian],
    ] as const) {
      const rows = await inst.db.select().from(transfers).where(eq(transfers.transferId, transferId));
      report[name] = await Promise.all(
        rows.map(async (r) => {
          const v = await getCaseDetail(inst.db, r.caseId);
          return {
            side: r.side,
            caseId: r.caseId,
            stage: v?.stage,
            status: v?.status,
            events: v?.events.map((e) => e.type),
            messages: v?.messages.map((m) => `${m.direction}:${m.type}:${m.status}`),
            pending: await pendingActivities(inst.client, r.caseId),
          };
        }),
      );
    }
    return report;
  };
}

const closed = (c: CaseDetail) => c.status === 'closed';
const eventsOf = (c: CaseDetail, type: string) => c.events.filter((e) => e.type === type);
const messageKinds = (c: CaseDetail) => c.messages.map((m) => `${m.direction}:${m.type}`);
/**
 * The transfer-out side's messages with the last two — the receipt confirmation and the
 * completion feedback, sent one after the other by the receiving agency — in either order: the
 * platform delivers each on its own and either may arrive first (a scenario below overtakes one
 * with the other on purpose).
 */
const outsideKinds = (c: CaseDetail) => {
  const kinds = messageKinds(c);
  return [...kinds.slice(0, -2), new Set(kinds.slice(-2))];
};

async function inboundRow(inst: Installation, messageId: string) {
  const [row] = await inst.db
    .select()
    .from(platformMessages)
    .where(and(eq(platformMessages.messageId, messageId), eq(platformMessages.direction, 'in')));
  return row;
}

async function inboundRowsOf(inst: Installation, transferId: string, type: string) {
  return inst.db
    .select()
    .from(platformMessages)
    .where(
      and(
        eq(platformMessages.transferId, transferId),
        eq(platformMessages.type, type),
        eq(platformMessages.direction, 'in'),
      ),
    );
}

async function sheetAt(inst: Installation, transferId: string): Promise<InformationSheet> {
  const [row] = await inst.db
    .select({ sheet: transfers.sheet })
    .from(transfers)
    .where(eq(transfers.transferId, transferId));
  return row.sheet as unknown as InformationSheet;
}

async function fundTransfersAtSimulator(transferId: string) {
  return (await simulator(`/fund-transfers?transferId=${encodeURIComponent(transferId)}`)) as Array<{
    request: {
      total: string;
      pooledFund: string;
      individualAccount: string;
      sheetVersion: number;
      from: string;
      to: string;
    };
    calls: number;
  }>;
}

/** Staff decision on an open case, as the API receives it. */
async function decide(inst: Installation, caseId: string, body: Record<string, unknown>) {
  const res = await inst.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/decisions`,
    headers: asUser({ user: 'clerk-017', role: 'acceptor', agencies: ['*'] }),
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

/** Sheet months of a sheet ("YYYY-MM", every month of every row). */
function sheetMonths(sheet: InformationSheet): string[] {
  const out: string[] = [];
  for (const r of sheet.rows) {
    let [y, m] = r.startYearMonth.split('-').map(Number);
    const [ey, em] = r.endYearMonth.split('-').map(Number);
    while (y * 12 + m <= ey * 12 + em) {
      out.push(`${y}-${String(m).padStart(2, '0')}`);
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 1. A clean transfer, Lanzhou → Xi'an (the other direction from two-agencies.test.ts).

test("a clean transfer from Lanzhou to Xi'an: transferred out at Lanzhou, item ④ credited at Xi'an, one fund transfer", async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(34, { day: 14 }), sex: 'female' });
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '李四',
    agencyCode: codes.lanzhou,
    periods: [
      { from: '2022-01', to: '2024-12', base: '4000.00' },
      { from: '2025-01', to: '2025-12', base: '4500.00' },
    ],
  });
  const applied = await applyIn(X(), codes.lanzhou, idNumber, '李四');
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({
    procedure: 'transfer_in',
    agencyCode: codes.xian,
    transfer: { side: 'in', counterpartAgency: codes.lanzhou },
  });
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const done = await waitForCase(xian.db, inCaseId, closed, 60_000, diagnose(transferId));
  expect(done).toMatchObject({ outcome: 'approved', stage: 'closed', waitingOn: null });
  expect(messageKinds(done)).toEqual([
    'out:contact_letter',
    'in:information_sheet',
    'out:sheet_confirmed',
    'in:funds_transferred',
    'out:funds_received',
    'out:completion_feedback',
  ]);
  expect(done.events.map((e) => e.type)).toEqual(
    expect.arrayContaining(['contact_letter_sent', 'sheet_confirmed', 'transfer_completed']),
  );

  const outCaseId = await caseOfTransfer(lanzhou.db, transferId, 'out');
  const out = await waitForCase(lanzhou.db, outCaseId, closed, 30_000, diagnose(transferId));
  expect(out).toMatchObject({
    procedure: 'transfer_out',
    outcome: 'approved',
    agencyCode: codes.lanzhou,
    channel: 'platform',
  });
  expect(outsideKinds(out)).toEqual([
    'in:contact_letter',
    'out:information_sheet',
    'in:sheet_confirmed',
    new Set(['in:funds_received', 'in:completion_feedback']),
  ]);
  expect(out.events.map((e) => e.type)).toEqual(
    expect.arrayContaining([
      'contact_letter_received',
      'information_sheet_sent',
      'sheet_confirmed_received',
      'funds_remitted',
      'funds_receipt_confirmed',
      'transferred_out',
    ]),
  );

  // The relation ends at Lanzhou, and lives on at Xi'an.
  expect(await relationsOf(lanzhou.db, idNumber)).toEqual([
    expect.objectContaining({ agencyCode: codes.lanzhou, status: 'transferred_out', stopReason: 'transferred_out' }),
  ]);
  expect(await relationsOf(xian.db, idNumber)).toEqual([
    expect.objectContaining({
      agencyCode: codes.xian,
      status: 'interrupted',
      lastCaseId: inCaseId,
      temporaryAccount: false,
    }),
  ]);

  // The sheet both sides hold is the same; Xi'an credits item ④, Lanzhou debits it.
  const sheetIn = await sheetAt(xian, transferId);
  const sheetOut = await sheetAt(lanzhou, transferId);
  expect(sheetIn.funds).toEqual(sheetOut.funds);
  expect(sheetIn.localActualMonths).toBe(48);
  const credit = await xian.db.select().from(accountEntries).where(eq(accountEntries.caseId, inCaseId));
  expect(credit).toEqual([
    expect.objectContaining({ kind: 'transfer_in', agencyCode: codes.xian, amount: sheetIn.funds.individualAccount }),
  ]);
  expect(Number(sheetIn.funds.individualAccount)).toBeGreaterThan(0);
  const debit = await lanzhou.db.select().from(accountEntries).where(eq(accountEntries.caseId, outCaseId));
  expect(debit).toEqual([
    expect.objectContaining({ kind: 'transfer_out', amount: `-${sheetIn.funds.individualAccount}` }),
  ]);
  const periods = await xian.db.select().from(transferredPeriods).where(eq(transferredPeriods.transferId, transferId));
  expect(periods.reduce((n, p) => n + p.months, 0)).toBe(48);

  // Exactly one fund transfer: 12% × (36 × 4000 + 12 × 4500) = 23760.00 pooled, plus item ④.
  const funds = await fundTransfersAtSimulator(transferId);
  expect(funds).toHaveLength(1);
  expect(funds[0]).toMatchObject({
    calls: 1,
    request: {
      from: codes.lanzhou,
      to: codes.xian,
      pooledFund: '23760.00',
      individualAccount: sheetIn.funds.individualAccount,
      total: sheetIn.funds.total,
    },
  });
  expect(await lanzhou.db.select().from(fundTransfers).where(eq(fundTransfers.transferId, transferId))).toEqual([
    expect.objectContaining({ status: 'sent', attempts: 1, total: sheetIn.funds.total }),
  ]);
});

// ---------------------------------------------------------------------------------------------
// 2. Applications rejected by the receiving side.

test('an applicant who already receives a pension at the receiving agency is refused with the reasons; no contact letter is sent', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(35, { day: 2 }), sex: 'male' });
  await seedHistory(xian.db, { idNumber, name: '周七', agencyCode: codes.xian, status: 'receiving' });
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '周七',
    agencyCode: codes.lanzhou,
    periods: [{ from: '2024-01', to: '2024-12', base: '4000.00' }],
  });
  const applied = await applyIn(X(), codes.lanzhou, idNumber, '周七');
  expect(applied.status).toBe(201);
  const caseId = applied.body.caseId as string;
  const done = await waitForCase(xian.db, caseId, closed, 30_000, diagnose(caseId));
  expect(done).toMatchObject({ outcome: 'refused', outcomeReason: 'refused_1' });
  expect(done.notices).toEqual([
    expect.objectContaining({
      kind: 'refusal_reasons',
      items: [{ code: 'refused_1', text: expect.stringContaining('已按月领取基本养老金') }],
    }),
  ]);
  expect(done.notices[0].text).toContain('已按月领取基本养老金');
  expect(done.events.map((e) => e.type)).toEqual(expect.arrayContaining(['review_completed', 'application_rejected']));
  expect(eventsOf(done, 'contact_letter_sent')).toHaveLength(0);
  // Nothing left the agency: no message recorded, none at the platform, no case at Lanzhou.
  expect(done.messages).toEqual([]);
  expect(await simulatorMessages(caseId)).toEqual([]);
  expect(await lanzhou.db.select().from(transfers).where(eq(transfers.transferId, caseId))).toEqual([]);
  expect((await relationsOf(xian.db, idNumber))[0].status).toBe('receiving');
});

test('an application filed on the national platform and rejected is answered to the platform with application_rejected', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(33, { day: 21 }), sex: 'female' });
  await seedHistory(xian.db, { idNumber, name: '王五', agencyCode: codes.xian, status: 'receiving' });
  const { transferId } = (await simulator('/applications', {
    method: 'POST',
    body: { to: codes.xian, payload: { person: { idNumber, name: '王五' }, fromAgencyCode: codes.lanzhou } },
  })) as { transferId: string };
  expect(transferId).toMatch(/^APP-/);
  const caseId = await caseOfTransfer(xian.db, transferId, 'in');
  const done = await waitForCase(xian.db, caseId, closed, 30_000, diagnose(transferId));
  expect(done).toMatchObject({
    procedure: 'transfer_in',
    channel: 'platform',
    outcome: 'refused',
    outcomeReason: 'refused_1',
  });
  expect(done.notices).toEqual([
    expect.objectContaining({
      kind: 'refusal_reasons',
      channel: 'platform',
      items: [expect.objectContaining({ code: 'refused_1' })],
    }),
  ]);
  expect(messageKinds(done)).toEqual(['in:transfer_application', 'out:application_rejected']);
  expect(done.messages[1]).toMatchObject({ status: 'sent', summary: '申请不予受理（1 项原因）' });

  // At the platform: the application was delivered, the rejection went to the platform (the applicant's channel).
  const platform = await simulatorMessages(transferId);
  expect(platform.map((m) => `${m.envelope.type}:${m.envelope.from}→${m.envelope.to}:${m.status}`)).toEqual([
    `transfer_application:platform→${codes.xian}:delivered`,
    `application_rejected:${codes.xian}→platform:delivered`,
  ]);
  expect(platform[1].envelope.payload).toEqual({
    reasons: [{ code: 'refused_1', text: expect.stringContaining('已按月领取基本养老金') }],
  });
  expect(platform.some((m) => m.envelope.type === 'contact_letter')).toBe(false);
  expect(await lanzhou.db.select().from(transfers).where(eq(transfers.transferId, transferId))).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// 3. The contact letter rejected by the transfer-out side.

test('a contact letter for a person without a relation at the transfer-out agency is rejected; both cases close refused with its reasons', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(32, { day: 8 }), sex: 'male' });
  const applied = await applyIn(X(), codes.lanzhou, idNumber, '孙八');
  expect(applied.status).toBe(201);
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const inCase = await waitForCase(xian.db, inCaseId, closed, 60_000, diagnose(transferId));
  const outCaseId = await caseOfTransfer(lanzhou.db, transferId, 'out');
  const outCase = await waitForCase(lanzhou.db, outCaseId, closed, 30_000, diagnose(transferId));

  const reason = { code: 'no_relation_here', text: '参保人在本经办机构没有有效的基本养老保险关系' };
  expect(outCase).toMatchObject({ procedure: 'transfer_out', outcome: 'refused', outcomeReason: 'no_relation_here' });
  expect(outCase.notices).toEqual([expect.objectContaining({ kind: 'refusal_reasons', items: [reason] })]);
  expect(messageKinds(outCase)).toEqual(['in:contact_letter', 'out:contact_letter_rejected']);
  expect(eventsOf(outCase, 'contact_letter_rejected')).toEqual([
    expect.objectContaining({ clause: '9.2.2 a', detail: expect.objectContaining({ reasons: ['no_relation_here'] }) }),
  ]);
  expect(eventsOf(outCase, 'information_sheet_sent')).toHaveLength(0);

  expect(inCase).toMatchObject({ outcome: 'refused', outcomeReason: 'no_relation_here' });
  expect(inCase.notices).toEqual([expect.objectContaining({ kind: 'refusal_reasons', items: [reason] })]);
  expect(inCase.notices[0].text).toContain(reason.text);
  expect(messageKinds(inCase)).toEqual(['out:contact_letter', 'in:contact_letter_rejected']);
  expect(eventsOf(inCase, 'contact_letter_rejected')).toHaveLength(1);

  // A counter application is answered on the counter's notice, not through the platform; no money moved.
  const platform = await simulatorMessages(transferId);
  expect(platform.map((m) => m.envelope.type)).toEqual(['contact_letter', 'contact_letter_rejected']);
  expect(await fundTransfersAtSimulator(transferId)).toEqual([]);
  expect(await relationsOf(xian.db, idNumber)).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// 4. The information sheet returned once for correction.

test('a sheet with a differently written name is returned, corrected by staff and confirmed as version 2; both rounds are recorded', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(37, { day: 9 }), sex: 'male' });
  // Xi'an registered the person as 张叁; he applies at Lanzhou as 张三 (letters are matched by ID number).
  await seedHistory(xian.db, {
    idNumber,
    name: '张叁',
    agencyCode: codes.xian,
    periods: [{ from: '2023-01', to: '2025-06', base: '5000.00' }],
  });
  const applied = await applyIn(L(), codes.xian, idNumber, '张三');
  expect(applied.status).toBe(201);
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const outCaseId = await caseOfTransfer(xian.db, transferId, 'out');
  const waiting = await waitForCase(
    xian.db,
    outCaseId,
    (c) => c.stage === 'sheet_correction',
    60_000,
    diagnose(transferId),
  );
  expect(waiting).toMatchObject({ status: 'open', waitingOn: 'staff' });
  expect(eventsOf(waiting, 'sheet_returned_received')).toEqual([
    expect.objectContaining({ detail: expect.objectContaining({ sheetVersion: 1 }) }),
  ]);
  expect(messageKinds(waiting)).toEqual(['in:contact_letter', 'out:information_sheet', 'in:sheet_returned']);

  // The receiving side returned version 1 with a problem about the name.
  const inWaiting = await waitForCase(
    lanzhou.db,
    inCaseId,
    (c) => eventsOf(c, 'sheet_returned').length === 1,
    30_000,
    diagnose(transferId),
  );
  expect(inWaiting).toMatchObject({ status: 'open', stage: 'awaiting_information_sheet', waitingOn: 'counterpart' });
  expect(eventsOf(inWaiting, 'sheet_returned')[0].detail).toMatchObject({
    round: 1,
    sheetVersion: 1,
    problems: ['transfer.inconsistent'],
  });
  const returned = (await simulatorMessages(transferId)).find((m) => m.envelope.type === 'sheet_returned')!;
  expect(returned.envelope.payload).toEqual({
    sheetVersion: 1,
    problems: [{ code: 'transfer.inconsistent', text: expect.stringContaining('姓名') }],
  });

  // Staff may correct only the fields a sheet correction covers.
  const wrong = await decide(xian, outCaseId, {
    step: 'sheet_correction',
    result: 'resend',
    items: [{ code: 'idNumber', note: idNumber }],
  });
  expect(wrong.status).toBe(422);
  expect(wrong.body.error.code).toBe('decision.unknown_item');
  const unchanged = await getCaseDetail(xian.db, outCaseId);
  expect(unchanged).toMatchObject({ stage: 'sheet_correction', waitingOn: 'staff', decisions: [] });

  const decided = await decide(xian, outCaseId, {
    step: 'sheet_correction',
    result: 'resend',
    reason: '按身份证件更正姓名',
    items: [{ code: 'name', note: '张三' }],
  });
  expect(decided.status).toBe(200);
  expect(decided.body.decisions).toEqual([
    expect.objectContaining({
      step: 'sheet_correction',
      result: 'resend',
      actor: { id: 'clerk-017', role: 'acceptor' },
      items: [{ code: 'name', text: '张三' }],
    }),
  ]);

  const inDone = await waitForCase(lanzhou.db, inCaseId, closed, 60_000, diagnose(transferId));
  const outDone = await waitForCase(xian.db, outCaseId, closed, 30_000, diagnose(transferId));
  expect(inDone.outcome).toBe('approved');
  expect(outDone.outcome).toBe('approved');

  // Both rounds on both sides.
  expect(eventsOf(outDone, 'information_sheet_sent').map((e) => e.detail.sheetVersion)).toEqual([1, 2]);
  expect(eventsOf(outDone, 'sheet_returned_received')).toHaveLength(1);
  expect(eventsOf(outDone, 'sheet_confirmed_received')).toEqual([
    expect.objectContaining({ detail: expect.objectContaining({ sheetVersion: 2 }) }),
  ]);
  expect(eventsOf(inDone, 'sheet_returned')).toHaveLength(1);
  expect(eventsOf(inDone, 'sheet_confirmed')).toEqual([
    expect.objectContaining({ detail: expect.objectContaining({ round: 2, sheetVersion: 2 }) }),
  ]);
  expect(messageKinds(inDone)).toEqual([
    'out:contact_letter',
    'in:information_sheet',
    'out:sheet_returned',
    'in:information_sheet',
    'out:sheet_confirmed',
    'in:funds_transferred',
    'out:funds_received',
    'out:completion_feedback',
  ]);
  expect(inDone.messages.filter((m) => m.type === 'information_sheet').map((m) => m.summary)).toEqual([
    `信息表 第1版 ${codes.xian}→${codes.lanzhou}`,
    `信息表 第2版 ${codes.xian}→${codes.lanzhou}`,
  ]);
  expect(outsideKinds(outDone)).toEqual([
    'in:contact_letter',
    'out:information_sheet',
    'in:sheet_returned',
    'out:information_sheet',
    'in:sheet_confirmed',
    new Set(['in:funds_received', 'in:completion_feedback']),
  ]);
  expect(inDone.transfer).toMatchObject({ sheetVersion: 2 });
  expect(outDone.transfer).toMatchObject({ sheetVersion: 2 });
  expect((await sheetAt(lanzhou, transferId)).person.name).toBe('张三');
  const funds = await fundTransfersAtSimulator(transferId);
  expect(funds).toHaveLength(1);
  expect(funds[0].request.sheetVersion).toBe(2);
  expect(await relationsOf(xian.db, idNumber)).toEqual([expect.objectContaining({ status: 'transferred_out' })]);
});

test('months paid in both provinces are returned as duplicate_contribution_months; the resent sheet leaves them out', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(36, { day: 1 }), sex: 'male' });
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '钱九',
    agencyCode: codes.lanzhou,
    periods: [{ from: '2023-01', to: '2024-12', base: '5000.00' }],
  });
  // Xi'an already has contributions for November and December 2024.
  await seedHistory(xian.db, {
    idNumber,
    name: '钱九',
    agencyCode: codes.xian,
    periods: [{ from: '2024-11', to: '2025-03', base: '4000.00' }],
  });
  const applied = await applyIn(X(), codes.lanzhou, idNumber, '钱九');
  expect(applied.status).toBe(201);
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const outCaseId = await caseOfTransfer(lanzhou.db, transferId, 'out');
  await waitForCase(
    lanzhou.db,
    outCaseId,
    (c) => c.stage === 'sheet_correction' && c.waitingOn === 'staff',
    60_000,
    diagnose(transferId),
  );
  const inWaiting = await waitForCase(
    xian.db,
    inCaseId,
    (c) => eventsOf(c, 'sheet_returned').length === 1,
    30_000,
    diagnose(transferId),
  );
  expect(eventsOf(inWaiting, 'sheet_returned')[0].detail).toMatchObject({
    sheetVersion: 1,
    problems: ['duplicate_contribution_months'],
  });
  const returned = (await simulatorMessages(transferId)).find((m) => m.envelope.type === 'sheet_returned')!;
  expect(returned.envelope.payload).toEqual({
    sheetVersion: 1,
    problems: [{ code: 'duplicate_contribution_months', text: expect.stringContaining('2024-11、2024-12') }],
  });
  expect(sheetMonths(await sheetAt(lanzhou, transferId))).toContain('2024-12');

  const decided = await decide(lanzhou, outCaseId, {
    step: 'sheet_correction',
    result: 'resend',
    items: [{ code: 'excludeMonths', note: '2024-11,2024-12' }],
  });
  expect(decided.status).toBe(200);

  const inDone = await waitForCase(xian.db, inCaseId, closed, 60_000, diagnose(transferId));
  const outDone = await waitForCase(lanzhou.db, outCaseId, closed, 30_000, diagnose(transferId));
  expect(inDone.outcome).toBe('approved');
  expect(outDone.outcome).toBe('approved');
  expect(eventsOf(inDone, 'sheet_confirmed')).toEqual([
    expect.objectContaining({ detail: expect.objectContaining({ sheetVersion: 2, months: 22 }) }),
  ]);

  // The confirmed sheet and the transferred periods leave the overlapping months out.
  const sheet = await sheetAt(xian, transferId);
  expect(sheet.sheetVersion).toBe(2);
  expect(sheet.localActualMonths).toBe(22);
  const months = sheetMonths(sheet);
  expect(months).toHaveLength(22);
  expect(months).not.toContain('2024-11');
  expect(months).not.toContain('2024-12');
  const periods = await xian.db
    .select()
    .from(transferredPeriods)
    .where(eq(transferredPeriods.transferId, transferId))
    .orderBy(asc(transferredPeriods.startYearMonth));
  expect(periods.map((p) => [p.startYearMonth, p.endYearMonth, p.months])).toEqual([
    ['2023-01', '2023-12', 12],
    ['2024-01', '2024-10', 10],
  ]);
  // Pooled part on the transferred months only: 12% × 22 × 5000.
  const funds = await fundTransfersAtSimulator(transferId);
  expect(funds).toHaveLength(1);
  expect(funds[0].request).toMatchObject({ pooledFund: '13200.00', sheetVersion: 2 });
  // The relation at Xi'an continues (not a second one); Lanzhou's ends.
  expect(await relationsOf(xian.db, idNumber)).toEqual([
    expect.objectContaining({ agencyCode: codes.xian, status: 'contributing', lastCaseId: inCaseId }),
  ]);
  expect(await relationsOf(lanzhou.db, idNumber)).toEqual([expect.objectContaining({ status: 'transferred_out' })]);
});

// ---------------------------------------------------------------------------------------------
// 5. Duplicated and lost messages.

test('a duplicated information sheet and a lost-then-retried confirmation: the transfer completes once, the duplicate is recorded', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(31, { day: 28 }), sex: 'female' });
  await seedHistory(xian.db, {
    idNumber,
    name: '吴十',
    agencyCode: codes.xian,
    periods: [{ from: '2024-01', to: '2025-12', base: '4800.00' }],
  });
  // Narrowed to this file's agencies: the next sheet to Lanzhou arrives twice, the next confirmation to Xi'an is lost once.
  await addFault({ action: 'duplicate', type: 'information_sheet', to: codes.lanzhou, times: 1 });
  await addFault({ action: 'drop_then_retry', type: 'sheet_confirmed', to: codes.xian, times: 1 });
  const applied = await applyIn(L(), codes.xian, idNumber, '吴十');
  expect(applied.status).toBe(201);
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const inDone = await waitForCase(lanzhou.db, inCaseId, closed, 60_000, diagnose(transferId));
  const outCaseId = await caseOfTransfer(xian.db, transferId, 'out');
  const outDone = await waitForCase(xian.db, outCaseId, closed, 30_000, diagnose(transferId));
  expect(inDone.outcome).toBe('approved');
  expect(outDone.outcome).toBe('approved');

  const platform = await simulatorMessages(transferId);
  const sheetAtPlatform = platform.filter((m) => m.envelope.type === 'information_sheet');
  expect(sheetAtPlatform).toEqual([
    expect.objectContaining({ applied: ['duplicate'], status: 'delivered', deliveries: 2 }),
  ]);
  const confirmAtPlatform = platform.filter((m) => m.envelope.type === 'sheet_confirmed');
  expect(confirmAtPlatform).toEqual([
    expect.objectContaining({ applied: ['drop_then_retry'], status: 'delivered', deliveries: 1 }),
  ]);
  expect(confirmAtPlatform[0].attempts).toBeGreaterThanOrEqual(2);

  // Lanzhou received the sheet twice: one row with two deliveries, one confirmation, one completion.
  const sheets = await inboundRowsOf(lanzhou, transferId, 'information_sheet');
  expect(sheets).toEqual([expect.objectContaining({ status: 'delivered', deliveries: 2, caseId: inCaseId })]);
  expect(inDone.messages.filter((m) => m.type === 'information_sheet')).toEqual([
    expect.objectContaining({ deliveries: 2, status: 'delivered' }),
  ]);
  expect(eventsOf(inDone, 'sheet_confirmed')).toHaveLength(1);
  expect(eventsOf(inDone, 'sheet_returned')).toHaveLength(0);
  expect(eventsOf(inDone, 'transfer_completed')).toHaveLength(1);
  expect(inDone.messages.filter((m) => m.direction === 'out' && m.type === 'sheet_confirmed')).toHaveLength(1);

  // Xi'an got the confirmation once (after the loss) and remitted once.
  expect(await inboundRowsOf(xian, transferId, 'sheet_confirmed')).toEqual([
    expect.objectContaining({ status: 'delivered', deliveries: 1 }),
  ]);
  expect(eventsOf(outDone, 'sheet_confirmed_received')).toHaveLength(1);
  expect(eventsOf(outDone, 'funds_remitted')).toHaveLength(1);
  const funds = await fundTransfersAtSimulator(transferId);
  expect(funds).toHaveLength(1);
  expect(funds[0].calls).toBe(1);
  expect(await xian.db.select().from(fundTransfers).where(eq(fundTransfers.transferId, transferId))).toHaveLength(1);
  expect(await lanzhou.db.select().from(accountEntries).where(eq(accountEntries.caseId, inCaseId))).toHaveLength(1);
  expect(await inboundRowsOf(lanzhou, transferId, 'funds_transferred')).toEqual([
    expect.objectContaining({ deliveries: 1 }),
  ]);
});

test('a delayed receipt confirmation overtaken by the completion feedback: the transfer-out side still completes', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(31, { day: 19 }), sex: 'male' });
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '卫五',
    agencyCode: codes.lanzhou,
    periods: [{ from: '2024-01', to: '2025-06', base: '4400.00' }],
  });
  // The receipt confirmation to Lanzhou is held back 2 s: the completion feedback, sent right after it, arrives first.
  await addFault({ action: 'delay', type: 'funds_received', to: codes.lanzhou, times: 1, delayMs: 2000 });
  const applied = await applyIn(X(), codes.lanzhou, idNumber, '卫五');
  expect(applied.status).toBe(201);
  const inCaseId = applied.body.caseId as string;
  const transferId = applied.body.transfer.transferId as string;

  const inDone = await waitForCase(xian.db, inCaseId, closed, 60_000, diagnose(transferId));
  expect(inDone.outcome).toBe('approved');
  const outCaseId = await caseOfTransfer(lanzhou.db, transferId, 'out');
  const outDone = await waitForCase(lanzhou.db, outCaseId, closed, 30_000, diagnose(transferId));
  expect(outDone.outcome).toBe('approved');
  const platform = await simulatorMessages(transferId);
  expect(platform.filter((m) => m.envelope.to === codes.lanzhou).map((m) => `${m.envelope.type}:${m.status}`)).toEqual([
    'contact_letter:delivered',
    'sheet_confirmed:delivered',
    'funds_received:delivered',
    'completion_feedback:delivered',
  ]);
  expect(platform.find((m) => m.envelope.type === 'funds_received')!.applied).toEqual(['delay']);
  // The held-back confirmation may reach the case's message list after the case closed.
  const outAfter = await waitForCase(
    lanzhou.db,
    outCaseId,
    (c) => c.messages.some((m) => m.direction === 'in' && m.type === 'funds_received'),
    30_000,
    diagnose(transferId),
  );
  const inbound = outAfter.messages.filter((m) => m.direction === 'in');
  expect(inbound.map((m) => `${m.type}:${m.status}`)).toEqual(
    expect.arrayContaining(['funds_received:delivered', 'completion_feedback:delivered']),
  );
  expect(eventsOf(outAfter, 'funds_receipt_confirmed')).toHaveLength(1);
  expect(eventsOf(outAfter, 'transferred_out')).toHaveLength(1);
  expect(await relationsOf(lanzhou.db, idNumber)).toEqual([expect.objectContaining({ status: 'transferred_out' })]);
});

// ---------------------------------------------------------------------------------------------
// 6. Inbound message validation.

test('malformed, misaddressed, unknown and unexpected inbound messages are refused with a clear error and recorded; the case is untouched', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(30, { day: 16 }), sex: 'male' });
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '郑一',
    agencyCode: codes.lanzhou,
    periods: [{ from: '2024-01', to: '2025-06', base: '4200.00' }],
  });
  const post = async (body: unknown) => {
    const res = await xian.app.inject({
      method: 'POST',
      url: '/api/v1/platform/messages',
      payload: body as Record<string, unknown>,
      headers: asUser(PLATFORM),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const envelope = (o: Record<string, unknown>): Record<string, unknown> => ({
    messageId: `test-${randomUUID()}`,
    type: 'sheet_confirmed',
    transferId: 'placeholder',
    from: codes.lanzhou,
    to: codes.xian,
    sentAt: new Date().toISOString(),
    payload: { sheetVersion: 1 },
    ...o,
  });
  /** Sends a message twice: the same refusal both times, recorded once as refused with the error. */
  const expectRefused = async (body: Record<string, unknown>, status: number, code: string, field?: string) => {
    const first = await post(body);
    expect({ status: first.status, code: first.body.error?.code }).toEqual({ status, code });
    if (field) expect(first.body.error.field).toBe(field);
    expect(first.body.error.message).toEqual(expect.any(String));
    const again = await post(body);
    expect({ status: again.status, code: again.body.error?.code, message: again.body.error?.message }).toEqual({
      status,
      code,
      message: first.body.error.message,
    });
    const row = await inboundRow(xian, body.messageId as string);
    expect(row).toMatchObject({ status: 'refused', direction: 'in' });
    expect(row.error).toContain(code);
    // Malformed messages are summarised by their refusal; well-formed ones by their content.
    expect(row.summary).toMatch(status === 400 ? /^拒收：/ : /\S/);
    return first.body.error as { code: string; message: string; field?: string };
  };

  await holdAgency(codes.lanzhou, true);
  let inCaseId = '';
  let transferId = '';
  try {
    // Lanzhou does not answer: the case waits for the sheet.
    const applied = await applyIn(X(), codes.lanzhou, idNumber, '郑一');
    expect(applied.status).toBe(201);
    inCaseId = applied.body.caseId as string;
    transferId = applied.body.transfer.transferId as string;
    const before = await waitForCase(
      xian.db,
      inCaseId,
      (c) => c.stage === 'awaiting_information_sheet',
      30_000,
      diagnose(transferId),
    );

    // Malformed envelope: the field is named.
    const badFrom = await expectRefused(
      envelope({ transferId, from: 'Lanzhou' }),
      400,
      'platform.malformed_message',
      'from',
    );
    expect(badFrom.message).toMatch(/^from: /);
    await expectRefused(envelope({ transferId, type: 'teleport' }), 400, 'platform.malformed_message', 'type');
    const noTransfer = envelope({});
    delete noTransfer.transferId;
    await expectRefused(noTransfer, 400, 'platform.malformed_message', 'transferId');
    // A message without an ID is still recorded.
    const anonymous = await post({ type: 'sheet_confirmed', transferId, from: codes.lanzhou, to: codes.xian });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error.code).toBe('platform.malformed_message');
    const unidentified = (await inboundRowsOf(xian, transferId, 'sheet_confirmed')).filter((r) =>
      r.messageId.startsWith('unidentified-'),
    );
    expect(unidentified).toEqual([
      expect.objectContaining({ status: 'refused', error: expect.stringContaining('platform.malformed_message') }),
    ]);

    // Well-formed envelope, bad payload for its type.
    await expectRefused(
      envelope({ transferId, type: 'funds_received', payload: { total: '12.5' } }),
      400,
      'platform.malformed_payload',
      'payload.total',
    );
    await expectRefused(
      envelope({ transferId, type: 'sheet_returned', payload: { sheetVersion: 1, problems: [] } }),
      400,
      'platform.malformed_payload',
      'payload.problems',
    );

    // Addressed to an agency this installation does not serve, or about a transfer it does not know.
    await expectRefused(envelope({ transferId, to: codes.lanzhou }), 422, 'platform.unknown_recipient', 'to');
    await expectRefused(
      envelope({ transferId: `no-such-transfer-${randomUUID()}` }),
      422,
      'platform.unknown_transfer',
      'transferId',
    );
    // From an agency that is not the other side of this transfer.
    await expectRefused(
      envelope({ transferId, from: `${codes.lanzhou.slice(0, 2)}0000` }),
      422,
      'platform.wrong_sender',
      'from',
    );

    // A message the case does not expect now: the funds before the sheet.
    const early = envelope({
      transferId,
      type: 'funds_transferred',
      payload: {
        idempotencyKey: `${transferId}:funds`,
        paymentReference: 'PAY-FAKE-1',
        individualAccount: '100.00',
        pooledFund: '200.00',
        total: '300.00',
        sheetVersion: 1,
      },
    });
    const unexpected = await expectRefused(early, 409, 'case.unexpected_message', 'type');
    expect(unexpected.message).toContain('information_sheet');

    // The case did not move: same stage, same events, same messages, same expectations.
    const after = await getCaseDetail(xian.db, inCaseId);
    expect(after).toMatchObject({ status: 'open', stage: 'awaiting_information_sheet', waitingOn: 'counterpart' });
    expect(after!.events.map((e) => e.type)).toEqual(before.events.map((e) => e.type));
    expect(messageKinds(after!)).toEqual(['out:contact_letter']);
    const view = await xian.client.workflow.getHandle(inCaseId).query(caseViewQuery);
    expect(view).toMatchObject({ status: 'open', stage: 'awaiting_information_sheet' });
    expect(view.expectedMessages.sort()).toEqual(['contact_letter_rejected', 'information_sheet']);
  } finally {
    await holdAgency(codes.lanzhou, false);
  }

  // Lanzhou answers again: the transfer completes normally, with the real funds only.
  const done = await waitForCase(xian.db, inCaseId, closed, 60_000, diagnose(transferId));
  expect(done.outcome).toBe('approved');
  expect(messageKinds(done)).toEqual([
    'out:contact_letter',
    'in:information_sheet',
    'out:sheet_confirmed',
    'in:funds_transferred',
    'out:funds_received',
    'out:completion_feedback',
  ]);
  const credit = await xian.db.select().from(accountEntries).where(eq(accountEntries.caseId, inCaseId));
  expect(credit).toEqual([
    expect.objectContaining({ amount: (await sheetAt(xian, transferId)).funds.individualAccount }),
  ]);
  expect(credit[0].amount).not.toBe('100.00');

  // A duplicate of a delivered message is acknowledged and changes nothing.
  const [sheetRow] = await inboundRowsOf(xian, transferId, 'information_sheet');
  const eventsBefore = done.events.length;
  const dup = await post(sheetRow.body);
  expect(dup).toEqual({ status: 200, body: { status: 'duplicate', caseId: inCaseId } });
  expect(await inboundRow(xian, sheetRow.messageId)).toMatchObject({ status: 'delivered', deliveries: 2 });
  expect((await getCaseDetail(xian.db, inCaseId))!.events).toHaveLength(eventsBefore);
});

// ---------------------------------------------------------------------------------------------
// 7. The case API while the other province is silent.

test('the case API of a transfer in progress shows both clocks, the counterpart due date and the message history without personal data', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(29, { day: 25 }), sex: 'female' });
  const name = '冯二';
  await seedHistory(xian.db, {
    idNumber,
    name,
    agencyCode: codes.xian,
    periods: [{ from: '2024-01', to: '2025-12', base: '4600.00' }],
  });
  await holdAgency(codes.xian, true);
  let caseId = '';
  try {
    const applied = await applyIn(L(), codes.xian, idNumber, name);
    expect(applied.status).toBe(201);
    caseId = applied.body.caseId as string;
    await waitForCase(lanzhou.db, caseId, (c) => c.stage === 'awaiting_information_sheet', 30_000, diagnose(caseId));
    const c = await caseApi(lanzhou, caseId);
    const received = chinaDate(c.receivedAt);
    const letterSent = eventsOf(c, 'contact_letter_sent')[0];
    expect(letterSent).toBeDefined();

    expect(c).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      waitingOn: 'counterpart',
      outcome: null,
    });
    // Ours: 15 working days for the whole procedure (9.1.3); the review had 3 (9.2.1 a) and is done.
    expect(c.clock).toMatchObject({
      budgetWorkingDays: 15,
      clause: '9.1.3',
      state: 'running',
      dueDate: workingDaysAfter(received, 15),
    });
    expect(c.dueDate).toBe(workingDaysAfter(received, 15));
    expect(c.clocks.review).toMatchObject({
      budgetWorkingDays: 3,
      clause: '9.2.1 a',
      state: 'stopped',
      dueDate: workingDaysAfter(received, 3),
    });
    // Theirs: 15 working days from the contact letter (国办发〔2009〕66号 Art. 8).
    expect(c.clocks.counterpart).toMatchObject({
      budgetWorkingDays: 15,
      clause: '国办发〔2009〕66号 第八条',
      state: 'running',
      overdue: false,
      dueDate: workingDaysAfter(chinaDate(letterSent.occurredAt), 15),
    });
    expect(c.clocks.counterpart.dueAt).toEqual(expect.any(String));
    expect(c.counterpartDueAt).toBe(c.clocks.counterpart.dueAt);
    expect(Date.parse(c.counterpartDueAt!)).toBeGreaterThan(Date.now());
    expect(c.transfer).toEqual({ transferId: caseId, side: 'in', counterpartAgency: codes.xian, sheetVersion: null });
    expect(c.messages).toEqual([
      expect.objectContaining({
        direction: 'out',
        type: 'contact_letter',
        status: 'sent',
        summary: `联系函 ${codes.lanzhou}→${codes.xian}`,
        occurredAt: expect.any(String),
      }),
    ]);
    expect(Date.parse(c.messages[0].occurredAt)).toBeGreaterThanOrEqual(Date.parse(c.receivedAt));
    expect(JSON.stringify(c.messages)).not.toContain(idNumber);
    expect(JSON.stringify(c.messages)).not.toContain(name);

    // Lists find it among the cases waiting on the other province.
    const list = await lanzhou.app.inject({
      method: 'GET',
      url: `/api/v1/cases?agencyCode=${codes.lanzhou}&waitingOn=counterpart&status=open`,
      headers: asUser(AUDITOR),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);

    // The platform holds the letter, undelivered.
    const held = await simulatorMessages(caseId);
    expect(held).toEqual([expect.objectContaining({ status: 'pending', lastError: expect.stringContaining('held') })]);
  } finally {
    await holdAgency(codes.xian, false);
  }

  const done = await waitForCase(lanzhou.db, caseId, closed, 60_000, diagnose(caseId));
  const c = await caseApi(lanzhou, done.caseId);
  expect(c).toMatchObject({
    status: 'closed',
    outcome: 'approved',
    waitingOn: null,
    counterpartDueAt: null,
    transfer: { sheetVersion: 1 },
  });
  expect(c.clocks.counterpart.state).toBe('stopped');
  expect(c.clock?.state).toBe('stopped');
  expect(c.messages.map((m) => `${m.direction}:${m.type}`)).toEqual(messageKinds(done));
  for (const m of c.messages) {
    expect(m).toEqual(
      expect.objectContaining({
        direction: expect.stringMatching(/^(in|out)$/),
        type: expect.any(String),
        summary: expect.any(String),
        occurredAt: expect.any(String),
      }),
    );
    expect(m.summary.length).toBeGreaterThan(0);
    expect(m.summary).not.toContain(idNumber);
    expect(m.summary).not.toContain(name);
  }
  const times = c.messages.map((m) => Date.parse(m.occurredAt));
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect(c.messages.find((m) => m.type === 'funds_transferred')!.summary).toMatch(/^基金划转 合计 \d+\.\d{2} 元/);
});

// ---------------------------------------------------------------------------------------------
// 8. No transfer: a temporary account, or a move within the province.

test('a man aged 50 or more not returning home gets a temporary account at the new place; no contact letter', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(55, { day: 5 }), sex: 'male' });
  await seedHistory(xian.db, {
    idNumber,
    name: '陈大',
    agencyCode: codes.xian,
    periods: [{ from: '2015-01', to: '2025-12', base: '4000.00' }],
  });
  const applied = await applyIn(L(), codes.xian, idNumber, '陈大', { returningHome: false });
  expect(applied.status).toBe(201);
  const caseId = applied.body.caseId as string;
  const done = await waitForCase(lanzhou.db, caseId, closed, 30_000, diagnose(caseId));
  expect(done).toMatchObject({ outcome: 'approved', outcomeReason: 'temporary_account' });
  expect(eventsOf(done, 'temporary_account_opened')).toEqual([
    expect.objectContaining({
      clause: '9.1.1.2',
      detail: expect.objectContaining({ basis: '国办发〔2009〕66号 第五条' }),
    }),
  ]);
  expect(done.notices).toEqual([
    expect.objectContaining({ kind: 'outcome', items: [expect.objectContaining({ code: 'temporary_account_1' })] }),
  ]);
  expect(done.notices[0].text).toContain('临时基本养老保险缴费账户');
  expect(eventsOf(done, 'contact_letter_sent')).toHaveLength(0);
  expect(done.messages).toEqual([]);
  expect(await simulatorMessages(caseId)).toEqual([]);
  expect(await relationsOf(lanzhou.db, idNumber)).toEqual([
    expect.objectContaining({
      agencyCode: codes.lanzhou,
      status: 'contributing',
      temporaryAccount: true,
      lastCaseId: caseId,
    }),
  ]);
  // The relation stays at the old place.
  expect(await relationsOf(xian.db, idNumber)).toEqual([
    expect.objectContaining({ agencyCode: codes.xian, status: 'contributing', temporaryAccount: false }),
  ]);
  expect(await xian.db.select().from(transfers).where(eq(transfers.transferId, caseId))).toEqual([]);
});

test('a move from another Gansu agency needs no transfer: the relation continues at the new agency', async () => {
  const idNumber = makeIdNumber({ birthDate: birthDateAged(41, { day: 10 }), sex: 'female' });
  // Another Gansu agency (randomAgencies picks 621000..629998 for Lanzhou).
  const other = `62${Number(codes.lanzhou.slice(2)) + 1}`;
  await addAgencies(lanzhou.db, [other]);
  await seedHistory(lanzhou.db, {
    idNumber,
    name: '褚三',
    agencyCode: other,
    periods: [{ from: '2020-01', to: '2025-12', base: '4000.00' }],
  });
  const applied = await applyIn(L(), other, idNumber, '褚三');
  expect(applied.status).toBe(201);
  const caseId = applied.body.caseId as string;
  const done = await waitForCase(lanzhou.db, caseId, closed, 30_000, diagnose(caseId));
  expect(done).toMatchObject({ outcome: 'approved', outcomeReason: 'in_province_continuation' });
  expect(eventsOf(done, 'continued_in_province')).toEqual([expect.objectContaining({ clause: '9.1.1.1' })]);
  expect(done.notices).toEqual([
    expect.objectContaining({ kind: 'outcome', text: expect.stringContaining('省内流动不需转移') }),
  ]);
  expect(done.messages).toEqual([]);
  expect(await simulatorMessages(caseId)).toEqual([]);
  expect(await relationsOf(lanzhou.db, idNumber)).toEqual([
    expect.objectContaining({
      agencyCode: codes.lanzhou,
      status: 'contributing',
      temporaryAccount: false,
      lastCaseId: caseId,
    }),
  ]);
});
