/**
 * Enrollment (E-1..E-8) with mocked activities: every branch of the workflow — online approved
 * and refused, offline accepted and reviewed, incomplete materials supplemented in time, and
 * withdrawn when the supplement deadline passes (time skipped on the test server).
 */
import type { RelationFact } from '../../domain/enrollment';
import type { Material } from '../../domain/materials';
import { chinaDateOf } from '../../domain/working-days';
import { enrollment, type EnrollmentInput } from '../../workflows/enrollment';
import { actors, AGENCY, caseTest, refusalOf, useTimeSkipping, type CaseTest } from './helpers/env';

useTimeSkipping();

const ID_CARD: Material = { kind: 'id_card', ref: 'scan-1' };

async function enrollmentInput(
  t: CaseTest,
  o: { channel: 'online' | 'offline'; materials: Material[] },
): Promise<EnrollmentInput> {
  const caseId = t.caseId('enrollment');
  const receivedBy = o.channel === 'offline' ? actors.acceptor : actors.applicant;
  return {
    ...(await t.caseStart(caseId, o.channel, receivedBy)),
    category: 'part_time',
    materials: o.materials,
    hasDelegate: false,
    supplementWorkingDays: 10,
  };
}

/** The person's relations as the review sees them (the facts activity, lean or not). */
function relationFacts(facts: RelationFact[]) {
  return { gatherRelationFacts: async () => facts, recordStepAndGatherRelationFacts: async () => facts };
}

test('online, complete and eligible: accepted and approved by the rules, the relation created in the closing step', async () => {
  await caseTest({ ...relationFacts([]), completeEnrollment: async () => undefined }, async (t) => {
    const input = await enrollmentInput(t, { channel: 'online', materials: [ID_CARD] });
    const { handle, view } = await t.start(enrollment, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'approved', stage: 'closed', waitingOn: null });
    expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'approved' });

    const [completed] = t.callsOf('completeEnrollment') as Array<{
      action: string;
      category: string;
      agencyCode: string;
      step: { type: string; outcome: string };
    }>;
    expect(completed).toMatchObject({
      action: 'create',
      category: 'part_time',
      agencyCode: AGENCY,
      step: { type: 'relation_created', outcome: 'approved' },
    });
    expect(t.events(input.caseId)).toEqual([
      'case_received',
      'materials_accepted',
      'review_started',
      'relation_created',
    ]);
    expect(t.callsOf('compareDeathRegistry')).toEqual([{ caseId: input.caseId }]);
  });
});

test('online but already enrolled as flexibly employed in the province: refused with the reasons on a notice, no relation written', async () => {
  const enrolled: RelationFact = {
    agencyCode: '620103',
    provinceCode: '62',
    status: 'contributing',
    category: 'part_time',
  };
  await caseTest({ ...relationFacts([enrolled]), completeEnrollment: async () => undefined }, async (t) => {
    const input = await enrollmentInput(t, { channel: 'online', materials: [ID_CARD] });
    const { view } = await t.start(enrollment, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'refused' });
    const closing = t.steps(input.caseId).at(-1)!;
    expect(closing).toMatchObject({
      type: 'enrollment_refused',
      outcome: 'refused',
      outcomeReason: 'already_enrolled_flexible',
      notice: { kind: 'refusal_reasons' },
    });
    expect(closing.notice!.text).toContain('620103');
    expect(t.callsOf('completeEnrollment')).toEqual([]);
  });
});

test('offline: the counter accepts, a reviewer other than the acceptor confirms, the relation is resumed', async () => {
  const interrupted: RelationFact = {
    agencyCode: AGENCY,
    provinceCode: '62',
    status: 'interrupted',
    category: 'part_time',
  };
  await caseTest({ ...relationFacts([interrupted]), completeEnrollment: async () => undefined }, async (t) => {
    const input = await enrollmentInput(t, { channel: 'offline', materials: [ID_CARD] });
    const { handle, view } = await t.start(enrollment, input);
    expect(view).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff', awaitingStep: 'acceptance' });

    const accepted = await t.decide(handle, { step: 'acceptance', result: 'accept', actor: actors.acceptor });
    expect(accepted).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer', awaitingStep: 'review' });

    // Separation of duties: whoever accepted the case cannot review it, whatever role they claim.
    expect(
      await refusalOf(
        t.decide(handle, { step: 'review', result: 'approve', actor: { id: actors.acceptor.id, role: 'reviewer' } }),
      ),
    ).toEqual({
      type: 'separation.acceptor_cannot_review',
      message: expect.stringContaining('受理了本案，不能审核本案'),
    });
    // An input the API did not sign is refused and reported to the audit sink.
    expect(
      await refusalOf(
        t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer }, { unsigned: true }),
      ),
    ).toMatchObject({ type: 'assertion.missing' });
    expect(t.refusals).toEqual([
      expect.objectContaining({ caseId: input.caseId, action: 'decide', code: 'assertion.missing' }),
    ]);

    const approved = await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer });
    expect(approved).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(t.callsOf('completeEnrollment')).toEqual([
      expect.objectContaining({ action: 'resume', step: expect.objectContaining({ type: 'relation_resumed' }) }),
    ]);
    // Who decided what, in order: the counter's acceptance, then the review.
    const decisions = t.steps(input.caseId).filter((s) => s.type === 'decision_recorded');
    expect(decisions.map((s) => [s.detail.step, s.actor?.id])).toEqual([
      ['acceptance', actors.acceptor.id],
      ['review', actors.reviewer.id],
    ]);
    expect(t.events(input.caseId).at(-1)).toBe('relation_resumed');
  });
});

