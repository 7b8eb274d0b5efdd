/**
 * Bearer tokens for tests, signed with the run's test key (testEnv.auth): `asUser(...)` gives
 * the headers of a request made by that user, role and agency.
 */
import { signToken, type Role } from '../../api/auth/tokens';
import { personKeyOf } from '../../db/repositories/persons';
import { validateIdNumber } from '../../domain/id-number';
import { chinaDateOf } from '../../domain/working-days';
import { testEnv } from './env';

export interface TestUser {
  user: string;
  role: Role;
  /** Agency codes ('*' for every agency); default the sample agency 620102. */
  agencies?: string[];
  personKey?: string;
}

export function tokenFor(u: TestUser, ttlSeconds?: number): string {
  return signToken(testEnv.auth, {
    sub: u.user,
    role: u.role,
    agencies: u.agencies ?? ['620102'],
    personKey: u.personKey,
    ttlSeconds,
  });
}

/** Headers for app.inject / fetch as the given user. */
export function asUser(u: TestUser): { authorization: string } {
  return { authorization: `Bearer ${tokenFor(u)}` };
}

/** Counter staff, reviewers and members used across the tests (distinct people: separation of duties). */
export const ACCEPTOR: TestUser = { user: 'clerk-01', role: 'acceptor', agencies: ['*'] };
export const REVIEWER: TestUser = { user: 'reviewer-07', role: 'reviewer', agencies: ['*'] };
export const SUPERVISOR: TestUser = { user: 'supervisor-01', role: 'supervisor', agencies: ['*'] };
export const AUDITOR: TestUser = { user: 'auditor-01', role: 'auditor', agencies: ['*'] };
/** A reviewer who corrects files (PATCH /persons): not the one who then acknowledges the pre-review. */
export const FILE_CORRECTOR: TestUser = { user: 'file-clerk-03', role: 'reviewer', agencies: ['*'] };
export const PLATFORM: TestUser = { user: 'transfer-platform', role: 'transfer_platform', agencies: ['*'] };

/** The applicant of an ID number (online channel): their token carries the ID number's person key. */
export function applicantOf(idNumber: string): TestUser {
  // As the API keys it: the normalised 18-character number (a 15-digit one upgraded).
  const normalized = validateIdNumber(idNumber, chinaDateOf(Date.now())).normalized ?? idNumber.trim().toUpperCase();
  return {
    user: `applicant-${personKeyOf(testEnv.personKeySecret, normalized).slice(1, 9)}`,
    role: 'applicant',
    agencies: [],
    personKey: personKeyOf(testEnv.personKeySecret, normalized),
  };
}

const INTAKE = /^\/api\/v1\/(enrollments|stops|transfers\/in|claims)$/;

/**
 * Who a test request is made as when the test names nobody: a new application as the applicant
 * (online, their own ID number) or the counter acceptor (offline); a supplement or a staff step
 * as the acceptor; an extension or a calendar publication as a supervisor; a file correction as a
 * file clerk; a platform delivery as the platform; every read as a province-wide auditor.
 * Tests about who may do what (test/integration/api/authorization.test.ts) name the caller.
 */
export function callerFor(method: string, url: string, payload?: unknown): TestUser {
  const path = url.split('?')[0];
  const body = (payload && typeof payload === 'object' ? payload : {}) as {
    channel?: string;
    idNumber?: unknown;
    applicant?: { idNumber?: unknown };
  };
  if (method === 'GET' || method === 'HEAD') return AUDITOR;
  if (method === 'POST' && INTAKE.test(path)) {
    const channel = body.channel ?? (path.endsWith('/stops') ? 'online' : undefined);
    const idNumber = body.applicant?.idNumber ?? body.idNumber;
    if (channel === 'online' && typeof idNumber === 'string') return applicantOf(idNumber);
    return ACCEPTOR;
  }
  if (path.endsWith('/deadline-extension') || path === '/api/v1/calendar/years') return SUPERVISOR;
  if (path === '/api/v1/platform/messages') return PLATFORM;
  if (method === 'PATCH' && path.startsWith('/api/v1/persons/')) return FILE_CORRECTOR;
  return ACCEPTOR;
}

/** `headers` with the default caller's token added when they carry no Authorization header. */
export function withAuth(
  method: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Record<string, string> {
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) return headers;
  return { ...headers, ...asUser(callerFor(method, url, payload)) };
}
