/**
 * Who may call what, from the policy table (api/auth/policy.ts): every route refuses every role
 * it does not name (403 auth.forbidden_role, recorded), lets through the roles it names, and
 * refuses a missing, forged or expired token (401). Then the checks handlers make beyond the
 * role: the agency of the case, the applicant's own ID number and case, the channel.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { POLICY } from '../../../api/auth/policy';
import { ROLES, signToken, type Role } from '../../../api/auth/tokens';
import { auditRefusals } from '../../../db/schema';
import { ACCEPTOR, applicantOf, asUser, AUDITOR, tokenFor, type TestUser } from '../../helpers/auth';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, get, post, staff } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

jest.setTimeout(180_000);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const PROBE_CASE = 'enrollment-620102-2026-999999';

/** A concrete URL for a route template (the role gate answers before the handler reads it). */
function concrete(url: string): string {
  return url
    .replace(':caseId', PROBE_CASE)
    .replace(':personKey', `P${'0'.repeat(24)}`)
    .replace(':awardId', randomUUID())
    .replace(':id', randomUUID())
    .replace(':month', '2026-01')
    .replace(':inspectionId', 'self-inspection-620102-2025Q1')
    .replace(':auditId', 'audit-620102-2026-999999')
    .replace(':feedbackId', randomUUID());
}

const routes = Object.entries(POLICY)
  .filter(([, p]) => p.roles !== 'public')
  .map(([key, p]) => {
    const [method, url] = key.split(' ');
    return { key, method: method as 'GET' | 'POST' | 'PATCH', url, allowed: p.roles as readonly Role[] };
  });

async function call(method: string, url: string, headers: Record<string, string>, payload?: object) {
  const res = await h.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(method === 'GET' ? {} : { payload: payload ?? {} }),
  });
  let body: { error?: { code: string; field?: string } } = {};
  try {
    body = res.json();
  } catch {
    body = {};
  }
  return { status: res.statusCode, body };
}

async function refusalsOf(actorId: string) {
  return h.db.select().from(auditRefusals).where(eq(auditRefusals.actorId, actorId));
}

