/** TypeBox schemas shared by the routes; they double as the OpenAPI document. */
import { Type, type Static } from '@sinclair/typebox';
import { MATERIAL_KINDS } from '../../domain/materials';
import { CaseOutcomeSchema } from './decisions';

export const AgencyCode = Type.String({
  pattern: '^[0-9]{6}$',
  description: '6-digit county (district) agency code, e.g. 620102',
  examples: ['620102'],
});
export const IdNumberInput = Type.String({
  minLength: 1,
  maxLength: 32,
  description: '18-digit resident ID number (15-digit numbers are upgraded)',
});
export const Channel = Type.Union([Type.Literal('online'), Type.Literal('offline')]);

export const Material = Type.Object(
  {
    kind: Type.Union(MATERIAL_KINDS.map((k) => Type.Literal(k))),
    ref: Type.Optional(
      Type.String({ maxLength: 200, description: 'Reference to the stored document (scan ID, upload ID)' }),
    ),
    contentHash: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of the electronic copy (电子要件), lower-case hex',
      }),
    ),
    size: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 104857600, description: 'Size of the electronic copy in bytes' }),
    ),
    type: Type.Optional(
      Type.String({
        pattern: '^(application|image)/[a-z0-9.+-]{1,60}$',
        description: 'Media type of the electronic copy, e.g. application/pdf, image/jpeg',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MaterialInput = Static<typeof Material>;

export const Materials = Type.Array(Material, { maxItems: 20 });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable machine-readable code' }),
        message: Type.String(),
        field: Type.Optional(Type.String({ description: 'The offending request field, dotted path' })),
        caseId: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'ErrorResponse' },
);

const Actor = Type.Object({ id: Type.String(), role: Type.Union([Type.String(), Type.Null()]) });
const NoticeItem = Type.Object({ code: Type.String(), text: Type.String() });
/** A parameter row a computation used (domain/parameter-resolver.ts ParameterUsed). */
export const ParameterUsedSchema = Type.Object({
  name: Type.String({ examples: ['account.interestRate'] }),
  region: Type.String({ examples: ['62', 'CN'] }),
  validFrom: Type.String({ format: 'date' }),
  version: Type.Integer({ description: 'Version of the published row (1 first, +1 per correction)' }),
  verified: Type.Boolean({ description: 'Read in the official text or quoted by an official source' }),
  value: Type.String(),
  source: Type.String(),
  year: Type.Optional(Type.Integer({ description: 'The year the value was wanted for' })),
  provisional: Type.Optional(
    Type.Boolean({ description: 'A stand-in: the latest published value for a year not yet published' }),
  ),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const CaseResponse = Type.Object(
  {
    caseId: Type.String(),
    workflowId: Type.String(),
    procedure: Type.String({ examples: ['enrollment', 'stop'] }),
    agencyCode: Type.String(),
    channel: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    stage: Type.String(),
    waitingOn: Nullable(Type.String()),
    outcome: CaseOutcomeSchema,
    outcomeReason: Nullable(Type.String()),
    followUp: Nullable(Type.String()),
    receivedAt: Type.String({ format: 'date-time' }),
    dueAt: Nullable(Type.String({ format: 'date-time' })),
    dueDate: Nullable(Type.String({ format: 'date' })),
    overdue: Type.Boolean(),
    closedAt: Nullable(Type.String({ format: 'date-time' })),
    clock: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    calendarVersion: Type.Union([Type.Integer(), Type.Null()]),
    clocks: Type.Object(
      {},
      { additionalProperties: true, description: 'Secondary clocks by name (review, counterpart)' },
    ),
    waitingSince: Nullable(Type.String({ format: 'date-time' })),
    counterpartDueAt: Nullable(
      Type.String({ format: 'date-time', description: "When the other province's reply is due" }),
    ),
    transfer: Type.Union([
      Type.Object({
        transferId: Type.String(),
        side: Type.String(),
        counterpartAgency: Type.String(),
        sheetVersion: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    messages: Type.Array(
      Type.Object({
        messageId: Type.String(),
        direction: Type.String(),
        type: Type.String(),
        summary: Type.String(),
        status: Type.String(),
        error: Nullable(Type.String()),
        deliveries: Type.Integer(),
        occurredAt: Type.String(),
      }),
    ),
    person: Type.Object({ personKey: Type.String(), idNumberMasked: Type.String(), name: Type.String() }),
    application: Type.Object({}, { additionalProperties: true }),
    materials: Type.Array(
      Type.Object({
        kind: Type.String(),
        ref: Nullable(Type.String()),
        round: Type.Integer(),
        submittedAt: Type.String(),
        contentHash: Nullable(Type.String({ description: 'SHA-256 of the electronic copy, when one was uploaded' })),
        size: Type.Union([Type.Integer(), Type.Null()]),
        type: Nullable(Type.String()),
      }),
    ),
    notices: Type.Array(
      Type.Object({
        kind: Type.String(),
        round: Type.Integer(),
        items: Type.Array(NoticeItem),
        text: Type.String(),
        channel: Type.String(),
        replyDueDate: Nullable(Type.String({ format: 'date' })),
        issuedAt: Type.String(),
      }),
    ),
    decisions: Type.Array(
      Type.Object({
        step: Type.String(),
        result: Type.String(),
        actor: Actor,
        reason: Nullable(Type.String()),
        items: Type.Union([Type.Array(NoticeItem), Type.Null()]),
        decidedAt: Type.String(),
      }),
    ),
    events: Type.Array(
      Type.Object({
        type: Type.String(),
        clause: Nullable(Type.String()),
        stage: Nullable(Type.String()),
        actor: Type.Union([Actor, Type.Null()]),
        detail: Type.Object({}, { additionalProperties: true }),
        occurredAt: Type.String(),
      }),
    ),
    riskPoints: Type.Array(
      Type.Object({
        key: Type.String({ examples: ['benefit_claim.lump_sum_back_payment'] }),
        grade: Type.String({
          description: 'high, medium or low, as the published risk register graded it when touched',
        }),
        description: Type.String(),
        registerVersion: Type.Integer(),
        detail: Type.Object({}, { additionalProperties: true }),
        touchedAt: Type.String({ format: 'date-time' }),
      }),
      { description: 'R-2/R-4: the risk points the case touched; a high grade sends it to collective review' },
    ),
    riskGrade: Type.Union([Type.String(), Type.Null()], {
      description: 'The highest grade of the risk points touched',
    }),
    award: Type.Union(
      [
        Type.Object({
          awardId: Type.String(),
          status: Type.String({ examples: ['active', 'suspended', 'stopped'] }),
          certifiedOn: Type.String({ format: 'date', description: 'Date entitlement was certified (8.2.3.2)' }),
          firstPaymentMonth: Type.String({
            pattern: '^[0-9]{4}-[0-9]{2}$',
            description: 'B-9: the month after certification',
          }),
          monthlyAmount: Type.String({ description: 'basic + account + transitional, CNY per month' }),
          basic: Type.String({ description: '基础养老金 C × (1 + Ī) / 2 × N × 1%' }),
          account: Type.String({ description: '个人账户养老金 balance ÷ divisor' }),
          transitional: Type.String({ description: '过渡性养老金 C × Ī × deemed years × coefficient' }),
          divisor: Type.String({ description: '计发月数 used' }),
          inputs: Type.Object(
            {},
            {
              additionalProperties: true,
              description:
                'Every input: pension input, parameters with sources, retirement facts, contribution summary with workings',
            },
          ),
          working: Type.Object(
            {},
            { additionalProperties: true, description: 'Formula and each step with the actual numbers' },
          ),
          ruleVersion: Type.String(),
          provisional: Type.Boolean({
            description:
              'The amount rests on a value not yet published (预发); recalculated when it is (GET /api/v1/awards/{id} shows the history)',
          }),
          parameterSetVersion: Type.Union([Type.Integer(), Type.Null()], {
            description: 'The parameter publication the amount was computed with',
          }),
          parameters: Type.Array(ParameterUsedSchema, {
            description: 'Every parameter row used, with its version and verified flag; stand-ins marked provisional',
          }),
        }),
        Type.Null(),
      ],
      { description: 'The award of a certified benefit claim; null otherwise' },
    ),
  },
  { $id: 'Case' },
);

/** Standard error responses for a route, for the OpenAPI document. */
export function errorResponses(...codes: number[]): Record<number, unknown> {
  return Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorResponse')]));
}
