/**
 * Real people over real years (issue 9, "done when"): a person who paid from 1998 to now at two
 * Gansu agencies, with a period transferred in earlier from another province, through the API
 * of two installations (Lanzhou, Xi'an) that talk only through the platform simulator:
 * - a benefit claim reaches review with a computed summary of every period (no stuck activity),
 *   matching an independent statement of the arithmetic and the calculator endpoint;
 * - a transfer out to Xi'an sends a sheet and funds that cover every period: all agencies of the
 *   province, the transferred period, the account in full.
 * Dates are relative to today; expected values come from the parameter table.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { personKeyOf, upsertPerson } from '../../../db/repositories/persons';
import { accountEntries, contributionRecords, relations, transferredPeriods, transfers } from '../../../db/schema';
import { validateIdNumber } from '../../../domain/id-number';
import type { InformationSheet } from '../../../domain/information-sheet';
import { dec, money } from '../../../domain/money';
import { PARAMETER_SEED } from '../../../domain/parameter-seed';
import { addMonths } from '../../../domain/year-month';
import { applicantOf, asUser, AUDITOR, type TestUser } from '../../helpers/auth';
import { months, putPersonnelFile, retiredMan } from '../../helpers/claims';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { addAgencies, randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { oracleRecord } from '../../helpers/pension-oracle';
import { ParameterResolver } from '../../../domain/parameter-resolver';
import { monthsAgo, today } from '../../helpers/time';
import { caseOfTransfer, pendingActivities, waitForCase } from '../../helpers/transfers';

jest.setTimeout(240_000);

let lanzhou: Installation;
let xian: Installation;
let codes: { lanzhou: string; xian: string };
/** The other Gansu agency where the first years were paid (in every directory: a sample agency). */
const OTHER_GANSU = '620105';
const SHAANXI = '610103';

beforeAll(async () => {
  codes = randomAgencies();
  const directory = [codes.lanzhou, codes.xian];
  [lanzhou, xian] = await Promise.all([
    startInstallation({ name: 'whole-lanzhou', servedAgencies: [codes.lanzhou], directory }),
    startInstallation({ name: 'whole-xian', servedAgencies: [codes.xian], directory }),
  ]);
  await addAgencies(lanzhou.db, [OTHER_GANSU]).catch(() => undefined);
});
afterAll(async () => {
  await Promise.all([lanzhou?.stop(), xian?.stop()]);
});

