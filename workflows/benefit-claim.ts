/**
 * Benefit claim (待遇发放), clauses B-1..B-6, B-8 and B-9 (section 8 of DB62/T 5079.1—2025),
 * with collective review of high-risk claims (集体会审, 10.2.3, R-4). 20 working days from
 * receipt (8.1.3), reminded at 80 %.
 *
 *  1. Initial check (8.2.2): complete → accept; incomplete but completable → return for
 *     completion (one-time notice, the clock pauses until the supplement); incomplete and not
 *     completable → refuse with every reason, materials returned. Online claims with an ID card
 *     are accepted by the system; offline ones by the counter.
 *  2. Relation check (8.1.2), then the personnel file, retrieved by the agency itself (8.2.1.2 c):
 *     one request, then one poll per working day with a durable timer until it is delivered.
 *  3. File review (8.2.3.1): a reviewer recognises the deemed months (at most what the file shows).
 *  4. Assessment (8.1.1): statutory age reached, minimum years of the year that applies; the
 *     provisional pension and the risk reasons. A reviewer confirms (8.2.3.2): approval is refused
 *     while the rules found reasons; a refusal lists every reason and the applicant's options.
 *  5. High-risk claims go to a collective review: a quorum of distinct members, none of whom
 *     accepted or reviewed the case; approved by a strict majority of the quorum.
 *  6. Certification (8.2.3.2, 8.2.4): the pension with the parameters in force that day, the award
 *     with every input and component, the relation `receiving`, payment from the next month — in
 *     one transaction with the closing step — then the yearly certification watch (abandoned child).
 */
import { ParentClosePolicy, patched, sleep, startChild } from '@temporalio/workflow';
import {
  ACCEPTANCE_REFUSAL_REASONS,
  certificationNotice,
  claimRefusalNotice,
  CLAIM_REFUSAL_REASONS,
  missingClaimMaterials,
  type PersonnelFilePoll,
} from '../domain/claim';
import type { Material, RequiredItem } from '../domain/materials';
import { chinaDateOf, startOfChinaDay } from '../domain/working-days';
import { certificationWatch, certificationWatchId } from './certification';
import { ACCEPTANCE_TEXTS, ACCEPTANCE_WITH_REFUSAL_STEPS, runAcceptance } from './shared/acceptance';
import { db, external } from './shared/activity-options';
import { CaseRuntime, refuse } from './shared/case-runtime';
import type { CaseTexts } from './shared/case-texts';
import { REVIEW_STEPS, REVIEW_TEXTS } from './shared/review';
import {
  collectiveReview,
  RISK_REVIEW_STEPS,
  RISK_REVIEW_TEXTS,
  reviewHighRisk,
  touchRisk,
} from './shared/risk-review';
import { staffStep, type CaseOutcomes, type StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS } from '../domain/procedures';
import { caseWorkflowId } from '../domain/case-ids';
import type { CaseStart, CaseView } from './shared/types';

export const BENEFIT_CLAIM_TEXTS = {
  stages: { awaiting_personnel_file: '调取人事档案', file_review: '档案审核（认定视同缴费年限）' },
  steps: { file_review: '档案审核：认定出生时间、参加工作时间和视同缴费年限' },
} as const satisfies CaseTexts;

/**
 * The staff steps a claim awaits, with their results: acceptance (offline; the counter may
 * refuse, 8.2.2), the file review, the review, and for high risk the collective review.
 */
export const BENEFIT_CLAIM_STEPS = {
  ...ACCEPTANCE_WITH_REFUSAL_STEPS,
  file_review: ['recognise'],
  ...REVIEW_STEPS,
  ...RISK_REVIEW_STEPS,
} as const satisfies StaffStepTable;
/** Certified (approved), refused (at acceptance or review), or withdrawn when the supplement deadline passes. */
export const BENEFIT_CLAIM_OUTCOMES = ['approved', 'refused', 'withdrawn'] as const satisfies CaseOutcomes;

export interface BenefitClaimInput extends CaseStart {
  materials: Material[];
  /** Flexible early or late retirement month, 'YYYY-MM'; the statutory month when absent. */
  retireAt?: string;
  /** The applicant paid (or pays) missing years as a lump sum (一次性缴费): a high-risk claim. */
  lumpSum: boolean;
  /** Working days the applicant has to complete returned materials (configuration, fixed at start). */
  supplementWorkingDays: number;
}

/** Hour of the day (China time) at which the archive service is polled on each working day. */
const POLL_HOUR_CHINA = 9;

export function benefitClaimWorkflowId(agencyCode: string, caseNumber: string): string {
  return caseWorkflowId('benefit_claim', agencyCode, caseNumber);
}

