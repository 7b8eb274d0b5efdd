/**
 * Transfer out (转出), clause T-6 (9.2.2 of DB62/T 5079.1—2025), at the sending agency. On a
 * contact letter: check it; not eligible → reject the letter with the reasons; eligible →
 * generate the information sheet from the person's contribution history and send it (again,
 * corrected, whenever it is returned); after the receiving side confirms it, remit the funds
 * exactly once, and stop the local relation with reason "transferred out" when the receipt is
 * confirmed. 15 working days (9.1.3).
 */
import { patched } from '@temporalio/workflow';
import { refusalNotice, outcomeNotice } from '../domain/notices';
import { chinaDateOf } from '../domain/working-days';
import { db, external, remit } from './shared/activity-options';
import { CaseRuntime, refuse } from './shared/case-runtime';
import { CounterpartWatch } from './shared/counterpart';
import type { CaseTexts } from './shared/case-texts';
import { REVIEW_TEXTS } from './shared/review';
import { collectiveReview, RISK_REVIEW_STEPS, RISK_REVIEW_TEXTS, touchRisk } from './shared/risk-review';
import { staffStep, type CaseOutcomes, type StaffStepTable } from './shared/staff-steps';
import { StatutoryClock } from './shared/statutory-clock';
import { STATUTORY_LIMITS } from '../domain/procedures';
import type { CaseStart, CaseView } from './shared/types';

export const TRANSFER_OUT_TEXTS = {
  stages: {
    awaiting_sheet_confirmation: '等待转入地确认信息表',
    sheet_correction: '更正信息表',
    awaiting_receipt_confirmation: '等待转入地确认到账',
    awaiting_completion_feedback: '等待办结反馈',
  },
  steps: { sheet_correction: '更正转移接续信息表并重新发送' },
} as const satisfies CaseTexts;

/** The staff steps a transfer out awaits (high risk: collective review; a returned sheet's correction), with their results. */
export const TRANSFER_OUT_STEPS = {
  ...RISK_REVIEW_STEPS,
  sheet_correction: ['resend'],
} as const satisfies StaffStepTable;
/** Transferred out (approved) or refused. */
export const TRANSFER_OUT_OUTCOMES = ['approved', 'refused'] as const satisfies CaseOutcomes;

export interface TransferOutInput extends CaseStart {
  transferId: string;
  /** The receiving agency (the new place). */
  counterpartAgency: string;
  /** The platform message that carried the contact letter. */
  contactLetterMessageId: string;
}

/**
 * What staff may correct when the sheet comes back (decision items: code = field, note = the
 * corrected value); excludeMonths lists months paid twice ("2026-09,2026-10"), refunded locally.
 */
const CORRECTABLE = ['name', 'birthDate', 'workStartDate', 'excludeMonths'];