/** The value of flexpension_auth_anonymous_refusals_total for a code, from GET /metrics. */
async function anonymousRefusals(code: string): Promise<number> {
  const res = await h.app.inject({ method: 'GET', url: '/metrics', headers: asUser(AUDITOR) });
  const line = res.body
    .split('\n')
    .find((l) => l.startsWith(`flexpension_auth_anonymous_refusals_total{code="${code}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('the policy table, route by route', () => {
  test('every route the app serves has an entry in the policy table, and every entry is a served route', () => {
    const served = h.app.registeredRoutes
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect([...new Set(served)].sort()).toEqual(expect.arrayContaining(Object.keys(POLICY).sort()));
    for (const key of served) expect({ key, inPolicy: key in POLICY }).toEqual({ key, inPolicy: true });
  });

  test('every route refuses each role it does not name with 403 auth.forbidden_role, recorded with actor, role, action and case', async () => {
    let checked = 0;
    for (const r of routes) {
      for (const role of ROLES.filter((x) => !r.allowed.includes(x))) {
        const user = `probe-${randomUUID().slice(0, 8)}`;
        const res = await call(r.method, concrete(r.url), asUser({ user, role, agencies: ['*'] }));
        expect({ route: r.key, role, status: res.status, code: res.body.error?.code }).toEqual({
          route: r.key,
          role,
          status: 403,
          code: 'auth.forbidden_role',
        });
        const rows = await refusalsOf(user);
        const caseId = r.url.includes(':caseId') ? PROBE_CASE : null;
        expect(rows).toEqual([
          expect.objectContaining({
            actorRole: role,
            action: `${r.method} ${r.url}`,
            code: 'auth.forbidden_role',
            caseId,
          }),
        ]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  test('every route lets each role it names past the role check', async () => {
    for (const r of routes) {
      for (const role of r.allowed) {
        const res = await call(
          r.method,
          concrete(r.url),
          asUser({
            user: `ok-${role}`,
            role,
            agencies: ['*'],
            personKey: role === 'applicant' ? `P${'1'.repeat(24)}` : undefined,
          }),
        );
        expect({
          route: r.key,
          role,
          status: res.status === 401 ? 401 : 'not 401',
          code: res.body.error?.code,
        }).not.toMatchObject({ code: 'auth.forbidden_role' });
        expect(res.status).not.toBe(401);
      }
    }
  });

  test('every route but the public ones answers a request without a token with 401 auth.missing_token', async () => {
    for (const r of routes) {
      const res = await call(r.method, concrete(r.url), {});
      expect({ route: r.key, status: res.status, code: res.body.error?.code }).toEqual({
        route: r.key,
        status: 401,
        code: 'auth.missing_token',
      });
    }
    expect((await h.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
  });

  test('a forged, expired, foreign or malformed token is 401 with its reason, counted in the metrics and not written to audit_refusals', async () => {
    const url = '/api/v1/cases?limit=1';
    const claims = { sub: 'mallory', role: 'auditor' as const, agencies: ['*'] };
    const forged = signToken({ ...testEnv.auth, key: Buffer.alloc(32, 7) }, claims);
    const expired = signToken(testEnv.auth, { ...claims, now: Date.now() - 10 * 3600_000, ttlSeconds: 3600 });
    const foreign = signToken({ ...testEnv.auth, issuer: 'someone-else' }, claims);
    const noneAlg = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${tokenFor(AUDITOR).split('.')[1]}.`;
    const padded = `${tokenFor(AUDITOR)}==`;
    for (const [token, code] of [
      [forged, 'auth.bad_signature'],
      [expired, 'auth.expired'],
      [foreign, 'auth.wrong_issuer'],
      [noneAlg, 'auth.bad_algorithm'],
      ['not-a-token', 'auth.malformed_token'],
      [padded, 'auth.malformed_token'],
    ] as const) {
      const rowsBefore = (await h.db.select().from(auditRefusals).where(eq(auditRefusals.code, code))).length;
      const countedBefore = await anonymousRefusals(code);
      const res = await call('GET', url, { authorization: `Bearer ${token}` });
      expect({ code, status: res.status, got: res.body.error?.code }).toEqual({ code, status: 401, got: code });
      expect((await h.db.select().from(auditRefusals).where(eq(auditRefusals.code, code))).length).toBe(rowsBefore);
      expect(await anonymousRefusals(code)).toBe(countedBefore + 1);
    }
  });

  test('the Bearer scheme is case-insensitive; anything but one token after it is malformed', async () => {
    const token = tokenFor(AUDITOR);
    for (const scheme of ['Bearer', 'bearer', 'BEARER'])
      expect((await call('GET', '/api/v1/cases?limit=1', { authorization: `${scheme} ${token}` })).status).toBe(200);
    for (const header of [`Basic ${token}`, `Bearer ${token} extra`, 'Bearer', token]) {
      const res = await call('GET', '/api/v1/cases?limit=1', { authorization: header });
      expect({ header: header.slice(0, 12), status: res.status, code: res.body.error?.code }).toEqual({
        header: header.slice(0, 12),
        status: 401,
        code: 'auth.malformed_token',
      });
    }
  });
});

