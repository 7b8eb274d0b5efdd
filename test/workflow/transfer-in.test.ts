/**
 * Transfer in (T-2, T-4, T-5) with mocked activities: the review's routes, the contact letter,
 * the information sheet returned for correction and confirmed, the funds; the other side
 * rejecting the contact letter; the other side's reply deadline passing (reminder, flag).
 */
import { randomUUID } from 'node:crypto';
import type { RequiredItem } from '../../domain/materials';
import type { TransferRoute } from '../../domain/transfer-eligibility';
import { saCounterpartOverdue } from '../../workflows/shared/search-attributes';
import { transferIn, type TransferInInput } from '../../workflows/transfer-in';
import { actors, caseTest, refusalOf, useTimeSkipping, type CaseTest, type MockActivities } from './helpers/env';

useTimeSkipping();

const FROM = '610102';

async function transferInput(t: CaseTest, channel: 'online' | 'platform' = 'online'): Promise<TransferInInput> {
  const caseId = t.caseId('transfer-in');
  return {
    ...(await t.caseStart(caseId, channel, channel === 'online' ? actors.applicant : undefined)),
    transferId: `tr-${randomUUID()}`,
    counterpartAgency: FROM,
  };
}

/** A person the review lets transfer; the sheets are checked in the order given (true = correct). */
function transferActivities(
  o: { route?: TransferRoute; reasons?: RequiredItem[]; sheets?: boolean[] } = {},
): MockActivities {
  const sheets = [...(o.sheets ?? [true])];
  let version = 0;
  return {
    reviewTransferIn: async () => ({
      route: o.route ?? 'transfer',
      reasons: o.reasons ?? [],
      basis: [],
      ruleVersion: 'test',
    }),
    sendTransferMessage: async () => undefined,
    checkInformationSheet: async () => {
      version += 1;
      const ok = sheets.shift() ?? true;
      return {
        ok,
        problems: ok ? [] : [{ code: 'months_mismatch', text: '缴费月数与记录不符' }],
        sheetVersion: version,
        total: '24000.00',
        months: 120,
      };
    },
    checkTransferFunds: async () => ({ ok: true, problems: [], total: '24000.00' }),
    completeTransferIn: async () => undefined,
    readRejection: async () => [{ code: 'no_relation', text: '转出地无参保记录' }],
    continueInProvince: async () => undefined,
    openTemporaryAccount: async () => undefined,
  };
}

const sentTypes = (t: CaseTest) => (t.callsOf('sendTransferMessage') as Array<{ type: string }>).map((m) => m.type);

test('contact letter, a sheet returned for correction then confirmed, funds received: completed, each message sent once', async () => {
  await caseTest(transferActivities({ sheets: [false, true] }), async (t) => {
    const input = await transferInput(t);
    const { handle, view } = await t.start(transferIn, input);
    expect(view).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      waitingOn: 'counterpart',
      expectedMessages: ['information_sheet', 'contact_letter_rejected'],
    });
    expect(view.clocks.counterpart).toMatchObject({ state: 'running', budgetWorkingDays: 15 });
    expect(sentTypes(t)).toEqual(['contact_letter']);

    expect(
      await refusalOf(t.platformMessage(handle, { type: 'funds_transferred', transferId: input.transferId })),
    ).toMatchObject({ type: 'case.unexpected_message' });

    const returned = await t.platformMessage(handle, { type: 'information_sheet', transferId: input.transferId });
    expect(returned).toMatchObject({ stage: 'awaiting_information_sheet', expectedMessages: ['information_sheet'] });
    expect(t.callsOf('sendTransferMessage').at(-1)).toMatchObject({
      type: 'sheet_returned',
      payload: { sheetVersion: 1, problems: [expect.objectContaining({ code: 'months_mismatch' })] },
    });

    const corrected = { type: 'information_sheet', transferId: input.transferId, messageId: `msg-${randomUUID()}` };
    expect(await t.platformMessage(handle, corrected)).toMatchObject({
      stage: 'awaiting_funds',
      expectedMessages: ['funds_transferred'],
    });
    // Delivered again (the platform delivers at least once): nothing happens a second time.
    expect(await t.platformMessage(handle, corrected)).toMatchObject({ stage: 'awaiting_funds' });
    expect(t.callsOf('checkInformationSheet')).toHaveLength(2);

    const funds = { type: 'funds_transferred', transferId: input.transferId, messageId: `msg-${randomUUID()}` };
    expect(await t.platformMessage(handle, funds)).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(sentTypes(t)).toEqual([
      'contact_letter',
      'sheet_returned',
      'sheet_confirmed',
      'funds_received',
      'completion_feedback',
    ]);
    expect(t.callsOf('completeTransferIn')).toEqual([
      expect.objectContaining({
        messageId: funds.messageId,
        step: expect.objectContaining({ type: 'transfer_completed', outcome: 'approved' }),
      }),
    ]);
    expect(
      t
        .steps(input.caseId)
        .filter((s) => s.type.startsWith('sheet_'))
        .map((s) => [s.type, s.detail.round]),
    ).toEqual([
      ['sheet_returned', 1],
      ['sheet_confirmed', 2],
    ]);
  });
});

