/**
 * Captures the committed replay histories (test/histories/<procedure>-<branch>.json) from real
 * runs: the real API, worker, activities, PostgreSQL, Temporal dev server or time-skipping server
 * and simulators of the test set-up, driven through the same helpers as the scenario tests.
 * Skipped unless CAPTURE_HISTORIES=1: run it with `npm run histories:capture`, then commit the
 * changed files (docs/replay.md says when).
 *
 * Every client and worker here uses the production payload codec with the TEST-ONLY key of
 * test/histories/test-key.ts, injected below (the shared helpers build their clients and
 * workers without a codec of their own); each history is checked to hold the test persons' ID
 * numbers and names only inside encrypted payloads before it is written.
 */
import type * as TemporalClient from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { armDueRetirementWatches } from '../../../api/services/watches';
import { personKeyOf } from '../../../db/repositories/persons';
import { awards, cases, persons } from '../../../db/schema';
import { certificationWatchId } from '../../../workflows/certification';
import { retirementWatchId } from '../../../workflows/retirement-watch';
import { awardRecalculationWorkflowId } from '../../../workflows/parameters-published';
import { selfInspectionWorkflowId } from '../../../workflows/self-inspection';
import { asUser } from '../../helpers/auth';
import { seedContributionMonths, seedPensioner, startPrivateHarness } from '../../helpers/benefits';
import { claimBody, months, putPersonnelFile, retiredMan, seedInsured, seedRetiredMan } from '../../helpers/claims';
import { endOfChinaDate, chinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { makeIdNumber, testEnv, uniqueName } from '../../helpers/env';
import { enrollmentBody, get, post, seedRelation, stopBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { caseOfTransfer, seedHistory, waitForCase } from '../../helpers/transfers';
import { addMonths, birthDateAged, birthMonthRetiringIn, monthsAgo, monthsAhead } from '../../helpers/time';
import { randomAgency, seedCase } from '../../helpers/supervision';
import { eventually } from '../../helpers/wait';
import { startWorkflow } from '../../../api/services/workflow-starts';
import { captureHistory, settled, testDataConverter } from './capture-support';
import type * as CaptureSupport from './capture-support';

// Every Client the helpers construct (the API's, the time-skipping environment's) gets the codec.
jest.mock('@temporalio/client', () => {
  const actual = jest.requireActual<typeof TemporalClient>('@temporalio/client');
  if (process.env.CAPTURE_HISTORIES !== '1') return actual;
  const { testDataConverter: converter } = jest.requireActual<typeof CaptureSupport>('./capture-support');
  class Client extends actual.Client {
    constructor(options: ConstructorParameters<typeof actual.Client>[0]) {
      super({ ...options, dataConverter: converter() });
    }
  }
  return { ...actual, Client };
});

jest.setTimeout(300_000);

const capturing = process.env.CAPTURE_HISTORIES === '1';
const describeCapture = capturing ? describe : describe.skip;

/** Obviously fake names; every ID number is generated. Both are checked absent from the histories. */
const NAMES = ['测试人', '测试甲', '测试乙', '测试退休人员', '代办测试'];
const sensitive = new Set<string>(NAMES);
const fakeId = (o?: Parameters<typeof makeIdNumber>[0]): string => {
  const id = makeIdNumber(o);
  sensitive.add(id);
  return id;
};

// Staff act with bearer tokens; the actor is the token's.
const staffHeaders = (user: string, role: 'acceptor' | 'reviewer' | 'collective_reviewer', agencies = ['620102']) =>
  asUser({ user, role, agencies });
const applicantHeaders = (idNumber: string) =>
  asUser({
    user: `applicant-${idNumber.slice(-4)}`,
    role: 'applicant',
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
const acceptor = staffHeaders('clerk-01', 'acceptor');
const reviewer = staffHeaders('reviewer-07', 'reviewer');

beforeAll(() => {
  if (!capturing) return;
  const create = Worker.create.bind(Worker);
  jest
    .spyOn(Worker, 'create')
    .mockImplementation((options) => create({ ...options, dataConverter: testDataConverter() }));
});

describeCapture('enrollment, stop and benefit claim on the dev server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  // `enrollment-online-approved` (the enrollment arming the retirement watch itself) is the run
  // recorded before the lean case steps (workflows/shared/case-runtime.ts LEAN_STEPS_PATCH) and is
  // kept as recorded; this scenario records the lean path, the watch armed near the pre-review date.
  test('enrollment-online-approved-lean (and the retirement watch armed from the date it notes)', async () => {
    const idNumber = fakeId({ birthDate: birthDateAged(51, { day: 14 }), sex: 'male' });
    const res = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber, name: '测试甲' } }),
      applicantHeaders(idNumber),
    );
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'enrollment-online-approved-lean', res.body.caseId, sensitive);
    const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
    await armDueRetirementWatches({
      db: h.db,
      client: h.client,
      taskQueue: h.taskQueue,
      nowMs: Date.parse('2100-01-01T00:00:00Z'),
      personKey,
    });
    const watchId = retirementWatchId(personKey);
    await eventually(
      () =>
        h.client.workflow
          .getHandle(watchId)
          .describe()
          .then((d) => d.status.name),
      (s) => s === 'RUNNING',
      15_000,
    );
    await captureHistory(h.client, 'retirement-watch-armed', watchId, sensitive);
  });

  test('enrollment-online-refused', async () => {
    const { idNumber } = await seedRelation(h, {
      agencyCode: '620103',
      status: 'contributing',
      idNumber: fakeId(),
      name: '测试甲',
    });
    const res = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber, name: '测试甲' } }),
      applicantHeaders(idNumber),
    );
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused' });
    await captureHistory(h.client, 'enrollment-online-refused', res.body.caseId, sensitive);
  });

  test('enrollment-offline-accepted-reviewed', async () => {
    const idNumber = fakeId();
    const created = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline', applicant: { idNumber, name: '测试乙' } }),
      acceptor,
    );
    expect(created.body).toMatchObject({ status: 'open', stage: 'acceptance' });
    const caseId = created.body.caseId as string;
    expect(
      (await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, acceptor)).status,
    ).toBe(200);
    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'enrollment-offline-accepted-reviewed', caseId, sensitive);
  });

  test('enrollment-incomplete-supplemented (offline: missing materials, one notice, supplement, acceptance, review)', async () => {
    const idNumber = fakeId();
    const body = enrollmentBody({
      channel: 'offline',
      materials: [],
      applicant: { idNumber, name: '测试乙' },
      delegate: { idNumber: fakeId(), name: '代办测试' },
    });
    const created = await post(h, '/api/v1/enrollments', body, acceptor);
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    const caseId = created.body.caseId as string;
    const supplemented = await post(
      h,
      `/api/v1/cases/${caseId}/materials`,
      { materials: [{ kind: 'id_card' }, { kind: 'delegator_id' }, { kind: 'power_of_attorney' }] },
      acceptor,
    );
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(
      (await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, acceptor)).status,
    ).toBe(200);
    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'enrollment-incomplete-supplemented', caseId, sensitive);
  });

  test('stop-online-approved', async () => {
    const { idNumber } = await seedRelation(h, {
      agencyCode: '620102',
      status: 'contributing',
      idNumber: fakeId(),
      name: '测试甲',
    });
    const res = await post(
      h,
      '/api/v1/stops',
      stopBody(idNumber, { reason: 'voluntary', effectiveDate: '2025-06-30' }),
      applicantHeaders(idNumber),
    );
    expect(res.body).toMatchObject({ procedure: 'stop', status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'stop-online-approved', res.body.caseId, sensitive);
  });

  test('benefit-claim-collective-review-approved (and the certification watch it starts)', async () => {
    // A man who reached his statutory age two months ago, eligible with 200 deemed months (high risk).
    const { idNumber, birthDate, personId } = await seedRetiredMan(h, { deemedMonths: 200 });
    sensitive.add(idNumber);
    await putPersonnelFile(idNumber, { birthDate, deemedMonths: 200 });
    const created = await post(
      h,
      '/api/v1/claims',
      claimBody(idNumber, { channel: 'offline', lumpSum: true }),
      acceptor,
    );
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    const decide = (body: Record<string, unknown>, headers: Record<string, string>) =>
      post(h, `/api/v1/cases/${caseId}/decisions`, body, headers);
    expect((await decide({ step: 'acceptance', result: 'accept' }, acceptor)).status).toBe(200);
    expect((await decide({ step: 'file_review', result: 'recognise' }, reviewer)).status).toBe(200);
    // Four eyes: the review is confirmed by another reviewer than the one who recognised the file.
    const reviewed = await decide({ step: 'review', result: 'approve' }, staffHeaders('reviewer-09', 'reviewer'));
    expect(reviewed.body).toMatchObject({ stage: 'collective_review' });
    await decide(
      { step: 'collective_review', result: 'approve', reason: '视同缴费年限有档案原始记录佐证' },
      staffHeaders('cr-a', 'collective_reviewer'),
    );
    await decide(
      { step: 'collective_review', result: 'refuse', reason: '补缴资金来源需进一步核实' },
      staffHeaders('cr-b', 'collective_reviewer'),
    );
    const third = await decide(
      { step: 'collective_review', result: 'approve', reason: '补缴符合规定，同意' },
      staffHeaders('cr-c', 'collective_reviewer'),
    );
    expect(third.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'benefit-claim-collective-review-approved', caseId, sensitive);
    const [award] = await h.db.select({ id: awards.id }).from(awards).where(eq(awards.personId, personId));
    const watchId = certificationWatchId(award.id);
    const watch = await h.client.workflow.getHandle(watchId).describe();
    await captureHistory(h.client, 'certification-watch-started', watchId, sensitive);
    // A self-service certification: the watch certifies and continues as new for the next cycle.
    const certified = await post(
      h,
      `/api/v1/awards/${award.id}/certifications`,
      { method: 'self_service', requestId: uniqueName('app-face') },
      acceptor,
    );
    expect(certified.body).toMatchObject({ outcome: 'certified' });
    await eventually(
      () =>
        h.client.workflow
          .getHandle(watchId, watch.runId)
          .describe()
          .then((d) => d.status.name),
      (s) => s === 'CONTINUED_AS_NEW',
      15_000,
    );
    await captureHistory(h.client, 'certification-watch-certified', watchId, sensitive, watch.runId);
  });

  test('audit-anchor (after the cases above appended events)', async () => {
    const workflowId = uniqueName('audit-anchor-capture');
    const handle = await startWorkflow(h.client, {
      type: 'auditAnchor',
      options: { taskQueue: h.taskQueue, workflowId, args: [] },
    });
    expect(await handle.result()).toMatchObject({ created: expect.any(Boolean) });
    await captureHistory(h.client, 'audit-anchor', workflowId, sensitive);
  });

  test('tax-feed-pull-empty', async () => {
    const workflowId = uniqueName('tax-feed-pull-capture');
    const handle = await startWorkflow(h.client, {
      type: 'taxFeedPull',
      options: { taskQueue: h.taskQueue, workflowId, args: [{ pageSize: 2, maxPages: 2 }] },
    });
    await handle.result();
    await captureHistory(h.client, 'tax-feed-pull', workflowId, sensitive);
  });
});

