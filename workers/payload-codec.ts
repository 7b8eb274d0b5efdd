/**
 * Payload encryption for everything Temporal stores: AES-256-GCM, the key ID in each payload's
 * metadata, so keys can rotate (new payloads use the active key; payloads written under older
 * keys still decode while those keys are configured). Used by every client and worker, and by
 * the codec server the Web UI calls (api/routes/codec.ts). Keys come from configuration
 * (PAYLOAD_KEYS, PAYLOAD_KEY_ID), never from code.
 *
 * What stays readable: a payload that is a bare JSON string is text written for operations
 * staff (the case's Chinese summary, timer summaries) and is never personal data by
 * construction — unless it holds a run of 8 or more digits (an ID number, a phone number, a
 * birth date in ID shape), then it is encrypted too. Everything structured (workflow and
 * activity inputs and results, Update and signal arguments, query results, memos, failures) is
 * encrypted. Workflows must therefore never pass a name as a bare string; the PII scan test
 * (test/integration/audit/pii-scan.test.ts) checks the procedures end to end.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** Key ID → 32-byte key. */
  keys: Map<string, Buffer>;
  /** The key new payloads are encrypted with. */
  activeKeyId: string;
}

export class PayloadKeyError extends Error {}

/**
 * Parses "id1:hex64,id2:hex64" and the active key ID (optional when exactly one key is given).
 * Throws PayloadKeyError with a message that never contains key material.
 */
export function parsePayloadKeys(spec: string, activeKeyId?: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [id, hex, extra] = part.split(':');
    if (!id || !/^[A-Za-z0-9._-]{1,40}$/.test(id) || !hex || !/^[0-9a-f]{64}$/i.test(hex) || extra !== undefined) {
      throw new PayloadKeyError(
        'PAYLOAD_KEYS must look like "keyId:<64 hex characters>", comma-separated (key IDs: letters, digits, . _ -)',
      );
    }
    if (keys.has(id)) throw new PayloadKeyError(`PAYLOAD_KEYS names the key ID "${id}" twice`);
    keys.set(id, Buffer.from(hex, 'hex'));
  }
  if (keys.size === 0) throw new PayloadKeyError('PAYLOAD_KEYS holds no key');
  const active = activeKeyId ?? (keys.size === 1 ? [...keys.keys()][0] : undefined);
  if (active === undefined)
    throw new PayloadKeyError('PAYLOAD_KEY_ID must name the key new payloads use when PAYLOAD_KEYS holds several');
  if (!keys.has(active)) throw new PayloadKeyError(`PAYLOAD_KEY_ID "${active}" is not among the keys in PAYLOAD_KEYS`);
  return { keys, activeKeyId: active };
}

const utf8 = new TextDecoder();
/** ID numbers (with or without the check digit, 15-digit old ones), phone numbers, birth dates in ID shape. */
const DIGIT_RUN = /\d{8,}/;

function isPublicText(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding ? utf8.decode(payload.metadata.encoding) : '';
  if (encoding !== 'json/plain' || !payload.data) return false;
  const text = utf8.decode(payload.data);
  return text.startsWith('"') && !DIGIT_RUN.test(text);
}

export class PayloadDecryptionError extends Error {}

/** The key the codec puts in place of an unencrypted payload (workflows/shared/trust.ts reads it). */
export const PLAINTEXT_REFUSED_KEY = '$refusedPlaintext';

/**
 * What an unencrypted inbound payload becomes: a marker, not its content. Every payload this
 * system writes is encrypted (bare operator texts aside), so a plaintext one came from a client
 * without the keys — a forged start, signal or Update. Throwing instead would fail the worker's
 * activation again and again (a signal stays in the history): the marker lets the workflow
 * refuse the input and record the refusal.
 */
function refusedPlaintext(encoding: string): Payload {
  return {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify({ [PLAINTEXT_REFUSED_KEY]: true, encoding: encoding.slice(0, 40) })),
  };
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isPublicText(payload) ? payload : this.encrypt(payload)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const key = this.keyring.keys.get(this.keyring.activeKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.keyring.activeKeyId) },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding ? utf8.decode(payload.metadata.encoding) : '';
    // Unencrypted: only the bare operator texts the encoder itself leaves in the clear pass.
    if (encoding !== ENCRYPTED_ENCODING) return isPublicText(payload) ? payload : refusedPlaintext(encoding);
    const keyId = payload.metadata?.[KEY_ID_METADATA] ? utf8.decode(payload.metadata[KEY_ID_METADATA]) : '';
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        keyId
          ? `payload encrypted with key "${keyId}", which is not configured (was it removed from PAYLOAD_KEYS too early?)`
          : `encrypted payload without the ${KEY_ID_METADATA} metadata`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(`encrypted payload (key "${keyId}") is too short to be valid`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadDecryptionError(
        `encrypted payload (key "${keyId}") failed authentication: it was altered, or written under another key with the same ID`,
      );
    }
  }
}

/** Where the workflow sandbox loads the failure converter from (bundleWorkflowCode, Worker.create). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter every client and worker uses: the encryption codec, and failures whose
 * message and stack trace are moved into an (encrypted) payload, so that error texts never
 * reach Temporal in the clear. The workflow bundle must be built with
 * `failureConverterPath: FAILURE_CONVERTER_PATH` for workflow failures to be covered too.
 */
export function dataConverter(keyring: PayloadKeys): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    // SDK 1.24 takes the failure converter only as a module path (loadDataConverter requires it).
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
