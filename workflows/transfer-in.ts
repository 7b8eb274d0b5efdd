/**
 * Transfer in (转入), clauses T-2, T-4 and T-5 (section 9 of DB62/T 5079.1—2025), at the
 * receiving agency. Review within 3 working days (9.2.1 a); eligible → contact letter to the
 * transfer-out agency; the information sheet is checked and confirmed or returned for
 * correction (a loop, each round recorded, 9.2.1 b); the funds are received, recorded in the
 * person's account and relation, and the completion feedback is uploaded (9.2.1 c). The whole
 * procedure has 15 working days (9.1.3); the other side's reply has its own clock.
 */
import { refusalNotice, outcomeNotice } from '../domain/notices';
import { patched } from '@temporalio/workflow';
import type { Material, RequiredItem } from '../domain/materials';
import { db, external } from './shared/activity-options';
import { CaseRuntime } from './shared/case-runtime';
import { CounterpartWatch } from './shared/counterpart';
import type { CaseTexts } from './shared/case-texts';
import { confirmReview, REVIEW_STEPS, REVIEW_TEXTS } from './shared/review';
import { RISK_REVIEW_STEPS, RISK_REVIEW_TEXTS, reviewHighRisk, touchRisk } from './shared/risk-review';
import { staffStep, type CaseOutcomes, type StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS, STEP_LIMITS } from '../domain/procedures';
import type { CaseStart, CaseView } from './shared/types';

export const TRANSFER_IN_TEXTS = {
  stages: {
    awaiting_information_sheet: '等待转出地信息表',
    awaiting_funds: '等待基金到账',
    funds_check: '核对到账基金',
  },
  steps: { funds_check: '核对转移基金到账金额' },
} as const satisfies CaseTexts;

/** The staff steps a transfer in awaits (review; high risk: collective review; the funds check), with their results. */
export const TRANSFER_IN_STEPS = {
  ...REVIEW_STEPS,
  ...RISK_REVIEW_STEPS,
  funds_check: ['accept'],
} as const satisfies StaffStepTable;
/** Transferred in, continued in the province or on a temporary account (approved), or refused. */
export const TRANSFER_IN_OUTCOMES = ['approved', 'refused'] as const satisfies CaseOutcomes;

export interface TransferInInput extends CaseStart {
  /** The transfer's correlation ID on the platform. */
  transferId: string;
  /** The transfer-out agency (the old place). */
  counterpartAgency: string;
  /** The application's materials (counter and online applications). */
  materials?: Material[];
}

/** The patch under which a received information sheet stops the other side's reply clock. */
export const COUNTERPART_REPLIED_PATCH = 'counterpart-replied-resets-overdue';

