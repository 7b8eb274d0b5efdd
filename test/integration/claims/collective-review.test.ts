/**
 * High-risk claims go to collective review (集体会审, 10.2.3, R-4): a quorum (3) of distinct
 * members, none of whom accepted or reviewed the case, each vote recorded as a decision with its
 * reason; approved by a strict majority of the quorum.
 */
import { eq } from 'drizzle-orm';
import type { CaseDetail } from '../../../db/repositories/cases';
import { auditRefusals } from '../../../db/schema';
import {
  acceptor,
  claimBody,
  claimConfirmer,
  claimReviewer,
  member,
  putPersonnelFile,
  relationOf,
  seedRetiredMan,
  tasksOf,
} from '../../helpers/claims';
import { asUser } from '../../helpers/auth';
import { get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function refusalsOf(caseId: string) {
  const rows = await h.db.select().from(auditRefusals).where(eq(auditRefusals.caseId, caseId));
  return rows
    .map((r) => ({ actorId: r.actorId, actorRole: r.actorRole, code: r.code, action: r.action }))
    .sort((a, b) => a.actorId.localeCompare(b.actorId));
}

const eventOf = (c: { events: CaseDetail['events'] }, type: string) => c.events.find((e) => e.type === type);
const vote = (caseId: string, result: 'approve' | 'refuse', actor: Record<string, string>, reason?: string) =>
  post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'collective_review', result, ...(reason === undefined ? {} : { reason }) },
    actor,
  );

/**
 * An offline claim that the rules flag as high-risk — 200 recognised deemed months (≥ 180) and a
 * declared lump sum — of an eligible man (statutory age reached two months ago, the minimum of
 * his retirement year met), accepted by clerk-01, its file recognised by reviewer-07 and the
 * review approved by reviewer-09 (reviewer-07 may not confirm the recognition it made): now in
 * collective review.
 */
async function highRiskClaim(): Promise<{ caseId: string; personId: string; body: CaseDetail }> {
  const { idNumber, birthDate, personId } = await seedRetiredMan(h, { deemedMonths: 200 });
  await putPersonnelFile(idNumber, { birthDate, deemedMonths: 200 });
  const created = await post(h, '/api/v1/claims', claimBody(idNumber, { channel: 'offline', lumpSum: true }));
  expect(created.status).toBe(201);
  const caseId: string = created.body.caseId;
  await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, acceptor);
  const recognised = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'file_review', result: 'recognise' },
    claimReviewer,
  );
  expect(eventOf(recognised.body, 'claim_assessed')?.detail).toMatchObject({
    eligible: true,
    risk: { highRisk: true, reasons: ['deemed_months_high', 'lump_sum_back_payment'], quorum: 3 },
  });
  // Nobody approves their own work: the reviewer who recognised the deemed months does not confirm the claim.
  const own = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, claimReviewer);
  expect(own).toMatchObject({ status: 403, body: { error: { code: 'separation.own_work', field: 'actor' } } });
  expect((await refusalsOf(caseId)).filter((r) => r.code === 'separation.own_work')).toEqual([
    { actorId: 'reviewer-07', actorRole: 'reviewer', code: 'separation.own_work', action: 'decide review' },
  ]);
  expect((await get(h, `/api/v1/cases/${caseId}`)).body).toMatchObject({
    status: 'open',
    stage: 'review',
    waitingOn: 'reviewer',
  });
  const approved = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    claimConfirmer,
  );
  expect(approved.status).toBe(200);
  return { caseId, personId, body: approved.body };
}

