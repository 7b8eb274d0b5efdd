/**
 * Controls by risk grade, for every procedure (R-3, R-4; 10.2.3): the risk points a case touches
 * are graded by the published register; a case that touched a high-graded point is high-risk
 * business and goes to collective review (集体会审) — a quorum of distinct members, none of whom
 * received, accepted or reviewed it — after its electronic materials (电子要件: reference, hash,
 * size and type of every scan) are on record.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { isElectronic, type Material, type RequiredItem } from '../../domain/materials';
import { collectiveReviewOutcome } from '../../domain/risk';
import { db } from './activity-options';
import type { CaseRuntime } from './case-runtime';
import type { CaseTexts } from './case-texts';
import { refuse } from './refusal';
import { saRiskGrade } from './search-attributes';
import { staffStep, type StaffStepTable } from './staff-steps';

export const RISK_REVIEW_TEXTS = {
  stages: { collective_review: '集体会审', awaiting_e_materials: '等待上传电子要件' },
  steps: { collective_review: '集体会审：对高风险业务表决', upload_e_materials: '上传高风险业务电子要件' },
} as const satisfies CaseTexts;

/**
 * The collective review's vote and its results. (The electronic materials' task is done by
 * uploading them, not by a decision.)
 */
export const RISK_REVIEW_STEPS = { collective_review: ['approve', 'refuse'] } as const satisfies StaffStepTable;

/**
 * Records the risk points the case touched (graded by the published register) and sets the
 * case's RiskGrade; returns the high-graded points as the reasons a collective review weighs.
 */
export async function touchRisk(
  rt: CaseRuntime,
  points: Array<{ key: string; detail?: Record<string, unknown> }>,
): Promise<RequiredItem[]> {
  // A register or quorum nobody published for the agency: the case waits for them visibly.
  const result = await rt.parameters.withParameters('10.2.1', () =>
    db.touchRiskPoints({ caseId: rt.start.caseId, points, touchedAt: new Date(Date.now()).toISOString() }),
  );
  rt.riskGrade = result.highest;
  rt.riskQuorum = result.quorum;
  upsertSearchAttributes([{ key: saRiskGrade, value: result.highest ?? 'none' }]);
  return result.touched.filter((p) => p.grade === 'high').map((p) => ({ code: p.key, text: p.description }));
}

const E_MATERIALS_STEP = 'upload_e_materials';

/**
 * before a high-risk case is reviewed collectively, every material it holds has its
 * electronic copy on record. Until then the case waits on counter staff (a task in the acceptor
 * inbox), who upload the copies through the case's materials route; returns the materials with
 * the copies.
 */
export async function ensureElectronicMaterials(
  rt: CaseRuntime,
  materials: readonly Material[],
  clause: string,
): Promise<Material[]> {
  let current = [...materials];
  for (let round = 1; ; round++) {
    const missing = current.length === 0 ? ['id_card'] : current.filter((m) => !isElectronic(m)).map((m) => m.kind);
    if (missing.length === 0) return current;
    const taskKey = `${rt.start.caseId}:${E_MATERIALS_STEP}:${round}`;
    await rt.record({
      type: 'e_materials_required',
      clause,
      stage: 'awaiting_e_materials',
      waitingOn: 'staff',
      detail: { missing },
      task: {
        open: {
          key: taskKey,
          step: E_MATERIALS_STEP,
          role: 'acceptor',
          title: `上传高风险业务电子要件（扫描件的引用、哈希、大小、类型）：${missing.join('、')}`,
          clause,
          dueAt: rt.clock.snapshot().dueAt,
        },
      },
    });
    // The copies come as a supplement (POST /api/v1/cases/{id}/materials) from counter staff.
    const upload = await rt.supplements.awaitSupplement(
      Date.now() + 365 * 24 * 3_600_000,
      `等待上传电子要件（${clause}）`,
    );
    if (!upload) continue;
    current = [...current.filter((m) => !upload.materials.some((u) => u.kind === m.kind)), ...upload.materials];
    await rt.record({
      type: 'e_materials_uploaded',
      clause,
      actor: upload.actor,
      waitingOn: null,
      task: { close: { key: taskKey } },
      detail: {
        kinds: upload.materials.map((m) => m.kind),
        electronic: upload.materials.filter(isElectronic).map((m) => m.kind),
      },
      materials: { round: 100 + round, items: upload.materials },
    });
  }
}

/**
 * the collective review of high-risk business; returns the reasons of a refusal, empty when
 * approved. Each vote needs a reason; the member's independence is checked by the runtime.
 */
export async function collectiveReview(
  rt: CaseRuntime,
  risk: { reasons: RequiredItem[]; quorum: number },
): Promise<RequiredItem[]> {
  await rt.record({
    type: 'collective_review_required',
    clause: '10.2.3',
    stage: 'collective_review',
    waitingOn: 'reviewer',
    detail: { reasons: risk.reasons.map((r) => r.code), quorum: risk.quorum },
  });
  const votes = await rt.staff.awaitVotes({
    ...staffStep(RISK_REVIEW_STEPS, 'collective_review'),
    stage: 'collective_review',
    clause: '10.2.3',
    quorum: risk.quorum,
    // The member's role and independence (no part in receiving, accepting or reviewing the
    // case) are checked by the runtime for every procedure (separation.*).
    role: 'collective_reviewer',
    validate: (vote) => {
      if (!vote.reason?.trim()) refuse('decision.reason_required', '集体会审的每一票都须写明理由', 'reason');
    },
  });
  const outcome = collectiveReviewOutcome(
    votes.map((v) => ({ actorId: v.actor.id, result: v.result, reason: v.reason })),
    risk.quorum,
  );
  await rt.record({
    type: outcome.approved ? 'collective_review_approved' : 'collective_review_refused',
    clause: '10.2.3',
    waitingOn: null,
    detail: {
      approvals: outcome.approvals,
      refusals: outcome.refusals,
      quorum: outcome.quorum,
      rule: outcome.rule,
      members: votes.map((v) => v.actor.id),
    },
  });
  if (outcome.approved) return [];
  return votes
    .filter((v) => v.result === 'refuse')
    .map((v) => ({ code: 'collective_review_refused', text: `经集体会审不予通过：${v.reason!.trim()}` }));
}

/**
 * The control of a high-risk case in any procedure: electronic materials, then the collective
 * review. Returns the refusal reasons (empty: approved, or not high-risk).
 */
export async function reviewHighRisk(
  rt: CaseRuntime,
  o: { materials: readonly Material[]; reasons: RequiredItem[]; clause: string },
): Promise<RequiredItem[]> {
  if (rt.riskGrade !== 'high') return [];
  await ensureElectronicMaterials(rt, o.materials, o.clause);
  return collectiveReview(rt, { reasons: o.reasons, quorum: rt.riskQuorum });
}
