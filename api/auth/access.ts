/**
 * The checks a handler makes after the role check of the route (api/auth/policy.ts): the
 * channel and the applicant's own ID number on a new application, the agency of a case, and the
 * applicant's own case. Every refusal is recorded in `audit_refusals` before the 403.
 */
import { eq, inArray, sql, type Column, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { personKeyOf } from '../../db/repositories/persons';
import { persons, relations } from '../../db/schema';
import type { Actor as CaseActor } from '../../domain/case-records';
import { ApiError } from '../errors';
import { caseNotFound, recordRefusal, requireAgency, servesAgency, type Actor } from './plugin';

export function actionOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

/** The verified actor of a route that names roles (the hook has set it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor)
    throw new ApiError(401, 'auth.missing_token', '需要登录：请求缺少 Authorization: Bearer 令牌', 'Authorization');
  return request.actor;
}

/** The agencies the actor's lists are limited to; undefined for one who serves all ('*'). */
export function servedAgencies(actor: Actor): string[] | undefined {
  return actor.agencies.includes('*') ? undefined : actor.agencies;
}

/**
 * The agencies a list is limited to: the one asked for (refused and recorded when the actor does
 * not serve it), else every agency the actor serves (undefined: all).
 */
export async function listScope(
  db: Db,
  request: FastifyRequest,
  asked: string | undefined,
): Promise<string[] | undefined> {
  const actor = actorOf(request);
  if (!asked) return servedAgencies(actor);
  await requireAgency(db, request, asked);
  return [asked];
}

/** The condition a scope puts on an agency column: none for all agencies, no row for none. */
export function inScope(column: Column, scope: string[] | undefined): SQL | undefined {
  if (!scope) return undefined;
  return scope.length > 0 ? inArray(column, scope) : sql`false`;
}

/** The actor as a workflow records it: ID and role, nothing else. */
export function caseActor(actor: Actor): CaseActor {
  return { id: actor.id, role: actor.role };
}

async function refuse(
  db: Db,
  request: FastifyRequest,
  r: { code: string; reason: string; message: string; caseId?: string; agencyCode?: string; field?: string },
): Promise<never> {
  await recordRefusal(db, {
    actor: request.actor,
    action: actionOf(request),
    code: r.code,
    reason: r.reason,
    caseId: r.caseId,
    agencyCode: r.agencyCode,
  });
  throw new ApiError(403, r.code, r.message, r.field);
}

/**
 * A new application: offline, an acceptor of the agency receives it (returned as `receivedBy`);
 * online, the applicant applies for themselves only (their token's personKey is that of the ID
 * number applied for).
 */
export async function requireIntake(
  db: Db,
  request: FastifyRequest,
  o: { channel: 'online' | 'offline'; agencyCode: string; idNumber: string; personKeySecret: string; idField: string },
): Promise<CaseActor | undefined> {
  const actor = actorOf(request);
  if (o.channel === 'offline') {
    if (actor.role !== 'acceptor') {
      return refuse(db, request, {
        code: 'auth.wrong_channel',
        reason: `role ${actor.role} may not file an offline (counter) application`,
        message: '窗口（offline）申请须由受理人员提交；申请人请通过网上渠道（online）申请',
        agencyCode: o.agencyCode,
        field: 'channel',
      });
    }
    await requireAgency(db, request, o.agencyCode);
    return caseActor(actor);
  }
  if (actor.role !== 'applicant') {
    return refuse(db, request, {
      code: 'auth.wrong_channel',
      reason: `role ${actor.role} may not file an online application (applicants only)`,
      message: '网上（online）申请只能由申请人本人提交；窗口受理请使用 offline 渠道',
      agencyCode: o.agencyCode,
      field: 'channel',
    });
  }
  if (!actor.personKey || actor.personKey !== personKeyOf(o.personKeySecret, o.idNumber)) {
    return refuse(db, request, {
      code: 'auth.not_own_case',
      reason: 'the ID number applied for is not the applicant’s own',
      message: '申请人只能为本人申请',
      agencyCode: o.agencyCode,
      field: o.idField,
    });
  }
  return undefined;
}

/** A case as far as access goes. */
export interface CaseScope {
  caseId: string;
  agencyCode: string;
  person: { personKey: string };
}

/**
 * Staff and auditors: the case's agency; applicants: their own case only. Refused as 404
 * `case.not_found`, exactly as a case that does not exist (recorded with the real reason).
 */
export async function requireCaseAccess(db: Db, request: FastifyRequest, c: CaseScope): Promise<void> {
  const actor = actorOf(request);
  if (actor.role === 'applicant') {
    if (actor.personKey && actor.personKey === c.person.personKey) return;
    await recordRefusal(db, {
      actor,
      action: actionOf(request),
      code: 'auth.not_own_case',
      reason: 'not the applicant’s own case',
      caseId: c.caseId,
      agencyCode: c.agencyCode,
    });
    throw caseNotFound(c.caseId);
  }
  await requireAgency(db, request, c.agencyCode, c.caseId, caseNotFound(c.caseId));
}

/** Staff and auditors: the person has a relation (any status) at one of the caller's agencies. */
export async function requirePersonAgency(db: Db, request: FastifyRequest, personKey: string): Promise<void> {
  const actor = actorOf(request);
  if (servesAgency(actor, '*')) return;
  const rows = await db
    .select({ agencyCode: relations.agencyCode })
    .from(relations)
    .innerJoin(persons, eq(persons.id, relations.personId))
    .where(eq(persons.personKey, personKey));
  if (rows.some((r) => servesAgency(actor, r.agencyCode))) return;
  return refuse(db, request, {
    code: 'auth.forbidden_agency',
    reason: `the person has no relation at agencies ${actor.agencies.join(',') || '(none)'}`,
    message: '该人员不在您所在经办机构参保，无权查看或更正',
  });
}