describe('beyond the role: agency, own case, channel', () => {
  const otherAgencyStaff: TestUser = { user: 'clerk-620105', role: 'acceptor', agencies: ['620105'] };

  test("staff of another agency neither read nor decide a case — it is 404 as if it did not exist, recorded as auth.forbidden_agency with the case — nor file at the agency's counter (403)", async () => {
    const created = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), asUser(ACCEPTOR));
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    const read = await get(h, `/api/v1/cases/${caseId}`, asUser(otherAgencyStaff));
    const missing = await get(h, `/api/v1/cases/${caseId.replace(/\d{6}$/, '999999')}`, asUser(otherAgencyStaff));
    expect(read).toMatchObject({
      status: 404,
      body: { error: { code: 'case.not_found', message: `case ${caseId} not found` } },
    });
    // Exactly what a case number that does not exist gets: nothing tells the two apart.
    expect(missing.status).toBe(404);
    expect(read.body.error.message.replace(caseId, '#')).toBe(
      missing.body.error.message.replace(/case \S+ not found/, 'case # not found'),
    );
    const decide = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      asUser(otherAgencyStaff),
    );
    expect(decide).toMatchObject({ status: 404, body: { error: { code: 'case.not_found' } } });
    const rows = await h.db
      .select()
      .from(auditRefusals)
      .where(and(eq(auditRefusals.actorId, otherAgencyStaff.user), eq(auditRefusals.caseId, caseId)));
    expect(rows.map((r) => [r.actorRole, r.code, r.agencyCode])).toEqual([
      ['acceptor', 'auth.forbidden_agency', '620102'],
      ['acceptor', 'auth.forbidden_agency', '620102'],
    ]);
    expect((await get(h, `/api/v1/cases/${caseId}`)).body).toMatchObject({ stage: 'acceptance', decisions: [] });

    const counter = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline' }),
      asUser(otherAgencyStaff),
    );
    expect(counter).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden_agency' } } });
    // The case list shows staff their own agencies' cases only; another agency's list is refused.
    const list = await get(h, '/api/v1/cases?limit=200', asUser(otherAgencyStaff));
    expect(list.status).toBe(200);
    expect((list.body.items as Array<{ agencyCode: string }>).every((c) => c.agencyCode === '620105')).toBe(true);
    expect((await get(h, '/api/v1/cases?agencyCode=620102', asUser(otherAgencyStaff))).status).toBe(403);
  });

  test('the counter acceptor who receives an offline application is recorded as its receiver, from the token', async () => {
    const created = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline' }),
      asUser({ user: 'clerk-55', role: 'acceptor', agencies: ['620102'] }),
    );
    expect(created.status).toBe(201);
    const events = created.body.events as Array<{ type: string; actor: { id: string; role: string } | null }>;
    expect(events.find((e) => e.type === 'application_received')?.actor).toEqual({ id: 'clerk-55', role: 'acceptor' });
    expect(events.find((e) => e.type === 'case_received')?.actor).toEqual({ id: 'clerk-55', role: 'acceptor' });
  });

  test("an applicant applies online for themselves only, reads only their own cases (another's is 404), and does not use the counter channel", async () => {
    const mine = makeIdNumber();
    const someoneElse = makeIdNumber();
    const me = applicantOf(mine);

    const forOther = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber: someoneElse, name: '他人' } }),
      asUser(me),
    );
    expect(forOther).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.not_own_case', field: 'applicant.idNumber' } },
    });
    expect(await refusalsOf(me.user)).toEqual([
      expect.objectContaining({
        actorRole: 'applicant',
        code: 'auth.not_own_case',
        action: 'POST /api/v1/enrollments',
      }),
    ]);

    const own = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber: mine, name: '本人' } }),
      asUser(me),
    );
    expect(own.status).toBe(201);
    const caseId = own.body.caseId as string;
    expect((await get(h, `/api/v1/cases/${caseId}`, asUser(me))).status).toBe(200);

    const other = applicantOf(someoneElse);
    const peek = await get(h, `/api/v1/cases/${caseId}`, asUser(other));
    expect(peek).toMatchObject({ status: 404, body: { error: { code: 'case.not_found' } } });
    expect(await refusalsOf(other.user)).toEqual([
      expect.objectContaining({ actorRole: 'applicant', code: 'auth.not_own_case', caseId }),
    ]);

    const counter = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline', applicant: { idNumber: mine, name: '本人' } }),
      asUser(me),
    );
    expect(counter).toMatchObject({ status: 403, body: { error: { code: 'auth.wrong_channel', field: 'channel' } } });
    const staffOnline = await post(h, '/api/v1/enrollments', enrollmentBody(), staff);
    expect(staffOnline).toMatchObject({ status: 403, body: { error: { code: 'auth.wrong_channel' } } });
  });

  test("an applicant supplements only their own case; the supplement carries the applicant's identity", async () => {
    const mine = makeIdNumber();
    const me = applicantOf(mine);
    const created = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber: mine, name: '本人' }, materials: [] }),
      asUser(me),
    );
    expect(created.body).toMatchObject({ stage: 'awaiting_supplement' });
    const caseId = created.body.caseId as string;
    const stranger = applicantOf(makeIdNumber());
    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/materials`,
      { materials: [{ kind: 'id_card', ref: 'x' }] },
      asUser(stranger),
    );
    expect(refused).toMatchObject({ status: 404, body: { error: { code: 'case.not_found' } } });
    const supplied = await post(
      h,
      `/api/v1/cases/${caseId}/materials`,
      { materials: [{ kind: 'id_card', ref: 'scan-2' }] },
      asUser(me),
    );
    expect(supplied.status).toBe(200);
    const event = (supplied.body.events as Array<{ type: string; actor: unknown }>).find(
      (e) => e.type === 'materials_supplemented',
    );
    expect(event?.actor).toEqual({ id: me.user, role: 'applicant' });
  });
});
