/**
 * Authentication and authorisation for the API. Every route except the public ones requires a
 * bearer token (api/auth/tokens.ts); the verified actor is attached to the request and carried
 * into every workflow step. A route names the roles allowed (`config.roles`); a refused request
 * is answered 401/403 with a stable code and recorded in `audit_refusals` with actor and reason.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { auditRefusals } from '../../db/schema';
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
  await db.insert(auditRefusals).values({
    actorId: r.actor?.id ?? 'anonymous',
    actorRole: r.actor?.role ?? 'none',
    agencyCode: r.agencyCode ?? null,
    action: r.action,
    caseId: r.caseId ?? null,
    code: r.code,
    reason: r.reason.slice(0, 1000),
    occurredAt: new Date(),
  });
}

/** onRequest hook: verifies the token of every non-public route and checks the role. */
export function authenticate(db: Db, settings: TokenSettings) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
    // A refusal on a case's route names the case, so it shows on the case's timeline.
    const param = (request.params as { caseId?: unknown } | undefined)?.caseId;
    const caseId = typeof param === 'string' && param.length <= 80 ? param : undefined;
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) {
      await recordRefusal(db, { actor: undefined, action, code: 'auth.missing_token', reason: 'no bearer token', caseId });
      await reply.status(401).send(errorBody(new ApiError(401, 'auth.missing_token', '需要登录：请求缺少 Authorization: Bearer 令牌', 'Authorization')));
      return;
    }
    let claims: TokenClaims;
    try {
      claims = verifyToken(settings, header.slice('Bearer '.length).trim());
    } catch (err) {
      const e = err instanceof TokenError ? err : new TokenError('auth.invalid_token', 'invalid token');
      await recordRefusal(db, { actor: undefined, action, code: e.code, reason: e.message, caseId });
      await reply.status(401).send(errorBody(new ApiError(401, e.code, e.message, 'Authorization')));
      return;
    }
    request.actor = actorFromClaims(claims);
    if (!roles.includes(claims.role)) {
      const reason = `role ${claims.role} may not ${action} (allowed: ${roles.join(', ')})`;
      await recordRefusal(db, { actor: request.actor, action, code: 'auth.forbidden_role', reason, caseId });
      await reply.status(403).send(errorBody(new ApiError(403, 'auth.forbidden_role', `角色 ${claims.role} 无权执行该操作`)));
    }
  };
}

/**
 * Throws unless the actor works for the agency; the refusal is recorded. A request naming the
 * agency itself (an application, a list filter) is answered 403; a request for an object of
 * another agency (a case, a task, an award) passes `hideAs`, the 404 of an object that does not
 * exist, so that an outsider cannot tell which case numbers exist elsewhere.
 */
export async function requireAgency(db: Db, request: FastifyRequest, agencyCode: string, caseId?: string, hideAs?: ApiError): Promise<void> {
  const actor = request.actor;
  if (actor && servesAgency(actor, agencyCode)) return;
  const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
  await recordRefusal(db, { actor, action, code: 'auth.forbidden_agency', reason: `not an officer of agency ${agencyCode}`, caseId, agencyCode });
  throw hideAs ?? new ApiError(403, 'auth.forbidden_agency', `无权办理经办机构 ${agencyCode} 的业务`);
}

/** The 404 of a case that does not exist, also given for a case the caller may not see. */
export function caseNotFound(caseId: string): ApiError {
  return new ApiError(404, 'case.not_found', `case ${caseId} not found`);
}