test('the other side rejects the contact letter: refused with its reasons, and a platform application is answered', async () => {
  await caseTest(transferActivities(), async (t) => {
    const input = await transferInput(t, 'platform');
    const { handle } = await t.start(transferIn, input);
    const rejection = {
      type: 'contact_letter_rejected',
      transferId: input.transferId,
      messageId: `msg-${randomUUID()}`,
    };
    expect(await t.platformMessage(handle, rejection)).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      expectedMessages: [],
    });
    expect(t.callsOf('readRejection')).toEqual([{ messageId: rejection.messageId }]);
    expect(t.callsOf('sendTransferMessage').at(-1)).toMatchObject({
      type: 'application_rejected',
      payload: { reasons: [expect.objectContaining({ code: 'no_relation' })] },
    });
    expect(t.steps(input.caseId).at(-1)).toMatchObject({
      type: 'contact_letter_rejected',
      outcomeReason: 'no_relation',
      notice: { kind: 'refusal_reasons' },
    });
  });
});

/** Starts a transfer whose contact letter the other side leaves unanswered past its 15 working days. */
async function unansweredPastDeadline(t: CaseTest) {
  const input = await transferInput(t);
  const { handle, view } = await t.start(transferIn, input);
  const due = Date.parse(view.clocks.counterpart.dueAt!);
  expect((await handle.describe()).typedSearchAttributes.get(saCounterpartOverdue)).toBeFalsy();
  await t.sleepUntil(due - 3_600_000);
  expect(sentTypes(t)).toEqual(['contact_letter']);
  await t.sleepUntil(due + 60_000);
  await t.until(handle, () => t.events(input.caseId).includes('counterpart_reminded'));
  return { input, handle };
}

test('the other side lets its 15 working days pass: a reminder is sent and the case flagged, and it keeps waiting', async () => {
  await caseTest(transferActivities(), async (t) => {
    const { handle } = await unansweredPastDeadline(t);
    expect(t.callsOf('sendTransferMessage').at(-1)).toMatchObject({
      type: 'reminder',
      payload: { about: 'information_sheet' },
    });
    expect((await handle.describe()).typedSearchAttributes.get(saCounterpartOverdue)).toBe(true);
    // The next reminder in 5 working days, while the case still waits.
    expect(await t.view(handle)).toMatchObject({
      status: 'open',
      stage: 'awaiting_information_sheet',
      clocks: { counterpart: { state: 'running', budgetWorkingDays: 5 } },
    });
  });
});

/**
 * CounterpartOverdue goes back to false when the reply arrives (docs/transfers.md): a late information
 * sheet stops the other side's reply clock before the funds clock starts (patch
 * counterpart-replied-resets-overdue), so the case is no longer flagged, nor listed by the ops query,
 * while it waits for funds that are not late.
 */
test('the late information sheet arrives: the CounterpartOverdue flag goes back to false', async () => {
  await caseTest(transferActivities(), async (t) => {
    const { input, handle } = await unansweredPastDeadline(t);
    expect(await t.platformMessage(handle, { type: 'information_sheet', transferId: input.transferId })).toMatchObject({
      stage: 'awaiting_funds',
    });
    expect((await handle.describe()).typedSearchAttributes.get(saCounterpartOverdue)).toBe(false);
  });
});

test.each([
  ['refused', 'application_rejected', 'refused', []],
  ['temporary_account', 'temporary_account_opened', 'approved', ['openTemporaryAccount']],
  ['not_required_in_province', 'continued_in_province', 'approved', ['continueInProvince']],
] as const)(
  'a review that routes it %s closes the case (%s) without a contact letter',
  async (route, closing, outcome, written) => {
    await caseTest(transferActivities({ route, reasons: [{ code: `${route}_1`, text: '审核结论' }] }), async (t) => {
      const input = await transferInput(t);
      const { view } = await t.start(transferIn, input);
      expect(view).toMatchObject({ status: 'closed', outcome });
      expect(t.steps(input.caseId).at(-1)).toMatchObject({ type: closing, outcome });
      expect(sentTypes(t)).toEqual([]);
      const writes = t.calls
        .filter((c) => c.name === 'openTemporaryAccount' || c.name === 'continueInProvince')
        .map((c) => c.name);
      expect(writes).toEqual(written);
    });
  },
);
