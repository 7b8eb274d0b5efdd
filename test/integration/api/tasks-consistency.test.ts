/**
 * The workflows and the task table never disagree. Several cases of different procedures —
 * offline enrollments (acceptance, a one-time notice and a supplement, review), an offline stop
 * (review) and a high-risk benefit claim (acceptance, file review, review, a collective review
 * with three seats) — are driven through the inbox, and at every settled point, for every case,
 * the workflow's caseView query (awaitingStep, stage, status) and the live task rows agree
 * exactly, and the supervisor's inbox lists exactly the live rows.
 */
import { asUser, type TestUser } from '../../helpers/auth';
import { claimBody, putPersonnelFile, seedRetiredMan } from '../../helpers/claims';
import { enrollmentBody, post, seedRelation, stopBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import {
  caseIdsOfAgency,
  claimAndComplete,
  inbox,
  liveTasksOf,
  privateAgency,
  taskAction,
  youngIdNumber,
  workflowAndTable,
  type TaskItem,
} from '../../helpers/tasks';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('at every settled point the workflow’s awaited step and the open task rows agree, across procedures and a collective review', async () => {
  const ag = privateAgency();
  const u = (user: string, role: TestUser['role']): TestUser => ({ user: `${user}-${ag}`, role, agencies: [ag] });
  const acceptor = u('acc', 'acceptor');
  const fileReviewer = u('rev-file', 'reviewer');
  const reviewer = u('rev', 'reviewer');
  const supervisor = u('sup', 'supervisor');
  const members = [
    u('cr-1', 'collective_reviewer'),
    u('cr-2', 'collective_reviewer'),
    u('cr-3', 'collective_reviewer'),
  ];

  const caseIds: string[] = [];
  /** Expected live seats of a collective review, by case (other steps have one task). */
  const seats = new Map<string, number>();
  const settled = async (label: string) => {
    const all: string[] = [];
    // Every case of the agency: those started here, and any a workflow started by itself.
    expect((await caseIdsOfAgency(h, ag)).sort()).toEqual([...caseIds].sort());
    for (const caseId of caseIds) {
      const { workflow, table } = await workflowAndTable(h, caseId);
      const expected = workflow.awaitingStep ? [workflow.awaitingStep] : [];
      const live = workflow.awaitingStep ? (workflow.awaitingStep === 'collective_review' ? seats.get(caseId)! : 1) : 0;
      expect({
        label,
        caseId,
        steps: table.steps,
        live: table.live,
        status: table.status,
        stage: table.stage,
        waitingOn: table.waitingOn,
      }).toEqual({
        label,
        caseId,
        steps: expected,
        live,
        status: workflow.status,
        stage: workflow.stage,
        waitingOn: workflow.waitingOn,
      });
      all.push(...(await liveTasksOf(h, caseId)).map((t) => t.id));
    }
    const listed = await inbox(h, supervisor, { limit: 200 });
    expect({ label, listed: listed.body.items.map((t) => t.taskId).sort() }).toEqual({ label, listed: all.sort() });
    expect(listed.body.total).toBe(all.length);
  };
  const taskOf = async (caseId: string, step?: string): Promise<TaskItem> => {
    const items = (await inbox(h, supervisor, { caseId, ...(step ? { step } : {}) })).body.items;
    expect(items.length).toBeGreaterThan(0);
    return items[0];
  };

  // Two offline enrollments waiting for acceptance, an offline stop waiting for review.
  for (let i = 0; i < 2; i++) {
    const res = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ agencyCode: ag, channel: 'offline', applicant: { idNumber: youngIdNumber(), name: '测试人' } }),
      asUser(acceptor),
    );
    expect(res.status).toBe(201);
    caseIds.push(res.body.caseId);
  }
  const [e1, e2] = caseIds;
  const { idNumber: stopper } = await seedRelation(h, { agencyCode: ag, status: 'contributing' });
  const stop = await post(
    h,
    '/api/v1/stops',
    stopBody(stopper, { agencyCode: ag, channel: 'offline', reason: 'voluntary' }),
    asUser(acceptor),
  );
  expect(stop.status).toBe(201);
  const st: string = stop.body.caseId;
  caseIds.push(st);

  // A high-risk benefit claim (200 deemed months, a lump sum): offline, waiting for acceptance.
  const { idNumber: claimant, birthDate } = await seedRetiredMan(h, { deemedMonths: 200, agencyCode: ag });
  await putPersonnelFile(claimant, { birthDate, deemedMonths: 200 });
  const claim = await post(
    h,
    '/api/v1/claims',
    claimBody(claimant, { agencyCode: ag, channel: 'offline', lumpSum: true }),
    asUser(acceptor),
  );
  expect(claim.status).toBe(201);
  const bc: string = claim.body.caseId;
  caseIds.push(bc);
  await settled('created');

  // e1 accepted; e2 returned with a one-time notice (waits on the applicant: no task), then supplemented (a new acceptance task).
  await claimAndComplete(h, acceptor, (await taskOf(e1)).taskId, { result: 'accept' });
  await settled('e1 accepted');
  const returned = await claimAndComplete(h, acceptor, (await taskOf(e2)).taskId, {
    result: 'incomplete',
    items: [{ code: 'identity_document', note: '身份证件已过期' }],
  });
  expect(returned.case).toMatchObject({ stage: 'awaiting_supplement', waitingOn: 'applicant' });
  await settled('e2 returned for completion');
  const supplemented = await post(
    h,
    `/api/v1/cases/${e2}/materials`,
    { materials: [{ kind: 'id_card', ref: 'scan-2' }] },
    asUser(acceptor),
  );
  expect(supplemented.status).toBe(200);
  expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
  await settled('e2 supplemented');

  // The claim: acceptance, file review, review; then three seats of collective review.
  await claimAndComplete(h, acceptor, (await taskOf(bc)).taskId, { result: 'accept' });
  await settled('claim accepted');
  await claimAndComplete(h, fileReviewer, (await taskOf(bc, 'file_review')).taskId, { result: 'recognise' });
  await settled('claim file reviewed');
  const reviewed = await claimAndComplete(h, reviewer, (await taskOf(bc, 'review')).taskId, { result: 'approve' });
  expect(reviewed.case).toMatchObject({ stage: 'collective_review', waitingOn: 'reviewer' });
  seats.set(bc, 3);
  await settled('claim in collective review');

  // The member of the second seat votes first: that seat closes, the others stay live.
  const seatTasks = (await inbox(h, members[0], { caseId: bc, sort: 'createdAt' })).body.items;
  expect(seatTasks.map((t) => t.title)).toEqual([
    '集体会审：对高风险业务表决（第1/3席）',
    '集体会审：对高风险业务表决（第2/3席）',
    '集体会审：对高风险业务表决（第3/3席）',
  ]);
  const [seat1, seat2, seat3] = seatTasks;
  expect((await taskAction(h, members[0], seat1.taskId, 'claim')).status).toBe(200);
  const vote2 = await claimAndComplete(h, members[1], seat2.taskId, {
    result: 'approve',
    reason: '档案记录完整，同意',
  });
  expect(vote2.task).toMatchObject({ taskId: seat2.taskId, status: 'done', assignee: members[1].user });
  seats.set(bc, 2);
  await settled('first vote');
  const stillLive = await liveTasksOf(h, bc);
  expect(stillLive.map((t) => [t.id, t.status, t.assignee]).sort()).toEqual(
    [
      [seat1.taskId, 'claimed', members[0].user],
      [seat3.taskId, 'open', null],
    ].sort(),
  );
  // A member who has voted cannot vote again through another seat: the workflow refuses it, the seat stays live.
  expect((await taskAction(h, members[1], seat3.taskId, 'claim')).status).toBe(200);
  const twice = await taskAction(h, members[1], seat3.taskId, 'complete', { result: 'refuse', reason: '改变主意' });
  expect(twice.status).toBe(422);
  expect(twice.body.error.code).toBe('vote.already_cast');
  expect((await taskAction(h, members[1], seat3.taskId, 'release')).status).toBe(200);
  await settled('second vote refused');

  await claimAndComplete(h, members[2], seat3.taskId, { result: 'refuse', reason: '补缴资金来源需进一步核实' });
  seats.set(bc, 1);
  await settled('second vote');
  const last = await taskAction(h, members[0], seat1.taskId, 'complete', {
    result: 'approve',
    reason: '符合规定，同意',
  });
  expect(last.status).toBe(200);
  expect(last.body.task).toMatchObject({ taskId: seat1.taskId, status: 'done', assignee: members[0].user });
  expect(last.body.case).toMatchObject({ status: 'closed', outcome: 'approved' });
  await settled('claim decided');

  // The remaining cases to their end.
  await claimAndComplete(h, reviewer, (await taskOf(e1, 'review')).taskId, { result: 'approve' });
  await settled('e1 approved');
  await claimAndComplete(h, reviewer, (await taskOf(st)).taskId, { result: 'refuse', reason: '未提供相关证明' });
  await settled('stop refused');
  await claimAndComplete(h, acceptor, (await taskOf(e2)).taskId, { result: 'accept' });
  await settled('e2 accepted');
  const end = await claimAndComplete(h, reviewer, (await taskOf(e2, 'review')).taskId, { result: 'approve' });
  expect(end.case).toMatchObject({ status: 'closed', outcome: 'approved' });
  await settled('all closed');
  expect((await inbox(h, supervisor)).body).toEqual({ total: 0, totalCapped: false, items: [], nextCursor: null });
});
