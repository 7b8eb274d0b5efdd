/**
 * The codec server of the Temporal Web UI (api/routes/codec.ts), on the real API with the run's
 * payload key: auditors and supervisors decode and encode; every other role is refused and the
 * refusal recorded; CORS for the UI origins; the decode-only credential in the path (never an API
 * token); malformed bodies 400.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { buildApp, type App } from '../../../api/app';
import { ROLES, signCodecCredential, type Role } from '../../../api/auth/tokens';
import { createDb, type DbHandle } from '../../../db/client';
import { auditRefusals } from '../../../db/schema';
import { EncryptionCodec, parsePayloadKeys } from '../../../workers/payload-codec';
import { asUser, tokenFor } from '../../helpers/auth';
import { testDataConverter, testPayloadKeys } from '../../helpers/codec';
import { testEnv, uniqueName } from '../../helpers/env';

let app: App;
let database: DbHandle;
/** The run this API belongs to (the run command passes its own). */
const RUN = 'run-of-this-test';
let connection: Connection;

beforeAll(async () => {
  database = createDb(testEnv.databaseUrl, { max: 2 });
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
  app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: uniqueName('tq'),
    personKeySecret: testEnv.personKeySecret,
    auth: testEnv.auth,
    assertions: testEnv.assertions,
    supplementWorkingDays: 10,
    codecRun: RUN,
  });
});
afterAll(async () => {
  await app?.close();
  await connection?.close();
  await database?.close();
});

const person = { idNumber: '620102198005120013', name: '李四', phone: '13812345678' };
const codec = () => new EncryptionCodec(testPayloadKeys());

interface JSONPayload {
  metadata?: Record<string, string>;
  data?: string;
}

function payloadToJSON(p: Payload): JSONPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

async function encryptedJson(value: unknown): Promise<JSONPayload> {
  const [payload] = await codec().encode([defaultPayloadConverter.toPayload(value)]);
  return payloadToJSON(payload);
}

