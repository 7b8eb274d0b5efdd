/**
 * Bearer tokens (JWT) for staff and machine clients, verified with `jose`:
 *  - the API's own tokens, HS256 under AUTH_SIGNING_KEY, issuer AUTH_ISSUER, audience AUTH_AUDIENCE
 *    (`npm run token`, the platform's delivery token);
 *  - optionally, RS256/ES256 tokens of the agency's OpenID Connect provider (Keycloak or similar):
 *    AUTH_OIDC_ISSUER, its JWKS (AUTH_OIDC_JWKS_URL, else discovered from the issuer's
 *    /.well-known/openid-configuration), the role, agencies and user taken from configured claims.
 * Any other algorithm, issuer or audience is refused; expiry and not-before are enforced; a token
 * that is not exactly three base64url parts (padding, spaces) is malformed.
 *
 * Signing stays here with node:crypto (HS256 is one HMAC): jose only signs asynchronously, and
 * the local tokens are minted synchronously by scripts and test helpers; verification, where the
 * subtle checks are, is jose's.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

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

/** An agency's OpenID Connect provider whose access tokens the API accepts too. */
export interface OidcSettings {
  issuer: string;
  audience: string;
  /** JWKS endpoint; undefined = discovered from `${issuer}/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Dotted path of the claim holding the role (a string, or an array with exactly one known role), e.g. `realm_access.roles`. */
  roleClaim: string;
  /** Dotted path of the claim holding the agency codes (array, or a comma/space separated string). */
  agenciesClaim: string;
  /** Dotted path of the claim naming the user; default `sub`. */
  userClaim: string;
}

export interface TokenSettings {
  /** HMAC key (32+ bytes) of the API's own tokens. */
  key: Buffer;
  issuer: string;
  audience: string;
  oidc?: OidcSettings;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function hs256(s: TokenSettings, body: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(body));
  const signature = b64url(createHmac('sha256', s.key).update(`${head}.${payload}`).digest());
  return `${head}.${payload}.${signature}`;
}

export function signToken(
  s: TokenSettings,
  claims: Omit<TokenClaims, 'iss' | 'aud' | 'iat' | 'exp'> & { ttlSeconds?: number; now?: number },
): string {
  const { ttlSeconds, now: at, ...rest } = claims;
  const now = Math.floor((at ?? Date.now()) / 1000);
  const body: TokenClaims = { ...rest, iss: s.issuer, aud: s.audience, iat: now, exp: now + (ttlSeconds ?? 8 * 3600) };
  return hs256(s, body as unknown as Record<string, unknown>);
}

export class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** 401 for a token the caller must replace; 503 when the identity provider cannot be reached. */
    readonly status = 401,
  ) {
    super(message);
  }
}

