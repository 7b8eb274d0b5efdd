/**
 * The message protocol of the national pension transfer platform (全国社会保险关系转移系统) as
 * this system uses it: one envelope, routed by agency code and correlated by transfer ID, with
 * a typed payload per message type. The schemas validate both directions.
 */
import { Type, type Static } from '@sinclair/typebox';

export const PLATFORM_MESSAGE_TYPES = [
  /** An application filed on the national platform (掌上12333 etc.), for the receiving agency. */
  'transfer_application',
  /** 联系函: receiving → transfer-out agency (T-5 a). */
  'contact_letter',
  /** The receiving agency rejects an application filed on the platform (T-5 a). */
  'application_rejected',
  /** The transfer-out agency rejects the contact letter (T-6 a). */
  'contact_letter_rejected',
  /** 信息表: transfer-out → receiving agency (T-6 a). */
  'information_sheet',
  /** The receiving agency returns the sheet for correction (T-5 b). */
  'sheet_returned',
  /** The receiving agency confirms the sheet (T-5 b). */
  'sheet_confirmed',
  /** The platform's notice that the funds were remitted (T-6 b), sent on the transfer-out side's behalf. */
  'funds_transferred',
  /** The receiving agency confirms receipt of the funds (T-5 c). */
  'funds_received',
  /** 办结反馈: the receiving agency reports the transfer complete (T-5 c). */
  'completion_feedback',
  /** 催办: a reminder to the other side that its reply is overdue. */
  'reminder',
] as const;
export type PlatformMessageType = (typeof PLATFORM_MESSAGE_TYPES)[number];

const AgencyCode = Type.String({ pattern: '^[0-9]{6}$' });
const Money = Type.String({ pattern: '^\\d{1,12}\\.\\d{2}$' });
const Reason = Type.Object({ code: Type.String({ minLength: 1 }), text: Type.String({ minLength: 1 }) });

export const Envelope = Type.Object(
  {
    messageId: Type.String({ minLength: 8, maxLength: 200 }),
    type: Type.Union(PLATFORM_MESSAGE_TYPES.map((t) => Type.Literal(t))),
    transferId: Type.String({ minLength: 1, maxLength: 100 }),
    from: Type.String({ pattern: '^([0-9]{6}|platform)$' }),
    /** An agency, or "platform" for answers to applications filed on the platform itself. */
    to: Type.String({ pattern: '^([0-9]{6}|platform)$' }),
    sentAt: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
      description: 'ISO 8601 date-time',
    }),
    payload: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false, $id: 'PlatformEnvelope' },
);
export type PlatformEnvelope = Static<typeof Envelope>;

/** Payload schemas per message type (checked after the envelope). */
export const PAYLOADS = {
  transfer_application: Type.Object({
    person: Type.Object({
      idNumber: Type.String(),
      name: Type.String({ minLength: 1 }),
      phone: Type.Optional(Type.String()),
    }),
    fromAgencyCode: AgencyCode,
    householdCode: Type.Optional(AgencyCode),
    returningHome: Type.Optional(Type.Boolean()),
    reachedBenefitConditions: Type.Optional(Type.Boolean()),
  }),
  contact_letter: Type.Object({
    letter: Type.Object(
      {
        letterNumber: Type.String({ minLength: 1 }),
        serialNumber: Type.String({ minLength: 1 }),
        personName: Type.String({ minLength: 1 }),
        idNumber: Type.String({ minLength: 15 }),
        originalAgencyName: Type.String({ minLength: 1 }),
        newAgency: Type.Object({}, { additionalProperties: true }),
        handledDate: Type.String(),
        clerk: Type.String(),
      },
      { additionalProperties: true },
    ),
  }),
  application_rejected: Type.Object({ reasons: Type.Array(Reason, { minItems: 1 }) }),
  contact_letter_rejected: Type.Object({ reasons: Type.Array(Reason, { minItems: 1 }) }),
  information_sheet: Type.Object({
    sheet: Type.Object({ sheetVersion: Type.Integer({ minimum: 1 }) }, { additionalProperties: true }),
  }),
  sheet_returned: Type.Object({
    sheetVersion: Type.Integer({ minimum: 1 }),
    problems: Type.Array(Reason, { minItems: 1 }),
  }),
  sheet_confirmed: Type.Object({ sheetVersion: Type.Integer({ minimum: 1 }) }),
  funds_transferred: Type.Object({
    idempotencyKey: Type.String({ minLength: 1 }),
    paymentReference: Type.String({ minLength: 1 }),
    individualAccount: Money,
    pooledFund: Money,
    total: Money,
    sheetVersion: Type.Integer({ minimum: 1 }),
  }),
  funds_received: Type.Object({ total: Money }),
  completion_feedback: Type.Object({ completedOn: Type.String() }),
  reminder: Type.Object({ about: Type.String(), dueDate: Type.Optional(Type.String()) }),
} as const satisfies Record<PlatformMessageType, unknown>;

/** A fund remittance request of the transfer-out agency, made once per idempotency key. */
export const FundTransferRequest = Type.Object(
  {
    idempotencyKey: Type.String({ minLength: 1, maxLength: 200 }),
    transferId: Type.String({ minLength: 1 }),
    from: AgencyCode,
    to: AgencyCode,
    individualAccount: Money,
    pooledFund: Money,
    total: Money,
    sheetVersion: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type FundTransferRequest = Static<typeof FundTransferRequest>;

/** A one-line summary without personal data, for case histories and logs. */
export function summarise(e: Pick<PlatformEnvelope, 'type' | 'from' | 'to' | 'payload'>): string {
  const p = e.payload as Record<string, unknown>;
  switch (e.type) {
    case 'information_sheet':
      return `信息表 第${(p.sheet as { sheetVersion?: number })?.sheetVersion ?? '?'}版 ${e.from}→${e.to}`;
    case 'sheet_returned':
      return `信息表退回更正（第${String(p.sheetVersion)}版，${(p.problems as unknown[])?.length ?? 0} 项问题）`;
    case 'sheet_confirmed':
      return `信息表确认（第${String(p.sheetVersion)}版）`;
    case 'funds_transferred':
      return `基金划转 合计 ${String(p.total)} 元（个人账户 ${String(p.individualAccount)}，统筹基金 ${String(p.pooledFund)}）`;
    case 'funds_received':
      return `基金到账确认 ${String(p.total)} 元`;
    case 'contact_letter':
      return `联系函 ${e.from}→${e.to}`;
    case 'application_rejected':
    case 'contact_letter_rejected':
      return `${e.type === 'application_rejected' ? '申请' : '联系函'}不予受理（${(p.reasons as unknown[])?.length ?? 0} 项原因）`;
    case 'transfer_application':
      return `转移申请 ${String(p.fromAgencyCode)}→${e.to}`;
    case 'completion_feedback':
      return `办结反馈 ${String(p.completedOn)}`;
    case 'reminder':
      return `催办（${String(p.about)}）`;
  }
}
