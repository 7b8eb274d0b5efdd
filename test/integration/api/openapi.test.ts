/**
 * The served OpenAPI document matches the code: every route is documented with its request
 * schema and its responses, real responses validate against the documented schemas, and the
 * documentation UI is served. Also the ID-number rule endpoint and the case list's filters.
 */
import { randomInt, randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { sql } from 'drizzle-orm';
import type { RegisteredRoute } from '../../../api/app';
import { signCodecCredential } from '../../../api/auth/tokens';
import { CLOSING_OUTCOMES, STAFF_RESULTS, STAFF_STEPS } from '../../../api/schemas/decisions';
import { cases } from '../../../db/schema';
import { computeCheckDigit } from '../../../domain/id-number';
import { RISK_REGISTER_SEED } from '../../../domain/risk-register';
import { chinaDateOf } from '../../../domain/working-days';
import { RECOVERY_STEPS } from '../../../workflows/recovery';
import { TRANSFER_OUT_STEPS } from '../../../workflows/transfer-out';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { asUser, AUDITOR, SUPERVISOR, tokenFor, withAuth } from '../../helpers/auth';
import { enrollmentBody, get, post, reviewer, seedPerson, seedRelation, staff, stopBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

type Schema = Record<string, unknown> & {
  properties?: Record<string, unknown>;
  required?: string[];
  $ref?: string;
  title?: string;
};
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

async function openApi(): Promise<OpenApiDoc> {
  const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json();
}

/** "/api/v1/cases/:caseId" → "/api/v1/cases/{caseId}". */
const templateOf = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const isDocumentationRoute = (r: RegisteredRoute) =>
  r.url === '/openapi.json' || r.url === '/docs' || r.url.startsWith('/docs/');
const apiRoutes = () => h.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && !isDocumentationRoute(r));
const operationOf = (doc: OpenApiDoc, r: RegisteredRoute) => doc.paths[templateOf(r.url)]?.[r.method.toLowerCase()];

function errorSchemaName(doc: OpenApiDoc): string {
  const name = Object.keys(doc.components.schemas).find((k) => doc.components.schemas[k].title === 'ErrorResponse');
  if (!name) throw new Error('ErrorResponse is not among the components');
  return name;
}

describe('the OpenAPI document lists what the app serves', () => {
  test('every route the app serves (except the documentation itself) is in /openapi.json with its method, and nothing else is', async () => {
    const doc = await openApi();
    expect(doc.openapi).toMatch(/^3\./);
    const served = apiRoutes()
      .map((r) => `${r.method} ${templateOf(r.url)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /health',
        'POST /api/v1/rules/id-number',
        'POST /api/v1/enrollments',
        'POST /api/v1/stops',
        'GET /api/v1/cases',
        'GET /api/v1/cases/{caseId}',
        'POST /api/v1/cases/{caseId}/materials',
        'POST /api/v1/cases/{caseId}/decisions',
        'POST /api/v1/cases/{caseId}/deadline-extension',
      ]),
    );
    // The routes left out are exactly the hidden documentation routes.
    for (const r of h.app.registeredRoutes.filter(isDocumentationRoute))
      expect(doc.paths[templateOf(r.url)]).toBeUndefined();
  });

  test('each operation documents the request schema its route validates: body, path, query and header parameters', async () => {
    const doc = await openApi();
    for (const route of apiRoutes()) {
      const op = operationOf(doc, route);
      const where = `${route.method} ${route.url}`;
      const s = route.schema ?? {};
      const body = s.body as Schema | undefined;
      if (body) {
        const documented = op.requestBody?.content['application/json']?.schema;
        expect({ where, properties: Object.keys(documented?.properties ?? {}).sort() }).toEqual({
          where,
          properties: Object.keys(body.properties ?? {}).sort(),
        });
        expect({ where, required: [...(documented?.required ?? [])].sort() }).toEqual({
          where,
          required: [...(body.required ?? [])].sort(),
        });
        expect({ where, additional: documented?.additionalProperties }).toEqual({
          where,
          additional: body.additionalProperties,
        });
      } else {
        expect({ where, requestBody: op.requestBody }).toEqual({ where, requestBody: undefined });
      }
      for (const [location, key] of [
        ['path', 'params'],
        ['query', 'querystring'],
        ['header', 'headers'],
      ] as const) {
        const schema = s[key] as Schema | undefined;
        const expected = Object.keys(schema?.properties ?? {})
          .map(
            (name) =>
              `${name}:${location === 'path' || (schema?.required ?? []).includes(name) ? 'required' : 'optional'}`,
          )
          .sort();
        const actual = (op.parameters ?? [])
          .filter((p) => p.in === location)
          .map((p) => `${p.name}:${p.required ? 'required' : 'optional'}`)
          .sort();
        expect({ where, location, parameters: actual }).toEqual({ where, location, parameters: expected });
      }
    }
  });

  test("a decision's step and result are those the workflows declare (their *_STEPS), and a case's outcome those they close with", async () => {
    const doc = await openApi();
    const body = doc.paths['/api/v1/cases/{caseId}/decisions'].post.requestBody!.content['application/json'].schema;
    // OpenAPI 3.0 has no `const`: each literal is documented as a one-value enum.
    const constsOf = (s: unknown) =>
      ((s as Schema).anyOf as Schema[]).map((x) => x.const ?? (x.enum as unknown[] | undefined)?.[0] ?? null);
    expect(constsOf(body.properties!.step)).toEqual(STAFF_STEPS);
    expect(constsOf(body.properties!.result)).toEqual(STAFF_RESULTS);
    expect(STAFF_STEPS).toEqual(
      expect.arrayContaining([...Object.keys(TRANSFER_OUT_STEPS), ...Object.keys(RECOVERY_STEPS)]),
    );
    const caseSchema = Object.values(doc.components.schemas).find((s) => s.title === 'Case')!;
    expect(constsOf(caseSchema.properties!.outcome)).toEqual([...CLOSING_OUTCOMES, 'failed', null]);
  });

  test('each operation documents the responses its route declares, and every API route that validates input documents 400 with the error schema', async () => {
    const doc = await openApi();
    const errorRef = `#/components/schemas/${errorSchemaName(doc)}`;
    for (const route of apiRoutes()) {
      const op = operationOf(doc, route);
      const where = `${route.method} ${route.url}`;
      const declared = Object.keys((route.schema?.response as Record<string, unknown>) ?? {}).sort();
      expect({ where, responses: Object.keys(op.responses).sort() }).toEqual({ where, responses: declared });
      const validates = ['body', 'params', 'querystring', 'headers'].some(
        (k) => route.schema?.[k as keyof RegisteredRoute['schema']] !== undefined,
      );
      if (route.url.startsWith('/api/') && validates) {
        expect({ where, has400: op.responses['400'] !== undefined }).toEqual({ where, has400: true });
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && route.url.startsWith('/api/')) {
          expect({ where, status, schema: response.content?.['application/json']?.schema }).toEqual({
            where,
            status,
            schema: { $ref: errorRef },
          });
        }
      }
    }
  });

  test('/docs serves the HTML documentation UI, which reads the same document', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const uiDoc = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(uiDoc.json()).toEqual(await openApi());
  });
});

