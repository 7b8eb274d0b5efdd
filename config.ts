/**
 * The one place that reads the environment. Composition roots (the run command, the worker,
 * the API server) call loadConfig() once and pass the typed result down; nothing below them
 * reads process.env.
 */
export interface Config {
  /** PostgreSQL connection string; undefined means "start embedded PostgreSQL" (run command only). */
  databaseUrl?: string;
  /** host:port of the Temporal frontend; undefined means "start the dev server" (run command only). */
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  apiHost: string;
  apiPort: number;
  /** Directory for embedded PostgreSQL, the dev server's SQLite file and local secrets. */
  dataDir: string;
  /** 32-byte hex secret for the pseudonymous person key (HMAC of the ID number). */
  personKeySecret?: string;
  /** Base URL of the national transfer platform; undefined means "start the simulator" (run command). */
  platformUrl?: string;
  /** Port of embedded PostgreSQL (run command, when DATABASE_URL is unset). */
  embeddedPgPort: number;
  /** Frontend port of the Temporal dev server (run command, when TEMPORAL_ADDRESS is unset). */
  temporalPort: number;
  /** Base URL of the tax feed, archive service and death registry; undefined = start their simulator (run command). */
  governmentUrl?: string;
  /** Port of the government-systems simulator the run command starts when GOVERNMENT_URL is unset. */
  governmentSimulatorPort: number;
  /** Port of the platform simulator the run command starts when PLATFORM_URL is unset. */
  platformSimulatorPort: number;
  /** This installation's API as the platform reaches it (for the inbound message address). */
  publicUrl?: string;
  /** Agency codes this installation serves (comma-separated); undefined = every agency in the directory. */
  servedAgencies?: string[];
  /** Working days an applicant has to supplement materials after a one-time notice. */
  supplementWorkingDays: number;
  /** The help-line the service guide and applicant-facing texts publish (咨询电话, R-5). */
  serviceHotline: string;
  /** HMAC key (64 hex characters) that signs and verifies API tokens; the run command generates one. */
  authSigningKey?: string;
  authIssuer: string;
  authAudience: string;
  /** An OpenID Connect provider (Keycloak, …) whose RS256/ES256 access tokens the API accepts too. */
  oidc?: {
    issuer: string;
    audience: string;
    jwksUrl?: string;
    roleClaim: string;
    agenciesClaim: string;
    userClaim: string;
  };
  /** Requests per minute per verified user, and per address without a valid token. */
  rateLimit: { perTokenPerMinute: number; anonymousPerMinute: number };
  /**
   * host:port where the worker's Temporal SDK runtime serves Prometheus metrics (worker slots,
   * schedule-to-start latency, sticky cache, …); undefined = not exported. The run command picks
   * a free local port and the API appends them to its /metrics.
   */
  workerMetricsAddress?: string;
  /** Payload encryption keys "keyId:<64 hex>,…" and the active key ID; the run command generates one. */
  payloadKeys?: string;
  payloadKeyId?: string;
  /** The API's Ed25519 key for the assertions on workflow inputs, "keyId:<64 hex seed>"; the run command generates one. */
  assertionSigningKey?: string;
  /** The public keys the workers trust, "keyId:<64 hex>[,…]"; the run command derives them from the signing key. */
  assertionPublicKeys?: string;
  /** Origins allowed to call the codec server (the Temporal Web UI). */
  codecCorsOrigins: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  temporalUiPort: number;
  /**
   * Path of a prebuilt workflow bundle (`npm run build` writes dist/workflow-bundle.js); the
   * standalone worker loads it instead of bundling the workflow code with webpack at start-up.
   * Undefined means "bundle at start-up" (development).
   */
  workflowBundle?: string;
  /** How often the API's reconciler looks for cases without a running workflow (seconds). */
  reconcileIntervalSeconds: number;
  /**
   * mTLS to the Temporal frontend (docker-compose.yml generates the certificates): the CA that
   * signed the server's certificate, this process's client certificate and key (PEM paths), and
   * the name the server's certificate carries. Undefined: plain gRPC (the local dev server).
   */
  temporalTls?: { caPath: string; certPath: string; keyPath: string; serverName?: string };
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function hexKey(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw !== undefined && !/^[0-9a-f]{64}$/i.test(raw))
    throw new ConfigError(`${name} must be 64 hex characters (32 bytes)`);
  return raw;
}

function servedAgencies(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const codes = raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const bad = codes.find((c) => !/^[0-9]{6}$/.test(c));
  if (bad !== undefined || codes.length === 0)
    throw new ConfigError(`SERVED_AGENCIES must be comma-separated 6-digit agency codes, got "${raw}"`);
  return codes;
}

/** A published telephone number: digits, optionally with '-' or spaces, e.g. 12333 or 0931-12333. */
function hotline(raw: string | undefined): string {
  if (raw === undefined) return '12333';
  if (!/^[0-9][0-9 -]{2,19}$/.test(raw))
    throw new ConfigError(
      `SERVICE_HOTLINE must be a telephone number (digits, '-', spaces; 3–20 characters), got "${raw}"`,
    );
  return raw;
}

function hostPort(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw !== undefined && !/^[A-Za-z0-9.\-[\]:]+:[0-9]{1,5}$/.test(raw))
    throw new ConfigError(`${name} must be host:port, got "${raw}"`);
  return raw;
}

function httpsUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  // Plain http only to the local machine (a development identity provider).
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
  ) {
    throw new ConfigError(`${name} must be an https URL (http only for localhost), got "${raw}"`);
  }
  return raw;
}

function temporalTls(env: NodeJS.ProcessEnv): Config['temporalTls'] {
  const caPath = optional(env, 'TEMPORAL_TLS_CA_PATH');
  const certPath = optional(env, 'TEMPORAL_TLS_CERT_PATH');
  const keyPath = optional(env, 'TEMPORAL_TLS_KEY_PATH');
  const serverName = optional(env, 'TEMPORAL_TLS_SERVER_NAME');
  if (!caPath && !certPath && !keyPath) return undefined;
  if (!caPath || !certPath || !keyPath)
    throw new ConfigError(
      'TEMPORAL_TLS_CA_PATH, TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together (mTLS to the Temporal frontend)',
    );
  return { caPath, certPath, keyPath, serverName };
}

function oidcSettings(env: NodeJS.ProcessEnv): Config['oidc'] {
  const issuer = httpsUrl(env, 'AUTH_OIDC_ISSUER');
  const jwksUrl = httpsUrl(env, 'AUTH_OIDC_JWKS_URL');
  if (!issuer) {
    if (jwksUrl) throw new ConfigError('AUTH_OIDC_JWKS_URL needs AUTH_OIDC_ISSUER (the issuer the tokens name)');
    return undefined;
  }
  return {
    issuer,
    audience: optional(env, 'AUTH_OIDC_AUDIENCE') ?? optional(env, 'AUTH_AUDIENCE') ?? 'flex-pension-api',
    jwksUrl,
    roleClaim: optional(env, 'AUTH_OIDC_ROLE_CLAIM') ?? 'role',
    agenciesClaim: optional(env, 'AUTH_OIDC_AGENCIES_CLAIM') ?? 'agencies',
    userClaim: optional(env, 'AUTH_OIDC_USER_CLAIM') ?? 'sub',
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (optional(env, 'LOG_LEVEL') ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error`);
  const personKeySecret = optional(env, 'PERSON_KEY_SECRET');
  if (personKeySecret !== undefined && !/^[0-9a-f]{64}$/i.test(personKeySecret)) {
    throw new ConfigError('PERSON_KEY_SECRET must be 64 hex characters (32 bytes)');
  }
  return {
    databaseUrl: optional(env, 'DATABASE_URL'),
    temporalAddress: optional(env, 'TEMPORAL_ADDRESS'),
    temporalNamespace: optional(env, 'TEMPORAL_NAMESPACE') ?? 'default',
    taskQueue: optional(env, 'TEMPORAL_TASK_QUEUE') ?? 'pension-cases',
    apiHost: optional(env, 'API_HOST') ?? '127.0.0.1',
    apiPort: int(env, 'API_PORT', 3000, 0, 65535),
    dataDir: optional(env, 'DATA_DIR') ?? 'data',
    personKeySecret,
    platformUrl: optional(env, 'PLATFORM_URL'),
    platformSimulatorPort: int(env, 'PLATFORM_SIMULATOR_PORT', 3100, 1, 65535),
    governmentUrl: optional(env, 'GOVERNMENT_URL'),
    governmentSimulatorPort: int(env, 'GOVERNMENT_SIMULATOR_PORT', 3200, 1, 65535),
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 5433, 1, 65535),
    temporalPort: int(env, 'TEMPORAL_PORT', 7233, 1, 65535),
    publicUrl: optional(env, 'PUBLIC_URL'),
    servedAgencies: servedAgencies(optional(env, 'SERVED_AGENCIES')),
    supplementWorkingDays: int(env, 'SUPPLEMENT_WORKING_DAYS', 10, 1, 60),
    serviceHotline: hotline(optional(env, 'SERVICE_HOTLINE')),
    authSigningKey: hexKey(env, 'AUTH_SIGNING_KEY'),
    authIssuer: optional(env, 'AUTH_ISSUER') ?? 'flex-pension',
    authAudience: optional(env, 'AUTH_AUDIENCE') ?? 'flex-pension-api',
    oidc: oidcSettings(env),
    rateLimit: {
      perTokenPerMinute: int(env, 'RATE_LIMIT_PER_TOKEN', 600, 1, 1_000_000),
      anonymousPerMinute: int(env, 'RATE_LIMIT_ANONYMOUS', 120, 1, 1_000_000),
    },
    workerMetricsAddress: hostPort(env, 'WORKER_METRICS_ADDRESS'),
    payloadKeys: optional(env, 'PAYLOAD_KEYS'),
    payloadKeyId: optional(env, 'PAYLOAD_KEY_ID'),
    assertionSigningKey: optional(env, 'ASSERTION_SIGNING_KEY'),
    assertionPublicKeys: optional(env, 'ASSERTION_PUBLIC_KEYS'),
    codecCorsOrigins: (optional(env, 'CODEC_CORS_ORIGINS') ?? 'http://localhost:8233,http://127.0.0.1:8233')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel,
    temporalUiPort: int(env, 'TEMPORAL_UI_PORT', 8233, 1, 65535),
    workflowBundle: optional(env, 'WORKFLOW_BUNDLE'),
    reconcileIntervalSeconds: int(env, 'RECONCILE_INTERVAL_SECONDS', 30, 1, 3600),
    temporalTls: temporalTls(env),
  };
}
