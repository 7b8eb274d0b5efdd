/**
 * A simulator of the national pension transfer platform for development and tests: it routes
 * messages between agencies by agency code, delivers each at least once (retrying with backoff
 * until the agency answers), remits funds once per idempotency key, and can be told to delay,
 * duplicate or lose-then-retry messages, or to hold everything for an agency (a province whose
 * system does not answer). State can be kept in a JSON file so a restart loses nothing.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { Envelope, FundTransferRequest, type PlatformEnvelope } from '../../adapters/transfer-platform/messages';

const Fault = Type.Object(
  {
    action: Type.Union([
      Type.Literal('delay'),
      Type.Literal('duplicate'),
      Type.Literal('drop_then_retry'),
      Type.Literal('delay_fund_response'),
    ]),
    type: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    transferId: Type.Optional(Type.String()),
    /** How many messages (or fund calls) the fault applies to. */
    times: Type.Integer({ minimum: 1, default: 1 }),
    delayMs: Type.Integer({ minimum: 0, default: 1000 }),
  },
  { additionalProperties: false },
);
type Fault = Static<typeof Fault> & { id: string };

interface SimMessage {
  envelope: PlatformEnvelope;
  status: 'pending' | 'delivered' | 'refused';
  attempts: number;
  deliveries: number;
  nextAttemptAt: number;
  lastError?: string;
  acceptedAt: string;
  /** Faults already applied to this message. */
  applied: string[];
}

interface FundTransfer {
  request: FundTransferRequest;
  paymentReference: string;
  at: string;
  calls: number;
}

interface SimState {
  /** Registered inbound addresses, with the bearer token each agency's API expects on delivery. */
  agencies: Record<string, { inboundUrl: string; hold?: boolean; token?: string }>;
  messages: SimMessage[];
  funds: Record<string, FundTransfer>;
  faults: Fault[];
  /** The national register of insured people: live relations by ID number (data comparison). */
  insured?: Record<string, Array<{ agencyCode: string; status: 'contributing' | 'interrupted' | 'receiving' }>>;
}

export interface SimulatorOptions {
  stateFile?: string;
  /** Delivery tick; tests may shorten it. */
  tickMs?: number;
  maxBackoffMs?: number;
  logger?: boolean;
}

