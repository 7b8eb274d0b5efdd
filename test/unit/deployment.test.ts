/**
 * docker-compose.yml and the Dockerfile cannot be run on the development machine (no Docker), so
 * their structure is checked here against the code they deploy: every variable config.ts reads is
 * set for the entry point that needs it (and only those the run command alone uses are absent),
 * secrets come from the env file and never as literals, the search attributes registered are those
 * of workflows/shared/search-attributes.ts, the Web UI's codec endpoint is the API's /codec, and
 * the image copies every source directory the build compiles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { parse } from 'yaml';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const env = (name: string) =>
  Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, String(v)]));

/** Every environment variable config.ts reads (optional/int/hexKey calls). */
const CONFIG_VARS = [
  ...new Set(
    [...read('config.ts').matchAll(/(?:optional|int|hexKey|hostPort|httpsUrl)\(env, '([A-Z_]+)'/g)].map((m) => m[1]),
  ),
];
/** Read only by the run command (`npm start`), which starts the local servers itself. */
const RUN_COMMAND_ONLY = [
  'DATA_DIR',
  'EMBEDDED_PG_PORT',
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'PLATFORM_SIMULATOR_PORT',
  'GOVERNMENT_SIMULATOR_PORT',
];
/** What the worker (workers/main.ts, activities, the payload codec) reads. */
const WORKER_VARS = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'PLATFORM_URL',
  'GOVERNMENT_URL',
  'PAYLOAD_KEYS',
  'PAYLOAD_KEY_ID',
  'LOG_LEVEL',
  'WORKFLOW_BUNDLE',
  'WORKER_METRICS_ADDRESS',
  'ASSERTION_PUBLIC_KEYS',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
];
/** Read by the worker process only. */
const WORKER_ONLY = ['WORKFLOW_BUNDLE', 'WORKER_METRICS_ADDRESS', 'ASSERTION_PUBLIC_KEYS'];
const SECRETS = [
  'PERSON_KEY_SECRET',
  'AUTH_SIGNING_KEY',
  'PAYLOAD_KEYS',
  'PAYLOAD_KEY_ID',
  'ASSERTION_SIGNING_KEY',
  'ASSERTION_PUBLIC_KEYS',
];

/** The variables an entry point refuses to start without (`!config.x && 'NAME'` in its missing list). */
function requiredBy(file: string): string[] {
  return [...read(file).matchAll(/!config\.\w+ && '([A-Z_]+)'/g)].map((m) => m[1]);
}

test('config.ts is read as expected (the lists below would otherwise be checked against nothing)', () => {
  expect(CONFIG_VARS).toEqual(
    expect.arrayContaining([
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'PERSON_KEY_SECRET',
      'AUTH_SIGNING_KEY',
      'PAYLOAD_KEYS',
      'SERVED_AGENCIES',
      'WORKFLOW_BUNDLE',
    ]),
  );
  expect(CONFIG_VARS.length).toBeGreaterThanOrEqual(25);
  expect(RUN_COMMAND_ONLY.every((v) => CONFIG_VARS.includes(v))).toBe(true);
  expect(requiredBy('api/server.ts')).toEqual(
    expect.arrayContaining(['DATABASE_URL', 'PERSON_KEY_SECRET', 'AUTH_SIGNING_KEY']),
  );
  expect(requiredBy('workers/main.ts')).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS']));
});

test('the api service sets every variable config.ts reads except the worker’s own and the run command’s own', () => {
  const expected = CONFIG_VARS.filter((v) => !RUN_COMMAND_ONLY.includes(v) && !WORKER_ONLY.includes(v)).sort();
  expect(Object.keys(env('api')).sort()).toEqual(expected);
  expect(requiredBy('api/server.ts').filter((v) => !env('api')[v])).toEqual([]);
  expect(services.api.command).toEqual(['node', 'dist/api/server.js']);
});