/** The file's poll once it is no longer pending, with how many polls it took. */
type FileResult = Exclude<PersonnelFilePoll, { status: 'pending' }> & { polls: number };

const iso = (ms: number) => new Date(ms).toISOString();

/** 8.2.1.2 c: the agency retrieves the file; retrieval may take days, so it polls once a working day. */
async function retrievePersonnelFile(rt: CaseRuntime, caseId: string): Promise<FileResult> {
  const requestRef = `${caseId}:personnel-file`;
  await external.requestPersonnelFile({ caseId, requestRef, requestedAt: iso(Date.now()) });
  await rt.record({
    type: 'personnel_file_requested',
    clause: '8.2.1.2 c',
    stage: 'awaiting_personnel_file',
    waitingOn: 'system',
    detail: { requestRef },
  });
  for (let polls = 1; ; polls++) {
    const result = await external.fetchPersonnelFile({ caseId, requestRef, receivedAt: iso(Date.now()) });
    if (result.status === 'not_found') return { status: 'not_found', polls };
    if (result.status !== 'pending') return { ...result, polls };
    const next = await db.projectDeadline({ fromMs: Date.now(), workingDays: 1 });
    const atMs = startOfChinaDay(next.dueDate) + POLL_HOUR_CHINA * 3_600_000;
    await rt.idle(() =>
      sleep(Math.max(atMs - Date.now(), 1), {
        summary: `调取人事档案：第 ${polls} 次查询未到，${next.dueDate} ${POLL_HOUR_CHINA}:00 再查 (8.2.1.2 c)`,
      }),
    );
  }
}

/** 8.2.3.1: the reviewer recognises the deemed months the file supports (never more). */
async function fileReview(
  rt: CaseRuntime,
  fileMonths: number,
): Promise<{ months: number; actorId: string; note?: string }> {
  const decision = await rt.staff.awaitDecision({
    ...staffStep(BENEFIT_CLAIM_STEPS, 'file_review'),
    stage: 'file_review',
    waitingOn: 'reviewer',
    clause: '8.2.3.1',
    validate: (d) => {
      const items = d.items ?? [];
      if (items.length > 1 || items.some((it) => it.code !== 'deemed_months')) {
        refuse('decision.unknown_item', '档案审核只接受一项 deemed_months（认定的视同缴费月数）', 'items');
      }
      const note = items[0]?.note;
      if (note === undefined) return;
      if (!/^\d{1,4}$/.test(note) || Number(note) > fileMonths) {
        refuse(
          'file_review.invalid_deemed_months',
          `认定的视同缴费月数须为 0 到档案记载的 ${fileMonths} 个月之间的整数`,
          'items',
        );
      }
      if (Number(note) !== fileMonths && !d.reason?.trim()) {
        refuse('decision.reason_required', '认定月数与档案记载不一致时须写明理由', 'reason');
      }
    },
  });
  const note = decision.items?.[0]?.note;
  return { months: note === undefined ? fileMonths : Number(note), actorId: decision.actor.id, note: decision.reason };
}

/** 8.2.3.2: the reviewer's conclusion; approval is refused while the rules found reasons. */
async function reviewClaim(rt: CaseRuntime, systemReasons: readonly RequiredItem[]): Promise<RequiredItem[]> {
  const known = new Set([...Object.keys(CLAIM_REFUSAL_REASONS), ...systemReasons.map((r) => r.code)]);
  const decision = await rt.staff.awaitDecision({
    ...staffStep(BENEFIT_CLAIM_STEPS, 'review'),
    stage: 'review',
    waitingOn: 'reviewer',
    clause: '8.2.3.2',
    // Four eyes: the reviewer who recognised the deemed months does not confirm the claim built on them.
    confirms: ['file_review'],
    validate: (d) => {
      if (d.result === 'approve' && systemReasons.length > 0) {
        refuse(
          'review.not_eligible',
          `系统审核发现不符合待遇领取条件：${systemReasons.map((r) => r.text).join('；')}`,
          'result',
        );
      }
      if (d.result !== 'refuse') return;
      if (systemReasons.length === 0 && !d.items?.length && !d.reason?.trim())
        refuse('decision.reasons_required', '不予办理须一次性列明全部原因', 'items');
      for (const it of d.items ?? []) {
        if (!known.has(it.code))
          refuse('decision.unknown_item', `未知的不予办理原因 "${it.code}"，可用：${[...known].join(' / ')}`, 'items');
        if (it.code === 'other' && !it.note?.trim())
          refuse('decision.note_required', '以"其他"为由不予办理须写明具体原因', 'items');
      }
    },
  });
  if (decision.result !== 'refuse') return [];
  const reasons = [...systemReasons];
  for (const it of decision.items ?? []) {
    if (!reasons.some((r) => r.code === it.code))
      reasons.push({ code: it.code, text: it.note?.trim() || CLAIM_REFUSAL_REASONS[it.code] });
  }
  if (reasons.length === 0 && decision.reason?.trim()) reasons.push({ code: 'other', text: decision.reason.trim() });
  return reasons;
}

