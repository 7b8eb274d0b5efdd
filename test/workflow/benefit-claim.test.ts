/**
 * Benefit claim (B-1..B-9) with mocked activities: the personnel file polled once a working day
 * until it arrives, the file review and the four-eyes review, certification and the
 * certification watch; a case that waits for parameters nobody published; a high-risk claim
 * refused by its collective review; a counter refusal at the initial check.
 */
import type { ClaimAssessment, ComputedAward } from '../../domain/claim-results';
import type { Material, RequiredItem } from '../../domain/materials';
import { benefitClaim, type BenefitClaimInput } from '../../workflows/benefit-claim';
import { parametersPublishedSignal } from '../../workflows/shared/messages';
import {
  actors,
  caseTest,
  gradedHigh,
  refusalOf,
  useTimeSkipping,
  type CaseTest,
  type MockActivities,
} from './helpers/env';

useTimeSkipping();

const ID_CARD: Material = { kind: 'id_card', ref: 'scan-1' };

async function claimInput(
  t: CaseTest,
  o: { channel: 'online' | 'offline'; lumpSum?: boolean; materials?: Material[] },
): Promise<BenefitClaimInput> {
  const caseId = t.caseId('benefit-claim');
  const start = await t.caseStart(caseId, o.channel, o.channel === 'offline' ? actors.acceptor : actors.applicant);
  return { ...start, materials: o.materials ?? [ID_CARD], lumpSum: o.lumpSum ?? false, supplementWorkingDays: 10 };
}

/**
 * An assessment as the activity answers it. The workflow records the retirement and
 * contribution facts without reading them, so they are left out here.
 */
function assessment(o: { reasons?: RequiredItem[]; risk?: RequiredItem[] } = {}): ClaimAssessment {
  const partial: Omit<ClaimAssessment, 'retirement' | 'contributions'> = {
    eligible: !o.reasons?.length,
    reasons: o.reasons ?? [],
    options: [],
    pension: {
      basic: '800.00',
      account: '300.00',
      transitional: '100.00',
      total: '1200.00',
      divisor: '139',
      baseWage: '7000.00',
    },
    risk: { highRisk: Boolean(o.risk?.length), reasons: o.risk ?? [], quorum: 3, ruleVersion: 'test' },
    onDate: '2026-01-01',
    provisional: false,
    provisionalParameters: [],
    parameterSetVersion: 7,
  };
  return partial as ClaimAssessment;
}

const AWARD: ComputedAward = {
  certifiedOn: '2026-01-01',
  firstPaymentMonth: '2026-02',
  basic: '800.00',
  account: '300.00',
  transitional: '100.00',
  total: '1200.00',
  divisor: '139',
  inputs: {},
  working: {},
  ruleVersion: 'test',
  provisional: false,
  parameters: [],
  parameterSetVersion: 7,
};

/** A claim whose file arrives at the `deliveredAtPoll`-th poll, assessed eligible, certified as award-1. */
function claimActivities(o: { deliveredAtPoll?: number; assess?: MockActivities['assessClaim'] } = {}): MockActivities {
  let polls = 0;
  return {
    claimPrecheck: async () => ({ reasons: [] }),
    requestPersonnelFile: async ({ requestRef }) => ({ requestRef }),
    fetchPersonnelFile: async () =>
      ++polls < (o.deliveredAtPoll ?? 1)
        ? { status: 'pending' }
        : {
            status: 'delivered',
            deemedMonths: 60,
            birthDateMatchesId: true,
            hasWorkStartDate: true,
            originalRetirementAge: null,
          },
    recordDeemedRecognition: async () => undefined,
    assessClaim: o.assess ?? (async () => assessment()),
    computeAward: async () => ({ eligible: true, award: AWARD }),
    certifyClaim: async () => ({ awardId: 'award-1' }),
    // The certification watch the claim starts finds no award and ends at once.
    certificationPlan: async () => ({ status: 'missing' }),
  };
}

