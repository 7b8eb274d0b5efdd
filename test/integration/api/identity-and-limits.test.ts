/**
 * Tokens of an agency's OpenID Connect provider (RS256, ES256 from its JWKS, with jose), the
 * rate limits per user and per address (@fastify/rate-limit), the Prometheus metrics of the API
 * (prom-client) and of the worker's Temporal SDK runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { buildApp, type App } from '../../../api/app';
import { freePort } from '../../../composition/local/ports';
import type { TokenSettings } from '../../../api/auth/tokens';
import { createDb, type DbHandle } from '../../../db/client';
import { asUser, AUDITOR, tokenFor } from '../../helpers/auth';
import { testDataConverter } from '../../helpers/codec';
import { testEnv, uniqueName } from '../../helpers/env';
import { eventually } from '../../helpers/wait';

let database: DbHandle;
let connection: Connection;
let client: Client;
let idp: http.Server;
let idpUrl: string;
const keys: { rsa?: CryptoKey; ec?: CryptoKey; stranger?: CryptoKey } = {};
const apps: App[] = [];

beforeAll(async () => {
  database = createDb(testEnv.databaseUrl, { max: 2 });
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
  // A stand-in identity provider: discovery document and JWKS over HTTP.
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  keys.rsa = rsa.privateKey;
  keys.ec = ec.privateKey;
  keys.stranger = (await generateKeyPair('RS256')).privateKey;
  const jwks: { keys: JWK[] } = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  };
  idp = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/realms/gansu/.well-known/openid-configuration')
      res.end(JSON.stringify({ issuer: idpUrl, jwks_uri: `${idpUrl}/protocol/openid-connect/certs` }));
    else if (req.url === '/realms/gansu/protocol/openid-connect/certs') res.end(JSON.stringify(jwks));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/gansu`;
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await new Promise((resolve) => idp?.close(resolve));
  await connection?.close();
  await database?.close();
});

async function appWith(
  o: { auth?: TokenSettings; rateLimit?: { perTokenPerMinute: number; anonymousPerMinute: number } } = {},
): Promise<App> {
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: uniqueName('tq'),
    personKeySecret: testEnv.personKeySecret,
    auth: o.auth ?? testEnv.auth,
    assertions: testEnv.assertions,
    supplementWorkingDays: 10,
    rateLimit: o.rateLimit ?? { perTokenPerMinute: 1_000_000, anonymousPerMinute: 1_000_000 },
  });
  apps.push(app);
  return app;
}

const oidc = (over: Partial<NonNullable<TokenSettings['oidc']>> = {}): TokenSettings => ({
  ...testEnv.auth,
  oidc: {
    issuer: idpUrl,
    audience: 'flex-pension-api',
    roleClaim: 'realm_access.roles',
    agenciesClaim: 'agencies',
    userClaim: 'preferred_username',
    ...over,
  },
});

async function idpToken(
  key: CryptoKey,
  alg: 'RS256' | 'ES256',
  kid: string,
  claims: Record<string, unknown> = {},
  issuer = idpUrl,
): Promise<string> {
  return new SignJWT({
    preferred_username: 'reviewer-kc-01',
    realm_access: { roles: ['offline_access', 'reviewer'] },
    agencies: '620102',
    ...claims,
  })
    .setProtectedHeader({ alg, kid })
    .setIssuer(issuer)
    .setAudience('flex-pension-api')
    .setSubject('0f3c-uuid-of-keycloak')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

describe("the agency's OpenID Connect provider", () => {
  test('RS256 and ES256 access tokens from its JWKS are accepted, with the role and agencies of the configured claims', async () => {
    const app = await appWith({ auth: oidc({ jwksUrl: `${idpUrl}/protocol/openid-connect/certs` }) });
    for (const token of [await idpToken(keys.rsa!, 'RS256', 'rsa-1'), await idpToken(keys.ec!, 'ES256', 'ec-1')]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?limit=1',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
    }
    // The agency comes from the token: another agency's list is refused.
    const elsewhere = await app.inject({
      method: 'GET',
      url: '/api/v1/tasks?agencyCode=620105',
      headers: { authorization: `Bearer ${await idpToken(keys.rsa!, 'RS256', 'rsa-1')}` },
    });
    expect(elsewhere.statusCode).toBe(403);
    // The API's own HS256 tokens still work beside them.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/tasks?limit=1',
          headers: asUser({ user: 'r', role: 'reviewer' }),
        })
      ).statusCode,
    ).toBe(200);
  });

  test('without a configured JWKS URL it is discovered from the issuer', async () => {
    const app = await appWith({ auth: oidc() });
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/tasks?limit=1',
      headers: { authorization: `Bearer ${await idpToken(keys.ec!, 'ES256', 'ec-1')}` },
    });
    expect(res.statusCode).toBe(200);
  });

  test('a key the provider does not publish, another issuer, no known role or two roles are refused with their codes', async () => {
    const app = await appWith({ auth: oidc({ jwksUrl: `${idpUrl}/protocol/openid-connect/certs` }) });
    const cases: Array<[Promise<string>, string]> = [
      [idpToken(keys.stranger!, 'RS256', 'rsa-1'), 'auth.bad_signature'],
      [idpToken(keys.rsa!, 'RS256', 'rsa-1', {}, 'https://other-idp.example/realms/x'), 'auth.wrong_issuer'],
      [idpToken(keys.rsa!, 'RS256', 'rsa-1', { realm_access: { roles: ['offline_access'] } }), 'auth.unknown_role'],
      [
        idpToken(keys.rsa!, 'RS256', 'rsa-1', { realm_access: { roles: ['reviewer', 'supervisor'] } }),
        'auth.unknown_role',
      ],
    ];
    for (const [token, code] of cases) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/tasks?limit=1',
        headers: { authorization: `Bearer ${await token}` },
      });
      expect({ status: res.statusCode, code: res.json<{ error: { code: string } }>().error.code }).toEqual({
        status: 401,
        code,
      });
    }
  });

  test('without an OIDC provider configured, RS256 tokens are refused as the wrong algorithm', async () => {
    const app = await appWith();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/tasks?limit=1',
      headers: { authorization: `Bearer ${await idpToken(keys.rsa!, 'RS256', 'rsa-1')}` },
    });
    expect(res.json()).toMatchObject({ error: { code: 'auth.bad_algorithm' } });
  });
});

describe('rate limits', () => {
  test('callers without a valid token are limited per address, verified callers per user; 429 in the error shape, counted', async () => {
    const app = await appWith({ rateLimit: { perTokenPerMinute: 5, anonymousPerMinute: 3 } });
    const anonymous = [];
    for (let i = 0; i < 5; i += 1)
      anonymous.push(
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/cases',
            headers: { authorization: 'Bearer forged.forged.forged' },
          })
        ).statusCode,
      );
    expect(anonymous).toEqual([401, 401, 401, 429, 429]);
    const limited = await app.inject({ method: 'GET', url: '/health' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('3') } });
    expect(limited.headers['retry-after']).toBeDefined();

    const mine = [];
    for (let i = 0; i < 6; i += 1)
      mine.push(
        (
          await app.inject({
            method: 'GET',
            url: '/api/v1/cases?limit=1',
            headers: asUser({ user: 'busy-clerk', role: 'supervisor' }),
          })
        ).statusCode,
      );
    expect(mine).toEqual([200, 200, 200, 200, 200, 429]);
    // Someone else, from the same address, is not held up by either.
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: asUser(AUDITOR) });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/^flexpension_rate_limited_total\{caller="anonymous"\} 3$/m);
    expect(metrics.body).toMatch(/^flexpension_rate_limited_total\{caller="user"\} 1$/m);
    expect(metrics.body).toMatch(/^flexpension_auth_anonymous_refusals_total\{code="auth\.malformed_token"\} 3$/m);
  });
});

describe('Prometheus metrics', () => {
  test('the API exports its process, its requests and the case figures in the Prometheus format', async () => {
    const app = await appWith();
    await app.inject({ method: 'GET', url: '/api/v1/cases?limit=1', headers: asUser(AUDITOR) });
    const res = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${tokenFor(AUDITOR)}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    for (const name of [
      'flexpension_api_process_cpu_seconds_total',
      'flexpension_api_nodejs_eventloop_lag_seconds',
      'flexpension_http_request_duration_seconds_bucket',
      '# TYPE flexpension_cases_open gauge',
    ]) {
      expect(res.body).toContain(name);
    }
    expect(res.body).toMatch(
      /flexpension_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases",status="200"\} 1/,
    );
  });

  test("the production worker exports the Temporal SDK's runtime metrics: task slots, schedule-to-start latency, sticky cache", async () => {
    const port = await freePort();
    const taskQueue = uniqueName('metrics-tq');
    const root = path.join(__dirname, '..', '..', '..');
    const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: testEnv.databaseUrl,
        TEMPORAL_ADDRESS: testEnv.temporalAddress,
        TEMPORAL_TASK_QUEUE: taskQueue,
        PLATFORM_URL: testEnv.platformUrl,
        GOVERNMENT_URL: testEnv.governmentUrl,
        PAYLOAD_KEYS: process.env.TEST_PAYLOAD_KEYS,
        WORKFLOW_BUNDLE: testEnv.workflowBundlePath,
        WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
        ASSERTION_PUBLIC_KEYS: Object.entries(testEnv.assertionPublicKeys)
          .map(([kid, hex]) => `${kid}:${hex}`)
          .join(','),
        LOG_LEVEL: 'warn',
      },
    });
    let stderr = '';
    worker.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const scrape = () =>
        fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
      const first = await eventually(scrape, (t) => t.includes('temporal_worker_task_slots_available'), 60_000);
      // The worker's stderr, should it not have come up.
      expect(first.includes('temporal_worker_task_slots_available') ? 'exported' : stderr).toBe('exported');
      // A workflow task through the worker: the schedule-to-start latency is observed.
      const handle = await client.workflow.start('noSuchWorkflowType', {
        taskQueue,
        workflowId: uniqueName('metrics-wf'),
      });
      const text = await eventually(
        scrape,
        (t) => t.includes('temporal_workflow_task_schedule_to_start_latency'),
        30_000,
      );
      await handle.terminate('metrics test');
      for (const name of [
        'temporal_worker_task_slots_available',
        'temporal_sticky_cache_size',
        'temporal_workflow_task_schedule_to_start_latency',
        'temporal_num_pollers',
      ])
        expect(text).toContain(name);
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => (worker.exitCode !== null ? resolve(undefined) : worker.once('exit', resolve)));
    }
  });
});
