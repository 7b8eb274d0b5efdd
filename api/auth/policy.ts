/**
 * Who may call what: one table for every route of the API. `buildApp` puts each entry on its
 * route as `config: { roles }` (api/auth/plugin.ts enforces it); a route that is neither in the
 * table nor names its own roles is refused at start-up, so a new route cannot be public by
 * accident. The role check is the first gate only: handlers then check the agency of the case
 * (requireAgency), the applicant's own case (auth.not_own_case) and the channel, and the
 * workflows enforce separation of duties. docs/auth.md is this table in prose.
 */
import type { Role } from './tokens';
import { ROLES } from './tokens';

/** Staff of an agency (each also checked against the case's agency). */
export const STAFF: readonly Role[] = ['acceptor', 'reviewer', 'collective_reviewer', 'supervisor'];
/** Who may decode and encode Temporal payloads (the codec server): the others see ciphertext. */
export const CODEC_ROLES: readonly Role[] = ['auditor', 'supervisor'];
/** Every role with a valid token. */
export const ANY_ROLE: readonly Role[] = ROLES;

export interface RoutePolicy {
  /** Roles allowed; 'public' = no token needed. */
  roles: readonly Role[] | 'public';
  /** The route cannot answer without Temporal: while it is down, 503 service.temporal_unavailable at once. */
  temporal?: true;
  /** What the handler checks beyond the role (documentation, shown in docs/auth.md). */
  checks?: string;
}

/** Keyed by `METHOD url` exactly as the route is registered. */
/** Every new application: the counter (offline) or the applicant (online). */
const APPLICATION: RoutePolicy = {
  roles: ['acceptor', 'applicant'],
  checks: 'offline: acceptor of the agency; online: applicant whose personKey is that of the ID number',
};