test('the worker service sets what the worker reads, and nothing it does not use', () => {
  expect(Object.keys(env('worker')).sort()).toEqual([...WORKER_VARS].sort());
  expect(WORKER_VARS.every((v) => CONFIG_VARS.includes(v))).toBe(true);
  expect(requiredBy('workers/main.ts').filter((v) => !env('worker')[v])).toEqual([]);
  expect(services.worker.command).toEqual(['node', 'dist/workers/main.js']);
  expect(env('worker').WORKFLOW_BUNDLE).toBe('/app/dist/workflow-bundle.js');
});

test('two workers run the task queue, and the Temporal server has the history shards docs/scaling.md works out', () => {
  expect((services.worker as { deploy?: { replicas?: number } }).deploy?.replicas).toBe(2);
  expect(env('temporal').NUM_HISTORY_SHARDS).toBe('${TEMPORAL_HISTORY_SHARDS:-512}');
  expect(read('docs/scaling.md')).toContain('512');
});

test('secrets come from the env file, required, never as literals; every substituted variable is in deploy/env.example', () => {
  for (const service of ['api', 'worker']) {
    for (const name of SECRETS.filter((s) => s in env(service))) {
      expect({ service, name, value: env(service)[name] }).toEqual({
        service,
        name,
        value: expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?`)),
      });
    }
  }
  expect(env('api').DATABASE_URL).toMatch(
    /^postgres:\/\/postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgresql:5432\/pension$/,
  );
  expect(env('postgresql').POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  const raw = read('docker-compose.yml');
  const substituted = new Set([...raw.matchAll(/\$\{([A-Z_]+)[:}]/g)].map((m) => m[1]));
  const example = new Set([...read('deploy/env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
  expect([...substituted].filter((v) => !example.has(v))).toEqual([]);
  expect([...example].filter((v) => !substituted.has(v))).toEqual([]);
  // No 64-hex literal (a key pasted into the file) anywhere in it.
  expect(raw).not.toMatch(/[0-9a-f]{64}/i);
});

test('the search attributes registered are exactly the project’s, with their types', () => {
  const command = String((services['temporal-search-attributes'].command as string[])[0]);
  const registered = [...command.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => `${m[1]}=${m[2]}`);
  const expected = ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`);
  expect(registered.sort()).toEqual(expected.sort());
});

test('the Web UI decodes through the API’s /codec, and the API allows the UI’s origin', () => {
  const ui = env('temporal-ui');
  expect(ui.TEMPORAL_CODEC_ENDPOINT).toMatch(/^\$\{CODEC_PUBLIC_URL:-http:\/\/localhost:3000\/codec\}$/);
  expect(env('api').CODEC_CORS_ORIGINS).toBe('${CODEC_CORS_ORIGINS:-http://localhost:8233}');
  expect((services['temporal-ui'] as { ports: string[] }).ports).toEqual(['127.0.0.1:8233:8080']);
  // The Temporal server and its UI are the versions the dev server of `npm start` embeds (CLI v1.5.1).
  expect(services.temporal.image).toBe('temporalio/auto-setup:1.29.1');
  expect(services['temporal-ui'].image).toBe('temporalio/ui:2.42.1');
});

test('the trust boundary: the Temporal frontend publishes no port and takes only clients with a certificate of the private CA; the UI gets no codec credential', () => {
  type Mount = { source?: string; target?: string; read_only?: boolean; volume?: { subpath?: string } };
  const s = services as Record<
    string,
    Service & { ports?: string[]; volumes?: Array<string | Mount>; profiles?: string[] }
  >;
  expect(s.temporal.ports).toBeUndefined();
  const t = env('temporal');
  expect(t.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
  expect(t.TEMPORAL_TLS_CLIENT1_CA_CERT).toBe('/certs/ca.pem');
  expect(t.TEMPORAL_TLS_FRONTEND_CERT).toBe('/certs/cert.pem');
  expect(String((s.temporal as { healthcheck: { test: string[] } }).healthcheck.test[1])).toContain(
    '--tls-cert-path /certs/cert.pem',
  );
  // The certificates come first, from the one-shot init step, into a volume (never the repository).
  expect(s.temporal.depends_on?.['temporal-certs']).toEqual({ condition: 'service_completed_successfully' });
  expect(String((s['temporal-certs'].command as string[])[0])).toMatch(
    /openssl req -x509[\s\S]*issue temporal[\s\S]*for client in api worker ui admin[\s\S]*rm ca\.key/,
  );
  // Each client mounts its own directory (its own key), read-only.
  const certsOf = (name: string) =>
    (s[name].volumes ?? []).find((v): v is Mount => typeof v === 'object' && v.source === 'temporal-certs');
  for (const [name, dir] of [
    ['temporal', 'temporal'],
    ['api', 'api'],
    ['worker', 'worker'],
    ['temporal-ui', 'ui'],
    ['temporal-search-attributes', 'admin'],
    ['temporal-admin', 'admin'],
  ]) {
    expect({ name, mount: certsOf(name) }).toEqual({
      name,
      mount: { type: 'volume', source: 'temporal-certs', target: '/certs', read_only: true, volume: { subpath: dir } },
    });
  }
  for (const name of ['api', 'worker']) {
    expect(env(name)).toMatchObject({
      TEMPORAL_TLS_CA_PATH: '/certs/ca.pem',
      TEMPORAL_TLS_CERT_PATH: '/certs/cert.pem',
      TEMPORAL_TLS_KEY_PATH: '/certs/key.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
  }
  const ui = env('temporal-ui');
  expect(ui).toMatchObject({
    TEMPORAL_TLS_CERT: '/certs/cert.pem',
    TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true',
    TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'false',
  });
  // No credential in the UI's settings (anyone who opens the UI reads them).
  expect(ui.TEMPORAL_CODEC_ENDPOINT).not.toMatch(/\/t\//);
  expect(s['temporal-admin'].profiles).toEqual(['tools']);
});

test('the simulators run from the same image, and the application reaches them by default', () => {
  expect(services['transfer-platform'].command).toEqual(
    expect.arrayContaining([
      'node',
      'dist/simulators/transfer-platform/main.js',
      '--host',
      '0.0.0.0',
      '--port',
      '3100',
    ]),
  );
  expect(services.government.command).toEqual(
    expect.arrayContaining(['node', 'dist/simulators/government/main.js', '--host', '0.0.0.0', '--port', '3200']),
  );
  for (const name of ['api', 'worker', 'transfer-platform', 'government'])
    expect({ name, image: services[name].image }).toEqual({ name, image: 'flex-pension:latest' });
  expect(env('api').PLATFORM_URL).toBe('${PLATFORM_URL:-http://transfer-platform:3100}');
  expect(env('api').GOVERNMENT_URL).toBe('${GOVERNMENT_URL:-http://government:3200}');
  expect(env('api').PUBLIC_URL).toBe('${PUBLIC_URL:-http://api:3000}');
  expect(Object.keys(services.api.depends_on ?? {})).toEqual(
    expect.arrayContaining(['postgresql', 'temporal', 'temporal-search-attributes', 'transfer-platform', 'government']),
  );
  // Every service another depends on exists.
  for (const [name, s] of Object.entries(services)) {
    for (const dep of Object.keys(s.depends_on ?? {}))
      expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
  }
});

test('the Dockerfile copies every source directory tsconfig.build.json compiles', () => {
  const include = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include.filter(
    (p) => p !== '*.ts',
  );
  const dockerfile = read('Dockerfile');
  const copied = [...dockerfile.matchAll(/^COPY (\w+) \.\/\1$/gm)].map((m) => m[1]);
  expect(include.filter((dir) => !copied.includes(dir))).toEqual([]);
  expect(dockerfile).toMatch(/^COPY tsconfig\.json tsconfig\.build\.json config\.ts \.\/$/m);
});