export async function buildPlatformSimulator(o: SimulatorOptions = {}): Promise<FastifyInstance> {
  const state: SimState =
    o.stateFile && fs.existsSync(o.stateFile)
      ? (JSON.parse(fs.readFileSync(o.stateFile, 'utf8')) as SimState)
      : { agencies: {}, messages: [], funds: {}, faults: [] };
  let dirty = false;
  const save = () => {
    if (!o.stateFile || !dirty) return;
    dirty = false;
    const tmp = `${o.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, o.stateFile);
  };
  const changed = () => {
    dirty = true;
  };

  const app = Fastify({ logger: o.logger ?? false });
  const inFlight = new Set<SimMessage>();
  const maxBackoff = o.maxBackoffMs ?? 30_000;

  function takeFault(
    action: Fault['action'],
    match: { type?: string; to?: string; transferId?: string },
  ): Fault | undefined {
    const fault = state.faults.find(
      (f) =>
        f.action === action &&
        f.times > 0 &&
        (!f.type || f.type === match.type) &&
        (!f.to || f.to === match.to) &&
        (!f.transferId || f.transferId === match.transferId),
    );
    if (fault) {
      fault.times -= 1;
      if (fault.times === 0) state.faults = state.faults.filter((f) => f !== fault);
      changed();
    }
    return fault;
  }

  function accept(envelope: PlatformEnvelope): { duplicate: boolean } {
    if (state.messages.some((m) => m.envelope.messageId === envelope.messageId)) return { duplicate: true };
    const message: SimMessage = {
      envelope,
      status: 'pending',
      attempts: 0,
      deliveries: 0,
      nextAttemptAt: Date.now(),
      acceptedAt: new Date().toISOString(),
      applied: [],
    };
    const match = { type: envelope.type, to: envelope.to, transferId: envelope.transferId };
    const delay = takeFault('delay', match);
    if (delay) {
      message.nextAttemptAt = Date.now() + delay.delayMs;
      message.applied.push('delay');
    }
    if (takeFault('duplicate', match)) message.applied.push('duplicate');
    if (takeFault('drop_then_retry', match)) message.applied.push('drop_then_retry');
    state.messages.push(message);
    changed();
    return { duplicate: false };
  }

  async function post(
    url: string,
    token: string | undefined,
    envelope: PlatformEnvelope,
    attempt: number,
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-platform-attempt': String(attempt),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, body: await res.text() };
  }

  async function deliver(message: SimMessage): Promise<void> {
    message.attempts += 1;
    if (message.envelope.to === 'platform') {
      // An answer to an application filed on the platform: shown to the applicant there.
      message.status = 'delivered';
      message.deliveries += 1;
      changed();
      return;
    }
    const agency = state.agencies[message.envelope.to];
    const retry = (error: string) => {
      message.lastError = error;
      message.nextAttemptAt = Date.now() + Math.min(500 * 2 ** Math.min(message.attempts, 10), maxBackoff);
      changed();
    };
    if (!agency) return retry(`agency ${message.envelope.to} has not registered an inbound address`);
    if (agency.hold) return retry(`deliveries to ${message.envelope.to} are held`);
    if (message.applied.includes('drop_then_retry') && message.attempts === 1)
      return retry('lost in transit (simulated)');
    try {
      const copies = message.applied.includes('duplicate') && message.deliveries === 0 ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const res = await post(agency.inboundUrl, agency.token, message.envelope, message.attempts);
        if (res.status >= 200 && res.status < 300) {
          message.status = 'delivered';
          message.deliveries += 1;
          message.lastError = undefined;
        } else if (res.status >= 400 && res.status < 500) {
          message.status = 'refused';
          message.lastError = `${res.status} ${res.body.slice(0, 500)}`;
          break;
        } else {
          return retry(`${res.status} ${res.body.slice(0, 200)}`);
        }
      }
      changed();
    } catch (err) {
      retry(err instanceof Error ? err.message : String(err));
    }
  }

  const timer = setInterval(() => {
    const now = Date.now();
    for (const message of state.messages) {
      if (message.status !== 'pending' || message.nextAttemptAt > now || inFlight.has(message)) continue;
      inFlight.add(message);
      void deliver(message).finally(() => inFlight.delete(message));
    }
    save();
  }, o.tickMs ?? 100);
  app.addHook('onClose', async () => {
    clearInterval(timer);
    dirty = true;
    save();
  });

  app.get('/health', async () => ({
    status: 'ok',
    pending: state.messages.filter((m) => m.status === 'pending').length,
  }));

  app.put<{ Params: { code: string }; Body: { inboundUrl: string; hold?: boolean; token?: string } }>(
    '/agencies/:code',
    {
      schema: {
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        body: Type.Object(
          {
            inboundUrl: Type.String({ minLength: 1 }),
            hold: Type.Optional(Type.Boolean()),
            token: Type.Optional(
              Type.String({ minLength: 1, description: 'Sent as Authorization: Bearer on every delivery' }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      // A registration again (each start of the agency's system) keeps what it does not name: an
      // operator's hold stays on, and the delivery token stays unless a new one is given.
      const existing = state.agencies[request.params.code];
      state.agencies[request.params.code] = {
        inboundUrl: request.body.inboundUrl,
        hold: request.body.hold ?? existing?.hold,
        token: request.body.token ?? existing?.token,
      };
      changed();
      return { ok: true };
    },
  );

  app.post<{ Params: { code: string }; Body: { hold: boolean } }>('/agencies/:code/hold', async (request, reply) => {
    const agency = state.agencies[request.params.code];
    if (!agency) return reply.status(404).send({ error: { code: 'agency.unknown', message: 'unknown agency' } });
    agency.hold = request.body.hold;
    changed();
    return { ok: true };
  });

  app.post<{ Body: PlatformEnvelope }>('/messages', { schema: { body: Envelope } }, async (request) => ({
    accepted: true,
    ...accept(request.body),
  }));

  /** An application filed on the national platform by the insured person (掌上12333 etc.). */
  app.post<{ Body: { to: string; payload: Record<string, unknown> } }>(
    '/applications',
    {
      schema: {
        body: Type.Object({
          to: Type.String({ pattern: '^[0-9]{6}$' }),
          payload: Type.Object({}, { additionalProperties: true }),
        }),
      },
    },
    async (request) => {
      const transferId = `APP-${randomUUID()}`;
      accept({
        messageId: `application-${transferId}`,
        type: 'transfer_application',
        transferId,
        from: 'platform',
        to: request.body.to,
        sentAt: new Date().toISOString(),
        payload: request.body.payload,
      });
      return { transferId };
    },
  );

  app.post<{ Body: FundTransferRequest }>(
    '/fund-transfers',
    { schema: { body: FundTransferRequest } },
    async (request) => {
      const r = request.body;
      let transfer = state.funds[r.idempotencyKey];
      const duplicate = Boolean(transfer);
      if (!transfer) {
        transfer = {
          request: r,
          paymentReference: `PAY-${Object.keys(state.funds).length + 1}-${randomUUID().slice(0, 8)}`,
          at: new Date().toISOString(),
          calls: 0,
        };
        state.funds[r.idempotencyKey] = transfer;
        accept({
          messageId: `funds-${r.idempotencyKey}`,
          type: 'funds_transferred',
          transferId: r.transferId,
          from: r.from,
          to: r.to,
          sentAt: transfer.at,
          payload: {
            idempotencyKey: r.idempotencyKey,
            paymentReference: transfer.paymentReference,
            individualAccount: r.individualAccount,
            pooledFund: r.pooledFund,
            total: r.total,
            sheetVersion: r.sheetVersion,
          },
        });
      }
      transfer.calls += 1;
      changed();
      // Recorded first, answered late: lets tests kill a worker while the remittance is in flight.
      const slow = takeFault('delay_fund_response', { transferId: r.transferId });
      if (slow) await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
      return { paymentReference: transfer.paymentReference, duplicate };
    },
  );

  app.post<{ Body: Static<typeof Fault> }>('/faults', { schema: { body: Fault } }, async (request) => {
    const fault: Fault = { ...request.body, id: randomUUID() };
    state.faults.push(fault);
    changed();
    return fault;
  });
  // --- the national register of insured people (参保信息比对) --------------------------------
  app.post<{ Body: { idNumber: string; exceptProvince?: string } }>(
    '/insured-queries',
    {
      schema: {
        body: Type.Object({
          idNumber: Type.String({ minLength: 15, maxLength: 18 }),
          exceptProvince: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
        }),
      },
    },
    async (request) => {
      const all = state.insured?.[request.body.idNumber] ?? [];
      return {
        relations: all.filter(
          (r) => !request.body.exceptProvince || !r.agencyCode.startsWith(request.body.exceptProvince),
        ),
      };
    },
  );
  app.put<{
    Params: { idNumber: string };
    Body: { relations: Array<{ agencyCode: string; status: 'contributing' | 'interrupted' | 'receiving' }> };
  }>('/admin/insured/:idNumber', async (request) => {
    state.insured = { ...(state.insured ?? {}), [request.params.idNumber]: request.body.relations };
    changed();
    return { ok: true };
  });

  app.delete('/faults', async () => {
    state.faults = [];
    changed();
    return { ok: true };
  });

  app.get<{ Querystring: { transferId?: string; type?: string; to?: string } }>('/messages', async (request) => {
    const q = request.query;
    return state.messages
      .filter(
        (m) =>
          (!q.transferId || m.envelope.transferId === q.transferId) &&
          (!q.type || m.envelope.type === q.type) &&
          (!q.to || m.envelope.to === q.to),
      )
      .map((m) => ({ ...m, inFlight: inFlight.has(m) }));
  });
  app.get<{ Querystring: { transferId?: string } }>('/fund-transfers', async (request) =>
    Object.values(state.funds).filter(
      (f) => !request.query.transferId || f.request.transferId === request.query.transferId,
    ),
  );
  return app;
}