export async function transferIn(input: TransferInInput): Promise<CaseView> {
  const rt = new CaseRuntime({ ...input, procedure: 'transfer_in' }, new StatutoryClock(STATUTORY_LIMITS.transfer_in), [
    REVIEW_TEXTS,
    RISK_REVIEW_TEXTS,
    TRANSFER_IN_TEXTS,
  ]);
  const counterpart = new CounterpartWatch(rt);
  let sent = 0;
  const send = (type: Parameters<typeof external.sendTransferMessage>[0]['type'], payload?: Record<string, unknown>) =>
    external.sendTransferMessage({
      caseId: input.caseId,
      messageId: `${input.caseId}:${type}:${++sent}`,
      type,
      payload,
      sentAt: new Date(Date.now()).toISOString(),
    });

  await rt.startClock();
  await rt.clocks.start('review', STEP_LIMITS.transferInReview, rt.receivedAtMs);
  await rt.record({
    type: 'case_received',
    clause: '9.2.1 a',
    actor: input.receivedBy,
    detail: { channel: input.channel, from: input.counterpartAgency, transferId: input.transferId },
  });

  // T-2 review within 3 working days (9.2.1 a).
  await rt.record({ type: 'review_started', clause: '9.2.1 a', stage: 'review', waitingOn: null, detail: {} });
  const review = await db.reviewTransferIn({ caseId: input.caseId });
  let reasons: RequiredItem[] = review.route === 'refused' ? review.reasons : [];
  if (input.channel === 'offline') {
    reasons = await confirmReview(rt, {
      clause: '9.2.1 a',
      systemReasons: reasons,
      notEligible: '系统审核发现不符合转移条件',
    });
  }
  // R-2..R-4: the review's risk point, graded by the register; high-risk business goes to the
  // collective review before the contact letter.
  if (patched('risk-controls') && reasons.length === 0) {
    const highRisk = await touchRisk(rt, [
      { key: 'transfer_in.eligibility', detail: { route: review.route, condition: review.condition ?? null } },
    ]);
    reasons = await reviewHighRisk(rt, { materials: input.materials ?? [], reasons: highRisk, clause: '10.2.3' });
  }
  rt.clocks.stop('review');
  await rt.record({
    type: 'review_completed',
    clause: '9.2.1 a',
    detail: { route: review.route, condition: review.condition, ruleVersion: review.ruleVersion },
  });

  if (reasons.length > 0) {
    if (input.channel === 'platform') await send('application_rejected', { reasons });
    const notice = refusalNotice({ caseId: input.caseId, procedure: 'transfer_in', clause: '9.2.1 a', reasons });
    await rt.close({
      type: 'application_rejected',
      clause: '9.2.1 a',
      outcome: 'refused',
      outcomeReason: reasons.map((r) => r.code).join(','),
      detail: { reasons: reasons.map((r) => r.code) },
      notice: { kind: 'refusal_reasons', round: 1, items: reasons, text: notice.text },
    });
    return rt.finish();
  }
  if (review.route === 'not_required_in_province') {
    const text = outcomeNotice({
      caseId: input.caseId,
      procedure: 'transfer_in',
      summary: '省内流动不需转移基本养老保险关系，已在本经办机构接续。',
    }).text;
    await rt.close(
      {
        type: 'continued_in_province',
        clause: '9.1.1.1',
        outcome: 'approved',
        outcomeReason: 'in_province_continuation',
        detail: {},
        notice: { kind: 'outcome', round: 1, items: [], text },
      },
      (step) => db.continueInProvince({ step }),
    );
    return rt.finish();
  }
  if (review.route === 'temporary_account') {
    const text = outcomeNotice({
      caseId: input.caseId,
      procedure: 'transfer_in',
      summary: `${review.reasons.map((r) => r.text).join('；')}。已在本地建立临时基本养老保险缴费账户。`,
    }).text;
    await rt.close(
      {
        type: 'temporary_account_opened',
        clause: '9.1.1.2',
        outcome: 'approved',
        outcomeReason: 'temporary_account',
        detail: { basis: '国办发〔2009〕66号 第五条' },
        notice: { kind: 'outcome', round: 1, items: review.reasons, text },
      },
      (step) => db.openTemporaryAccount({ step }),
    );
    return rt.finish();
  }

  // Contact letter (9.2.1 a); then the information sheet, returned for correction as often as needed (9.2.1 b).
  rt.platform.expect('information_sheet', 'contact_letter_rejected');
  await send('contact_letter');
  await rt.record({ type: 'contact_letter_sent', clause: '9.2.1 a', detail: { to: input.counterpartAgency } });
  await counterpart.start('information_sheet');
  for (let round = 1; ; round++) {
    const sheetMessage = (await rt.platform.awaitMessage({ stage: 'awaiting_information_sheet', clause: '9.2.1 b' }))!;
    // The other side has answered: its reply clock stops and a late answer is no longer flagged
    // overdue while the case waits for what comes next (runs before this patch kept the flag).
    if (sheetMessage.type !== 'contact_letter_rejected' && patched(COUNTERPART_REPLIED_PATCH)) counterpart.stop();
    if (sheetMessage.type === 'contact_letter_rejected') {
      counterpart.stop();
      const rejection = await db.readRejection({ messageId: sheetMessage.messageId });
      if (input.channel === 'platform') await send('application_rejected', { reasons: rejection });
      const notice = refusalNotice({
        caseId: input.caseId,
        procedure: 'transfer_in',
        clause: '9.2.2 a',
        reasons: rejection,
      });
      await rt.close({
        type: 'contact_letter_rejected',
        clause: '9.2.2 a',
        outcome: 'refused',
        outcomeReason: rejection.map((r) => r.code).join(','),
        detail: { reasons: rejection.map((r) => r.code) },
        notice: { kind: 'refusal_reasons', round: 1, items: rejection, text: notice.text },
      });
      return rt.finish();
    }
    rt.platform.expect('information_sheet');
    const check = await db.checkInformationSheet({ caseId: input.caseId, messageId: sheetMessage.messageId });
    if (check.ok) {
      rt.platform.expect('funds_transferred');
      await send('sheet_confirmed', { sheetVersion: check.sheetVersion });
      await rt.record({
        type: 'sheet_confirmed',
        clause: '9.2.1 b',
        detail: { round, sheetVersion: check.sheetVersion, total: check.total, months: check.months },
      });
      break;
    }
    await send('sheet_returned', { sheetVersion: check.sheetVersion, problems: check.problems });
    await rt.record({
      type: 'sheet_returned',
      clause: '9.2.1 b',
      detail: { round, sheetVersion: check.sheetVersion, problems: check.problems.map((p) => p.code) },
    });
    // The corrected sheet is a new reply: the other side's clock starts again.
    await counterpart.start('corrected_sheet');
  }

  // Funds (9.2.1 c): must match the confirmed sheet; a discrepancy goes to a reviewer.
  await counterpart.start('funds');
  const fundsMessage = (await rt.platform.awaitMessage({ stage: 'awaiting_funds', clause: '9.2.1 c' }))!;
  counterpart.stop();
  rt.platform.expect();
  const funds = await db.checkTransferFunds({ caseId: input.caseId, messageId: fundsMessage.messageId });
  if (!funds.ok) {
    await rt.record({
      type: 'funds_discrepancy',
      clause: '9.2.1 c',
      detail: { problems: funds.problems.map((p) => p.code) },
    });
    await rt.staff.awaitDecision({
      ...staffStep(TRANSFER_IN_STEPS, 'funds_check'),
      stage: 'funds_check',
      waitingOn: 'reviewer',
      clause: '9.2.1 c',
    });
  }
  await send('funds_received', { total: funds.total });
  await send('completion_feedback', { completedOn: new Date(Date.now()).toISOString().slice(0, 10) });
  const text = outcomeNotice({
    caseId: input.caseId,
    procedure: 'transfer_in',
    summary: `转移基金 ${funds.total} 元已到账，基本养老保险关系已转入本经办机构。`,
  }).text;
  await rt.close(
    {
      type: 'transfer_completed',
      clause: '9.2.1 c',
      outcome: 'approved',
      detail: { total: funds.total },
      notice: { kind: 'outcome', round: 1, items: [], text },
    },
    (step) => db.completeTransferIn({ step, messageId: fundsMessage.messageId }),
  );
  return rt.finish();
}
