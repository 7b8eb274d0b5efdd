/**
 * Inbound messages from the national transfer platform: validated (schema, known recipient,
 * known correlation, expected state), de-duplicated by message ID, recorded whether accepted or
 * refused, and delivered to the right workflow — a contact letter or a platform application
 * opens a case. A malformed or unexpected message is refused with a clear error; it never
 * crashes or corrupts a case.
 */
import { randomUUID } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { Envelope, PAYLOADS, summarise, type PlatformEnvelope } from '../../adapters/transfer-platform/messages';
import type { Db } from '../../db/client';
import { agencies, platformMessages, transfers } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import { refusalStatus } from '../../domain/refusal-codes';
import { chinaDateOf } from '../../domain/working-days';
import { platformMessageUpdate } from '../../workflows/shared/messages';
import { signInput, type AssertionSigner } from '../auth/assertions';
import { recordRefusal, servesAgency, type Actor } from '../auth/plugin';
import { ApiError } from '../errors';
import type { CaseIntake } from './case-intake';

export interface InboxDeps {
  db: Db;
  temporal: Client;
  intake: CaseIntake;
  now: () => Date;
  /** Agencies this installation serves; undefined = every agency in the directory. */
  servedAgencies?: string[];
  /** Signs the message reference the workflow receives (workflows/shared/trust.ts). */
  assertions: AssertionSigner;
}

export interface InboxResult {
  status: 'delivered' | 'duplicate';
  caseId: string | null;
}