async function call(inst: Installation, method: 'GET' | 'POST', url: string, user: TestUser, payload?: object) {
  const res = await inst.app.inject({ method, url, headers: asUser(user), ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json() };
}

/**
 * The person's whole Gansu record: 1998–2004 at another Gansu agency, 2005–2007 paid in Shaanxi
 * and transferred in (its account money posted in 2008), 2008 to `lastMonth` at this agency.
 */
async function seedWholeRecord(db: Db, idNumber: string, lastMonth: string) {
  const id = validateIdNumber(idNumber, today());
  const person = await upsertPerson(db, {
    idNumber,
    name: '王五',
    sex: id.sex!,
    birthDate: id.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  await db.insert(relations).values({
    personId: person.id,
    agencyCode: codes.lanzhou,
    provinceCode: '62',
    status: 'contributing',
    category: 'other_flexible',
    since: '2008-01-01',
  });
  const local = [
    ...months('1998-01', '2004-12').map((yearMonth) => ({ yearMonth, base: '1200.00', agencyCode: OTHER_GANSU })),
    ...months('2008-01', lastMonth).map((yearMonth) => ({
      yearMonth,
      base: yearMonth < '2019-01' ? '3000.00' : '5000.00',
      agencyCode: codes.lanzhou,
    })),
  ];
  await db
    .insert(contributionRecords)
    .values(local.map((r) => ({ personId: person.id, ...r, amount: money(dec(r.base).times('0.2')), source: 'test' })));
  const transferred = months('2005-01', '2007-12').map((yearMonth) => ({ yearMonth, base: '1500.00' }));
  await db.insert(transferredPeriods).values(
    [2005, 2006, 2007].map((year) => ({
      personId: person.id,
      transferId: `earlier-${idNumber.slice(-6)}`,
      regionCode: SHAANXI,
      year,
      startYearMonth: `${year}-01`,
      endYearMonth: `${year}-12`,
      months: 12,
      monthlyBase: '1500.00',
      row: { regionCode: SHAANXI, regionName: '西安市碑林区', year },
    })),
  );
  const posting = { postedOn: '2008-03-15', amount: '5200.00' };
  await db.insert(accountEntries).values({
    personId: person.id,
    agencyCode: codes.lanzhou,
    kind: 'transfer_in',
    amount: posting.amount,
    postedOn: posting.postedOn,
    entryKey: `earlier-${idNumber}`,
  });
  return { personId: person.id, local, transferred, posting };
}

/** The independent statement of the record's arithmetic (test/helpers/pension-oracle.ts). */
function oracleOf(record: Awaited<ReturnType<typeof seedWholeRecord>>, asOf: string) {
  return oracleRecord(
    {
      local: record.local,
      transferred: [{ months: record.transferred.map((m) => m.yearMonth), base: '1500.00' }],
      postings: [record.posting],
      asOf,
    },
    new ParameterResolver(PARAMETER_SEED, codes.lanzhou),
  );
}

test('a claim of a person with 1998 to now at two Gansu agencies and a period transferred in reaches review with every period summarised', async () => {
  const { idNumber, retirementYearMonth } = retiredMan({ monthsAgo: 2 });
  const lastMonth = addMonths(retirementYearMonth, -1);
  const record = await seedWholeRecord(lanzhou.db, idNumber, lastMonth);
  await putPersonnelFile(idNumber, {
    birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    deemedMonths: 0,
  });

  const created = await call(
    lanzhou,
    'POST',
    '/api/v1/claims',
    { user: 'clerk-01', role: 'acceptor', agencies: [codes.lanzhou] },
    {
      agencyCode: codes.lanzhou,
      channel: 'offline',
      applicant: { idNumber, name: '王五' },
      materials: [
        { kind: 'id_card', ref: 'scan-1' },
        { kind: 'personnel_file', ref: 'deposit-1' },
      ],
    },
  );
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  expect(
    (
      await call(
        lanzhou,
        'POST',
        `/api/v1/cases/${caseId}/decisions`,
        { user: 'clerk-01', role: 'acceptor', agencies: [codes.lanzhou] },
        { step: 'acceptance', result: 'accept' },
      )
    ).status,
  ).toBe(200);
  const reviewed = await call(
    lanzhou,
    'POST',
    `/api/v1/cases/${caseId}/decisions`,
    { user: 'reviewer-07', role: 'reviewer', agencies: [codes.lanzhou] },
    {
      step: 'file_review',
      result: 'recognise',
      items: [{ code: 'deemed_months', note: '0' }],
    },
  );
  expect(reviewed.status).toBe(200);
  expect(reviewed.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
  expect(await pendingActivities(lanzhou.client, caseId)).toEqual([]);

  const assessed = reviewed.body.events.find((e: { type: string }) => e.type === 'claim_assessed').detail;
  const summaryAsOf: string = assessed.contributions.asOf;
  const expected = oracleOf(record, summaryAsOf);
  expect(assessed.contributions).toMatchObject({
    actualMonths: expected.actualMonths,
    localMonths: record.local.length,
    transferredMonths: 36,
    overlapMonths: 0,
    averageIndex: expected.averageIndex,
    accountBalance: expected.accountBalance,
  });
  expect(assessed.eligible).toBe(true);
  expect(assessed.pension).not.toBeNull();

  // The calculator answers the same for the same record.
  const calculated = await call(lanzhou, 'POST', '/api/v1/rules/contribution-summary', AUDITOR, {
    region: codes.lanzhou,
    asOf: summaryAsOf,
    records: record.local,
    transferredIn: [
      {
        from: '2005-01',
        to: '2007-12',
        months: 36,
        monthlyBase: '1500.00',
        accountAmount: record.posting.amount,
        postedOn: record.posting.postedOn,
      },
    ],
  });
  expect(calculated.status).toBe(200);
  expect(calculated.body).toMatchObject({
    actualMonths: assessed.contributions.actualMonths,
    averageIndex: assessed.contributions.averageIndex,
    accountBalance: assessed.contributions.accountBalance,
    provisional: assessed.contributions.provisional,
  });
  expect(
    calculated.body.parametersUsed.some(
      (p: { name: string; region: string; year: number }) =>
        p.name === 'account.interestRate' && p.region === '62' && p.year === 2005,
    ),
  ).toBe(true);
});

test('a transfer out to another province sends a sheet and funds covering every period: both Gansu agencies, the period transferred in earlier, the account in full', async () => {
  // Returning to the household place (T-2 b): eligible at any age, so the test does not age out.
  const idNumber = makeIdNumber({ region: codes.xian, birthDate: '1975-06-15', sex: 'male' });
  const lastMonth = monthsAgo(1);
  const record = await seedWholeRecord(lanzhou.db, idNumber, lastMonth);

  const applied = await xian.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    payload: {
      agencyCode: codes.xian,
      channel: 'online',
      applicant: { idNumber, name: '王五' },
      fromAgencyCode: codes.lanzhou,
      returningHome: true,
      householdCode: codes.xian,
    },
    headers: asUser(applicantOf(idNumber)),
  });
  expect(applied.statusCode).toBe(201);
  const transferId: string = applied.json().transfer.transferId;
  const inCase: string = applied.json().caseId;
  await waitForCase(xian.db, inCase, (c) => c.status === 'closed', 120_000);
  const outCase = await caseOfTransfer(lanzhou.db, transferId, 'out');
  const out = await waitForCase(lanzhou.db, outCase, (c) => c.status === 'closed', 60_000);
  expect(out).toMatchObject({ outcome: 'approved' });

  const [row] = await lanzhou.db
    .select()
    .from(transfers)
    .where(and(eq(transfers.transferId, transferId), eq(transfers.side, 'out')));
  const sheet = row.sheet as unknown as InformationSheet;
  const allMonths = [...record.local, ...record.transferred].sort((a, b) => a.yearMonth.localeCompare(b.yearMonth));
  // Every month of every period, once, in order; the places as they were.
  const sheetMonths = sheet.rows.flatMap((r) => months(r.startYearMonth, r.endYearMonth).slice(0, r.months));
  expect(sheetMonths).toEqual(allMonths.map((m) => m.yearMonth));
  expect(sheet.localActualMonths).toBe(allMonths.length);
  expect([...new Set(sheet.rows.map((r) => r.regionCode))].sort()).toEqual(
    [OTHER_GANSU, SHAANXI, codes.lanzhou].sort(),
  );
  expect(sheet.person).toMatchObject({ localStart: '1998-01', localEnd: lastMonth });
  // ⑤: 12% of every year's base from 1998, every period included.
  const pooled = allMonths.reduce((s, m) => s.plus(dec(m.base).times('0.12')), dec(0));
  expect(sheet.funds.pooledFund).toBe(money(pooled));
  // ④: the whole account, the money transferred in earlier and its interest included.
  const transferDate = sheet.person.transferDate;
  expect(sheet.funds.individualAccount).toBe(oracleOf(record, transferDate).accountBalance);
  const basis = row.sheetBasis as {
    parametersUsed: Array<{ name: string; version: number; verified: boolean }>;
    parameterSetVersion: number;
    record: { agencies: string[]; transferredPeriods: number };
  };
  expect(basis.record).toMatchObject({ transferredPeriods: 3 });
  expect(basis.record.agencies.sort()).toEqual([OTHER_GANSU, codes.lanzhou].sort());
  expect(basis.parametersUsed.every((p) => Number.isInteger(p.version) && typeof p.verified === 'boolean')).toBe(true);
  expect(basis.parameterSetVersion).toBeGreaterThan(0);

  // Xi'an took over every row and the account as sent.
  const taken = await xian.db.select().from(transferredPeriods).where(eq(transferredPeriods.transferId, transferId));
  expect(taken).toHaveLength(sheet.rows.length);
  const [credited] = await xian.db
    .select()
    .from(accountEntries)
    .where(and(eq(accountEntries.kind, 'transfer_in'), eq(accountEntries.entryKey, `transfer-in:${transferId}`)));
  expect(credited.amount).toBe(sheet.funds.individualAccount);
});

test('T-2 c: at benefit time, the ten-year rule sends the relation back to the last place with ten years or more — reachable through the application and the workflow', async () => {
  // Household elsewhere (Sichuan), over 50 and not returning home: only condition c can apply.
  const idNumber = makeIdNumber({ region: '510104', birthDate: '1964-03-08', sex: 'male' });
  const xianPerson = validateIdNumber(idNumber, today());
  const person = await upsertPerson(xian.db, {
    idNumber,
    name: '赵六',
    sex: xianPerson.sex!,
    birthDate: xianPerson.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  await xian.db.insert(relations).values({
    personId: person.id,
    agencyCode: codes.xian,
    provinceCode: '61',
    status: 'contributing',
    category: 'other_flexible',
    since: '2020-01-01',
  });
  await xian.db.insert(contributionRecords).values(
    months('2020-01', '2025-12').map((yearMonth) => ({
      personId: person.id,
      agencyCode: codes.xian,
      yearMonth,
      base: '4000.00',
      amount: '800.00',
      source: 'test',
    })),
  );

  const apply = (extra: object) =>
    lanzhou.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/in',
      payload: {
        agencyCode: codes.lanzhou,
        channel: 'online',
        applicant: { idNumber, name: '赵六' },
        fromAgencyCode: codes.xian,
        householdCode: '510104',
        reachedBenefitConditions: true,
        ...extra,
      },
      headers: asUser(applicantOf(idNumber)),
    });
  const withoutYears = await apply({});
  expect(withoutYears.statusCode).toBe(400);
  expect(withoutYears.json().error).toMatchObject({ field: 'yearsAtEachPlace' });

  const applied = await apply({
    yearsAtEachPlace: [
      { agencyCode: codes.lanzhou, years: 12 },
      { agencyCode: codes.xian, years: 6 },
    ],
  });
  expect(applied.statusCode).toBe(201);
  const inCase: string = applied.json().caseId;
  const done = await waitForCase(lanzhou.db, inCase, (c) => c.status === 'closed', 120_000);
  expect(done).toMatchObject({ outcome: 'approved' });
  expect(done.events.find((e) => e.type === 'review_completed')?.detail).toMatchObject({
    route: 'transfer',
    condition: 'c_benefit_place',
  });
});