async function refuseClaim(
  rt: CaseRuntime,
  reasons: readonly RequiredItem[],
  options: readonly RequiredItem[],
): Promise<CaseView> {
  const notice = claimRefusalNotice({ caseId: rt.start.caseId, clause: '8.2.3.2', reasons, options });
  await rt.close({
    type: 'claim_refused',
    clause: '8.2.3.2',
    outcome: 'refused',
    outcomeReason: reasons.map((r) => r.code).join(','),
    detail: { reasons: reasons.map((r) => r.code), options: options.map((o) => o.code), materialsReturned: true },
    notice: { kind: 'refusal_reasons', round: 1, items: [...reasons, ...options], text: notice.text },
  });
  return rt.finish();
}

export async function benefitClaim(input: BenefitClaimInput): Promise<CaseView> {
  const rt = new CaseRuntime(
    { ...input, procedure: 'benefit_claim' },
    new StatutoryClock(STATUTORY_LIMITS.benefit_claim),
    [ACCEPTANCE_TEXTS, REVIEW_TEXTS, RISK_REVIEW_TEXTS, BENEFIT_CLAIM_TEXTS],
  );
  await rt.startClock();
  await rt.record({
    type: 'case_received',
    clause: '8.2.1.1',
    actor: input.receivedBy,
    detail: {
      channel: input.channel,
      materials: input.materials.map((m) => m.kind),
      retireAt: input.retireAt ?? null,
      lumpSum: input.lumpSum,
    },
  });

  // 1. Initial check (8.2.2).
  const acceptance = await runAcceptance(rt, {
    materials: input.materials,
    required: missingClaimMaterials,
    staffCheck: input.channel === 'offline',
    clause: '8.2.2',
    supplementWorkingDays: input.supplementWorkingDays,
    refusal: { reasons: ACCEPTANCE_REFUSAL_REASONS },
    noticeKind: 'return_for_completion',
  });
  if (!acceptance.accepted) return rt.finish();

  // 2. Relation (8.1.2) and personnel file (8.2.1.2 c); 3. file review; 4. assessment (8.1.1).
  await rt.record({ type: 'review_started', clause: '8.2.3.1', stage: 'review', waitingOn: null, detail: {} });
  let systemReasons = (await db.claimPrecheck({ caseId: input.caseId })).reasons;
  let options: RequiredItem[] = [];
  let risk: { highRisk: boolean; reasons: RequiredItem[]; quorum: number } = {
    highRisk: false,
    reasons: [],
    quorum: 0,
  };
  // Data comparison (10.2.2): a claimant the death registry records as deceased is refused
  // before the file is retrieved; every claim records its risk points.
  const controlled = patched('risk-controls');
  const riskPoints: Array<{ key: string; detail?: Record<string, unknown> }> = [
    { key: 'benefit_claim.entitlement' },
    { key: 'benefit_claim.amount' },
  ];
  if (controlled && systemReasons.length === 0) {
    const death = await external.compareDeathRegistry({ caseId: input.caseId });
    if (death.deceased) {
      systemReasons = [
        {
          code: 'claimant_deceased',
          text: `经与死亡登记数据比对，申请人已于${death.dateOfDeath ?? '（日期不详）'}登记死亡，不予办理待遇领取`,
        },
      ];
      riskPoints.push({ key: 'benefit_claim.deceased', detail: { dateOfDeath: death.dateOfDeath } });
    }
  }
  if (systemReasons.length === 0) {
    const file = await retrievePersonnelFile(rt, input.caseId);
    if (file.status === 'delivered') {
      await rt.record({
        type: 'personnel_file_received',
        clause: '8.2.1.2 c',
        detail: {
          polls: file.polls,
          deemedMonths: file.deemedMonths,
          birthDateMatchesId: file.birthDateMatchesId,
          hasWorkStartDate: file.hasWorkStartDate,
        },
      });
      const recognition = await fileReview(rt, file.deemedMonths);
      await rt.record(
        {
          type: 'deemed_months_recognised',
          clause: '8.2.3.1',
          stage: 'review',
          waitingOn: null,
          detail: { months: recognition.months, fileMonths: file.deemedMonths },
        },
        (step) =>
          db.recordDeemedRecognition({
            step,
            months: recognition.months,
            recognisedBy: recognition.actorId,
            note: recognition.note,
          }),
      );
      const assessment = await rt.parameters.withParameters('8.1.1', () =>
        db.assessClaim({
          caseId: input.caseId,
          retireAt: input.retireAt,
          lumpSum: input.lumpSum,
          onDate: chinaDateOf(Date.now()),
        }),
      );
      await rt.record({
        type: 'claim_assessed',
        clause: '8.1.1',
        detail: {
          eligible: assessment.eligible,
          reasons: assessment.reasons.map((r) => r.code),
          retirement: assessment.retirement,
          contributions: assessment.contributions,
          pension: assessment.pension,
          risk: {
            highRisk: assessment.risk.highRisk,
            reasons: assessment.risk.reasons.map((r) => r.code),
            quorum: assessment.risk.quorum,
          },
          provisional: assessment.provisional,
          provisionalParameters: assessment.provisionalParameters,
          parameterSetVersion: assessment.parameterSetVersion,
        },
      });
      systemReasons = assessment.reasons;
      options = assessment.options;
      risk = assessment.risk;
      riskPoints.push(...assessment.risk.reasons.map((r) => ({ key: `benefit_claim.${r.code}` })));
    } else {
      systemReasons =
        file.status === 'not_found'
          ? [
              {
                code: 'personnel_file_not_found',
                text: '经办机构未能调取到申请人的人事档案，请提供人事档案存放证明后重新申请',
              },
            ]
          : [
              {
                code: 'personnel_file_invalid',
                text: '调取的人事档案记载不完整（出生时间、参加工作时间或视同缴费年限无法确认）',
              },
            ];
      await rt.record({ type: `personnel_file_${file.status}`, clause: '8.2.1.2 c', detail: { polls: file.polls } });
    }
  }

  // The register grades the points: a claim that touched a high-graded one is high-risk.
  const highRisk = controlled ? await touchRisk(rt, riskPoints) : [];
  let reasons = await reviewClaim(rt, systemReasons);
  if (reasons.length > 0) return refuseClaim(rt, reasons, systemReasons.length > 0 ? options : []);

  // 5. Collective review of high-risk business (10.2.3), after its electronic materials.
  if (controlled) {
    reasons = await reviewHighRisk(rt, { materials: acceptance.materials, reasons: highRisk, clause: '10.2.3' });
    if (reasons.length > 0) return refuseClaim(rt, reasons, []);
  } else if (risk.highRisk) {
    reasons = await collectiveReview(rt, risk);
    if (reasons.length > 0) return refuseClaim(rt, reasons, []);
  }

  // 6. Certification with the parameters in force today (8.2.3.2), payment from next month (8.2.4).
  const computed = await rt.parameters.withParameters('8.2.3.2', () =>
    db.computeAward({
      caseId: input.caseId,
      retireAt: input.retireAt,
      lumpSum: input.lumpSum,
      onDate: chinaDateOf(Date.now()),
    }),
  );
  if (!computed.eligible) return refuseClaim(rt, computed.reasons, computed.options);
  const award = computed.award;
  const notice = certificationNotice({ caseId: input.caseId, ...award });
  const { awardId } = await rt.close(
    {
      type: 'entitlement_certified',
      clause: '8.2.3.2',
      outcome: 'approved',
      detail: {
        certifiedOn: award.certifiedOn,
        firstPaymentMonth: award.firstPaymentMonth,
        total: award.total,
        basic: award.basic,
        account: award.account,
        transitional: award.transitional,
        divisor: award.divisor,
        collectiveReview: risk.highRisk,
        paymentClause: '8.2.4',
        provisional: award.provisional,
        parameterSetVersion: award.parameterSetVersion,
      },
      notice: { kind: 'outcome', round: 1, items: [], text: notice.text },
    },
    (step) => db.certifyClaim({ step, award }),
  );
  await startCertificationWatch(rt, awardId);
  return rt.finish();
}

/**
 * The yearly eligibility certification (10.2.3, 领取待遇资格认证) runs as its own workflow,
 * abandoned so it outlives the claim; a failure to start is recorded and never fails the claim.
 */
async function startCertificationWatch(rt: CaseRuntime, awardId: string): Promise<void> {
  const workflowId = certificationWatchId(awardId);
  try {
    await startChild(certificationWatch, {
      workflowId,
      // The agency: the watch checks that a certification's asserted actor works for it.
      args: [{ awardId, caseId: rt.start.caseId, agencyCode: rt.start.agencyCode }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    await rt.record({ type: 'certification_watch_started', clause: '10.2.3', detail: { workflowId, awardId } });
  } catch (err) {
    await rt.record({
      type: 'certification_watch_not_started',
      clause: '10.2.3',
      detail: { workflowId, awardId, error: err instanceof Error ? err.message : String(err) },
    });
  }
}
