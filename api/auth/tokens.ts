/**
 * Signed bearer tokens (JWT, HS256) for staff and machine clients. Verified with constant-time
 * comparison; the algorithm is fixed (a token naming another is refused), as are the issuer and
 * audience; expiry and not-before are enforced.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ROLES = [
  /** 受理: accepts applications at the counter. */
  'acceptor',
  /** 审核: reviews and confirms. */
  'reviewer',
  /** 集体会审 member. */
  'collective_reviewer',
  /** Supervises an agency: extensions, calendar, task assignment. */
  'supervisor',
  /** Read-only, replay, archives, audit verification, decodes payloads. */
  'auditor',
  /** The insured person on the online channel (their own cases only). */
  'applicant',
  /** Machine clients. */
  'transfer_platform',
  'tax_feed',
] as const;
export type Role = (typeof ROLES)[number];

export interface TokenClaims {
  /** User or client ID. */
  sub: string;
  role: Role;
  /** Agency codes the actor works for ('*' = every agency, for auditors of the province). */
  agencies: string[];
  /** For applicants: their pseudonymous person key. */
  personKey?: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  nbf?: number;
}

export interface TokenSettings {
  /** HMAC key (32+ bytes). */
  key: Buffer;
  issuer: string;
  audience: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signToken(s: TokenSettings, claims: Omit<TokenClaims, 'iss' | 'aud' | 'iat' | 'exp'> & { ttlSeconds?: number; now?: number }): string {
  const { ttlSeconds, now: at, ...rest } = claims;
  const now = Math.floor((at ?? Date.now()) / 1000);
  const body: TokenClaims = { ...rest, iss: s.issuer, aud: s.audience, iat: now, exp: now + (ttlSeconds ?? 8 * 3600) };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(body));
  const signature = b64url(createHmac('sha256', s.key).update(`${head}.${payload}`).digest());
  return `${head}.${payload}.${signature}`;
}

export class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function verifyToken(s: TokenSettings, token: string, nowMs = Date.now()): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenError('auth.malformed_token', 'the token is not a signed token');
  const [head, payload, signature] = parts;
  let header: { alg?: string };
  let claims: TokenClaims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    throw new TokenError('auth.malformed_token', 'the token cannot be read');
  }
  if (header.alg !== 'HS256') throw new TokenError('auth.bad_algorithm', 'the token is not signed with HS256');
  const expected = createHmac('sha256', s.key).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('auth.bad_signature', 'the token signature is not valid');
  const now = Math.floor(nowMs / 1000);
  if (claims.iss !== s.issuer || claims.aud !== s.audience) throw new TokenError('auth.wrong_issuer', 'the token was not issued for this system');
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new TokenError('auth.expired', 'the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new TokenError('auth.not_yet_valid', 'the token is not valid yet');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new TokenError('auth.malformed_token', 'the token names no user');
  if (!(ROLES as readonly string[]).includes(claims.role)) throw new TokenError('auth.unknown_role', `unknown role "${String(claims.role)}"`);
  if (!Array.isArray(claims.agencies) || !claims.agencies.every((a) => a === '*' || /^[0-9]{6}$/.test(a))) {
    throw new TokenError('auth.malformed_token', 'the token names no valid agency');
  }
  return claims;
}

/** Lifetime of the transfer platform's delivery token; the system mints a new one at every start. */
export const PLATFORM_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

/**
 * The token the transfer platform presents when it delivers messages for an agency, minted when
 * the system registers its inbound address with the platform (scripts/system.ts).
 */
export function platformDeliveryToken(s: TokenSettings, agencyCode: string, now?: number): string {
  return signToken(s, { sub: 'transfer-platform', role: 'transfer_platform', agencies: [agencyCode], ttlSeconds: PLATFORM_TOKEN_TTL_SECONDS, now });
}
