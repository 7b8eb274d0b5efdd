/**
 * Payload encryption for everything Temporal stores: AES-256-GCM, the key ID in each payload's
 * metadata, so keys can rotate (new payloads use the active key; payloads written under older
 * keys still decode while those keys are configured). Used by every client and worker, and by
 * the codec server the Web UI calls.
 *
 * What stays readable: a payload that is a bare JSON string is text written for operations
 * staff (the case's Chinese summary, current details, timer summaries) and is never personal
 * data by construction — unless it looks like it could hold an ID number, then it is encrypted
 * too. Everything structured (workflow and activity inputs and results, Update arguments,
 * failures) is encrypted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { DefaultFailureConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** Key ID → 32-byte key. */
  keys: Map<string, Buffer>;
  /** The key new payloads are encrypted with. */
  activeKeyId: string;
}

/** Parses "id1:hex64,id2:hex64" and the active key ID. */
export function parsePayloadKeys(spec: string, activeKeyId: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, hex] = part.split(':');
    if (!id || !/^[A-Za-z0-9._-]{1,40}$/.test(id) || !hex || !/^[0-9a-f]{64}$/i.test(hex)) {
      throw new Error('payload keys must look like "keyId:<64 hex characters>", comma-separated');
    }
    keys.set(id, Buffer.from(hex, 'hex'));
  }
  if (!keys.has(activeKeyId)) throw new Error(`the active payload key "${activeKeyId}" is not among the configured keys`);
  return { keys, activeKeyId };
}

const utf8 = new TextDecoder();
const ID_LIKE = /\d{15,17}[\dXx]?/;

function isPublicText(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding ? utf8.decode(payload.metadata.encoding) : '';
  if (encoding !== 'json/plain' || !payload.data) return false;
  const text = utf8.decode(payload.data);
  return text.startsWith('"') && !ID_LIKE.test(text);
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (isPublicText(payload)) return payload;
      const key = this.keyring.keys.get(this.keyring.activeKeyId)!;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID]: Buffer.from(this.keyring.activeKeyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding ? utf8.decode(payload.metadata.encoding) : '';
      if (encoding !== ENCRYPTED_ENCODING) return payload;
      const keyId = payload.metadata?.[KEY_ID] ? utf8.decode(payload.metadata[KEY_ID]) : '';
      const key = this.keyring.keys.get(keyId);
      if (!key) throw new Error(`no payload key "${keyId}" is configured (was it rotated out too early?)`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * The data converter every client and worker uses: the encryption codec, and failures whose
 * message and stack trace are moved into an (encrypted) payload, so that error texts never
 * reach Temporal in the clear.
 */
export function dataConverter(keyring: PayloadKeys): { payloadCodecs: PayloadCodec[]; failureConverter: DefaultFailureConverter } {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }),
  };
}