test('a high-risk claim waits for three members; a member who accepted or reviewed it, a non-member, a vote without reason and a second vote are refused; 2 of 3 approve', async () => {
  const { caseId, personId, body } = await highRiskClaim();
  expect(body).toMatchObject({ status: 'open', stage: 'collective_review', waitingOn: 'reviewer', award: null });
  expect(eventOf(body, 'collective_review_required')?.detail).toMatchObject({
    reasons: ['benefit_claim.deemed_months_high', 'benefit_claim.lump_sum_back_payment'],
    quorum: 3,
  });
  const seats = (await tasksOf(h, caseId)).filter((t) => t.step === 'collective_review');
  expect(seats).toHaveLength(3);
  expect(seats.every((t) => t.role === 'collective_reviewer' && t.status === 'open' && t.clause === '10.2.3')).toBe(
    true,
  );

  const acceptedIt = await vote(caseId, 'approve', member('clerk-01'), '同意');
  expect(acceptedIt.status).toBe(403);
  expect(acceptedIt.body.error).toMatchObject({ code: 'separation.collective_member_conflict', field: 'actor' });
  expect(acceptedIt.body.error.message).toContain('受理');
  const reviewedIt = await vote(caseId, 'approve', member('reviewer-07'), '同意');
  expect(reviewedIt.status).toBe(403);
  expect(reviewedIt.body.error.code).toBe('separation.collective_member_conflict');
  expect(reviewedIt.body.error.message).toContain('审核');
  expect((await refusalsOf(caseId)).filter((r) => r.code === 'separation.collective_member_conflict')).toEqual([
    {
      actorId: 'clerk-01',
      actorRole: 'collective_reviewer',
      code: 'separation.collective_member_conflict',
      action: 'decide collective_review',
    },
    {
      actorId: 'reviewer-07',
      actorRole: 'collective_reviewer',
      code: 'separation.collective_member_conflict',
      action: 'decide collective_review',
    },
  ]);
  expect(
    (await get(h, `/api/v1/cases/${caseId}`)).body.decisions.filter(
      (d: { step: string }) => d.step === 'collective_review',
    ),
  ).toEqual([]);
  const notMember = await vote(caseId, 'approve', asUser({ user: 'cr-x', role: 'reviewer', agencies: ['*'] }), '同意');
  expect(notMember.body.error.code).toBe('separation.wrong_role');
  const noReason = await vote(caseId, 'approve', member('cr-a'));
  expect(noReason.status).toBe(422);
  expect(noReason.body.error.code).toBe('decision.reason_required');

  const first = await vote(caseId, 'approve', member('cr-a'), '视同缴费年限有档案原始记录佐证');
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ status: 'open', stage: 'collective_review', waitingOn: 'reviewer' });
  const twice = await vote(caseId, 'refuse', member('cr-a'), '改变主意');
  expect(twice.status).toBe(422);
  expect(twice.body.error.code).toBe('vote.already_cast');

  const second = await vote(caseId, 'refuse', member('cr-b'), '一次性补缴资金来源需进一步核实');
  expect(second.body).toMatchObject({ status: 'open', stage: 'collective_review' });
  const third = await vote(caseId, 'approve', member('cr-c'), '补缴符合规定，同意');
  expect(third.status).toBe(200);
  expect(third.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(third.body.award).toMatchObject({ status: 'active' });
  expect(await relationOf(h, personId)).toMatchObject({ status: 'receiving' });

  const votes = third.body.decisions.filter((d: { step: string }) => d.step === 'collective_review');
  expect(
    votes.map((d: { actor: { id: string; role: string }; result: string; reason: string }) => [
      d.actor.id,
      d.actor.role,
      d.result,
      d.reason,
    ]),
  ).toEqual([
    ['cr-a', 'collective_reviewer', 'approve', '视同缴费年限有档案原始记录佐证'],
    ['cr-b', 'collective_reviewer', 'refuse', '一次性补缴资金来源需进一步核实'],
    ['cr-c', 'collective_reviewer', 'approve', '补缴符合规定，同意'],
  ]);
  expect(eventOf(third.body, 'collective_review_approved')?.detail).toMatchObject({
    approvals: 2,
    refusals: 1,
    quorum: 3,
    members: ['cr-a', 'cr-b', 'cr-c'],
  });
  expect(third.body.events.filter((e: { type: string }) => e.type === 'vote_recorded')).toHaveLength(3);
  expect(eventOf(third.body, 'entitlement_certified')?.detail).toMatchObject({ collectiveReview: true });
  expect(
    (await tasksOf(h, caseId)).filter((t) => t.step === 'collective_review').every((t) => t.status === 'done'),
  ).toBe(true);

  const late = await vote(caseId, 'approve', member('cr-d'), '同意');
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('case.closed');
});

test('two of three members refuse: the claim is refused with their reasons and no award', async () => {
  const { caseId, personId } = await highRiskClaim();
  await vote(caseId, 'refuse', member('cr-d'), '档案记载的工作经历无法核实');
  await vote(caseId, 'approve', member('cr-e'), '同意');
  const last = await vote(caseId, 'refuse', member('cr-f'), '一次性补缴缺少法定文书');
  expect(last.body).toMatchObject({
    status: 'closed',
    outcome: 'refused',
    outcomeReason: 'collective_review_refused,collective_review_refused',
    award: null,
  });
  expect(eventOf(last.body, 'collective_review_refused')?.detail).toMatchObject({ approvals: 1, refusals: 2 });
  const notice = last.body.notices.find((n: { kind: string }) => n.kind === 'refusal_reasons');
  expect(notice.items.map((i: { text: string }) => i.text)).toEqual([
    '经集体会审不予通过：档案记载的工作经历无法核实',
    '经集体会审不予通过：一次性补缴缺少法定文书',
  ]);
  expect(last.body.decisions.filter((d: { step: string }) => d.step === 'collective_review')).toHaveLength(3);
  expect(await relationOf(h, personId)).toMatchObject({ status: 'contributing' });
});

test('votes sent at the same moment are all recorded, each once', async () => {
  const { caseId } = await highRiskClaim();
  const results = await Promise.all([
    vote(caseId, 'approve', member('cr-g'), '同意'),
    vote(caseId, 'approve', member('cr-h'), '同意'),
    vote(caseId, 'approve', member('cr-i'), '同意'),
  ]);
  expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
  const final = (
    await eventually(
      () => get(h, `/api/v1/cases/${caseId}`),
      (r) => r.body.status === 'closed',
    )
  ).body;
  expect(final).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(
    final.decisions
      .filter((d: { step: string }) => d.step === 'collective_review')
      .map((d: { actor: { id: string } }) => d.actor.id)
      .sort(),
  ).toEqual(['cr-g', 'cr-h', 'cr-i']);
});
