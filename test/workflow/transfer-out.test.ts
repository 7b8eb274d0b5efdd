/**
 * Transfer out (T-6) with mocked activities: the contact letter checked (rejected, or answered
 * with the information sheet), the sheet returned and corrected by staff, the funds remitted
 * once, the receipt and the completion feedback in either order; a high-risk transfer refused
 * by its collective review; the other side's reply deadline while the sheet is unconfirmed.
 */
import { randomUUID } from 'node:crypto';
import { transferOut, type TransferOutInput } from '../../workflows/transfer-out';
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

async function transferInput(t: CaseTest): Promise<TransferOutInput> {
  const caseId = t.caseId('transfer-out');
  return {
    ...(await t.caseStart(caseId, 'platform')),
    transferId: `tr-${randomUUID()}`,
    counterpartAgency: '330102',
    contactLetterMessageId: `msg-${randomUUID()}`,
  };
}

function transferActivities(o: { eligible?: boolean } = {}): MockActivities {
  return {
    checkContactLetter: async () =>
      o.eligible === false
        ? { eligible: false, reasons: [{ code: 'no_relation_here', text: '本经办机构无参保关系' }] }
        : { eligible: true, reasons: [] },
    prepareInformationSheet: async ({ sheetVersion, corrections }) => ({
      sheetVersion,
      total: corrections?.excludeMonths ? '11800.00' : '12000.00',
      months: corrections?.excludeMonths ? 119 : 120,
      provisional: false,
      parameterSetVersion: 3,
    }),
    sendTransferMessage: async () => undefined,
    remitTransferFunds: async ({ idempotencyKey }) => ({
      paymentReference: `pay-${idempotencyKey}`,
      total: '11800.00',
      duplicate: false,
    }),
    completeTransferOut: async () => undefined,
  };
}

const sentTypes = (t: CaseTest) => (t.callsOf('sendTransferMessage') as Array<{ type: string }>).map((m) => m.type);

test('a contact letter the person is not eligible for is rejected with its reasons', async () => {
  await caseTest(transferActivities({ eligible: false }), async (t) => {
    const input = await transferInput(t);
    const { view } = await t.start(transferOut, input);
    expect(view).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(t.callsOf('checkContactLetter')).toEqual([
      { caseId: input.caseId, messageId: input.contactLetterMessageId },
    ]);
    expect(t.callsOf('sendTransferMessage')).toEqual([
      expect.objectContaining({
        type: 'contact_letter_rejected',
        payload: { reasons: [expect.objectContaining({ code: 'no_relation_here' })] },
      }),
    ]);
    expect(t.callsOf('prepareInformationSheet')).toEqual([]);
  });
});

