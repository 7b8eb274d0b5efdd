/**
 * The API's signature on every staff/applicant input it sends a workflow (the trust boundary:
 * workflows/shared/trust.ts). Ed25519 with node:crypto; the workflows verify with the public
 * keys the workers are configured with.
 *
 *   ASSERTION_SIGNING_KEY  (API)     keyId:<64 hex: the 32-byte private seed>
 *   ASSERTION_PUBLIC_KEYS  (worker)  keyId:<64 hex: the 32-byte public key>[,keyId:<hex>…]
 *
 * Rotation: add the new public key to every worker (keeping the old one), then switch the API's
 * signing key; the old key stays listed while cases started under it are open (a start is
 * verified once, when the case starts; Updates are signed fresh).
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { assertionMessage } from '../../domain/assertion';
import type { Assertion } from '../../domain/case-records';

export interface AssertionSigner {
  kid: string;
  privateKey: KeyObject;
  /** The public key, hex (what ASSERTION_PUBLIC_KEYS lists). */
  publicKeyHex: string;
  /** The clock assertions are issued by (the API's: a test on a time-skipping server shifts it). */
  now?: () => number;
}

export class AssertionKeyError extends Error {}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_ID = /^[A-Za-z0-9._-]{1,40}$/;

export function assertionSigner(spec: string): AssertionSigner {
  const [kid, hex, extra] = spec.trim().split(':');
  if (!kid || !KEY_ID.test(kid) || !hex || !/^[0-9a-f]{64}$/i.test(hex) || extra !== undefined) {
    throw new AssertionKeyError(
      'ASSERTION_SIGNING_KEY must look like "keyId:<64 hex characters>" (the Ed25519 private seed)',
    );
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKeyHex = createPublicKey(privateKey)
    .export({ format: 'der', type: 'spki' })
    .subarray(-32)
    .toString('hex');
  return { kid, privateKey, publicKeyHex };
}

/** A new signing key spec (local secrets, tests): "keyId:<64 hex>". */
export function newAssertionKey(kid: string): string {
  return `${kid}:${randomBytes(32).toString('hex')}`;
}

/** "keyId:<64 hex public key>[,…]" → key ID → hex. */
export function parseAssertionPublicKeys(spec: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kid, hex, extra] = part.split(':');
    if (!kid || !KEY_ID.test(kid) || !hex || !/^[0-9a-f]{64}$/i.test(hex) || extra !== undefined) {
      throw new AssertionKeyError('ASSERTION_PUBLIC_KEYS must look like "keyId:<64 hex characters>", comma-separated');
    }
    if (keys[kid]) throw new AssertionKeyError(`ASSERTION_PUBLIC_KEYS names the key ID "${kid}" twice`);
    keys[kid] = hex.toLowerCase();
  }
  if (Object.keys(keys).length === 0) throw new AssertionKeyError('ASSERTION_PUBLIC_KEYS holds no key');
  return keys;
}

export interface AssertedBy {
  id: string;
  role: string;
  agencies: string[];
}

/** The API itself, for what no person sends (a case's start by the reconciler). */
export function systemActor(agencyCode: string): AssertedBy {
  return { id: 'flex-pension-api', role: 'system', agencies: [agencyCode] };
}

/** `input` with the API's assertion: who, for which case and action, for which request, now. */
export function signInput<T extends object>(
  signer: AssertionSigner,
  input: T,
  o: { actor: AssertedBy; caseId: string; action: string; key: string; now?: number },
): T & { assertion: Assertion } {
  const claims: Omit<Assertion, 'sig'> = {
    v: 1,
    kid: signer.kid,
    sub: o.actor.id,
    role: o.actor.role,
    agencies: [...o.actor.agencies],
    caseId: o.caseId,
    action: o.action,
    iat: o.now ?? signer.now?.() ?? Date.now(),
    key: o.key,
  };
  const { assertion: _previous, ...plain } = input as T & { assertion?: unknown };
  const message = assertionMessage({ ...plain, assertion: claims });
  const sig = sign(null, Buffer.from(message, 'utf8'), signer.privateKey).toString('base64url');
  return { ...(plain as T), assertion: { ...claims, sig } };
}
