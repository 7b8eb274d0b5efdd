/**
 * Stopping insurance (S-1..S-4) with mocked activities: online stops decided by the rule
 * (approved, refused), a counter stop confirmed by a reviewer, a death the registry does not
 * confirm (death certificate, high-risk: electronic materials and collective review), and a
 * death that ends the person's certification watches.
 */
import { randomUUID } from 'node:crypto';
import type { RelationFact } from '../../domain/enrollment';
import type { Material } from '../../domain/materials';
import type { StopReason } from '../../domain/stop';
import { certificationWatch, certificationWatchId } from '../../workflows/certification';
import { stop, type StopInput } from '../../workflows/stop';
import { actors, AGENCY, caseTest, gradedHigh, refusalOf, useTimeSkipping, type CaseTest } from './helpers/env';

useTimeSkipping();

const CONTRIBUTING_HERE: RelationFact = {
  agencyCode: AGENCY,
  provinceCode: '62',
  status: 'contributing',
  category: 'part_time',
};

async function stopInput(
  t: CaseTest,
  o: { channel: 'online' | 'offline'; reason: StopReason; materials?: Material[] },
): Promise<StopInput> {
  const caseId = t.caseId('stop');
  const start = await t.caseStart(caseId, o.channel, o.channel === 'offline' ? actors.acceptor : actors.applicant);
  return {
    ...start,
    reason: o.reason,
    effectiveDate: start.receivedAt.slice(0, 10),
    materials: o.materials,
    supplementWorkingDays: 10,
  };
}

const relation = (facts: RelationFact[]) => ({
  gatherRelationFacts: async () => facts,
  lastContributionMonth: async () => ({ yearMonth: null }),
  completeStop: async () => ({ stoppedAwardIds: [] as string[] }),
});

test('online, voluntary, with a relation here: stopped by the rule with its reason and date', async () => {
  await caseTest(relation([CONTRIBUTING_HERE]), async (t) => {
    const input = await stopInput(t, { channel: 'online', reason: 'voluntary' });
    const { view } = await t.start(stop, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(t.callsOf('completeStop')).toEqual([
      expect.objectContaining({
        agencyCode: AGENCY,
        reason: 'voluntary',
        effectiveDate: input.effectiveDate,
        step: expect.objectContaining({ type: 'relation_stopped', outcome: 'approved' }),
      }),
    ]);
    expect(t.callsOf('touchRiskPoints')).toEqual([
      expect.objectContaining({ points: [{ key: 'stop.application', detail: { reason: 'voluntary' } }] }),
    ]);
  });
});

test('online, without a relation at this agency: refused, naming the agency that holds it', async () => {
  await caseTest(relation([{ ...CONTRIBUTING_HERE, agencyCode: '620105' }]), async (t) => {
    const input = await stopInput(t, { channel: 'online', reason: 'voluntary' });
    const { view } = await t.start(stop, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'refused' });
    const closing = t.steps(input.caseId).at(-1)!;
    expect(closing).toMatchObject({
      type: 'stop_refused',
      outcomeReason: 'relation_at_other_agency',
      notice: { kind: 'refusal_reasons' },
    });
    expect(closing.notice!.text).toContain('620105');
    expect(t.callsOf('completeStop')).toEqual([]);
  });
});