describeCapture('payroll on a database of its own', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPrivateHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('payroll-run-month', async () => {
    for (const amount of ['2000.00', '3000.50']) {
      const p = await seedPensioner(h, { firstPaymentMonth: '2026-08', monthlyAmount: amount });
      sensitive.add(p.idNumber);
    }
    const workflowId = uniqueName('payroll-2026-09');
    const handle = await startWorkflow(h.client, {
      type: 'payrollRun',
      options: { workflowId, taskQueue: h.taskQueue, args: [{ month: '2026-09' }] },
    });
    expect(await handle.result()).toMatchObject({ month: '2026-09' });
    await captureHistory(h.client, 'payroll-run-month', workflowId, sensitive);
  });
});

describeCapture('recovery after the monthly death comparison, on a database of its own', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPrivateHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('recovery-recovered', async () => {
    const agency = `62${String(Math.floor(5000 + Math.random() * 4999))}`;
    const month = chinaDate(Date.now()).slice(0, 7);
    const p = await seedPensioner(h, {
      agencyCode: agency,
      firstPaymentMonth: addMonths(month, -3),
      monthlyAmount: '2300.00',
    });
    sensitive.add(p.idNumber);
    const pay = async (m: string) => {
      const workflowId = uniqueName(`payroll-${m}`);
      await (
        await startWorkflow(h.client, {
          type: 'payrollRun',
          options: { workflowId, taskQueue: h.taskQueue, args: [{ month: m }] },
        })
      ).result();
    };
    await pay(addMonths(month, -1));
    const res = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${p.idNumber}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dateOfDeath: `${addMonths(month, -2)}-10` }),
    });
    expect(res.ok).toBe(true);
    await pay(month);
    const [recovery] = await eventually(
      () =>
        h.db
          .select()
          .from(cases)
          .where(and(eq(cases.procedure, 'recovery'), eq(cases.personId, p.personId))),
      (rows) => rows.length === 1 && rows[0].stage === 'recovery',
      30_000,
    );
    const done = await post(
      h,
      `/api/v1/cases/${recovery.id}/decisions`,
      { step: 'recovery', result: 'recovered' },
      staffHeaders('reviewer-07', 'reviewer', [agency]),
    );
    expect(done.body).toMatchObject({ status: 'closed' });
    await captureHistory(h.client, 'recovery-recovered', recovery.id, sensitive);
  });
});