/** Exactly three base64url parts (the signature may be empty only to be refused as alg "none"). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const OIDC_ALGORITHMS = ['RS256', 'ES256'];

function mapJoseError(err: unknown): TokenError {
  if (err instanceof TokenError) return err;
  if (err instanceof errors.JWTExpired) return new TokenError('auth.expired', 'the token has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new TokenError('auth.not_yet_valid', 'the token is not valid yet');
    if (err.claim === 'iss' || err.claim === 'aud')
      return new TokenError('auth.wrong_issuer', 'the token was not issued for this system');
    return new TokenError('auth.malformed_token', `the token's ${err.claim} claim is not acceptable`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return new TokenError('auth.bad_algorithm', 'the token is not signed with an accepted algorithm');
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new TokenError('auth.bad_signature', 'the token signature is not valid');
  }
  if (
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    err instanceof errors.JOSENotSupported
  ) {
    return new TokenError('auth.issuer_unavailable', "the identity provider's keys cannot be fetched now", 503);
  }
  if (err instanceof TypeError || (err instanceof Error && /fetch|ECONNREFUSED|network/i.test(err.message))) {
    return new TokenError('auth.issuer_unavailable', "the identity provider's keys cannot be fetched now", 503);
  }
  return new TokenError('auth.malformed_token', 'the token cannot be read');
}

function at(payload: JWTPayload, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
}

/** The claims every accepted token must end up with, whichever issuer signed it. */
function checked(
  c: { sub: unknown; role: unknown; agencies: unknown; personKey?: unknown },
  payload: JWTPayload,
): TokenClaims {
  if (typeof c.sub !== 'string' || !c.sub || c.sub.length > 200)
    throw new TokenError('auth.malformed_token', 'the token names no user');
  if (!(ROLES as readonly string[]).includes(c.role as string))
    throw new TokenError('auth.unknown_role', `unknown role "${String(c.role)}"`);
  if (
    !Array.isArray(c.agencies) ||
    !c.agencies.every((a) => a === '*' || (typeof a === 'string' && /^[0-9]{6}$/.test(a)))
  ) {
    throw new TokenError('auth.malformed_token', 'the token names no valid agency');
  }
  if (c.personKey !== undefined && (typeof c.personKey !== 'string' || !/^P[0-9A-F]{24}$/.test(c.personKey))) {
    throw new TokenError('auth.malformed_token', 'the token carries an invalid person key');
  }
  return {
    sub: c.sub,
    role: c.role as Role,
    agencies: c.agencies as string[],
    ...(c.personKey ? { personKey: c.personKey } : {}),
    iss: String(payload.iss),
    aud: String([payload.aud].flat()[0]),
    iat: payload.iat ?? 0,
    exp: payload.exp ?? 0,
    ...(payload.nbf === undefined ? {} : { nbf: payload.nbf }),
  };
}

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;
const remoteKeySets = new Map<string, Promise<RemoteKeys>>();
const secretKeys = new WeakMap<Buffer, KeyObject>();