export async function transferOut(input: TransferOutInput): Promise<CaseView> {
  const rt = new CaseRuntime(
    { ...input, procedure: 'transfer_out' },
    new StatutoryClock(STATUTORY_LIMITS.transfer_out),
    [REVIEW_TEXTS, RISK_REVIEW_TEXTS, TRANSFER_OUT_TEXTS],
  );
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
  await rt.record({
    type: 'contact_letter_received',
    clause: '9.2.2 a',
    detail: { from: input.counterpartAgency, transferId: input.transferId },
  });
  await rt.record({ type: 'review_started', clause: '9.2.2 a', stage: 'review', waitingOn: null, detail: {} });
  const check = await db.checkContactLetter({ caseId: input.caseId, messageId: input.contactLetterMessageId });
  if (!check.eligible) {
    await send('contact_letter_rejected', { reasons: check.reasons });
    const notice = refusalNotice({
      caseId: input.caseId,
      procedure: 'transfer_out',
      clause: '9.2.2 a',
      reasons: check.reasons,
    });
    await rt.close({
      type: 'contact_letter_rejected',
      clause: '9.2.2 a',
      outcome: 'refused',
      outcomeReason: check.reasons.map((r) => r.code).join(','),
      detail: { reasons: check.reasons.map((r) => r.code) },
      notice: { kind: 'refusal_reasons', round: 1, items: check.reasons, text: notice.text },
    });
    return rt.finish();
  }

  // R-2..R-4: the point of the transfer out, graded by the register; high-risk business is
  // reviewed collectively before the sheet goes out (its documents are the platform's messages).
  if (patched('risk-controls')) {
    const highRisk = await touchRisk(rt, [{ key: 'transfer_out.record' }]);
    const refused =
      rt.riskGrade === 'high' ? await collectiveReview(rt, { reasons: highRisk, quorum: rt.riskQuorum }) : [];
    if (refused.length > 0) {
      await send('contact_letter_rejected', { reasons: refused });
      const notice = refusalNotice({
        caseId: input.caseId,
        procedure: 'transfer_out',
        clause: '10.2.3',
        reasons: refused,
      });
      await rt.close({
        type: 'contact_letter_rejected',
        clause: '10.2.3',
        outcome: 'refused',
        outcomeReason: refused.map((r) => r.code).join(','),
        detail: { reasons: refused.map((r) => r.code) },
        notice: { kind: 'refusal_reasons', round: 1, items: refused, text: notice.text },
      });
      return rt.finish();
    }
  }

  let corrections: Record<string, string> = {};
  for (let sheetVersion = 1; ; sheetVersion++) {
    const sheet = await rt.parameters.withParameters('9.2.2 a', () =>
      db.prepareInformationSheet({ caseId: input.caseId, sheetVersion, asOf: chinaDateOf(Date.now()), corrections }),
    );
    rt.platform.expect('sheet_confirmed', 'sheet_returned');
    await send('information_sheet');
    await rt.record({
      type: 'information_sheet_sent',
      clause: '9.2.2 a',
      detail: {
        sheetVersion,
        total: sheet.total,
        months: sheet.months,
        provisional: sheet.provisional,
        parameterSetVersion: sheet.parameterSetVersion,
      },
    });
    await counterpart.start('sheet_confirmation');
    const answer = (await rt.platform.awaitMessage({ stage: 'awaiting_sheet_confirmation', clause: '9.2.2 a' }))!;
    counterpart.stop();
    if (answer.type === 'sheet_confirmed') {
      await rt.record({ type: 'sheet_confirmed_received', clause: '9.2.2 b', detail: { sheetVersion } });
      break;
    }
    rt.platform.expect();
    await rt.record({ type: 'sheet_returned_received', clause: '9.2.2 a', detail: { sheetVersion } });
    const decision = await rt.staff.awaitDecision({
      ...staffStep(TRANSFER_OUT_STEPS, 'sheet_correction'),
      stage: 'sheet_correction',
      waitingOn: 'staff',
      clause: '9.2.2 a',
      validate: (d) => {
        for (const it of d.items ?? []) {
          if (!CORRECTABLE.includes(it.code))
            refuse(
              'decision.unknown_item',
              `信息表中 "${it.code}" 不可在此更正（可更正：${CORRECTABLE.join('、')}）`,
              'items',
            );
          if (!it.note?.trim()) refuse('decision.items_required', `更正 "${it.code}" 须给出更正后的值`, 'items');
        }
      },
    });
    corrections = {
      ...corrections,
      ...Object.fromEntries((decision.items ?? []).map((i) => [i.code, i.note!.trim()])),
    };
  }

  // T-6 b: remit the funds exactly once (the key is derived from the transfer, not the attempt).
  const idempotencyKey = `${input.transferId}:funds`;
  // The receiving side sends the receipt and the completion feedback back to back as soon as the
  // platform delivers the funds, which can be before the remittance call returns here (a slow
  // platform answer, a worker restarted mid-call), and the platform may deliver them in either
  // order: both are accepted from now on.
  rt.platform.expect('funds_received', 'completion_feedback');
  const remittance = await remit.remitTransferFunds({ caseId: input.caseId, idempotencyKey });
  await rt.record({
    type: 'funds_remitted',
    clause: '9.2.2 b',
    detail: { total: remittance.total, paymentReference: remittance.paymentReference },
  });
  await counterpart.start('funds_receipt');
  await rt.platform.awaitMessage({ stage: 'awaiting_receipt_confirmation', clause: '9.2.2 b', type: 'funds_received' });
  rt.platform.expect('completion_feedback');
  await rt.record({ type: 'funds_receipt_confirmed', clause: '9.2.2 b', detail: {} });
  await rt.platform.awaitMessage({
    stage: 'awaiting_completion_feedback',
    clause: '9.2.1 c',
    type: 'completion_feedback',
  });
  counterpart.stop();
  const text = outcomeNotice({
    caseId: input.caseId,
    procedure: 'transfer_out',
    summary: `基本养老保险关系已转出，转移基金 ${remittance.total} 元。`,
  }).text;
  await rt.close(
    {
      type: 'transferred_out',
      clause: '9.2.2 b',
      outcome: 'approved',
      detail: { total: remittance.total },
      notice: { kind: 'outcome', round: 1, items: [], text },
    },
    (step) => db.completeTransferOut({ step, idempotencyKey }),
  );
  return rt.finish();
}