test('incomplete: one notice lists every missing item, the clock pauses, and a supplement before the reply date moves the case on', async () => {
  await caseTest({ ...relationFacts([]), completeEnrollment: async () => undefined }, async (t) => {
    const input = await enrollmentInput(t, { channel: 'offline', materials: [] });
    const { handle, view } = await t.start(enrollment, input);
    expect(view).toMatchObject({
      status: 'open',
      stage: 'awaiting_supplement',
      waitingOn: 'applicant',
      clock: { state: 'paused' },
    });
    const notice = t.steps(input.caseId).find((s) => s.type === 'notice_issued')!;
    expect(notice.notice).toMatchObject({
      kind: 'missing_materials',
      round: 1,
      items: [expect.objectContaining({ code: 'identity_document' })],
    });
    const replyDueDate = notice.notice!.replyDueDate!;

    await t.sleep('3 days');
    // Only the applicant or the counter may supplement.
    expect(await refusalOf(t.supplement(handle, [ID_CARD], actors.reviewer))).toMatchObject({
      type: 'separation.wrong_role',
    });
    const supplemented = await t.supplement(handle, [ID_CARD], actors.applicant);
    expect(supplemented).toMatchObject({
      status: 'open',
      stage: 'acceptance',
      waitingOn: 'staff',
      clock: { state: 'running' },
    });

    // Past the old reply date nothing is withdrawn: the case waits for the counter.
    await t.sleepUntil(Date.parse(`${replyDueDate}T00:00:00+08:00`) + 2 * 86_400_000);
    expect(await t.view(handle)).toMatchObject({ status: 'open', stage: 'acceptance' });
    await t.decide(handle, { step: 'acceptance', result: 'accept', actor: actors.acceptor });
    expect(await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer })).toMatchObject({
      status: 'closed',
      outcome: 'approved',
    });
    expect(t.events(input.caseId)).toContain('materials_supplemented');
    expect(t.events(input.caseId)).not.toContain('supplement_deadline_passed');
  });
});

test('incomplete and never supplemented: withdrawn when the reply date (10 working days) ends, not before', async () => {
  await caseTest({ ...relationFacts([]), completeEnrollment: async () => undefined }, async (t) => {
    const input = await enrollmentInput(t, { channel: 'online', materials: [] });
    const { handle, view } = await t.start(enrollment, input);
    expect(view).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    const replyDueDate = t.steps(input.caseId).find((s) => s.type === 'notice_issued')!.notice!.replyDueDate!;
    const deadline = Date.parse(`${replyDueDate}T00:00:00+08:00`) + 86_400_000;
    // The mocked calendar counts every day: 10 working days after the receipt date.
    expect(replyDueDate).toBe(chinaDateOf(Date.parse(input.receivedAt) + 10 * 86_400_000));

    await t.sleepUntil(deadline - 3_600_000);
    expect(await t.view(handle)).toMatchObject({ status: 'open', stage: 'awaiting_supplement' });

    await t.sleepUntil(deadline + 60_000);
    await t.until(handle, (v) => v.status === 'closed');
    expect(await handle.result()).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const closing = t.steps(input.caseId).at(-1)!;
    expect(closing).toMatchObject({
      type: 'supplement_deadline_passed',
      outcomeReason: 'supplement_deadline_passed',
      detail: { outstanding: ['identity_document'], replyDueDate },
    });
    expect(Date.parse(closing.occurredAt)).toBeGreaterThanOrEqual(deadline);
    expect(closing.notice!.text).toContain('视为撤回');
    expect(t.callsOf('completeEnrollment')).toEqual([]);
  });
});