describeCapture('parameters published on a database of its own', () => {
  let h: Harness;
  let agency: string;
  beforeAll(async () => {
    h = await startPrivateHarness();
    agency = `62${String(Math.floor(5000 + Math.random() * 4999))}`;
  });
  afterAll(async () => {
    await h?.stop();
  });
  const supervisor = (user: string) => asUser({ user, role: 'supervisor', agencies: [agency] });
  async function publish(row: Record<string, unknown>): Promise<number> {
    const proposed = await post(
      h,
      '/api/v1/parameters',
      { source: 'capture', verified: false, ...row },
      supervisor('supervisor-a'),
    );
    const approved = await post(
      h,
      `/api/v1/parameters/proposals/${proposed.body.proposalId}/approval`,
      {},
      supervisor('supervisor-b'),
    );
    expect(approved.status).toBe(200);
    return approved.body.publicationId as number;
  }

  test('benefit-claim-awaiting-parameters, parameters-published and award-recalculation', async () => {
    // A man who retired two months ago with a year (1994) whose average wage and credit rate nobody published.
    const { idNumber, retirementYearMonth } = retiredMan({ monthsAgo: 2 });
    sensitive.add(idNumber);
    await seedInsured(h, {
      idNumber,
      agencyCode: agency,
      records: [...months('1994-01', '1994-12'), ...months('2010-01', addMonths(retirementYearMonth, -1))].map(
        (yearMonth) => ({ yearMonth, base: yearMonth < '2000' ? '300.00' : '3000.00' }),
      ),
    });
    await putPersonnelFile(idNumber, {
      birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      deemedMonths: 0,
    });
    const created = await post(
      h,
      '/api/v1/claims',
      claimBody(idNumber, { channel: 'offline', agencyCode: agency }),
      staffHeaders('clerk-01', 'acceptor', [agency]),
    );
    const caseId = created.body.caseId as string;
    const decide = (body: Record<string, unknown>, headers: Record<string, string>) =>
      post(h, `/api/v1/cases/${caseId}/decisions`, body, headers);
    await decide({ step: 'acceptance', result: 'accept' }, staffHeaders('clerk-01', 'acceptor', [agency]));
    const waiting = await decide(
      { step: 'file_review', result: 'recognise', items: [{ code: 'deemed_months', note: '0' }] },
      staffHeaders('reviewer-07', 'reviewer', [agency]),
    );
    expect(waiting.body).toMatchObject({ stage: 'awaiting_parameters' });
    const first = await publish({
      name: 'contribution.averageWage',
      region: '62',
      validFrom: '1994-01-01',
      validTo: '1994-12-31',
      value: '300',
    });
    await publish({
      name: 'contribution.accountCreditRate',
      region: '62',
      validFrom: '1994-01-01',
      validTo: '1997-12-31',
      value: '0.11',
    });
    await eventually(
      () => get(h, `/api/v1/cases/${caseId}`).then((r) => r.body),
      (c) => c.stage === 'review' && c.waitingOn === 'reviewer',
      30_000,
    );
    const approved = await decide(
      { step: 'review', result: 'approve' },
      staffHeaders('reviewer-09', 'reviewer', [agency]),
    );
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    await captureHistory(h.client, 'benefit-claim-awaiting-parameters', caseId, sensitive);
    await eventually(
      () =>
        h.client.workflow
          .getHandle(`parameter-publication-${first}`)
          .describe()
          .then(
            (d) => d.status.name,
            () => 'NOT_STARTED',
          ),
      (s) => s === 'COMPLETED',
      15_000,
    );
    await captureHistory(h.client, 'parameters-published', `parameter-publication-${first}`, sensitive);
    // The award stands on the retirement year's 计发基数, not published: publishing it recalculates the award.
    const awardId = approved.body.award.awardId as string;
    expect(approved.body.award.provisional).toBe(true);
    const year = retirementYearMonth.slice(0, 4);
    const publication = await publish({
      name: 'pension.baseWage',
      region: '62',
      validFrom: `${year}-01-01`,
      validTo: `${year}-12-31`,
      value: '9846',
    });
    const recalculationId = awardRecalculationWorkflowId(awardId, publication);
    await eventually(
      () =>
        h.client.workflow
          .getHandle(recalculationId)
          .describe()
          .then(
            (d) => d.status.name,
            () => 'NOT_STARTED',
          ),
      (s) => s === 'COMPLETED',
      30_000,
    );
    await captureHistory(h.client, 'award-recalculation', recalculationId, sensitive);
  });
});