describe('the Idempotency-Key header is documented exactly where it is honoured', () => {
  test('a route answers a malformed Idempotency-Key with 400 if and only if its operation documents the header', async () => {
    const doc = await openApi();
    const offline = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }));
    const awaitingSupplement = await post(h, '/api/v1/enrollments', enrollmentBody({ materials: [] }));
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const ratedCase = await post(h, '/api/v1/enrollments', enrollmentBody());
    expect(ratedCase.body).toMatchObject({ status: 'closed' });
    const bad = { 'idempotency-key': 'not a key' };
    const requests: Array<{
      method: 'POST';
      url: string;
      template: string;
      payload: unknown;
      headers: Record<string, string>;
    }> = [
      {
        method: 'POST',
        url: '/api/v1/rules/id-number',
        template: '/api/v1/rules/id-number',
        payload: { idNumber: makeIdNumber() },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/enrollments',
        template: '/api/v1/enrollments',
        payload: enrollmentBody(),
        headers: {},
      },
      { method: 'POST', url: '/api/v1/stops', template: '/api/v1/stops', payload: stopBody(idNumber), headers: {} },
      {
        method: 'POST',
        url: `/api/v1/cases/${awaitingSupplement.body.caseId}/materials`,
        template: '/api/v1/cases/{caseId}/materials',
        payload: { materials: [{ kind: 'id_card' }] },
        headers: {},
      },
      {
        method: 'POST',
        url: `/api/v1/cases/${offline.body.caseId}/decisions`,
        template: '/api/v1/cases/{caseId}/decisions',
        payload: { step: 'acceptance', result: 'accept' },
        headers: staff,
      },
      {
        method: 'POST',
        url: '/api/v1/transfers/in',
        template: '/api/v1/transfers/in',
        payload: {
          agencyCode: '620102',
          channel: 'online',
          applicant: { idNumber: makeIdNumber(), name: '测试人' },
          fromAgencyCode: '610102',
        },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/rules/transfer-funds',
        template: '/api/v1/rules/transfer-funds',
        payload: {
          years: [{ year: 2024, months: 12, monthlyBase: '5000.00' }],
          account: { before1998Personal: '0.00', from1998ToLastYearEnd: '0.00', currentYearPrincipal: '0.00' },
        },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/rules/pension',
        template: '/api/v1/rules/pension',
        payload: {
          baseWage: '7594',
          averageIndex: '1.2458',
          contributionMonths: 430,
          deemedMonths: 77,
          accountBalance: '167590.39',
          age: { years: 60, months: 0 },
        },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/claims',
        template: '/api/v1/claims',
        payload: {
          agencyCode: '620102',
          channel: 'offline',
          applicant: { idNumber: makeIdNumber(), name: '测试人' },
          materials: [{ kind: 'id_card' }],
        },
        headers: {},
      },
      // Refused by the rules (a make-up day that is not a weekend), so nothing is published.
      {
        method: 'POST',
        url: '/api/v1/calendar/years',
        template: '/api/v1/calendar/years',
        payload: { year: 2026, holidays: [], makeupWorkdays: ['2026-03-02'], source: 'test' },
        headers: {},
      },
      // Malformed, so it is refused and recorded, and reaches no case.
      {
        method: 'POST',
        url: '/api/v1/platform/messages',
        template: '/api/v1/platform/messages',
        payload: { type: 'nonsense' },
        headers: {},
      },
      {
        method: 'POST',
        url: `/api/v1/cases/${offline.body.caseId}/deadline-extension`,
        template: '/api/v1/cases/{caseId}/deadline-extension',
        payload: { workingDays: 2, reason: '需调取档案' },
        headers: asUser(SUPERVISOR),
      },
      // An award that does not exist: the key is checked before the award is looked up.
      {
        method: 'POST',
        url: `/api/v1/awards/${randomUUID()}/certifications`,
        template: '/api/v1/awards/{awardId}/certifications',
        payload: { method: 'self_service' },
        headers: {},
      },
      // Tasks that do not exist: the key is checked (complete) or ignored (claim, release) before the look-up.
      ...(['claim', 'release', 'complete'] as const).map((action) => ({
        method: 'POST' as const,
        url: `/api/v1/tasks/${randomUUID()}/${action}`,
        template: `/api/v1/tasks/{taskId}/${action}`,
        payload: action === 'complete' ? { result: 'accept' } : undefined,
        headers: asUser({ user: 'openapi-acc', role: 'acceptor' }),
      })),
      // Parameters: a proposal honours the key; an approval of no proposal, and the calculator, have none.
      {
        method: 'POST',
        url: '/api/v1/parameters',
        template: '/api/v1/parameters',
        payload: {
          name: 'pension.baseWage',
          region: '62',
          validFrom: '2099-01-01',
          value: '9999',
          source: 'openapi test',
          verified: false,
        },
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: `/api/v1/parameters/proposals/${randomUUID()}/approval`,
        template: '/api/v1/parameters/proposals/{id}/approval',
        payload: {},
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: '/api/v1/rules/contribution-summary',
        template: '/api/v1/rules/contribution-summary',
        payload: { region: '62', asOf: '2025-12-31', records: [] },
        headers: {},
      },
      // A register proposal honours the key.
      {
        method: 'POST',
        url: '/api/v1/risk/register',
        template: '/api/v1/risk/register',
        payload: { points: RISK_REGISTER_SEED, source: 'openapi test' },
        headers: asUser(SUPERVISOR),
      },
      // A pushed batch (nothing in it): the key is required and checked first.
      {
        method: 'POST',
        url: '/api/v1/contributions/batches',
        template: '/api/v1/contributions/batches',
        payload: { records: [] },
        headers: asUser({ user: 'tax-openapi', role: 'tax_feed' }),
      },
      // Supervision and evaluation (docs/supervision.md): a rating of a closed case, public feedback, a reply to
      // none, an inspection of a quarter not ended, audits (special, a finding and a conclusion of none).
      {
        method: 'POST',
        url: `/api/v1/cases/${ratedCase.body.caseId}/rating`,
        template: '/api/v1/cases/{caseId}/rating',
        payload: { score: 4 },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/feedback',
        template: '/api/v1/feedback',
        payload: { kind: 'suggestion', text: 'openapi test' },
        headers: {},
      },
      {
        method: 'POST',
        url: `/api/v1/feedback/${randomUUID()}/reply`,
        template: '/api/v1/feedback/{feedbackId}/reply',
        payload: { reply: 'x' },
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: '/api/v1/inspections',
        template: '/api/v1/inspections',
        payload: { agencyCode: '620102', quarter: '2099Q1' },
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: '/api/v1/audits',
        template: '/api/v1/audits',
        payload: {
          agencyCode: '620102',
          kind: 'special',
          title: 'openapi',
          query: { procedure: 'transfer_out', from: '2000-01-01', to: '2000-01-02' },
        },
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: '/api/v1/audits/audit-620102-2026-999999/findings',
        template: '/api/v1/audits/{auditId}/findings',
        payload: { caseId: 'stop-620102-2026-999999', category: 'other', text: 'x', rectify: false },
        headers: asUser(SUPERVISOR),
      },
      {
        method: 'POST',
        url: '/api/v1/audits/audit-620102-2026-999999/conclusion',
        template: '/api/v1/audits/{auditId}/conclusion',
        payload: { conclusion: 'x' },
        headers: asUser(SUPERVISOR),
      },
      // The codec server (an auditor; empty payload lists) and its decode-only credentials.
      ...(['decode', 'encode'] as const).map((op) => {
        const token = tokenFor({ user: 'auditor-openapi', role: 'auditor', agencies: ['*'] });
        return {
          method: 'POST' as const,
          url: `/codec/${op}`,
          template: `/codec/${op}`,
          payload: { payloads: [] },
          headers: { authorization: `Bearer ${token}` },
        };
      }),
      {
        method: 'POST',
        url: `/codec/t/${signCodecCredential(testEnv.auth, { sub: 'ui-openapi', ttlSeconds: 600 })}/decode`,
        template: '/codec/t/{token}/decode',
        payload: { payloads: [] },
        headers: {},
      },
      {
        method: 'POST',
        url: '/api/v1/codec/credentials',
        template: '/api/v1/codec/credentials',
        payload: {},
        headers: asUser(AUDITOR),
      },
    ];
    const postRoutes = apiRoutes()
      .filter((r) => r.method === 'POST')
      .map((r) => templateOf(r.url))
      .sort();
    expect(requests.map((r) => r.template).sort()).toEqual(postRoutes);
    for (const r of requests) {
      const res = await h.app.inject({
        method: r.method,
        url: r.url,
        payload: r.payload as object,
        headers: withAuth(r.method, r.url, r.payload, { ...r.headers, ...bad }),
      });
      const honoured = res.statusCode === 400 && res.json().error.code === 'validation.idempotency_key';
      const documented = (doc.paths[r.template].post.parameters ?? []).some(
        (p) => p.in === 'header' && p.name === 'idempotency-key',
      );
      expect({ route: r.template, honoured, documented }).toEqual({
        route: r.template,
        honoured: documented,
        documented,
      });
    }
    // Nothing happened to the cases the bad keys were sent to.
    expect((await get(h, `/api/v1/cases/${offline.body.caseId}`)).body).toMatchObject({
      stage: 'acceptance',
      decisions: [],
    });
    expect((await get(h, `/api/v1/cases/${awaitingSupplement.body.caseId}`)).body).toMatchObject({
      stage: 'awaiting_supplement',
    });
  });
});

