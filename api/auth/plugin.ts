/**
 * Authentication and authorisation for the API. Every route except the public ones requires a
 * bearer token (api/auth/tokens.ts); the verified actor is attached to the request and carried
 * into every workflow step. A route names the roles allowed (`config.roles`); a refused request
 * is answered 401/403 with a stable code. A verified caller's refusal is recorded in
 * `audit_refusals` with actor and reason; a caller without a valid token is counted (metrics).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { insertRefusal } from '../../db/repositories/audit';
import { ApiError, errorBody } from '../errors';
import { TokenError, verifyToken, type Role, type TokenClaims, type TokenSettings } from './tokens';

export interface Actor {
  id: string;
  role: Role;
  agencies: string[];
  personKey?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified actor (absent on public routes). */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent = public (no token needed). */
    roles?: readonly Role[];
  }
}

export function actorFromClaims(c: TokenClaims): Actor {
  return { id: c.sub, role: c.role, agencies: c.agencies, personKey: c.personKey };
}

/** True when the actor works for the agency (auditors may hold '*'). */
export function servesAgency(actor: Actor, agencyCode: string): boolean {
  return actor.agencies.includes('*') || actor.agencies.includes(agencyCode);
}

export interface RefusalInput {
  actor: { id: string; role: string } | undefined;
  action: string;
  code: string;
  reason: string;
  caseId?: string | null;
  agencyCode?: string | null;
}

/** Records a refused attempt (Temporal drops rejected Updates; the audit trail keeps them). */
export async function recordRefusal(db: Db, r: RefusalInput): Promise<void> {
  await insertRefusal(db, {
    actorId: r.actor?.id,
    actorRole: r.actor?.role,
    agencyCode: r.agencyCode,
    action: r.action,
    caseId: r.caseId,
    code: r.code,
    reason: r.reason,
  });
}

/** Why a request has no verified actor (set by `identify`, answered by `enforce`). */
interface AuthFailure {
  status: number;
  code: string;
  message: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `identify` when a route needs a token and none valid was presented. */
    authFailure?: AuthFailure;
  }
}

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110), the token is one word. */
const BEARER = /^bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * onRequest (global): verifies the bearer token of every route that names roles and sets
 * `request.actor`, or `request.authFailure` — nothing is answered yet, so that the rate limiter
 * (a route hook, after this one) keys verified callers by their user and everyone else by address.
 */
export function identify(settings: TokenSettings) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.routeOptions.config?.roles) return;
    const header = request.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    if (!match) {
      request.authFailure = {
        status: 401,
        code: header ? 'auth.malformed_token' : 'auth.missing_token',
        message: header ? 'Authorization 须为 "Bearer <令牌>"' : '需要登录：请求缺少 Authorization: Bearer 令牌',
      };
      return;
    }
    try {
      request.actor = actorFromClaims(await verifyToken(settings, match[1]));
    } catch (err) {
      const e = err instanceof TokenError ? err : new TokenError('auth.invalid_token', 'invalid token');
      request.authFailure = { status: e.status, code: e.code, message: e.message };
    }
  };
}

/**
 * preParsing (global, after the rate limiter): answers a request without a valid token 401 —
 * counted in the metrics, not written to audit_refusals (an anonymous client could otherwise
 * write hundreds of rows a second) — and a verified caller whose role the route does not name
 * 403, recorded with actor and reason.
 */
export function enforce(db: Db, onAnonymousRefusal: (code: string) => void) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    if (request.authFailure || !request.actor) {
      const f = request.authFailure ?? {
        status: 401,
        code: 'auth.missing_token',
        message: '需要登录：请求缺少 Authorization: Bearer 令牌',
      };
      onAnonymousRefusal(f.code);
      await reply.status(f.status).send(errorBody(new ApiError(f.status, f.code, f.message, 'Authorization')));
      return reply;
    }
    if (!roles.includes(request.actor.role)) {
      const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
      // A refusal on a case's route names the case, so it shows on the case's timeline.
      const param = (request.params as { caseId?: unknown } | undefined)?.caseId;
      const caseId = typeof param === 'string' && param.length <= 80 ? param : undefined;
      const reason = `role ${request.actor.role} may not ${action} (allowed: ${roles.join(', ')})`;
      await recordRefusal(db, { actor: request.actor, action, code: 'auth.forbidden_role', reason, caseId });
      await reply
        .status(403)
        .send(errorBody(new ApiError(403, 'auth.forbidden_role', `角色 ${request.actor.role} 无权执行该操作`)));
      return reply;
    }
  };
}

/**
 * Throws unless the actor works for the agency; the refusal is recorded. A request naming the
 * agency itself (an application, a list filter) is answered 403; a request for an object of
 * another agency (a case, a task, an award) passes `hideAs`, the 404 of an object that does not
 * exist, so that an outsider cannot tell which case numbers exist elsewhere.
 */
export async function requireAgency(
  db: Db,
  request: FastifyRequest,
  agencyCode: string,
  caseId?: string,
  hideAs?: ApiError,
): Promise<void> {
  const actor = request.actor;
  if (actor && servesAgency(actor, agencyCode)) return;
  const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
  await recordRefusal(db, {
    actor,
    action,
    code: 'auth.forbidden_agency',
    reason: `not an officer of agency ${agencyCode}`,
    caseId,
    agencyCode,
  });
  throw hideAs ?? new ApiError(403, 'auth.forbidden_agency', `无权办理经办机构 ${agencyCode} 的业务`);
}

/** The 404 of a case that does not exist, also given for a case the caller may not see. */
export function caseNotFound(caseId: string): ApiError {
  return new ApiError(404, 'case.not_found', `case ${caseId} not found`);
}
