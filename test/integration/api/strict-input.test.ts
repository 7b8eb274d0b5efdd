/**
 * Input that used to answer 500 or be taken leniently (issue 13, findings 8, 9, 11): each is now a
 * 4xx in the `{ error: { code, message, field? } }` shape, at once, with nothing written; plus
 * idempotency keys bound to their caller and body. Every request here fails the test on a 5xx.
 */
import net from 'node:net';
import { and, eq } from 'drizzle-orm';
import { cases, decisions as caseDecisions, persons } from '../../../db/schema';
import { ACCEPTOR, asUser, REVIEWER, SUPERVISOR, type TestUser } from '../../helpers/auth';
import { makeIdNumber, uniqueName } from '../../helpers/env';
import { countCasesOf, enrollmentBody, postRaw, staff, stopBody } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness();
  // A real socket: 414 and 431 come from the HTTP parser and the router, which inject() skips.
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = Number(new URL(address).port);
});
afterAll(async () => {
  await h?.stop();
});

type ErrorBody = { error: { code: string; message: string; field?: string } };

async function send(
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  as: TestUser = ACCEPTOR,
  headers: Record<string, string> = {},
) {
  const res = await h.app.inject({
    method,
    url,
    headers: { ...asUser(as), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  });
  if (res.statusCode >= 500) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return { status: res.statusCode, body: res.json<ErrorBody & Record<string, unknown>>() };
}

/** One raw HTTP/1.1 exchange; returns the status line's code and the body. */
function rawHttp(request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(request);
  });
}

function expectShape(body: unknown, code: string, field?: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String), ...(field ? { field } : {}) } });
}

describe('input that answered 500', () => {
  test('a 10,000-deep nested JSON body is 400 request.too_deep, measured before parsing, and writes nothing', async () => {
    const body = enrollmentBody();
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const started = Date.now();
    const res = await postRaw(h, '/api/v1/enrollments', JSON.stringify(body).replace(/}$/, `,"extra":${deep}}`));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(400);
    expectShape(res.body, 'request.too_deep', 'body');
    expect(await countCasesOf(h, body.applicant.idNumber)).toBe(0);
    // Brackets inside strings are text, not nesting.
    const text = await postRaw(h, '/api/v1/rules/id-number', JSON.stringify({ idNumber: '['.repeat(20) }));
    expect(text.status).toBe(200);
    expect(text.body).toMatchObject({ valid: false });
  });

  test('an offset of 10^20 on /cases and /tasks is 400 naming the offset', async () => {
    for (const url of ['/api/v1/cases?offset=100000000000000000000', '/api/v1/tasks?offset=100000000000000000000']) {
      const res = await send('GET', url, undefined, SUPERVISOR);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation.maximum', field: 'querystring.offset' });
    }
  });

  test('a deadline counted from 9999-12-31 is 400 validation.date_range', async () => {
    const res = await send('GET', '/api/v1/calendar/deadline?from=9999-12-31&workingDays=366');
    expect(res.status).toBe(400);
    expectShape(res.body, 'validation.date_range', 'from');
    expect((await send('GET', '/api/v1/calendar/working-days?from=2026-01-01&to=9999-12-31')).body.error).toMatchObject(
      { code: 'validation.date_range', field: 'to' },
    );
  });

  test('publishing a calendar year two or more before the first is 422 calendar.year_gap and creates no version', async () => {
    const versions = await send('GET', '/api/v1/calendar/versions');
    const latest = (versions.body as unknown as Array<{ version: number; firstYear: number }>)[0];
    const year = Math.max(latest.firstYear - 2, 2000);
    const res = await send(
      'POST',
      '/api/v1/calendar/years',
      { year, holidays: [`${year}-01-01`], makeupWorkdays: [], source: '国办发明电〔测试〕' },
      SUPERVISOR,
    );
    expect(res.status).toBe(422);
    expectShape(res.body, 'calendar.year_gap', 'year');
    expect(
      ((await send('GET', '/api/v1/calendar/versions')).body as unknown as Array<{ version: number }>)[0].version,
    ).toBe(latest.version);
  });

  test('concurrent first applications of a new person never collide on the person key: one case, the rest 409, no 500', async () => {
    for (let round = 0; round < 6; round += 1) {
      const idNumber = makeIdNumber();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          send(
            'POST',
            '/api/v1/enrollments',
            enrollmentBody({ channel: 'offline', applicant: { idNumber, name: '并发人' } }),
          ),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(await h.db.select({ id: persons.id }).from(persons).where(eq(persons.idNumber, idNumber))).toHaveLength(1);
    }
  });
});