/** The OIDC provider's key set, fetched (and refreshed) by jose; discovered once if no URL is configured. */
function remoteKeys(o: OidcSettings): Promise<RemoteKeys> {
  const id = `${o.issuer}|${o.jwksUrl ?? ''}`;
  let keys = remoteKeySets.get(id);
  if (!keys) {
    keys = (async () => {
      let url = o.jwksUrl;
      if (!url) {
        const res = await fetch(`${o.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(2000),
        });
        const doc = (await res.json()) as { jwks_uri?: unknown };
        if (!res.ok || typeof doc.jwks_uri !== 'string')
          throw new TokenError('auth.issuer_unavailable', 'the identity provider publishes no jwks_uri', 503);
        url = doc.jwks_uri;
      }
      return createRemoteJWKSet(new URL(url), {
        timeoutDuration: 2000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
    })();
    // A failed discovery is tried again on the next token.
    keys.catch(() => remoteKeySets.delete(id));
    remoteKeySets.set(id, keys);
  }
  return keys;
}

function secretKeyOf(key: Buffer): KeyObject {
  let k = secretKeys.get(key);
  if (!k) {
    k = createSecretKey(key);
    secretKeys.set(key, k);
  }
  return k;
}

/** Verifies a bearer token and returns its claims; throws TokenError with a stable code. */
export async function verifyToken(s: TokenSettings, token: string, nowMs = Date.now()): Promise<TokenClaims> {
  if (!COMPACT_JWS.test(token)) throw new TokenError('auth.malformed_token', 'the token is not a signed token');
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new TokenError('auth.malformed_token', 'the token cannot be read');
  }
  const currentDate = new Date(nowMs);
  try {
    if (alg === 'HS256') {
      const { payload } = await jwtVerify(token, secretKeyOf(s.key), {
        algorithms: ['HS256'],
        issuer: s.issuer,
        audience: s.audience,
        requiredClaims: ['exp', 'sub'],
        currentDate,
      });
      return checked(
        { sub: payload.sub, role: payload.role, agencies: payload.agencies, personKey: payload.personKey },
        payload,
      );
    }
    if (s.oidc && alg !== undefined && OIDC_ALGORITHMS.includes(alg)) {
      const o = s.oidc;
      const { payload } = await jwtVerify(token, await remoteKeys(o), {
        algorithms: OIDC_ALGORITHMS,
        issuer: o.issuer,
        audience: o.audience,
        requiredClaims: ['exp'],
        currentDate,
      });
      const rawRole = at(payload, o.roleClaim);
      const roles = [rawRole].flat().filter((r) => (ROLES as readonly unknown[]).includes(r));
      if (roles.length !== 1) {
        throw new TokenError(
          'auth.unknown_role',
          `the token's ${o.roleClaim} claim must name exactly one of ${ROLES.join(', ')}`,
        );
      }
      const rawAgencies = at(payload, o.agenciesClaim);
      const agencies = typeof rawAgencies === 'string' ? rawAgencies.split(/[\s,]+/).filter(Boolean) : rawAgencies;
      return checked(
        { sub: at(payload, o.userClaim), role: roles[0], agencies, personKey: payload.personKey },
        payload,
      );
    }
  } catch (err) {
    throw mapJoseError(err);
  }
  throw new TokenError(
    'auth.bad_algorithm',
    `the token is not signed with ${s.oidc ? 'HS256, RS256 or ES256' : 'HS256'}`,
  );
}

/** Lifetime of the transfer platform's delivery token; the system mints a new one at every start. */
export const PLATFORM_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

/**
 * The token the transfer platform presents when it delivers messages for an agency, minted when
 * the system registers its inbound address with the platform (composition/system.ts).
 */
export function platformDeliveryToken(s: TokenSettings, agencyCode: string, now?: number): string {
  return signToken(s, {
    sub: 'transfer-platform',
    role: 'transfer_platform',
    agencies: [agencyCode],
    ttlSeconds: PLATFORM_TOKEN_TTL_SECONDS,
    now,
  });
}

/**
 * Decode-only credentials for the Temporal Web UI's codec endpoint (`/codec/t/<credential>/decode`):
 * a JWT of their own audience (`<AUTH_AUDIENCE>:codec-decode`), so no API route accepts one as a
 * bearer token, and the codec server accepts one only to decode. At most 12 hours, or bound to
 * one run of `npm start` (`run`: the API refuses a credential of another run).
 */
export const CODEC_CREDENTIAL_MAX_TTL_SECONDS = 12 * 3600;

export interface CodecCredential {
  sub: string;
  run?: string;
  exp: number;
}

export function codecAudience(s: TokenSettings): string {
  return `${s.audience}:codec-decode`;
}

export function signCodecCredential(
  s: TokenSettings,
  o: { sub: string; ttlSeconds: number; run?: string; now?: number },
): string {
  const now = Math.floor((o.now ?? Date.now()) / 1000);
  return hs256(s, {
    sub: o.sub,
    scope: 'codec:decode',
    ...(o.run ? { run: o.run } : {}),
    iss: s.issuer,
    aud: codecAudience(s),
    iat: now,
    exp: now + o.ttlSeconds,
  });
}

export async function verifyCodecCredential(
  s: TokenSettings,
  token: string,
  o: { run?: string; nowMs?: number } = {},
): Promise<CodecCredential> {
  if (!COMPACT_JWS.test(token)) throw new TokenError('auth.malformed_token', 'the credential is not a signed token');
  try {
    const { payload } = await jwtVerify(token, secretKeyOf(s.key), {
      algorithms: ['HS256'],
      issuer: s.issuer,
      audience: codecAudience(s),
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(o.nowMs ?? Date.now()),
    });
    if (payload.scope !== 'codec:decode') throw new TokenError('auth.wrong_issuer', 'not a codec credential');
    const run = typeof payload.run === 'string' ? payload.run : undefined;
    // A run-bound credential (the local dev UI's) dies with the run; others live at most 12 hours.
    if (run !== undefined && run !== o.run)
      throw new TokenError('auth.expired', 'the credential belongs to an earlier run of the system');
    if (run === undefined && (payload.exp ?? 0) - (payload.iat ?? 0) > CODEC_CREDENTIAL_MAX_TTL_SECONDS) {
      throw new TokenError(
        'auth.expired',
        `a codec credential lives at most ${CODEC_CREDENTIAL_MAX_TTL_SECONDS / 3600} hours`,
      );
    }
    return { sub: String(payload.sub), run, exp: payload.exp ?? 0 };
  } catch (err) {
    throw mapJoseError(err);
  }
}