export const POLICY: Readonly<Record<string, RoutePolicy>> = {
  'GET /health': { roles: 'public' },
  'GET /openapi.json': { roles: 'public' },
  // The service guide (办事指南, R-5): published to everyone.
  'GET /api/v1/service-guide': { roles: 'public' },
  'GET /service-guide.html': { roles: 'public' },

  // Reference data and calculators: any authenticated caller.
  'POST /api/v1/rules/id-number': { roles: ANY_ROLE },
  'POST /api/v1/rules/transfer-funds': { roles: ANY_ROLE },
  'GET /api/v1/rules/retirement-age': { roles: ANY_ROLE },
  'GET /api/v1/rules/minimum-years': { roles: ANY_ROLE },
  'POST /api/v1/rules/pension': { roles: ANY_ROLE },
  'POST /api/v1/rules/contribution-summary': { roles: ANY_ROLE },
  'GET /api/v1/calendar/deadline': { roles: ANY_ROLE },
  'GET /api/v1/calendar/working-days': { roles: ANY_ROLE },
  'GET /api/v1/calendar/versions': { roles: ANY_ROLE },
  'POST /api/v1/calendar/years': { roles: ['supervisor'] },
  // Rule parameters: published by two supervisors (one proposes, another approves).
  'GET /api/v1/parameters': { roles: ANY_ROLE },
  'GET /api/v1/parameters/proposals': { roles: ['supervisor', 'auditor'] },
  'POST /api/v1/parameters': {
    roles: ['supervisor'],
    checks: "the region covers one of the caller's agencies (or is CN)",
  },
  'GET /api/v1/risk/register': { roles: ['supervisor', 'auditor'] },
  'POST /api/v1/risk/register': {
    roles: ['supervisor'],
    checks:
      'a new version, published when a second supervisor approves it (POST /api/v1/parameters/proposals/:id/approval)',
  },
  'POST /api/v1/parameters/proposals/:id/approval': {
    roles: ['supervisor'],
    checks: "not the proposer (separation.own_proposal); the region covers one of the caller's agencies",
  },

  // Applications: the counter (offline, acceptor of the agency) or the applicant (online, own ID number).
  'POST /api/v1/enrollments': APPLICATION,
  'POST /api/v1/stops': APPLICATION,
  'POST /api/v1/transfers/in': APPLICATION,
  'POST /api/v1/claims': APPLICATION,

  // Cases.
  'GET /api/v1/cases/:caseId': {
    roles: [...STAFF, 'auditor', 'applicant'],
    checks: "staff of the case's agency; auditors of the agency (or '*'); the applicant: own case only",
  },
  'GET /api/v1/cases': { roles: [...STAFF, 'auditor'], checks: "only cases of the caller's agencies" },
  'POST /api/v1/cases/:caseId/materials': {
    temporal: true,
    roles: ['acceptor', 'applicant'],
    checks: "acceptor of the case's agency; the applicant: own case only",
  },
  'POST /api/v1/cases/:caseId/decisions': {
    temporal: true,
    roles: ['acceptor', 'reviewer', 'collective_reviewer'],
    checks: "staff of the case's agency; the workflow: role of the awaited task, separation of duties",
  },
  'POST /api/v1/cases/:caseId/deadline-extension': {
    temporal: true,
    roles: ['supervisor'],
    checks: "supervisor of the case's agency (the workflow checks the role again)",
  },

  // The transfer platform delivers here (its token is minted when the inbound address is registered).
  'POST /api/v1/platform/messages': { temporal: true, roles: ['transfer_platform'] },

  // Persons, contributions and benefits.
  'POST /api/v1/contributions/batches': {
    roles: ['tax_feed'],
    checks: 'Idempotency-Key bound to the sender and the body',
  },
  'GET /api/v1/persons/:personKey/contributions': {
    roles: [...STAFF, 'auditor'],
    checks: "the person has a relation at one of the caller's agencies",
  },
  'PATCH /api/v1/persons/:personKey': {
    temporal: true,
    roles: ['reviewer'],
    checks: "the person's relation is at one of the caller's agencies",
  },
  'GET /api/v1/awards/:awardId': { roles: [...STAFF, 'auditor'], checks: "the award's agency" },
  'POST /api/v1/awards/:awardId/certifications': {
    temporal: true,
    roles: ['acceptor'],
    checks: "acceptor of the award's agency",
  },
  'GET /api/v1/payroll/runs/:month': { roles: ['supervisor', 'auditor'] },

  // The task inbox: staff of an agency (a supervisor sees every role's tasks).
  'GET /api/v1/tasks': {
    roles: STAFF,
    checks: "tasks of the caller's role (supervisor: every role) in the caller's agencies",
  },
  'POST /api/v1/tasks/:taskId/claim': { roles: STAFF, checks: "a task of the caller's role and agency" },
  'POST /api/v1/tasks/:taskId/release': { roles: STAFF, checks: 'the assignee, or a supervisor of the agency' },
  'POST /api/v1/tasks/:taskId/complete': {
    temporal: true,
    roles: STAFF,
    checks: 'the assignee; the workflow: role of the task, separation of duties',
  },

  // Oversight.
  'GET /metrics': { roles: ['supervisor', 'auditor'] },
  'GET /api/v1/cases/:caseId/timeline': { roles: ['auditor', 'supervisor'], checks: "the case's agency" },
  'GET /api/v1/audit/verify': { roles: ['auditor', 'supervisor'] },
  // The codec server of the Temporal Web UI and CLI (api/routes/codec.ts, docs/codec.md).
  'POST /api/v1/codec/credentials': {
    roles: CODEC_ROLES,
    checks: 'a decode-only credential of the caller, 12 hours at most',
  },
  'POST /codec/decode': { roles: CODEC_ROLES },
  'POST /codec/encode': { roles: CODEC_ROLES },
  'POST /codec/t/:token/decode': {
    roles: 'public',
    checks: 'a decode-only codec credential in the path, verified by the route (12 hours at most, or one local run)',
  },
  'OPTIONS /codec/decode': { roles: 'public', checks: 'CORS preflight: allowed Web UI origins only' },
  'OPTIONS /codec/encode': { roles: 'public', checks: 'CORS preflight: allowed Web UI origins only' },
  'OPTIONS /codec/t/:token/decode': { roles: 'public', checks: 'CORS preflight: allowed Web UI origins only' },
  'GET /api/v1/archives/:caseId': {
    roles: ['auditor', 'supervisor'],
    checks: "the case's agency; every look-up is logged",
  },

  // Service evaluation (V-1, V-2) and after-the-fact supervision: docs/supervision.md.
  'POST /api/v1/cases/:caseId/rating': {
    roles: ['applicant', 'acceptor'],
    checks: "the applicant: own closed case; the acceptor (the counter's rating pad): a closed case of the agency",
  },
  'GET /api/v1/cases/:caseId/rating': {
    roles: [...STAFF, 'auditor', 'applicant'],
    checks: "the case's agency; the applicant: own case only",
  },
  'GET /api/v1/evaluation': {
    roles: ['supervisor', 'auditor'],
    checks: "only the caller's agencies (agency= must be one of them)",
  },
  'POST /api/v1/feedback': {
    roles: 'public',
    checks: 'anyone may send a suggestion or complaint (V-2); Idempotency-Key honoured',
  },
  'GET /api/v1/feedback': {
    roles: ['supervisor', 'auditor'],
    checks: "the caller's agencies and feedback naming none; the sender's contact for supervisors only",
  },
  'POST /api/v1/feedback/:feedbackId/reply': {
    roles: ['supervisor'],
    checks: "feedback naming one of the caller's agencies, or none",
  },
  'GET /api/v1/policy-changes': {
    roles: ['supervisor', 'auditor'],
    checks: "affected cases of the caller's agencies only",
  },
  'POST /api/v1/inspections': { roles: ['supervisor'], checks: "one of the caller's agencies; an ended quarter" },
  'GET /api/v1/inspections': { roles: ['supervisor', 'auditor'], checks: "the caller's agencies" },
  'GET /api/v1/inspections/:inspectionId': { roles: ['supervisor', 'auditor'], checks: "the inspection's agency" },
  'POST /api/v1/audits': { roles: ['supervisor'], checks: "one of the caller's agencies" },
  'GET /api/v1/audits': { roles: ['supervisor', 'auditor'], checks: "the caller's agencies" },
  'GET /api/v1/audits/:auditId': { roles: ['supervisor', 'auditor'], checks: "the audit's agency" },
  'POST /api/v1/audits/:auditId/findings': {
    roles: ['supervisor'],
    checks: "the audit's agency; a supervisor who did not handle the case (separation.handled_case)",
  },
  'POST /api/v1/audits/:auditId/conclusion': {
    roles: ['supervisor'],
    checks: "the audit's agency; the tip-off workflow checks the role again",
  },
};

/** Routes served by plugins (the browsable docs): public. */
const PUBLIC_PREFIXES = ['/docs'];

/** True when the table says the route needs Temporal to answer. */
export function needsTemporal(method: string, url: string): boolean {
  return POLICY[`${method === 'HEAD' ? 'GET' : method} ${url}`]?.temporal === true;
}

/**
 * The roles of a route as registered: its own `config.roles` wins, then the table; undefined
 * for a public route. Throws for a route the table does not know.
 */
export function rolesFor(method: string, url: string, own?: readonly Role[]): readonly Role[] | undefined {
  if (own) return own;
  const entry = POLICY[`${method === 'HEAD' ? 'GET' : method} ${url}`];
  if (entry) return entry.roles === 'public' ? undefined : entry.roles;
  if (PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return undefined;
  throw new Error(
    `route ${method} ${url} has no entry in api/auth/policy.ts and names no roles: add it (or config.roles) before serving it`,
  );
}