describeCapture('deadlines and watches on the time-skipping server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ timeSkipping: true, supplementWorkingDays: 10 });
  });
  afterEach(async () => {
    await h?.stop();
  });

  async function sleepUntil(instant: number): Promise<void> {
    const ms = instant - (await h.timeSkipping!.currentTimeMs());
    if (ms > 0) await h.sleep(ms);
  }

  test('enrollment-supplement-timeout-withdrawn', async () => {
    const idNumber = fakeId();
    const created = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline', materials: [], applicant: { idNumber, name: '测试乙' } }),
      acceptor,
    );
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement' });
    const caseId = created.body.caseId as string;
    const replyDueDate = workingDaysAfter(chinaDate(created.body.receivedAt), 10);
    await sleepUntil(endOfChinaDate(replyDueDate) + 60_000);
    await eventually(
      () => get(h, `/api/v1/cases/${caseId}`).then((r) => r.body),
      (c) => c.status === 'closed',
      15_000,
    );
    expect(await h.client.workflow.getHandle(caseId).result()).toMatchObject({ outcome: 'withdrawn' });
    await captureHistory(h.client, 'enrollment-supplement-timeout-withdrawn', caseId, sensitive);
  });

  test('retirement-watch-pre-review and pre-review-acknowledged', async () => {
    // A man retiring about 58 months from the server's today (from 2026-12: born 1970-05, retiring 2031-10).
    const start = await h.timeSkipping!.currentTimeMs();
    const man = birthMonthRetiringIn(monthsAhead(58, start), 'male');
    const idNumber = fakeId({ birthDate: `${man.birthYearMonth}-20`, sex: 'male' });
    const res = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber, name: '测试甲' } }),
      applicantHeaders(idNumber),
    );
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
    const [person] = await h.db.select({ id: persons.id }).from(persons).where(eq(persons.personKey, personKey));
    await h.db
      .update(persons)
      .set({ workStartDate: `${Number(man.birthYearMonth.slice(0, 4)) + 20}-07-01` })
      .where(eq(persons.id, person.id));
    await seedContributionMonths(h, { personId: person.id, from: monthsAgo(156, start), months: 150 });
    await armDueRetirementWatches({
      db: h.db,
      client: h.client,
      taskQueue: h.taskQueue,
      nowMs: Date.parse(`${addMonths(man.retirementYearMonth, -3)}-01T00:00:00+08:00`),
      personKey,
    });
    const watchId = retirementWatchId(personKey);
    await settled(h.client, watchId);
    // 00:00 China time on the pre-review date (three months before the retirement month).
    await sleepUntil(Date.parse(`${addMonths(man.retirementYearMonth, -3)}-01T00:00:00+08:00`) + 1_000);
    const [preReview] = await eventually(
      () =>
        h.db
          .select({ id: cases.id })
          .from(cases)
          .where(and(eq(cases.personId, person.id), eq(cases.procedure, 'pre_review'))),
      (rows) => rows.length === 1,
      15_000,
    );
    const caseId = preReview.id;
    await eventually(
      () => get(h, `/api/v1/cases/${caseId}`).then((r) => r.body),
      (c) => c.waitingOn === 'staff',
      15_000,
    );
    const done = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'pre_review_followup', result: 'acknowledged', reason: '已电话告知参保人' },
      reviewer,
    );
    expect(done.body).toMatchObject({ status: 'closed' });
    await captureHistory(h.client, 'pre-review-acknowledged', caseId, sensitive);
    expect(await h.client.workflow.getHandle(watchId).result()).toMatchObject({ outcome: 'retirement_reached' });
    await captureHistory(h.client, 'retirement-watch-retirement-reached', watchId, sensitive);
  });
});