describe('real responses validate against the documented response schemas', () => {
  test('a sample of successes and errors from every route has a documented status and matches its schema', async () => {
    const doc = await openApi();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const check = (method: string, template: string, res: { status: number; body: unknown }) => {
      const op = doc.paths[template]?.[method];
      expect({ method, template, documented: Boolean(op) }).toEqual({ method, template, documented: true });
      const response = op.responses[String(res.status)];
      expect({ method, template, status: res.status, documented: Boolean(response) }).toEqual({
        method,
        template,
        status: res.status,
        documented: true,
      });
      const schema = response.content?.['application/json']?.schema;
      const validate = ajv.compile({ ...schema, components: doc.components });
      const valid = validate(res.body);
      expect({ method, template, status: res.status, errors: valid ? null : validate.errors }).toEqual({
        method,
        template,
        status: res.status,
        errors: null,
      });
    };

    const online = await post(h, '/api/v1/enrollments', enrollmentBody());
    expect(online.status).toBe(201);
    check('post', '/api/v1/enrollments', online);
    const offlineId = makeIdNumber();
    const offline = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ channel: 'offline', applicant: { idNumber: offlineId, name: '测试人' } }),
    );
    check('post', '/api/v1/enrollments', offline);
    check(
      'post',
      '/api/v1/enrollments',
      await post(h, '/api/v1/enrollments', { ...enrollmentBody(), agencyCode: 'x' }),
    );
    const open = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber: offlineId, name: '测试人' } }),
    );
    expect(open.status).toBe(409);
    check('post', '/api/v1/enrollments', open);
    const mismatch = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber: offlineId, name: '别人' } }),
    );
    expect(mismatch.status).toBe(422);
    check('post', '/api/v1/enrollments', mismatch);

    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const stopped = await post(
      h,
      '/api/v1/stops',
      stopBody(idNumber, { reason: 'death', effectiveDate: '2025-01-02' }),
    );
    expect(stopped.status).toBe(201);
    check('post', '/api/v1/stops', stopped);
    check('post', '/api/v1/stops', await post(h, '/api/v1/stops', stopBody(makeIdNumber())));

    const caseId = offline.body.caseId as string;
    check('get', '/api/v1/cases/{caseId}', await get(h, `/api/v1/cases/${caseId}`));
    check('get', '/api/v1/cases/{caseId}', await get(h, '/api/v1/cases/stop-620102-2000-999999'));
    check('get', '/api/v1/cases/{caseId}', await get(h, '/api/v1/cases/nonsense'));
    check('get', '/api/v1/cases', await get(h, '/api/v1/cases?agencyCode=620102&limit=5'));
    check('get', '/api/v1/cases', await get(h, '/api/v1/cases?limit=0'));

    const wrongStep = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(wrongStep.status).toBe(409);
    check('post', '/api/v1/cases/{caseId}/decisions', wrongStep);
    const extended = await post(
      h,
      `/api/v1/cases/${caseId}/deadline-extension`,
      { workingDays: 3, reason: '需核实原件' },
      asUser(SUPERVISOR),
    );
    expect(extended.status).toBe(200);
    expect(extended.body.clock).toMatchObject({ extensionWorkingDays: 3, extensionReason: '需核实原件' });
    check('post', '/api/v1/cases/{caseId}/deadline-extension', extended);
    const again = await post(
      h,
      `/api/v1/cases/${caseId}/deadline-extension`,
      { workingDays: 1, reason: '再延' },
      asUser(SUPERVISOR),
    );
    expect(again.status).toBe(422);
    check('post', '/api/v1/cases/{caseId}/deadline-extension', again);
    const accepted = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      staff,
    );
    expect(accepted.status).toBe(200);
    check('post', '/api/v1/cases/{caseId}/decisions', accepted);
    check(
      'post',
      '/api/v1/cases/{caseId}/decisions',
      await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review' }, reviewer),
    );
    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    check('post', '/api/v1/cases/{caseId}/decisions', approved);
    expect(approved.body.decisions).toHaveLength(2);

    const waiting = await post(h, '/api/v1/enrollments', enrollmentBody({ materials: [] }));
    const supplemented = await post(h, `/api/v1/cases/${waiting.body.caseId}/materials`, {
      materials: [{ kind: 'id_card' }],
    });
    expect(supplemented.status).toBe(200);
    check('post', '/api/v1/cases/{caseId}/materials', supplemented);
    check(
      'post',
      '/api/v1/cases/{caseId}/materials',
      await post(h, `/api/v1/cases/${waiting.body.caseId}/materials`, { materials: [{ kind: 'id_card' }] }),
    );

    // The task inbox: list, claim, release, complete, and their errors.
    const acceptor = asUser({ user: 'openapi-acc', role: 'acceptor' });
    const inboxCase = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), acceptor);
    const inboxOf = async (query: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/tasks?${query}`, headers: acceptor });
      return { status: res.statusCode, body: res.json() };
    };
    const listed = await inboxOf(`caseId=${inboxCase.body.caseId}`);
    expect(listed.body.total).toBe(1);
    check('get', '/api/v1/tasks', listed);
    check('get', '/api/v1/tasks', await inboxOf('sort=name'));
    const taskUrl = (action: string) => `/api/v1/tasks/${listed.body.items[0].taskId}/${action}`;
    const claimed = await post(h, taskUrl('claim'), {}, acceptor);
    expect(claimed.status).toBe(200);
    check('post', '/api/v1/tasks/{taskId}/claim', claimed);
    check(
      'post',
      '/api/v1/tasks/{taskId}/claim',
      await post(h, taskUrl('claim'), {}, asUser({ user: 'openapi-acc-2', role: 'acceptor' })),
    );
    check('post', '/api/v1/tasks/{taskId}/release', await post(h, taskUrl('release'), {}, acceptor));
    check(
      'post',
      '/api/v1/tasks/{taskId}/complete',
      await post(h, taskUrl('complete'), { result: 'accept' }, acceptor),
    );
    await post(h, taskUrl('claim'), {}, acceptor);
    check(
      'post',
      '/api/v1/tasks/{taskId}/complete',
      await post(h, taskUrl('complete'), { result: 'approve' }, acceptor),
    );
    const completed = await post(h, taskUrl('complete'), { result: 'accept' }, acceptor);
    expect(completed.status).toBe(200);
    check('post', '/api/v1/tasks/{taskId}/complete', completed);
    check(
      'post',
      '/api/v1/tasks/{taskId}/release',
      await post(h, `/api/v1/tasks/${randomUUID()}/release`, {}, acceptor),
    );

    check('post', '/api/v1/rules/id-number', await post(h, '/api/v1/rules/id-number', { idNumber: makeIdNumber() }));
    check('post', '/api/v1/rules/id-number', await post(h, '/api/v1/rules/id-number', { idNumber: '123' }));
    check('post', '/api/v1/rules/id-number', await post(h, '/api/v1/rules/id-number', { id: '123' }));
    check('get', '/health', await get(h, '/health'));

    // Supervision and evaluation.
    check('get', '/api/v1/service-guide', await get(h, '/api/v1/service-guide'));
    check('get', '/api/v1/service-guide', await get(h, '/api/v1/service-guide?format=pdf'));
    check(
      'get',
      '/api/v1/evaluation',
      await get(h, '/api/v1/evaluation?from=2025-01-01&to=2025-12-31', asUser(SUPERVISOR)),
    );
    check('get', '/api/v1/evaluation', await get(h, '/api/v1/evaluation?from=2025-13-01', asUser(SUPERVISOR)));
    const rated = await post(h, `/api/v1/cases/${online.body.caseId}/rating`, { score: 2, comment: '一般' });
    expect(rated.status).toBe(201);
    check('post', '/api/v1/cases/{caseId}/rating', rated);
    check(
      'post',
      '/api/v1/cases/{caseId}/rating',
      await post(h, `/api/v1/cases/${online.body.caseId}/rating`, { score: 5 }),
    );
    check('get', '/api/v1/cases/{caseId}/rating', await get(h, `/api/v1/cases/${online.body.caseId}/rating`));
    const sent = await post(h, '/api/v1/feedback', { kind: 'complaint', text: 'openapi 投诉' });
    check('post', '/api/v1/feedback', sent);
    check('get', '/api/v1/feedback', await get(h, '/api/v1/feedback?limit=2', asUser(SUPERVISOR)));
    check(
      'post',
      '/api/v1/feedback/{feedbackId}/reply',
      await post(h, `/api/v1/feedback/${sent.body.feedbackId}/reply`, { reply: '已答复' }, asUser(SUPERVISOR)),
    );
    check('get', '/api/v1/policy-changes', await get(h, '/api/v1/policy-changes?limit=1', asUser(SUPERVISOR)));
    const audit = await post(
      h,
      '/api/v1/audits',
      {
        agencyCode: '620102',
        kind: 'routine',
        title: 'openapi',
        query: { procedure: 'enrollment', from: chinaDateOf(Date.now()), to: chinaDateOf(Date.now()) },
      },
      asUser(SUPERVISOR),
    );
    expect(audit.status).toBe(201);
    check('post', '/api/v1/audits', audit);
    check('get', '/api/v1/audits/{auditId}', await get(h, `/api/v1/audits/${audit.body.auditId}`));
    check('get', '/api/v1/audits', await get(h, '/api/v1/audits?agencyCode=620102'));
    check(
      'post',
      '/api/v1/audits/{auditId}/conclusion',
      await post(
        h,
        `/api/v1/audits/${audit.body.auditId}/conclusion`,
        { conclusion: '未发现问题' },
        asUser(SUPERVISOR),
      ),
    );
    check('get', '/api/v1/inspections', await get(h, '/api/v1/inspections'));
    check(
      'get',
      '/api/v1/inspections/{inspectionId}',
      await get(h, '/api/v1/inspections/self-inspection-620102-2001Q1'),
    );
  });
});

describe('POST /api/v1/rules/id-number', () => {
  test('a valid 18-digit number is valid, normalised, with its birth date and sex', async () => {
    const idNumber = makeIdNumber({ birthDate: '1984-07-09', sex: 'female' });
    const res = await post(h, '/api/v1/rules/id-number', { idNumber: ` ${idNumber} ` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, normalized: idNumber, birthDate: '1984-07-09', sex: 'female', errors: [] });
  });

  test('a lowercase x check character is normalised to uppercase', async () => {
    let idNumber = makeIdNumber();
    while (!idNumber.endsWith('X')) idNumber = makeIdNumber();
    const res = await post(h, '/api/v1/rules/id-number', { idNumber: idNumber.toLowerCase() });
    expect(res.body).toMatchObject({ valid: true, normalized: idNumber });
  });

  test('an invalid number lists every problem with its code and gives no normalised form', async () => {
    const first17 = `990102${'2999'}0101123`;
    const wrongCheck = computeCheckDigit(first17) === '0' ? '1' : '0';
    const res = await post(h, '/api/v1/rules/id-number', { idNumber: first17 + wrongCheck });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, normalized: null, birthDate: null, sex: null });
    expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'id_number.region',
      'id_number.birth_date_future',
      'id_number.checksum',
    ]);
    for (const e of res.body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('an old 15-digit number is upgraded to 18 digits with the century and a check digit', async () => {
    const fifteen = '620102850315123';
    const first17 = '62010219850315123';
    const res = await post(h, '/api/v1/rules/id-number', { idNumber: fifteen });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      normalized: first17 + computeCheckDigit(first17),
      birthDate: '1985-03-15',
      sex: 'male',
      errors: [],
    });
  });

  test('a request without idNumber is 400 naming the field', async () => {
    const res = await post(h, '/api/v1/rules/id-number', {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation.required', field: 'idNumber' });
  });
});

describe('GET /api/v1/cases', () => {
  /** A 62xxxx agency code no case uses yet, so counts in it are exact. */
  async function freshAgency(): Promise<string> {
    for (;;) {
      const code = `62${String(randomInt(2000, 10000)).padStart(4, '0')}`;
      const [row] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(cases)
        .where(sql`${cases.agencyCode} = ${code}`);
      if (row.n === 0) return code;
    }
  }

  type Item = {
    caseId: string;
    procedure: string;
    status: string;
    stage: string;
    waitingOn: string | null;
    overdue: boolean;
    agencyCode: string;
  };
  async function list(
    query: string,
  ): Promise<{ total: number; totalCapped: boolean; nextCursor: string | null; items: Item[] }> {
    const res = await get(h, `/api/v1/cases?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  const ids = (r: { items: Item[] }) => r.items.map((i) => i.caseId).sort();

  test('filters by procedure, status, agency, stage, waitingOn and overdue, and pages through the result', async () => {
    const agency = await freshAgency();
    const person1 = makeIdNumber();
    const e1 = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ agencyCode: agency, applicant: { idNumber: person1, name: '测试人' } }),
    );
    expect(e1.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const e2 = await post(h, '/api/v1/enrollments', enrollmentBody({ agencyCode: agency, channel: 'offline' }));
    expect(e2.body).toMatchObject({ status: 'open', waitingOn: 'staff' });
    const s1 = await post(h, '/api/v1/stops', stopBody(person1, { agencyCode: agency, reason: 'voluntary' }));
    expect(s1.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const { idNumber: person3 } = await seedRelation(h, { agencyCode: agency, status: 'contributing' });
    const s2 = await post(h, '/api/v1/stops', stopBody(person3, { agencyCode: agency, channel: 'offline' }));
    expect(s2.body).toMatchObject({ status: 'open', waitingOn: 'reviewer' });
    const [E1, E2, S1, S2] = [e1, e2, s1, s2].map((r) => r.body.caseId as string);

    // E2's same-day deadline passes: move its due instant into the past (its clock keeps running).
    expect(e2.body.clock.state).toBe('running');
    await h.db
      .update(cases)
      .set({ dueAt: new Date(Date.now() - 60_000) })
      .where(sql`${cases.id} = ${E2}`);

    const all = await list(`agencyCode=${agency}`);
    expect(all.total).toBe(4);
    expect(ids(all)).toEqual([E1, E2, S1, S2].sort());
    expect(all.items.every((i) => i.agencyCode === agency)).toBe(true);

    expect(ids(await list(`agencyCode=${agency}&procedure=enrollment`))).toEqual([E1, E2].sort());
    expect(ids(await list(`agencyCode=${agency}&procedure=stop`))).toEqual([S1, S2].sort());
    expect(await list(`agencyCode=${agency}&procedure=transfer_in`)).toEqual({
      total: 0,
      totalCapped: false,
      nextCursor: null,
      items: [],
    });
    expect(ids(await list(`agencyCode=${agency}&status=open`))).toEqual([E2, S2].sort());
    expect(ids(await list(`agencyCode=${agency}&status=closed`))).toEqual([E1, S1].sort());
    const openStops = await list(`agencyCode=${agency}&procedure=stop&status=open`);
    expect(openStops.total).toBe(1);
    expect(openStops.items[0]).toMatchObject({
      caseId: S2,
      procedure: 'stop',
      status: 'open',
      stage: 'review',
      waitingOn: 'reviewer',
      overdue: false,
    });
    expect(ids(await list(`agencyCode=${agency}&waitingOn=staff`))).toEqual([E2]);
    expect(ids(await list(`agencyCode=${agency}&stage=closed`))).toEqual([E1, S1].sort());

    const overdue = await list(`agencyCode=${agency}&overdue=true`);
    expect(overdue.total).toBe(1);
    expect(overdue.items[0]).toMatchObject({ caseId: E2, overdue: true });
    expect(ids(await list(`agencyCode=${agency}&overdue=false`))).toEqual([E1, S1, S2].sort());
    expect((await get(h, `/api/v1/cases/${E2}`)).body.overdue).toBe(true);

    const page1 = await list(`agencyCode=${agency}&limit=3&offset=0`);
    const page2 = await list(`agencyCode=${agency}&limit=3&offset=3`);
    expect(page1.total).toBe(4);
    expect(page2.total).toBe(4);
    expect(page1.items).toHaveLength(3);
    expect(page2.items).toHaveLength(1);
    // Newest first: the last case received opens the first page.
    expect(page1.items.map((i) => i.caseId)).toEqual([S2, S1, E2]);
    expect(page2.items.map((i) => i.caseId)).toEqual([E1]);
    expect(await list(`agencyCode=${agency}&limit=3&offset=4`)).toEqual({
      total: 4,
      totalCapped: false,
      nextCursor: null,
      items: [],
    });
    // By cursor: the first page names the next, which is the second page.
    expect(page1.nextCursor).toEqual(expect.any(String));
    expect(page2.nextCursor).toBeNull();
    const byCursor = await list(`agencyCode=${agency}&limit=3&cursor=${encodeURIComponent(page1.nextCursor!)}`);
    expect(byCursor).toEqual(page2);
  });

  test('an overdue filter does not count a closed case whose due instant has passed', async () => {
    const agency = await freshAgency();
    const closed = await post(h, '/api/v1/enrollments', enrollmentBody({ agencyCode: agency }));
    expect(closed.body.status).toBe('closed');
    await h.db
      .update(cases)
      .set({ dueAt: new Date(Date.now() - 60_000) })
      .where(sql`${cases.id} = ${closed.body.caseId}`);
    expect(await list(`agencyCode=${agency}&overdue=true`)).toEqual({
      total: 0,
      totalCapped: false,
      nextCursor: null,
      items: [],
    });
    expect((await list(`agencyCode=${agency}&overdue=false`)).total).toBe(1);
  });

  test.each([
    ['limit=0', 'querystring.limit'],
    ['limit=201', 'querystring.limit'],
    ['offset=-1', 'querystring.offset'],
    ['overdue=maybe', 'querystring.overdue'],
    ['procedure=pension', 'querystring.procedure'],
    ['status=pending', 'querystring.status'],
    ['agencyCode=62', 'querystring.agencyCode'],
    ['colour=red', 'querystring.colour'],
    ['stage=%00', 'querystring.stage'],
  ])('a bad filter "%s" is 400 naming %s', async (query, field) => {
    const res = await get(h, `/api/v1/cases?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  test("filters match the person's cases only through the case, never by ID number", async () => {
    const { idNumber } = await seedPerson(h);
    const res = await get(h, `/api/v1/cases?idNumber=${idNumber}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation.additionalProperties', field: 'querystring.idNumber' });
  });
});