describe('no lenient input', () => {
  const cases_: Array<{ what: string; url: string; body: () => unknown; as?: TestUser; code: string; field: string }> =
    [
      {
        what: 'an agency code sent as a number',
        url: '/api/v1/enrollments',
        body: () => ({ ...enrollmentBody({ channel: 'offline' }), agencyCode: 620102 }),
        code: 'validation.type',
        field: 'agencyCode',
      },
      {
        what: 'a single material where an array is expected',
        url: '/api/v1/enrollments',
        body: () => ({ ...enrollmentBody({ channel: 'offline' }), materials: { kind: 'id_card' } }),
        code: 'validation.type',
        field: 'materials',
      },
      {
        what: 'an ID number that is null',
        url: '/api/v1/stops',
        body: () => ({ ...stopBody(makeIdNumber()), channel: 'offline', idNumber: null }),
        code: 'validation.type',
        field: 'idNumber',
      },
      {
        what: 'a contribution count of 1e20',
        url: '/api/v1/rules/pension',
        body: () => ({
          baseWage: '7594',
          averageIndex: '1',
          contributionMonths: 1e20,
          deemedMonths: 0,
          accountBalance: '0',
          age: { years: 60, months: 0 },
        }),
        code: 'validation.maximum',
        field: 'contributionMonths',
      },
      {
        what: 'a name with a right-to-left override',
        url: '/api/v1/enrollments',
        body: () => enrollmentBody({ channel: 'offline', applicant: { idNumber: makeIdNumber(), name: '张\u202e三' } }),
        code: 'validation.control_character',
        field: 'applicant.name',
      },
      {
        what: 'a name with a bell character',
        url: '/api/v1/enrollments',
        body: () => enrollmentBody({ channel: 'offline', applicant: { idNumber: makeIdNumber(), name: '张\u0007三' } }),
        code: 'validation.control_character',
        field: 'applicant.name',
      },
      {
        what: 'a name with a first-strong isolate',
        url: '/api/v1/enrollments',
        body: () => enrollmentBody({ channel: 'offline', applicant: { idNumber: makeIdNumber(), name: '\u2068张三' } }),
        code: 'validation.control_character',
        field: 'applicant.name',
      },
    ];
  test.each(cases_)('$what is 400 $code naming $field, and nothing is written', async (c) => {
    const body = c.body() as { applicant?: { idNumber: string } };
    const res = await send('POST', c.url, body, c.as);
    expect(res.status).toBe(400);
    expectShape(res.body, c.code, c.field);
    expect(res.body.error.message).toContain(c.field);
    if (body.applicant) expect(await countCasesOf(h, body.applicant.idNumber)).toBe(0);
  });

  test('a decision whose reason is false is 400, not stored as "false"', async () => {
    const created = await send('POST', '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }));
    const caseId = created.body.caseId as string;
    const res = await send('POST', `/api/v1/cases/${caseId}/decisions`, {
      step: 'acceptance',
      result: 'accept',
      reason: false,
    });
    expect(res.status).toBe(400);
    expectShape(res.body, 'validation.type', 'reason');
    expect(await h.db.select().from(caseDecisions).where(eq(caseDecisions.caseId, caseId))).toEqual([]);
  });

  test('a query string still reads numbers and booleans, but not a number where text is expected twice', async () => {
    expect((await send('GET', '/api/v1/cases?limit=5&overdue=false', undefined, SUPERVISOR)).status).toBe(200);
    const twice = await send('GET', '/api/v1/cases?agencyCode=620102&agencyCode=620105', undefined, SUPERVISOR);
    expect(twice.status).toBe(400);
    expect(twice.body.error.field).toBe('querystring.agencyCode');
  });

  test('a body over 1 MiB is 413 in the error shape', async () => {
    const res = await postRaw(h, '/api/v1/rules/id-number', JSON.stringify({ idNumber: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expectShape(res.body, 'request.body_too_large', 'body');
  });

  test('a request target over 4 KiB is 414, a path parameter over 2 KiB is 414, both in the error shape', async () => {
    const long = await send('GET', `/api/v1/cases?stage=${'a'.repeat(5000)}`, undefined, SUPERVISOR);
    expect(long.status).toBe(414);
    expectShape(long.body, 'request.uri_too_long');
    const param = await fetch(`http://127.0.0.1:${port}/codec/t/${'a'.repeat(3000)}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"payloads":[]}',
    });
    expect(param.status).toBe(414);
    expectShape(await param.json(), 'request.uri_too_long');
  });

  test('a header section over the limit is 431 in the error shape, from the HTTP parser itself', async () => {
    const res = await rawHttp(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expectShape(JSON.parse(res.body), 'request.headers_too_large');
    const garbage = await rawHttp('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expectShape(JSON.parse(garbage.body), 'request.malformed');
  });
});

describe('Idempotency-Key bound to caller and body', () => {
  test("another user's request with the same key and another body is that user's own request; the same user with another body is 422 idempotency.mismatch", async () => {
    const created = await send('POST', '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }));
    const caseId = created.body.caseId as string;
    const key = uniqueName('key');
    const accept = await send(
      'POST',
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      ACCEPTOR,
      { 'idempotency-key': key },
    );
    expect(accept.status).toBe(200);
    // Repeated by the same acceptor: the same answer, recorded once.
    expect(
      (
        await send('POST', `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, ACCEPTOR, {
          'idempotency-key': key,
        })
      ).status,
    ).toBe(200);
    // The same acceptor, the same key, another body: refused, nothing recorded.
    const mismatch = await send(
      'POST',
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'incomplete', items: [{ code: 'identity_document' }] },
      ACCEPTOR,
      { 'idempotency-key': key },
    );
    expect(mismatch.status).toBe(422);
    expectShape(mismatch.body, 'idempotency.mismatch', 'Idempotency-Key');
    // A reviewer sending a different body under the same key text: their own decision, recorded.
    const review = await send(
      'POST',
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      REVIEWER,
      { 'idempotency-key': key },
    );
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const decisions = await h.db
      .select({ step: caseDecisions.step, actorId: caseDecisions.actorId })
      .from(caseDecisions)
      .where(eq(caseDecisions.caseId, caseId));
    expect(decisions).toEqual([
      { step: 'acceptance', actorId: ACCEPTOR.user },
      { step: 'review', actorId: REVIEWER.user },
    ]);
    const [row] = await h.db
      .select({ status: cases.status })
      .from(cases)
      .where(and(eq(cases.id, caseId)));
    expect(row.status).toBe('closed');
  });

  test('an application repeated by another caller with the same key text is not answered with the first caller’s case', async () => {
    const key = uniqueName('key');
    const first = await send('POST', '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), ACCEPTOR, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(201);
    const otherClerk: TestUser = { user: 'clerk-02', role: 'acceptor', agencies: ['620102'] };
    const second = await send('POST', '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }), otherClerk, {
      'idempotency-key': key,
    });
    expect(second.status).toBe(201);
    expect(second.body.caseId).not.toBe(first.body.caseId);
  });
});

test('the default caller helpers still carry a token (sanity)', () => {
  expect(staff.authorization).toMatch(/^Bearer /);
});