test('online: the personnel file is polled once a working day until it arrives; file review, four-eyes review, certification and the certification watch', async () => {
  await caseTest(claimActivities({ deliveredAtPoll: 2 }), async (t) => {
    const input = await claimInput(t, { channel: 'online' });
    const { handle, view } = await t.start(benefitClaim, input);
    expect(view).toMatchObject({ status: 'open', stage: 'awaiting_personnel_file', waitingOn: 'system' });
    expect(t.callsOf('fetchPersonnelFile')).toHaveLength(1);

    // The next poll is at 09:00 China time on the next working day: within two days, whatever the hour now.
    await t.sleep('2 days');
    const inReview = await t.until(handle, (v) => v.awaitingStep === 'file_review');
    expect(inReview).toMatchObject({ stage: 'file_review', waitingOn: 'reviewer' });
    expect(t.callsOf('fetchPersonnelFile')).toHaveLength(2);
    expect(t.steps(input.caseId).find((s) => s.type === 'personnel_file_received')!.detail).toMatchObject({
      polls: 2,
      deemedMonths: 60,
    });

    expect(
      await refusalOf(
        t.decide(handle, {
          step: 'file_review',
          result: 'recognise',
          items: [{ code: 'deemed_months', note: '61' }],
          actor: actors.reviewer,
        }),
      ),
    ).toMatchObject({
      type: 'file_review.invalid_deemed_months',
    });
    const recognised = await t.decide(handle, {
      step: 'file_review',
      result: 'recognise',
      items: [{ code: 'deemed_months', note: '48' }],
      reason: '部分年限无原始记录',
      actor: actors.reviewer,
    });
    expect(recognised).toMatchObject({ stage: 'review', awaitingStep: 'review' });
    expect(t.callsOf('recordDeemedRecognition')).toEqual([
      expect.objectContaining({ months: 48, recognisedBy: actors.reviewer.id, note: '部分年限无原始记录' }),
    ]);

    // Four eyes: who recognised the deemed months does not confirm the claim built on them.
    expect(
      await refusalOf(t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer })),
    ).toMatchObject({ type: 'separation.own_work' });
    const certified = await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer2 });
    expect(certified).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(t.callsOf('certifyClaim')).toEqual([
      expect.objectContaining({
        award: AWARD,
        step: expect.objectContaining({ type: 'entitlement_certified', outcome: 'approved' }),
      }),
    ]);
    t.alsoCleanUp('certification-award-1');
    expect(t.events(input.caseId).slice(-2)).toEqual(['entitlement_certified', 'certification_watch_started']);
    // The watch runs as a workflow of its own (abandoned by the claim).
    await t.client.workflow.getHandle('certification-award-1').result();
    expect(t.callsOf('certificationPlan')).toEqual([{ awardId: 'award-1' }]);
  });
});

test('parameters nobody published: the case waits visibly for a supervisor and computes again when they are published', async () => {
  const missing = [{ name: 'pension.baseWage', region: '62', year: 2026 }];
  let published = false;
  await caseTest(
    claimActivities({ assess: async () => (published ? assessment() : { awaitingParameters: missing }) }),
    async (t) => {
      const input = await claimInput(t, { channel: 'online' });
      const { handle } = await t.start(benefitClaim, input);
      await t.decide(handle, { step: 'file_review', result: 'recognise', actor: actors.reviewer });
      const waiting = await t.until(handle, (v) => v.stage === 'awaiting_parameters');
      expect(waiting).toMatchObject({ status: 'open', waitingOn: 'supervisor', missingParameters: missing });
      expect(t.steps(input.caseId).at(-1)).toMatchObject({
        type: 'parameters_missing',
        task: { open: expect.objectContaining({ step: 'publish_parameters', role: 'supervisor' }) },
      });

      published = true;
      await handle.signal(parametersPublishedSignal);
      const resumed = await t.until(handle, (v) => v.awaitingStep === 'review');
      expect(resumed.missingParameters).toBeUndefined();
      expect(t.callsOf('assessClaim')).toHaveLength(2);
      expect(t.events(input.caseId)).toEqual(
        expect.arrayContaining(['parameters_missing', 'parameters_published', 'claim_assessed']),
      );
      expect(await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer2 })).toMatchObject({
        status: 'closed',
        outcome: 'approved',
      });
      t.alsoCleanUp('certification-award-1');
    },
  );
});

