/**
 * The trust boundary at the workflow. Temporal's frontend takes Updates, signals and starts
 * from any client that reaches it; a workflow must not take a staff decision on a client's word.
 * So every staff/applicant input the API sends carries an assertion signed by the API
 * (Ed25519): who (user, role, agencies), what (the case, the action, the step in the input), when
 * (issued at, checked against the workflow's clock: five minutes) and which request (the Update
 * ID, so a captured assertion cannot be replayed under another ID). The signature covers the
 * whole input in canonical JSON, so nothing in it can be changed either.
 *
 * Why in the workflow, and why Ed25519: the validators are the authority on what a case accepts,
 * and they run inside the deterministic sandbox, so the check is pure JavaScript (@noble/curves,
 * audited, no I/O, no randomness in verification) and gives the same answer on every replay.
 * The workflow needs only the API's *public* keys, which it loads through a local activity from
 * the worker's configuration when the case starts: recorded in the history (replay never asks
 * again), harmless if read by anyone, and out of reach of whoever starts a workflow. A shared
 * HMAC key would have to travel the same way and would then let any reader of a history (an
 * auditor decoding it) sign. A worker-side check in the codec or an interceptor was the other
 * option; it would make the verdict depend on the worker's keys at replay time (rotation would
 * change old verdicts) and still need a trusted way to mark the payload.
 *
 * Refusals reach audit_refusals through a sink: an Update validator may not issue commands (a
 * rejected Update leaves no trace in the history) but may call a sink, which the worker runs
 * outside the sandbox after the activation, and never during replay.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  ApplicationFailure,
  patched,
  proxyLocalActivities,
  proxySinks,
  workflowInfo,
  type Sinks,
} from '@temporalio/workflow';
import { assertionMessage } from '../../domain/assertion';
import type { Activities } from '../../activities';
import type { Actor, Assertion } from './types';

/** How far an assertion's issue time may be from the workflow's clock when it is checked. */
export const ASSERTION_MAX_SKEW_MS = 5 * 60_000;

/** What the codec puts in place of a payload that arrived unencrypted (workers/payload-codec.ts). */
export const PLAINTEXT_REFUSED = '$refusedPlaintext';

export interface RefusalRecord {
  caseId: string;
  action: string;
  code: string;
  reason: string;
  /** Who the input claimed to be (never trusted, recorded as claimed). */
  actorId?: string;
  actorRole?: string;
  agencyCode?: string;
}

export interface AuditSinks extends Sinks {
  audit: { refusal(r: RefusalRecord): void };
}

const sinks = proxySinks<AuditSinks>();

/** Records a refusal in audit_refusals (through the worker; not during replay). */
export function auditRefusal(r: RefusalRecord): void {
  sinks.audit.refusal(r);
}

/** The public keys the workflow trusts, by key ID (32 bytes each). */
export type TrustAnchor = Map<string, Uint8Array>;

const trustActivities = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '10 seconds' },
});

function bytesOfHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesOfBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text) {
    buffer = (buffer << 6) | alphabet.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Loads the trusted keys when a case starts (a local activity: the answer is recorded). Cases
 * started before this boundary existed replay without it and have no keys: they accept nothing
 * new, which is the safe answer (there were none in production).
 */
export async function loadTrustAnchor(): Promise<TrustAnchor | undefined> {
  if (!patched('signed-assertions')) return undefined;
  const keys: Record<string, string> = await trustActivities.assertionKeys();
  return new Map(Object.entries(keys).map(([kid, hex]) => [kid, bytesOfHex(hex)]));
}

export type Verdict =
  { ok: true; actor: Actor } | { ok: false; code: string; reason: string; claimed?: { id?: string; role?: string } };

const utf8 = new TextEncoder();

/**
 * Checks the assertion carried by `input`: signed by a trusted key, for this case and action,
 * for this Update (when one is given), recent, and by someone who works for the case's agency.
 */
export function checkAssertion(
  input: unknown,
  trust: TrustAnchor | undefined,
  expected: { caseId: string; action: string; updateId?: string; nowMs: number; agencyCode?: string },
): Verdict {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, code: 'assertion.missing', reason: 'the input is not an object carrying an assertion' };
  const record = input as Record<string, unknown>;
  if (record[PLAINTEXT_REFUSED])
    return { ok: false, code: 'codec.plaintext', reason: 'the input arrived unencrypted; the codec refused it' };
  const a = record.assertion as Partial<Assertion> | undefined;
  const claimed = {
    id: typeof a?.sub === 'string' ? a.sub.slice(0, 100) : undefined,
    role: typeof a?.role === 'string' ? a.role.slice(0, 40) : undefined,
  };
  if (!a || typeof a !== 'object')
    return { ok: false, code: 'assertion.missing', reason: 'the input carries no assertion signed by the API' };
  if (
    a.v !== 1 ||
    typeof a.kid !== 'string' ||
    typeof a.sig !== 'string' ||
    typeof a.sub !== 'string' ||
    typeof a.role !== 'string' ||
    !Array.isArray(a.agencies) ||
    typeof a.iat !== 'number'
  ) {
    return { ok: false, code: 'assertion.malformed', reason: 'the assertion lacks a field', claimed };
  }
  if (!trust)
    return {
      ok: false,
      code: 'assertion.no_trust_anchor',
      reason: 'this case has no trusted keys (started before signed assertions)',
      claimed,
    };
  const key = trust.get(a.kid);
  if (!key)
    return {
      ok: false,
      code: 'assertion.unknown_key',
      reason: `the assertion names key "${a.kid.slice(0, 40)}", which is not trusted`,
      claimed,
    };
  const signature = bytesOfBase64Url(a.sig);
  let valid = false;
  try {
    valid =
      signature !== undefined &&
      signature.length === 64 &&
      ed25519.verify(signature, utf8.encode(assertionMessage(record)), key);
  } catch {
    valid = false;
  }
  if (!valid)
    return {
      ok: false,
      code: 'assertion.bad_signature',
      reason: 'the assertion signature does not verify over this input',
      claimed,
    };
  if (a.caseId !== expected.caseId)
    return {
      ok: false,
      code: 'assertion.wrong_case',
      reason: `the assertion is for ${String(a.caseId).slice(0, 80)}`,
      claimed,
    };
  if (a.action !== expected.action)
    return {
      ok: false,
      code: 'assertion.wrong_action',
      reason: `the assertion is for "${String(a.action).slice(0, 60)}", not "${expected.action}"`,
      claimed,
    };
  if (expected.updateId !== undefined && a.key !== expected.updateId)
    return {
      ok: false,
      code: 'assertion.wrong_request',
      reason: 'the assertion was issued for another request (Update ID)',
      claimed,
    };
  if (Math.abs(expected.nowMs - a.iat) > ASSERTION_MAX_SKEW_MS)
    return {
      ok: false,
      code: 'assertion.expired',
      reason: 'the assertion is older (or newer) than five minutes',
      claimed,
    };
  if (expected.agencyCode !== undefined && !a.agencies.includes('*') && !a.agencies.includes(expected.agencyCode)) {
    return {
      ok: false,
      code: 'assertion.wrong_agency',
      reason: `the asserted actor does not work for agency ${expected.agencyCode}`,
      claimed,
    };
  }
  return { ok: true, actor: { id: a.sub, role: a.role } };
}

/** The verdict once the actor the input names is compared with the one asserted. */
export function withNamedActor(verdict: Verdict, named: { id?: string; role?: string } | undefined): Verdict {
  if (!verdict.ok || named === undefined) return verdict;
  if (named.id === verdict.actor.id && named.role === verdict.actor.role) return verdict;
  return {
    ok: false,
    code: 'assertion.actor_mismatch',
    reason: `the input names ${String(named.id)} (${String(named.role)}), the assertion ${verdict.actor.id} (${verdict.actor.role})`,
    claimed: named,
  };
}

/** Records a refused input in audit_refusals, with who it claimed to come from. */
function auditVerdict(
  verdict: Extract<Verdict, { ok: false }>,
  at: { caseId: string; action: string; agencyCode?: string },
): void {
  auditRefusal({
    caseId: at.caseId,
    action: at.action,
    code: verdict.code,
    reason: verdict.reason,
    actorId: verdict.claimed?.id,
    actorRole: verdict.claimed?.role,
    agencyCode: at.agencyCode,
  });
}

/** Audits an input refused at the boundary and refuses it (the Update fails; nothing is recorded). */
export function refuseUnverified(
  verdict: Extract<Verdict, { ok: false }>,
  at: { caseId: string; action: string; agencyCode?: string },
): never {
  auditVerdict(verdict, at);
  throw ApplicationFailure.create({
    type: verdict.code,
    message: `请求未经系统签发或已被改动，拒绝办理（${verdict.code}）`,
    nonRetryable: true,
    details: [{ field: 'assertion' }],
  });
}

/**
 * A start from a client must carry the API's assertion over its whole input, naming this
 * workflow (`forThisWorkflow`: the ID the input is for is this workflow's ID; `what` says what
 * it is for in the reason). A start that fails is audited and the workflow fails before it
 * records or reads anything. The caller skips it for starts by workflow code (children,
 * continue-as-new) and for runs without keys.
 */
export function verifySignedStart(
  input: object,
  trust: TrustAnchor,
  o: { agencyCode?: string; forThisWorkflow: boolean; what: string },
): void {
  const info = workflowInfo();
  let verdict = checkAssertion(input, trust, {
    caseId: info.workflowId,
    action: 'start',
    nowMs: info.startTime.getTime(),
    agencyCode: o.agencyCode,
  });
  if (verdict.ok && !o.forThisWorkflow)
    verdict = { ok: false, code: 'assertion.wrong_case', reason: `the input is for another ${o.what}` };
  if (verdict.ok) return;
  auditVerdict(verdict, { caseId: info.workflowId, action: 'start', agencyCode: o.agencyCode });
  throw ApplicationFailure.create({
    type: verdict.code,
    message: `start refused: ${verdict.reason}`,
    nonRetryable: true,
  });
}