test('the sheet is returned, staff correct it and resend; once confirmed the funds are remitted once and the relation transferred out when receipt and feedback are in', async () => {
  await caseTest(transferActivities(), async (t) => {
    const input = await transferInput(t);
    const { handle, view } = await t.start(transferOut, input);
    expect(view).toMatchObject({
      status: 'open',
      stage: 'awaiting_sheet_confirmation',
      waitingOn: 'counterpart',
      expectedMessages: ['sheet_confirmed', 'sheet_returned'],
    });
    expect(sentTypes(t)).toEqual(['information_sheet']);

    const returned = await t.platformMessage(handle, { type: 'sheet_returned', transferId: input.transferId });
    expect(returned).toMatchObject({
      stage: 'sheet_correction',
      waitingOn: 'staff',
      awaitingStep: 'sheet_correction',
      expectedMessages: [],
    });
    expect(
      await refusalOf(
        t.decide(handle, {
          step: 'sheet_correction',
          result: 'resend',
          items: [{ code: 'salary', note: '1' }],
          actor: actors.acceptor,
        }),
      ),
    ).toMatchObject({ type: 'decision.unknown_item' });
    expect(
      await refusalOf(
        t.decide(handle, {
          step: 'sheet_correction',
          result: 'resend',
          items: [{ code: 'excludeMonths' }],
          actor: actors.acceptor,
        }),
      ),
    ).toMatchObject({ type: 'decision.items_required' });
    const resent = await t.decide(handle, {
      step: 'sheet_correction',
      result: 'resend',
      items: [{ code: 'excludeMonths', note: '2026-09' }],
      actor: actors.acceptor,
    });
    expect(resent).toMatchObject({ stage: 'awaiting_sheet_confirmation', waitingOn: 'counterpart' });
    expect(t.callsOf('prepareInformationSheet')).toEqual([
      expect.objectContaining({ sheetVersion: 1, corrections: {} }),
      expect.objectContaining({ sheetVersion: 2, corrections: { excludeMonths: '2026-09' } }),
    ]);

    const confirmed = await t.platformMessage(handle, { type: 'sheet_confirmed', transferId: input.transferId });
    expect(confirmed).toMatchObject({
      stage: 'awaiting_receipt_confirmation',
      waitingOn: 'counterpart',
      expectedMessages: ['funds_received', 'completion_feedback'],
    });
    expect(t.callsOf('remitTransferFunds')).toEqual([
      { caseId: input.caseId, idempotencyKey: `${input.transferId}:funds` },
    ]);

    // The feedback may come before the receipt: accepted now, consumed once the receipt is in.
    const feedback = await t.deliverPlatformMessage(handle, {
      type: 'completion_feedback',
      transferId: input.transferId,
    });
    expect(await t.view(handle)).toMatchObject({ status: 'open', stage: 'awaiting_receipt_confirmation' });
    const done = await t.platformMessage(handle, { type: 'funds_received', transferId: input.transferId });
    expect(done).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(await feedback.consumed).toMatchObject({ status: 'closed' });
    expect(t.callsOf('completeTransferOut')).toEqual([
      expect.objectContaining({
        idempotencyKey: `${input.transferId}:funds`,
        step: expect.objectContaining({ type: 'transferred_out', detail: { total: '11800.00' } }),
      }),
    ]);
    expect(sentTypes(t)).toEqual(['information_sheet', 'information_sheet']);
    expect(t.callsOf('remitTransferFunds')).toHaveLength(1);
  });
});

test('a high-risk transfer out is reviewed collectively before any sheet goes out; refused, the contact letter is rejected', async () => {
  await caseTest({ ...transferActivities(), touchRiskPoints: gradedHigh('transfer_out.record') }, async (t) => {
    const input = await transferInput(t);
    const { handle, view } = await t.start(transferOut, input);
    expect(view).toMatchObject({ stage: 'collective_review', awaitingStep: 'collective_review', riskGrade: 'high' });
    for (const n of [1, 2])
      await t.decide(handle, {
        step: 'collective_review',
        result: 'refuse',
        reason: `记录存疑 ${n}`,
        actor: actors.member(n),
      });
    const closed = await t.decide(handle, {
      step: 'collective_review',
      result: 'approve',
      reason: '无异议',
      actor: actors.member(3),
    });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(sentTypes(t)).toEqual(['contact_letter_rejected']);
    expect(t.callsOf('prepareInformationSheet')).toEqual([]);
  });
});

test('the other side leaves the sheet unconfirmed past 15 working days: reminded about the confirmation, the case keeps waiting', async () => {
  await caseTest(transferActivities(), async (t) => {
    const input = await transferInput(t);
    const { handle, view } = await t.start(transferOut, input);
    await t.sleepUntil(Date.parse(view.clocks.counterpart.dueAt!) + 60_000);
    await t.until(handle, () => t.events(input.caseId).includes('counterpart_reminded'));
    expect(t.callsOf('sendTransferMessage').at(-1)).toMatchObject({
      type: 'reminder',
      payload: { about: 'sheet_confirmation' },
    });
    expect(await t.view(handle)).toMatchObject({ status: 'open', stage: 'awaiting_sheet_confirmation' });
    expect(await t.platformMessage(handle, { type: 'sheet_confirmed', transferId: input.transferId })).toMatchObject({
      stage: 'awaiting_receipt_confirmation',
    });
  });
});