test('a lump-sum claim is high-risk: after the reviewer, its collective review refuses it by majority and nothing is certified', async () => {
  const lumpSum = { code: 'lump_sum', text: '一次性补缴' };
  await caseTest(
    {
      ...claimActivities({ assess: async () => assessment({ risk: [lumpSum] }) }),
      touchRiskPoints: gradedHigh('benefit_claim.lump_sum'),
    },
    async (t) => {
      const electronicId: Material = {
        kind: 'id_card',
        ref: 'e-id',
        contentHash: 'b'.repeat(64),
        size: 2048,
        type: 'image/png',
      };
      const input = await claimInput(t, { channel: 'online', lumpSum: true, materials: [electronicId] });
      const { handle } = await t.start(benefitClaim, input);
      await t.decide(handle, { step: 'file_review', result: 'recognise', actor: actors.reviewer });
      // Electronic copies already on record: straight to the collective review after the reviewer.
      const collective = await t.decide(handle, { step: 'review', result: 'approve', actor: actors.reviewer2 });
      expect(collective).toMatchObject({
        stage: 'collective_review',
        awaitingStep: 'collective_review',
        riskGrade: 'high',
      });
      expect(
        await refusalOf(t.decide(handle, { step: 'collective_review', result: 'refuse', actor: actors.member(1) })),
      ).toMatchObject({ type: 'decision.reason_required' });
      await t.decide(handle, {
        step: 'collective_review',
        result: 'refuse',
        reason: '补缴来源不明',
        actor: actors.member(1),
      });
      await t.decide(handle, {
        step: 'collective_review',
        result: 'approve',
        reason: '符合规定',
        actor: actors.member(2),
      });
      const refused = await t.decide(handle, {
        step: 'collective_review',
        result: 'refuse',
        reason: '需进一步核查',
        actor: actors.member(3),
      });
      expect(refused).toMatchObject({ status: 'closed', outcome: 'refused' });
      const closing = t.steps(input.caseId).at(-1)!;
      expect(closing).toMatchObject({
        type: 'claim_refused',
        outcomeReason: 'collective_review_refused,collective_review_refused',
      });
      expect(closing.notice!.text).toContain('补缴来源不明');
      expect(t.callsOf('computeAward')).toEqual([]);
      expect(t.callsOf('certifyClaim')).toEqual([]);
    },
  );
});

test('at the counter: materials that cannot be completed are refused at the initial check with every reason, and returned', async () => {
  await caseTest(claimActivities(), async (t) => {
    const input = await claimInput(t, { channel: 'offline' });
    const { handle, view } = await t.start(benefitClaim, input);
    expect(view).toMatchObject({ stage: 'acceptance', waitingOn: 'staff', awaitingStep: 'acceptance' });
    expect(
      await refusalOf(
        t.decide(handle, { step: 'acceptance', result: 'refuse', items: [{ code: 'other' }], actor: actors.acceptor }),
      ),
    ).toMatchObject({ type: 'decision.note_required' });
    const refused = await t.decide(handle, {
      step: 'acceptance',
      result: 'refuse',
      items: [{ code: 'not_insured_here' }],
      actor: actors.acceptor,
    });
    expect(refused).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(t.steps(input.caseId).at(-1)).toMatchObject({
      type: 'acceptance_refused',
      detail: { reasons: ['not_insured_here'], materialsReturned: true },
      notice: { kind: 'acceptance_refused' },
    });
    expect(t.callsOf('claimPrecheck')).toEqual([]);
  });
});