test('online, for a death the registry does not confirm: refused, the applicant sent to the counter with a death certificate', async () => {
  await caseTest(relation([CONTRIBUTING_HERE]), async (t) => {
    const input = await stopInput(t, { channel: 'online', reason: 'death' });
    const { view } = await t.start(stop, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(t.steps(input.caseId).at(-1)).toMatchObject({ type: 'stop_refused', outcomeReason: 'death_not_confirmed' });
  });
});

test('at the counter: a reviewer confirms the rule, and may refuse only with reasons', async () => {
  await caseTest(relation([CONTRIBUTING_HERE]), async (t) => {
    const input = await stopInput(t, {
      channel: 'offline',
      reason: 'settled_abroad',
      materials: [{ kind: 'id_card', ref: 'scan-1' }],
    });
    const { handle, view } = await t.start(stop, input);
    expect(view).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer', awaitingStep: 'review' });
    expect(
      await refusalOf(t.decide(handle, { step: 'review', result: 'refuse', actor: actors.reviewer })),
    ).toMatchObject({ type: 'decision.reasons_required' });
    const refused = await t.decide(handle, {
      step: 'review',
      result: 'refuse',
      items: [{ code: 'materials_invalid' }],
      actor: actors.reviewer,
    });
    expect(refused).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(t.steps(input.caseId).at(-1)).toMatchObject({ type: 'stop_refused', outcomeReason: 'materials_invalid' });
    expect(t.callsOf('completeStop')).toEqual([]);
  });
});

test('a death at the counter the registry does not confirm: certificate required, then high-risk — electronic copies and a collective review of three independent members', async () => {
  await caseTest(
    { ...relation([CONTRIBUTING_HERE]), touchRiskPoints: gradedHigh('stop.death_certificate') },
    async (t) => {
      const input = await stopInput(t, {
        channel: 'offline',
        reason: 'death',
        materials: [{ kind: 'id_card', ref: 'scan-1' }],
      });
      const { handle, view } = await t.start(stop, input);
      // The one-time notice asks for the death certificate.
      expect(view).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
      expect(t.steps(input.caseId).find((s) => s.type === 'notice_issued')!.notice!.items).toEqual([
        expect.objectContaining({ code: 'death_certificate' }),
      ]);
      const certificate: Material = { kind: 'death_certificate', ref: 'scan-2' };
      const supplemented = await t.supplement(handle, [certificate], actors.acceptor);
      expect(supplemented).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
      expect(await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer })).toMatchObject({
        stage: 'awaiting_e_materials',
        waitingOn: 'staff',
        riskGrade: 'high',
      });

      const electronic = (kind: Material['kind']): Material => ({
        kind,
        ref: `e-${kind}`,
        contentHash: 'a'.repeat(64),
        size: 1024,
        type: 'application/pdf',
      });
      const uploaded = await t.supplement(
        handle,
        [electronic('id_card'), electronic('death_certificate')],
        actors.acceptor,
      );
      expect(uploaded).toMatchObject({
        stage: 'collective_review',
        waitingOn: 'reviewer',
        awaitingStep: 'collective_review',
      });

      // The reviewer took part in the case: not a member of its collective review.
      expect(
        await refusalOf(
          t.decide(handle, {
            step: 'collective_review',
            result: 'approve',
            reason: '同意',
            actor: { id: actors.reviewer.id, role: 'collective_reviewer' },
          }),
        ),
      ).toMatchObject({
        type: 'separation.collective_member_conflict',
      });
      await t.decide(handle, {
        step: 'collective_review',
        result: 'approve',
        reason: '材料齐全',
        actor: actors.member(1),
      });
      expect(
        await refusalOf(
          t.decide(handle, {
            step: 'collective_review',
            result: 'approve',
            reason: '再投一次',
            actor: actors.member(1),
          }),
        ),
      ).toMatchObject({ type: 'vote.already_cast' });
      await t.decide(handle, {
        step: 'collective_review',
        result: 'refuse',
        reason: '证明存疑',
        actor: actors.member(2),
      });
      const decided = await t.decide(handle, {
        step: 'collective_review',
        result: 'approve',
        reason: '核实无误',
        actor: actors.member(3),
      });
      expect(decided).toMatchObject({ status: 'closed', outcome: 'approved' });
      expect(t.events(input.caseId)).toEqual(
        expect.arrayContaining([
          'e_materials_required',
          'e_materials_uploaded',
          'collective_review_required',
          'collective_review_approved',
          'relation_stopped',
        ]),
      );
      expect(t.steps(input.caseId).find((s) => s.type === 'collective_review_approved')!.detail).toMatchObject({
        approvals: 2,
        refusals: 1,
        quorum: 3,
      });
    },
  );
});

test('a death confirmed by the registry stops the person: their awards’ certification watches are told and end', async () => {
  const awardId = `award-${randomUUID().slice(0, 8)}`;
  let far = 0;
  let stopped = false;
  await caseTest(
    {
      ...relation([{ ...CONTRIBUTING_HERE, status: 'receiving' }]),
      compareDeathRegistry: async () => ({ deceased: true, dateOfDeath: '2026-01-05' }),
      // The stop stops the award in the database before it tells the watch (which checks).
      completeStop: async () => {
        stopped = true;
        return { stoppedAwardIds: [awardId] };
      },
      certificationPlan: async () =>
        stopped
          ? { status: 'stopped' }
          : {
              status: 'active',
              lastCertifiedOn: '2026-01-01',
              dueDate: '2027-01-01',
              compareAtMs: far,
              dueAtMs: far,
              suspendedFrom: null,
            },
    },
    async (t) => {
      far = (await t.now()) + 300 * 86_400_000;
      const watchId = certificationWatchId(awardId);
      t.alsoCleanUp(watchId);
      const watch = await t.client.workflow.start(certificationWatch, {
        workflowId: watchId,
        taskQueue: t.taskQueue,
        args: [await t.sign({ awardId, caseId: 'claim-case', agencyCode: AGENCY }, watchId, 'start', watchId)],
      });
      const input = await stopInput(t, { channel: 'online', reason: 'death' });
      const { view } = await t.start(stop, input);
      expect(view).toMatchObject({ status: 'closed', outcome: 'approved' });
      expect(t.callsOf('touchRiskPoints')).toEqual([
        expect.objectContaining({ points: [expect.objectContaining({ key: 'stop.death_registry' })] }),
      ]);
      expect(await watch.result()).toEqual({ awardId, outcome: 'stopped' });
    },
  );
});