function decodeJson(json: JSONPayload): unknown {
  const metadata = Object.fromEntries(
    Object.entries(json.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  );
  return defaultPayloadConverter.fromPayload({ metadata, data: Buffer.from(json.data ?? '', 'base64') });
}

/** The value of flexpension_auth_anonymous_refusals_total for a code, from GET /metrics. */
async function anonymousRefusals(code: string): Promise<number> {
  const res = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: asUser({ user: 'metrics-reader', role: 'auditor', agencies: ['*'] }),
  });
  const line = res.body
    .split('\n')
    .find((l) => l.startsWith(`flexpension_auth_anonymous_refusals_total{code="${code}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function refusalsOf(actorId: string) {
  return database.db.select().from(auditRefusals).where(eq(auditRefusals.actorId, actorId));
}

const UI = 'http://localhost:8233';

describe('POST /codec/decode and /codec/encode', () => {
  test.each(['auditor', 'supervisor'] as const)(
    'role %s decodes what the system encrypted, and encodes for the UI',
    async (role) => {
      const user = uniqueName(role);
      const decoded = await app.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: { ...asUser({ user, role, agencies: ['*'] }), 'x-namespace': 'default', origin: UI },
        payload: { payloads: [await encryptedJson(person)] },
      });
      expect(decoded.statusCode).toBe(200);
      expect(decoded.headers['access-control-allow-origin']).toBe(UI);
      const body = decoded.json<{ payloads: JSONPayload[] }>();
      expect(decodeJson(body.payloads[0])).toEqual(person);

      const plain = payloadToJSON(defaultPayloadConverter.toPayload(person));
      const encoded = await app.inject({
        method: 'POST',
        url: '/codec/encode',
        headers: { ...asUser({ user, role, agencies: ['*'] }), 'x-namespace': 'default' },
        payload: { payloads: [plain] },
      });
      expect(encoded.statusCode).toBe(200);
      const [encrypted] = encoded.json<{ payloads: JSONPayload[] }>().payloads;
      expect(Buffer.from(encrypted.metadata?.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
      expect(encrypted.data).not.toBe(plain.data);
      // What the server encoded, the system's own codec decodes.
      const [back] = await codec().decode([
        {
          metadata: Object.fromEntries(
            Object.entries(encrypted.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
          ),
          data: Buffer.from(encrypted.data ?? '', 'base64'),
        },
      ]);
      expect(defaultPayloadConverter.fromPayload(back)).toEqual(person);
    },
  );

  const refused = ROLES.filter((r) => r !== 'auditor' && r !== 'supervisor');
  test.each(refused)(
    'role %s is refused with 403, recorded in audit_refusals, and sees no plaintext',
    async (role: Role) => {
      const user = uniqueName(role);
      const res = await app.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: { ...asUser({ user, role }), 'x-namespace': 'default', origin: UI },
        payload: { payloads: [await encryptedJson(person)] },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'auth.forbidden_role' } });
      expect(res.body).not.toContain(person.name);
      // The UI can read the refusal (CORS headers on errors too).
      expect(res.headers['access-control-allow-origin']).toBe(UI);
      const rows = await refusalsOf(user);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorRole: role, action: 'POST /codec/decode', code: 'auth.forbidden_role' });
    },
  );

  test('without a token: 401, counted in the metrics rather than recorded row by row', async () => {
    const before = await database.db
      .select()
      .from(auditRefusals)
      .where(and(eq(auditRefusals.action, 'POST /codec/encode'), eq(auditRefusals.code, 'auth.missing_token')));
    const counted = await anonymousRefusals('auth.missing_token');
    const res = await app.inject({ method: 'POST', url: '/codec/encode', payload: { payloads: [] } });
    expect(res.statusCode).toBe(401);
    const after = await database.db
      .select()
      .from(auditRefusals)
      .where(and(eq(auditRefusals.action, 'POST /codec/encode'), eq(auditRefusals.code, 'auth.missing_token')));
    expect(after.length).toBe(before.length);
    expect(await anonymousRefusals('auth.missing_token')).toBe(counted + 1);
  });

  test('malformed bodies are 400 with a stable code', async () => {
    const headers = asUser({ user: uniqueName('auditor'), role: 'auditor', agencies: ['*'] });
    const cases: Array<{ payload: string; code: RegExp }> = [
      { payload: '{"payloads": [', code: /^request\.malformed_json$/ },
      { payload: '{}', code: /^validation\./ },
      { payload: '{"payloads": "x"}', code: /^validation\./ },
      { payload: '{"payloads": [{"data": "not base64!"}]}', code: /^validation\./ },
      { payload: '{"payloads": [{"metadata": {"encoding": 5}}]}', code: /^validation\./ },
    ];
    for (const c of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: c.payload,
      });
      expect({ payload: c.payload, status: res.statusCode }).toEqual({ payload: c.payload, status: 400 });
      expect(res.json<{ error: { code: string } }>().error.code).toMatch(c.code);
    }
  });

  test("a payload the keys cannot decrypt (altered, or another installation's key) is 400 codec.decode_failed", async () => {
    const headers = asUser({ user: uniqueName('auditor'), role: 'auditor', agencies: ['*'] });
    const tampered = await encryptedJson(person);
    const data = Buffer.from(tampered.data ?? '', 'base64');
    data[data.length - 1] ^= 1;
    const [foreign] = await new EncryptionCodec(parsePayloadKeys(`elsewhere:${'ab'.repeat(32)}`)).encode([
      defaultPayloadConverter.toPayload(person),
    ]);
    for (const payload of [{ ...tampered, data: data.toString('base64') }, payloadToJSON(foreign)]) {
      const res = await app.inject({ method: 'POST', url: '/codec/decode', headers, payload: { payloads: [payload] } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'codec.decode_failed', field: 'payloads' } });
    }
  });
});

describe('CORS preflight of the Web UI', () => {
  test.each(['/codec/decode', '/codec/encode', '/codec/t/some-credential/decode'])(
    'OPTIONS %s from a UI origin allows POST with Authorization, Content-Type and X-Namespace',
    async (url) => {
      for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
        const res = await app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type,x-namespace',
          },
        });
        expect(res.statusCode).toBe(204);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(res.headers['access-control-allow-credentials']).toBe('true');
        expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
        const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
        expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
      }
    },
  );

  test('another origin gets no CORS headers', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const post = await app.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: {
        ...asUser({ user: uniqueName('auditor'), role: 'auditor', agencies: ['*'] }),
        origin: 'http://evil.example',
      },
      payload: { payloads: [] },
    });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('CODEC_CORS_ORIGINS replaces the defaults', async () => {
    const client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
    const other = await buildApp({
      db: database.db,
      temporal: client,
      taskQueue: 'tq',
      personKeySecret: testEnv.personKeySecret,
      auth: testEnv.auth,
      assertions: testEnv.assertions,
      supplementWorkingDays: 10,
      codecCorsOrigins: ['https://temporal-ui.agency.example'],
    });
    try {
      const ok = await other.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: { origin: 'https://temporal-ui.agency.example', 'access-control-request-method': 'POST' },
      });
      expect(ok.headers['access-control-allow-origin']).toBe('https://temporal-ui.agency.example');
      const dev = await other.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: { origin: UI, 'access-control-request-method': 'POST' },
      });
      expect(dev.statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe('decode-only credential in the path (/codec/t/:credential/decode)', () => {
  test('a codec credential from POST /api/v1/codec/credentials decodes, and is no API token', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: '/api/v1/codec/credentials',
      headers: asUser({ user: uniqueName('auditor'), role: 'auditor', agencies: ['*'] }),
      payload: { ttlSeconds: 3600 },
    });
    expect(issued.statusCode).toBe(201);
    const { credential, path, expiresAt } = issued.json<{ credential: string; path: string; expiresAt: string }>();
    expect(path).toBe(`/codec/t/${credential}`);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(3600_000);
    const res = await app.inject({
      method: 'POST',
      url: `${path}/decode`,
      headers: { origin: UI, 'x-namespace': 'default' },
      payload: { payloads: [await encryptedJson(person)] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(decodeJson(res.json<{ payloads: JSONPayload[] }>().payloads[0])).toEqual(person);
    // Not a bearer token of the API: it reads no case, no archive, no codec encode.
    for (const [method, url] of [
      ['GET', '/api/v1/cases?limit=1'],
      ['GET', '/api/v1/archives/enrollment-620102-2026-000001'],
      ['POST', '/codec/encode'],
    ] as const) {
      const other = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${credential}` },
        ...(method === 'POST' ? { payload: { payloads: [] } } : {}),
      });
      expect({ url, status: other.statusCode, code: other.json<{ error: { code: string } }>().error.code }).toEqual({
        url,
        status: 401,
        code: 'auth.wrong_issuer',
      });
    }
    // Nor is there an encode with it.
    expect((await app.inject({ method: 'POST', url: `${path}/encode`, payload: { payloads: [] } })).statusCode).toBe(
      404,
    );
  });

  test('an API token in the path is refused: the path takes codec credentials only', async () => {
    const token = tokenFor({ user: uniqueName('ui'), role: 'auditor', agencies: ['*'] });
    const res = await app.inject({
      method: 'POST',
      url: `/codec/t/${token}/decode`,
      payload: { payloads: [await encryptedJson(person)] },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'auth.wrong_issuer', field: 'token' } });
    expect(res.body).not.toContain(person.name);
  });

  test('a credential of another run, one living longer than 12 hours, a forged or an expired one is 401, counted', async () => {
    const ofThisRun = signCodecCredential(testEnv.auth, {
      sub: 'temporal-ui-local',
      ttlSeconds: 7 * 24 * 3600,
      run: RUN,
    });
    expect(
      (await app.inject({ method: 'POST', url: `/codec/t/${ofThisRun}/decode`, payload: { payloads: [] } })).statusCode,
    ).toBe(200);
    const good = signCodecCredential(testEnv.auth, { sub: 'ui', ttlSeconds: 3600 });
    const bad = [
      signCodecCredential(testEnv.auth, { sub: 'temporal-ui-local', ttlSeconds: 3600, run: 'an-earlier-run' }),
      signCodecCredential(testEnv.auth, { sub: 'ui', ttlSeconds: 30 * 24 * 3600 }),
      `${good.slice(0, -4)}AAAA`,
      signCodecCredential(testEnv.auth, { sub: 'ui', ttlSeconds: 60, now: Date.now() - 3600_000 }),
      'not-a-credential',
    ];
    for (const credential of bad) {
      const before = await database.db
        .select()
        .from(auditRefusals)
        .where(eq(auditRefusals.action, 'POST /codec/t/:token/decode'));
      const res = await app.inject({ method: 'POST', url: `/codec/t/${credential}/decode`, payload: { payloads: [] } });
      expect(res.statusCode).toBe(401);
      const after = await database.db
        .select()
        .from(auditRefusals)
        .where(eq(auditRefusals.action, 'POST /codec/t/:token/decode'));
      expect(after.length).toBe(before.length);
    }
  });
});