function firstError(
  schema: Parameters<typeof Value.Errors>[0],
  value: unknown,
  prefix: string,
): { field: string; message: string } | undefined {
  const error = Value.Errors(schema, value).First();
  if (!error) return undefined;
  const path = error.path.replace(/^\//, '').replace(/\//g, '.');
  return { field: [prefix, path].filter(Boolean).join('.'), message: error.message };
}

export function createPlatformInbox(deps: InboxDeps) {
  async function record(envelope: Partial<PlatformEnvelope>, status: 'received' | 'refused', error?: string) {
    const messageId =
      typeof envelope.messageId === 'string' && envelope.messageId
        ? envelope.messageId
        : `unidentified-${randomUUID()}`;
    const [row] = await deps.db
      .insert(platformMessages)
      .values({
        messageId,
        direction: 'in',
        type: typeof envelope.type === 'string' ? envelope.type.slice(0, 60) : 'unknown',
        transferId: typeof envelope.transferId === 'string' ? envelope.transferId.slice(0, 100) : null,
        fromAgency: typeof envelope.from === 'string' ? envelope.from.slice(0, 20) : null,
        toAgency: typeof envelope.to === 'string' ? envelope.to.slice(0, 20) : null,
        body: envelope as Record<string, unknown>,
        summary: status === 'refused' ? `拒收：${error ?? ''}`.slice(0, 300) : summarise(envelope as PlatformEnvelope),
        status,
        error: error ?? null,
        occurredAt: deps.now(),
      })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async function refuse(envelope: Partial<PlatformEnvelope>, err: ApiError, existing: boolean): Promise<never> {
    const text = `${err.code}: ${err.message}`;
    if (existing && envelope.messageId) {
      await deps.db
        .update(platformMessages)
        .set({ status: 'refused', error: text, updatedAt: new Date() })
        // A concurrent delivery of the same message that succeeded stays delivered.
        .where(
          and(
            eq(platformMessages.messageId, envelope.messageId),
            eq(platformMessages.direction, 'in'),
            eq(platformMessages.status, 'received'),
          ),
        );
    } else {
      await record(envelope, 'refused', text);
    }
    throw err;
  }

  async function inDirectory(code: string): Promise<boolean> {
    const [row] = await deps.db.select({ code: agencies.code }).from(agencies).where(eq(agencies.code, code));
    return Boolean(row);
  }

  async function served(code: string): Promise<boolean> {
    if (deps.servedAgencies) return deps.servedAgencies.includes(code);
    return inDirectory(code);
  }

  /**
   * A message that opens a case names its counterpart, which must be in the directory (the
   * agencies table): an unknown one would open a case whose workflow cannot write its letters and
   * fails. (Messages about an open transfer are checked against its counterpart instead.)
   */
  async function unknownAgency(envelope: PlatformEnvelope): Promise<ApiError | undefined> {
    if (envelope.type !== 'contact_letter' && envelope.type !== 'transfer_application') return undefined;
    const named: Array<[string, string]> = [];
    if (envelope.from !== 'platform') named.push(['from', envelope.from]);
    const fromAgency = (envelope.payload as { fromAgencyCode?: unknown }).fromAgencyCode;
    if (envelope.type === 'transfer_application' && typeof fromAgency === 'string')
      named.push(['payload.fromAgencyCode', fromAgency]);
    for (const [field, code] of named) {
      if (!(await inDirectory(code)))
        return new ApiError(422, 'platform.unknown_agency', `${field}: 经办机构 ${code} 不在经办机构目录中`, field);
    }
    return undefined;
  }

  async function openCase(envelope: PlatformEnvelope): Promise<string> {
    // The same letter or application delivered again finds the case it opened.
    const [known] = await deps.db
      .select({ caseId: transfers.caseId })
      .from(transfers)
      .where(and(eq(transfers.transferId, envelope.transferId), eq(transfers.agencyCode, envelope.to)));
    if (known) return known.caseId;
    const payload = envelope.payload as Record<string, unknown>;
    const idNumber =
      envelope.type === 'contact_letter'
        ? (payload.letter as { idNumber: string }).idNumber
        : (payload.person as { idNumber: string }).idNumber;
    const field = envelope.type === 'contact_letter' ? 'payload.letter.idNumber' : 'payload.person.idNumber';
    const id = validateIdNumber(idNumber, chinaDateOf(deps.now().getTime()));
    if (!id.valid)
      throw new ApiError(422, id.errors[0].code, `${field}: ${id.errors.map((e) => e.message).join('；')}`, field);
    const side = envelope.type === 'contact_letter' ? 'out' : 'in';
    const counterpart = envelope.type === 'contact_letter' ? envelope.from : (payload.fromAgencyCode as string);
    const result = await deps.intake.create({
      procedure: side === 'out' ? 'transfer_out' : 'transfer_in',
      agencyCode: envelope.to,
      channel: 'platform',
      person:
        side === 'out'
          ? {
              idNumber: id.normalized!,
              name: (payload.letter as { personName: string }).personName,
              sex: id.sex!,
              birthDate: id.birthDate!,
              keepExistingName: true,
            }
          : {
              idNumber: id.normalized!,
              name: (payload.person as { name: string }).name,
              sex: id.sex!,
              birthDate: id.birthDate!,
            },
      application:
        side === 'out'
          ? {
              transferId: envelope.transferId,
              counterpartAgency: counterpart,
              contactLetterMessageId: envelope.messageId,
            }
          : {
              transferId: envelope.transferId,
              fromAgencyCode: counterpart,
              householdCode: payload.householdCode,
              returningHome: payload.returningHome,
              reachedBenefitConditions: payload.reachedBenefitConditions,
            },
      materials: [],
      settle: false,
      afterInsert: async (tx, row, person) => {
        await tx.insert(transfers).values({
          transferId: envelope.transferId,
          side,
          caseId: row.id,
          personId: person.id,
          agencyCode: envelope.to,
          counterpartAgency: counterpart,
        });
        await tx
          .update(platformMessages)
          .set({ caseId: row.id })
          .where(and(eq(platformMessages.messageId, envelope.messageId), eq(platformMessages.direction, 'in')));
      },
    });
    return result.caseId;
  }

  async function deliverToCase(envelope: PlatformEnvelope, caller: Actor): Promise<string> {
    const [transfer] = await deps.db
      .select()
      .from(transfers)
      .where(and(eq(transfers.transferId, envelope.transferId), eq(transfers.agencyCode, envelope.to)));
    if (!transfer)
      throw new ApiError(
        422,
        'platform.unknown_transfer',
        `no transfer ${envelope.transferId} at agency ${envelope.to}`,
        'transferId',
      );
    if (transfer.counterpartAgency !== envelope.from) {
      throw new ApiError(
        422,
        'platform.wrong_sender',
        `transfer ${envelope.transferId} is with ${transfer.counterpartAgency}, not ${envelope.from}`,
        'from',
      );
    }
    const updateId = `message:${envelope.messageId}`;
    // Signed for this delivery: the platform's token (its agencies) is who delivers.
    const ref = signInput(
      deps.assertions,
      { messageId: envelope.messageId, type: envelope.type, transferId: envelope.transferId },
      {
        actor: { id: caller.id, role: caller.role, agencies: caller.agencies },
        caseId: transfer.caseId,
        action: 'platformMessage',
        key: updateId,
      },
    );
    try {
      const handle = await deps.temporal.workflow.getHandle(transfer.caseId).startUpdate(platformMessageUpdate, {
        args: [ref],
        updateId,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      // startUpdate does not throw when the validator rejects the message: the rejection comes
      // back as the update's outcome, which result() reports at once. An accepted update has no
      // outcome yet; the short deadline stops result() from waiting for the case to consume it.
      await deps.temporal
        .withDeadline(Date.now() + 100, () => handle.result())
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)) throw err;
        });
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        const code = err.cause.type ?? 'case.unexpected_message';
        throw new ApiError(refusalStatus(code), code, err.cause.message, 'type');
      }
      if (err instanceof WorkflowNotFoundError)
        throw new ApiError(409, 'case.closed', `case ${transfer.caseId} is closed`, 'transferId');
      throw err;
    }
    return transfer.caseId;
  }

  return {
    /** `caller`: the verified transfer_platform token, whose agencies bound what it may deliver. */
    async receive(body: unknown, caller: Actor): Promise<InboxResult> {
      const envelope = (body && typeof body === 'object' ? body : {}) as Partial<PlatformEnvelope>;
      const bad = firstError(Envelope, envelope, '');
      if (bad)
        return refuse(
          envelope,
          new ApiError(400, 'platform.malformed_message', `${bad.field}: ${bad.message}`, bad.field),
          false,
        );
      const valid = envelope as PlatformEnvelope;
      const badPayload = firstError(PAYLOADS[valid.type], valid.payload, 'payload');
      if (badPayload)
        return refuse(
          valid,
          new ApiError(
            400,
            'platform.malformed_payload',
            `${badPayload.field}: ${badPayload.message}`,
            badPayload.field,
          ),
          false,
        );

      // The platform's token names the agencies it delivers for: no other recipient, whatever the envelope says.
      if (valid.to !== 'platform' && !servesAgency(caller, valid.to)) {
        await recordRefusal(deps.db, {
          actor: caller,
          action: 'POST /api/v1/platform/messages',
          code: 'auth.forbidden_agency',
          reason: `token for agencies ${caller.agencies.join(',') || '(none)'} delivered message ${valid.messageId.slice(0, 80)} to ${valid.to}`,
          agencyCode: /^[0-9]{6}$/.test(valid.to) ? valid.to : null,
        });
        throw new ApiError(403, 'auth.forbidden_agency', `令牌无权向经办机构 ${valid.to} 投递报文`, 'to');
      }
      const inserted = await record(valid, 'received');
      if (!inserted) {
        const [existing] = await deps.db
          .select()
          .from(platformMessages)
          .where(and(eq(platformMessages.messageId, valid.messageId), eq(platformMessages.direction, 'in')));
        await deps.db
          .update(platformMessages)
          .set({ deliveries: existing.deliveries + 1, updatedAt: new Date() })
          .where(eq(platformMessages.id, existing.id));
        if (existing.status === 'delivered') return { status: 'duplicate', caseId: existing.caseId };
        if (existing.status === 'refused') {
          const [code, ...rest] = (existing.error ?? 'platform.refused: ').split(': ');
          // The same refusal as the first time: a case state conflict is 409, every other refusal
          // recorded here (recipient, transfer, sender, person, assertion) is 422.
          throw new ApiError(refusalStatus(code), code, rest.join(': ') || 'message refused before');
        }
      }
      if (valid.to === 'platform' || !(await served(valid.to))) {
        return refuse(
          valid,
          new ApiError(422, 'platform.unknown_recipient', `agency ${valid.to} is not served here`, 'to'),
          true,
        );
      }
      const unknown = await unknownAgency(valid);
      if (unknown) return refuse(valid, unknown, true);
      let caseId: string;
      try {
        caseId =
          valid.type === 'contact_letter' || valid.type === 'transfer_application'
            ? await openCase(valid)
            : await deliverToCase(valid, caller);
      } catch (err) {
        if (err instanceof ApiError && err.statusCode < 500) return refuse(valid, err, true);
        throw err;
      }
      await deps.db
        .update(platformMessages)
        .set({ status: 'delivered', caseId, error: null, updatedAt: new Date() })
        .where(and(eq(platformMessages.messageId, valid.messageId), eq(platformMessages.direction, 'in')));
      return { status: 'delivered', caseId };
    },
  };
}

export type PlatformInbox = ReturnType<typeof createPlatformInbox>;