describeCapture("transfer between two installations (Xi'an → Lanzhou) on the dev server", () => {
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

  async function applyIn(idNumber: string, name: string) {
    const res = await lanzhou.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/in',
      headers: applicantHeaders(idNumber),
      payload: {
        agencyCode: codes.lanzhou,
        channel: 'online',
        applicant: { idNumber, name },
        fromAgencyCode: codes.xian,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ caseId: string; transfer: { transferId: string } }>();
  }

  async function captureBoth(client: { in: Client; out: Client }, inCaseId: string, outCaseId: string, branch: string) {
    await captureHistory(client.in, `transfer-in-${branch}`, inCaseId, sensitive);
    await captureHistory(client.out, `transfer-out-${branch}`, outCaseId, sensitive);
  }

  test('transfer-in-approved / transfer-out-approved', async () => {
    const idNumber = fakeId({ birthDate: birthDateAged(36, { day: 12 }), sex: 'male' });
    await seedHistory(xian.db, {
      idNumber,
      name: '测试甲',
      agencyCode: codes.xian,
      periods: [{ from: '2023-01', to: '2025-06', base: '5000.00' }],
    });
    const applied = await applyIn(idNumber, '测试甲');
    const inDone = await waitForCase(lanzhou.db, applied.caseId, (c) => c.status === 'closed', 60_000);
    expect(inDone.outcome).toBe('approved');
    const outCaseId = await caseOfTransfer(xian.db, applied.transfer.transferId, 'out');
    expect((await waitForCase(xian.db, outCaseId, (c) => c.status === 'closed')).outcome).toBe('approved');
    await captureBoth({ in: lanzhou.client, out: xian.client }, applied.caseId, outCaseId, 'approved');
  });

  test('transfer-in-sheet-corrected / transfer-out-sheet-corrected (sheet returned once, corrected, confirmed as version 2)', async () => {
    const idNumber = fakeId({ birthDate: birthDateAged(37, { day: 9 }), sex: 'male' });
    // Registered at Xi'an under another written name: the receiving side returns the sheet.
    await seedHistory(xian.db, {
      idNumber,
      name: '测试乙',
      agencyCode: codes.xian,
      periods: [{ from: '2023-01', to: '2025-06', base: '5000.00' }],
    });
    const applied = await applyIn(idNumber, '测试甲');
    const transferId = applied.transfer.transferId;
    const outCaseId = await caseOfTransfer(xian.db, transferId, 'out');
    await waitForCase(xian.db, outCaseId, (c) => c.stage === 'sheet_correction', 60_000);
    const decided = await xian.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${outCaseId}/decisions`,
      headers: staffHeaders('clerk-017', 'acceptor', [codes.xian]),
      payload: {
        step: 'sheet_correction',
        result: 'resend',
        reason: '按身份证件更正姓名',
        items: [{ code: 'name', note: '测试甲' }],
      },
    });
    expect(decided.statusCode).toBe(200);
    expect((await waitForCase(lanzhou.db, applied.caseId, (c) => c.status === 'closed', 60_000)).outcome).toBe(
      'approved',
    );
    expect((await waitForCase(xian.db, outCaseId, (c) => c.status === 'closed')).outcome).toBe('approved');
    await captureBoth({ in: lanzhou.client, out: xian.client }, applied.caseId, outCaseId, 'sheet-corrected');
  });
});

describeCapture('supervision: self-inspection and tip-off audit on a database of its own', () => {
  let h: Harness;
  let agency: string;
  beforeAll(async () => {
    h = await startPrivateHarness();
    agency = randomAgency();
  });
  afterAll(async () => {
    await h?.stop();
  });
  const supervisor = (user: string) => asUser({ user, role: 'supervisor', agencies: [agency] });

  test('self-inspection-round, self-inspection-reported', async () => {
    for (const day of ['01-06', '02-10', '03-17']) {
      await seedCase(h.db, {
        agencyCode: agency,
        procedure: 'enrollment',
        receivedAt: `2025-${day}T09:00:00+08:00`,
        closedAt: `2025-${day}T10:00:00+08:00`,
        outcome: 'approved',
      });
    }
    const roundId = uniqueName('self-inspection-round-capture');
    const round = await startWorkflow(h.client, {
      type: 'selfInspectionRound',
      options: { taskQueue: h.taskQueue, workflowId: roundId, args: [{ quarter: '2025Q1', agencies: [agency] }] },
    });
    const inspectionId = selfInspectionWorkflowId(agency, '2025Q1');
    expect(await round.result()).toEqual({ quarter: '2025Q1', started: [inspectionId], alreadyStarted: [] });
    await captureHistory(h.client, 'self-inspection-round', roundId, sensitive);
    const tasks = await eventually(
      () =>
        get(h, `/api/v1/tasks?agencyCode=${agency}&step=self_inspection`, supervisor('sup-capture')).then(
          (r) => r.body.items as Array<{ taskId: string }>,
        ),
      (items) => items.length === 2,
      15_000,
    );
    for (const [i, t] of tasks.entries()) {
      expect((await post(h, `/api/v1/tasks/${t.taskId}/claim`, {}, supervisor('sup-capture'))).status).toBe(200);
      const body =
        i === 0
          ? { result: 'finding', items: [{ code: 'records_incomplete', note: '审核记录缺页' }] }
          : { result: 'compliant' };
      expect((await post(h, `/api/v1/tasks/${t.taskId}/complete`, body, supervisor('sup-capture'))).status).toBe(200);
    }
    expect(await h.client.workflow.getHandle(inspectionId).result()).toMatchObject({
      sampled: 2,
      inspected: 2,
      findings: 1,
    });
    await captureHistory(h.client, 'self-inspection-reported', inspectionId, sensitive);
  });

  test('tip-off-audit-concluded', async () => {
    const opened = await post(
      h,
      '/api/v1/audits',
      {
        agencyCode: agency,
        kind: 'tip_off',
        title: '举报稽核（采集）',
        tipOff: { content: '举报内容（测试）', channel: 'phone' },
      },
      supervisor('sup-capture'),
    );
    expect(opened.status).toBe(201);
    const auditId = opened.body.auditId as string;
    await eventually(
      () => get(h, `/api/v1/audits/${auditId}`, supervisor('sup-capture')).then((r) => r.body),
      (a) => a.dueDate !== null,
      15_000,
    );
    const concluded = await post(
      h,
      `/api/v1/audits/${auditId}/conclusion`,
      { conclusion: '经核查，举报不实' },
      supervisor('sup-capture'),
    );
    expect(concluded.body).toMatchObject({ status: 'concluded' });
    expect(await h.client.workflow.getHandle(auditId).result()).toMatchObject({ status: 'concluded' });
    await captureHistory(h.client, 'tip-off-audit-concluded', auditId, sensitive);
  });
});
