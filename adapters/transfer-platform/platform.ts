/**
 * The adapter to the national pension transfer platform. The interface names the operations of
 * section 9; the HTTP implementation talks to the platform (or to its simulator, which speaks
 * the same protocol). Every send is idempotent by message ID, every remittance by its key.
 */
import type { FundTransferRequest, PlatformEnvelope } from './messages';

export interface SendResult {
  accepted: true;
  /** True when the platform had already accepted this message ID. */
  duplicate: boolean;
}

export interface TransferPlatform {
  sendContactLetter(message: PlatformEnvelope): Promise<SendResult>;
  rejectApplication(message: PlatformEnvelope): Promise<SendResult>;
  rejectContactLetter(message: PlatformEnvelope): Promise<SendResult>;
  sendInformationSheet(message: PlatformEnvelope): Promise<SendResult>;
  returnSheetForCorrection(message: PlatformEnvelope): Promise<SendResult>;
  confirmSheet(message: PlatformEnvelope): Promise<SendResult>;
  /** Remits the funds once per idempotency key; returns the platform's payment reference. */
  transferFunds(request: FundTransferRequest): Promise<{ paymentReference: string; duplicate: boolean }>;
  confirmReceipt(message: PlatformEnvelope): Promise<SendResult>;
  sendCompletionFeedback(message: PlatformEnvelope): Promise<SendResult>;
  sendReminder(message: PlatformEnvelope): Promise<SendResult>;
  /**
   * Tells the platform where to deliver messages for an agency this installation serves, and the
   * bearer token to present there (the API accepts deliveries only with a transfer_platform token).
   */
  registerInbound(agencyCode: string, inboundUrl: string, token: string): Promise<void>;
  /**
   * Data comparison (数据比对): the person's live pension relations in other provinces, from the
   * national register of insured people (duplicate enrollment, E-7 c).
   */
  insuredElsewhere(o: {
    idNumber: string;
    exceptProvince: string;
  }): Promise<Array<{ agencyCode: string; status: 'contributing' | 'interrupted' | 'receiving' }>>;
}

/** Raised for a refusal (4xx): retrying the same request cannot succeed. */
export class PlatformRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createHttpTransferPlatform(
  baseUrl: string,
  o: { apiKey?: string; timeoutMs?: number } = {},
): TransferPlatform {
  const base = baseUrl.replace(/\/$/, '');
  async function call<T>(method: string, path: string, body: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    if (res.status >= 400 && res.status < 500)
      throw new PlatformRefusedError(
        res.status,
        `platform refused ${method} ${path}: ${res.status} ${text.slice(0, 300)}`,
      );
    if (!res.ok) throw new Error(`platform error ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }
  const send = (message: PlatformEnvelope) => call<SendResult>('POST', '/messages', message);
  return {
    sendContactLetter: send,
    rejectApplication: send,
    rejectContactLetter: send,
    sendInformationSheet: send,
    returnSheetForCorrection: send,
    confirmSheet: send,
    confirmReceipt: send,
    sendCompletionFeedback: send,
    sendReminder: send,
    transferFunds: (request) => call('POST', '/fund-transfers', request),
    registerInbound: async (agencyCode, inboundUrl, token) => {
      await call('PUT', `/agencies/${agencyCode}`, { inboundUrl, token });
    },
    // POST, so the ID number travels in the body, never in a URL that proxies log.
    insuredElsewhere: async (q) =>
      (
        await call<{ relations: Array<{ agencyCode: string; status: 'contributing' | 'interrupted' | 'receiving' }> }>(
          'POST',
          '/insured-queries',
          q,
        )
      ).relations,
  };
}
