/**
 * What both sides of a cross-province transfer (section 9) share: the case with its person,
 * transfer and agencies, the platform messages received, and sending a message (recorded, then
 * sent; idempotent by message ID on both ends). Workflows pass case and message IDs only; the
 * contents — names, ID numbers, the information sheet — stay in the database.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, inArray } from 'drizzle-orm';
import { PlatformRefusedError, type TransferPlatform } from '../adapters/transfer-platform/platform';
import { summarise, type PlatformEnvelope, type PlatformMessageType } from '../adapters/transfer-platform/messages';
import type { Db, DbOrTx } from '../db/client';
import { agencies, cases, persons, platformMessages, transfers, type Agency } from '../db/schema';
import { buildContactLetter } from '../domain/contact-letter';

export interface TransferDeps {
  db: Db;
  platform: TransferPlatform;
}

export async function transferContext(db: DbOrTx, caseId: string) {
  const [row] = await db
    .select({ c: cases, p: persons, t: transfers })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .innerJoin(transfers, eq(transfers.caseId, cases.id))
    .where(eq(cases.id, caseId));
  if (!row) throw ApplicationFailure.nonRetryable(`transfer case ${caseId} not found`, 'case.not_found');
  const found = await db
    .select()
    .from(agencies)
    .where(inArray(agencies.code, [row.t.agencyCode, row.t.counterpartAgency]));
  const here = found.find((a) => a.code === row.t.agencyCode);
  const there = found.find((a) => a.code === row.t.counterpartAgency);
  return { case: row.c, person: row.p, transfer: row.t, here, there };
}

export function requireAgency(agency: Agency | undefined, code: string): Agency {
  if (!agency) throw ApplicationFailure.nonRetryable(`agency ${code} is not in the agency directory`, 'agency.unknown');
  return agency;
}

export async function inboundBody(db: DbOrTx, messageId: string): Promise<PlatformEnvelope> {
  const [row] = await db
    .select()
    .from(platformMessages)
    .where(and(eq(platformMessages.messageId, messageId), eq(platformMessages.direction, 'in')));
  if (!row) throw ApplicationFailure.nonRetryable(`inbound message ${messageId} not found`, 'message.not_found');
  return row.body as unknown as PlatformEnvelope;
}

/** The platform call that carries each message type. */
const PLATFORM_METHOD: Record<PlatformMessageType, keyof TransferPlatform> = {
  transfer_application: 'sendContactLetter',
  contact_letter: 'sendContactLetter',
  application_rejected: 'rejectApplication',
  contact_letter_rejected: 'rejectContactLetter',
  information_sheet: 'sendInformationSheet',
  sheet_returned: 'returnSheetForCorrection',
  sheet_confirmed: 'confirmSheet',
  funds_transferred: 'sendInformationSheet',
  funds_received: 'confirmReceipt',
  completion_feedback: 'sendCompletionFeedback',
  reminder: 'sendReminder',
};

/** A platform refusal is final; anything else (network, 5xx) is retried by the activity. */
export function platformFailure(err: unknown): unknown {
  return err instanceof PlatformRefusedError ? ApplicationFailure.nonRetryable(err.message, 'platform.refused') : err;
}

export function createTransferMessageActivities({ db, platform }: TransferDeps) {
  /** Records an outbound message and sends it; idempotent by message ID on both ends. */
  async function send(caseId: string, envelope: PlatformEnvelope): Promise<void> {
    await db
      .insert(platformMessages)
      .values({
        messageId: envelope.messageId,
        direction: 'out',
        type: envelope.type,
        transferId: envelope.transferId,
        caseId,
        fromAgency: envelope.from,
        toAgency: envelope.to,
        body: envelope,
        summary: summarise(envelope),
        status: 'failed',
        occurredAt: new Date(envelope.sentAt),
      })
      .onConflictDoNothing();
    try {
      await (platform[PLATFORM_METHOD[envelope.type]] as (m: PlatformEnvelope) => Promise<unknown>)(envelope);
    } catch (err) {
      throw platformFailure(err);
    }
    await db
      .update(platformMessages)
      .set({ status: 'sent', updatedAt: new Date() })
      .where(and(eq(platformMessages.messageId, envelope.messageId), eq(platformMessages.direction, 'out')));
  }

  return {
    /** Sends a message of the transfer; the contact letter and the sheet are built from the database. */
    async sendTransferMessage(input: {
      caseId: string;
      messageId: string;
      type: PlatformMessageType;
      payload?: Record<string, unknown>;
      sentAt: string;
    }): Promise<void> {
      const ctx = await transferContext(db, input.caseId);
      let payload = input.payload ?? {};
      if (input.type === 'contact_letter') {
        const here = requireAgency(ctx.here, ctx.transfer.agencyCode);
        const there = requireAgency(ctx.there, ctx.transfer.counterpartAgency);
        const letter = buildContactLetter({
          letterNumber: `LXH-${ctx.transfer.transferId}`,
          serialNumber: ctx.case.id,
          personName: ctx.person.name,
          idNumber: ctx.person.idNumber,
          originalAgencyName: there.name,
          newAgency: {
            name: here.name,
            phone: here.phone,
            bankName: here.bankName,
            bankCode: here.bankCode,
            accountName: here.accountName,
            accountNumber: here.accountNumber,
            address: here.address,
            postcode: here.postcode,
          },
          handledDate: input.sentAt.slice(0, 10),
          clerk: 'system',
        });
        payload = { letter };
      } else if (input.type === 'information_sheet') {
        if (!ctx.transfer.sheet)
          throw ApplicationFailure.nonRetryable('no information sheet prepared', 'sheet.missing');
        payload = { sheet: ctx.transfer.sheet };
      }
      await send(input.caseId, {
        messageId: input.messageId,
        type: input.type,
        transferId: ctx.transfer.transferId,
        from: ctx.transfer.agencyCode,
        // An application filed on the platform is answered to the platform (the applicant's channel).
        to: input.type === 'application_rejected' ? 'platform' : ctx.transfer.counterpartAgency,
        sentAt: input.sentAt,
        payload,
      });
    },
  };
}
