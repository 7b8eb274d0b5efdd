/**
 * The HTTP API: fastify with TypeBox schemas that double as the OpenAPI document (/openapi.json,
 * browsable at /docs). buildApp() takes every dependency as an argument; server.ts and the run
 * command are the composition roots, tests call buildApp directly.
 */
import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import { DrizzleQueryError } from 'drizzle-orm';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifySchema,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Db } from '../db/client';
import { ApiError, errorBody } from './errors';
import { registerBenefitRuleRoutes, registerContributionSummaryRoute } from './routes/benefit-rules';
import { registerAuditRoutes } from './routes/audit';
import { registerCalendarRoutes } from './routes/calendar';
import { registerClaimRoutes } from './routes/claims';
import { registerCodecRoutes } from './routes/codec';
import { registerAwardRoutes } from './routes/awards';
import { registerCaseRoutes } from './routes/cases';
import { registerContributionRoutes } from './routes/contributions';
import { registerMetricsRoutes } from './routes/metrics';
import { registerPersonRoutes } from './routes/persons';
import { registerPlatformRoutes } from './routes/platform';
import { registerTransferRoutes } from './routes/transfers';
import { registerEnrollmentRoutes } from './routes/enrollments';
import { registerHealthRoutes } from './routes/health';
import { registerRuleRoutes } from './routes/rules';
import { registerStopRoutes } from './routes/stops';
import { registerTaskRoutes } from './routes/tasks';
import { registerParameterRoutes } from './routes/parameters';
import { registerRiskRoutes } from './routes/risk';
import { registerServiceGuideRoutes } from './routes/service-guide';
import { registerRatingRoutes } from './routes/ratings';
import { registerEvaluationRoutes } from './routes/evaluation';
import { registerFeedbackRoutes } from './routes/feedback';
import { registerInspectionRoutes } from './routes/inspections';
import { registerAuditSupervisionRoutes } from './routes/audits';
import { createParameterService, type ParameterService } from './services/parameters';
import { ErrorResponse, CaseResponse } from './schemas/common';
import { createCaseIntake, type CaseIntake } from './services/case-intake';
import { createCaseStarter, type CaseStarter } from './services/case-starter';
import {
  clientErrorHandler,
  fastifyRequestError,
  forbiddenCharacterOf,
  forbiddenCharacterPath,
  frameworkErrors,
  limitUrlLength,
  parseJsonBody,
  strictValidators,
  unboundedNumbers,
  valueAt,
} from './strict-input';
import rateLimit from '@fastify/rate-limit';
import { enforce, identify } from './auth/plugin';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { needsTemporal, rolesFor } from './auth/policy';
import {
  createDependencyMonitor,
  isDatabaseUnavailable,
  isTemporalUnavailable,
  unavailable,
  type DependencyMonitor,
} from './services/dependencies';
import type { AssertionSigner } from './auth/assertions';
import type { TokenSettings } from './auth/tokens';
import { createPlatformInbox, type PlatformInbox } from './services/platform-inbox';

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  personKeySecret: string;
  /** How bearer tokens are verified (api/auth/tokens.ts). */
  auth: TokenSettings;
  /** Signs every staff/applicant input sent to a workflow (api/auth/assertions.ts). */
  assertions: AssertionSigner;
  /**
   * The clock assertions are issued by, which the workflows compare with theirs: Temporal's time
   * (default the real one; a test on a time-skipping server passes the server's).
   */
  assertionClock?: () => number;
  supplementWorkingDays: number;
  /** The help-line the service guide publishes (config SERVICE_HOTLINE); default 12333. */
  serviceHotline?: string;
  /** Web UI origins allowed to call the codec server (api/routes/codec.ts); default the local dev UI. */
  codecCorsOrigins?: string[];
  /** Agencies this installation serves (platform messages for others are refused); default all. */
  servedAgencies?: string[];
  now?: () => Date;
  /**
   * Requests per minute: per verified user, and per address for callers without a valid token
   * (RATE_LIMIT_PER_TOKEN, RATE_LIMIT_ANONYMOUS); default 600 and 120.
   */
  rateLimit?: { perTokenPerMinute: number; anonymousPerMinute: number };
  /** The run a run-bound codec credential must name (the run command's dev UI); none otherwise. */
  codecRun?: string;
  /** The Temporal SDK runtime's Prometheus endpoint, appended to /metrics (worker in this process). */
  runtimeMetricsUrl?: string;
  /** Fastify's logger: off, a level, or a level and a stream (tests collect the lines). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
}

export interface AppContext {
  db: Db;
  temporal: Client;
  /** Whether PostgreSQL and Temporal answer (probed every second). */
  dependencies: DependencyMonitor;
  /** Signs every staff/applicant input sent to a workflow. */
  assertions: AssertionSigner;
  intake: CaseIntake;
  starter: CaseStarter;
  inbox: PlatformInbox;
  parameters: ParameterService;
  /** The person-key secret: an applicant's token must carry the key of the ID number applied for. */
  personKeySecret: string;
  supplementWorkingDays: number;
  serviceHotline: string;
  now: () => Date;
}

/** A route as registered, kept so tests can compare the served routes with the OpenAPI document. */
export interface RegisteredRoute {
  method: string;
  url: string;
  schema?: FastifySchema & { hide?: boolean };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on the app (one entry per method). */
    registeredRoutes: readonly RegisteredRoute[];
  }
  interface FastifyContextConfig {
    /** Set from the policy table: the route cannot answer without Temporal. */
    needsTemporal?: boolean;
  }
}

/**
 * An error as it may be logged. drizzle puts every query parameter (ID numbers, names) into a
 * failed query's message and `params`, so only the query text and the database's own error go
 * to the log: log lines never carry personal data.
 */
function loggable(err: Error): unknown {
  if (!(err instanceof DrizzleQueryError)) return err;
  const cause = err.cause as { code?: string; message?: string } | undefined;
  return { type: 'DrizzleQueryError', message: `Failed query: ${err.query}`, code: cause?.code, cause: cause?.message };
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** "/applicant/idNumber" → "applicant.idNumber". */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = (v.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
  const extra = missing.missingProperty ?? missing.additionalProperty;
  const field = [base, extra].filter(Boolean).join('.');
  const context = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext}.` : '';
  return field ? `${context}${field}` : err.validationContext;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Bodies are validated as sent (no coercion); query, path and headers are coerced (api/strict-input.ts).
    schemaController: { compilersFactory: { buildValidator: strictValidators() } },
    bodyLimit: 1024 * 1024,
    // Path parameters up to 2 KiB: the codec server's token-in-path variant carries a bearer token.
    routerOptions: { maxParamLength: 2048 },
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // JSON bodies: depth measured before parsing, prototype keys refused.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  // Every route gets its roles from the policy table (api/auth/policy.ts); an unknown route fails here.
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    const method = methods.find((m) => m !== 'HEAD') ?? methods[0];
    const roles = rolesFor(method, route.url, route.config?.roles);
    if (roles) route.config = { ...route.config, roles };
    if (needsTemporal(method, route.url)) route.config = { ...route.config, needsTemporal: true };
  });
  // Every route documents the errors any route can give (the OpenAPI document is the contract
  // schemathesis checks): 400, 414, 429 and 431 anywhere; 401, 403 and 503 where a token is needed;
  // 413 and 415 where a body is read.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as (FastifySchema & { hide?: boolean; response?: Record<string, unknown> }) | undefined;
    if (!schema || schema.hide) return;
    const response: Record<string, unknown> = { ...(schema.response ?? {}) };
    const codes = [
      400,
      414,
      429,
      431,
      ...(route.config?.roles ? [401, 403, 503] : []),
      ...(schema.body ? [413, 415] : []),
    ];
    for (const code of codes) if (!(code in response)) response[code] = Type.Ref('ErrorResponse');
    route.schema = { ...schema, response };
  });
  // Kept for the tests that compare the served routes with the OpenAPI document (after the hooks above).
  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url, schema: route.schema });
  });
  // Every number a route takes in has both bounds (1e20 months is not a request to compute).
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    const loose = ['body', 'querystring', 'params', 'headers'].flatMap((part) =>
      unboundedNumbers(schema?.[part]).map((p) => `${part}.${p}`),
    );
    if (loose.length > 0)
      throw new Error(
        `route ${[route.method].flat().join(',')} ${route.url}: numbers without minimum and maximum: ${loose.join(', ')}`,
      );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Flexible-employment pension back office API',
        description:
          'Back office for the basic pension of flexibly employed persons, following DB62/T 5079.1—2025. ' +
          'Every error is `{ error: { code, message, field? } }` with a stable code.',
        version: '1.0.0',
      },
      servers: [{ url: '/' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(ErrorResponse);
  app.addSchema(CaseResponse);

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) return reply.status(err.statusCode).send(errorBody(err));
    if (err.validation) {
      const field = fieldOf(err);
      const keyword = err.validation?.[0]?.keyword ?? 'invalid';
      return reply
        .status(400)
        .send(
          errorBody(
            new ApiError(
              400,
              `validation.${keyword}`,
              `${field ?? 'request'}: ${err.validation?.[0]?.message ?? err.message}`,
              field,
            ),
          ),
        );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const e = fastifyRequestError(err);
      return reply.status(e.statusCode).send(errorBody(e));
    }
    // A dependency that went down while the request was in flight: 503 with its code, not 500.
    // Temporal first: a gRPC error names the refused connection too, and is not the database's.
    for (const [dependency, down] of [
      ['temporal', isTemporalUnavailable],
      ['database', isDatabaseUnavailable],
    ] as const) {
      if (!down(err)) continue;
      metrics.unavailable.inc({ dependency });
      request.log.warn({ err: loggable(err) }, `${dependency} unavailable`);
      return reply.status(503).send(errorBody(unavailable(dependency)));
    }
    request.log.error({ err: loggable(err) }, 'unhandled error');
    return reply.status(500).send(errorBody(new ApiError(500, 'internal', '服务器内部错误，请稍后重试')));
  });
  // Control and bidi-formatting characters are refused in any body or query field (U+0000 also
  // cannot be stored by PostgreSQL), before the schema and the handler see the value.
  app.addHook('preValidation', async (request) => {
    for (const [context, value] of [
      ['', request.body],
      ['querystring.', request.query],
    ] as const) {
      const path = forbiddenCharacterPath(value);
      if (path === undefined) continue;
      const at = valueAt(value, path);
      const char =
        (typeof at === 'string' ? forbiddenCharacterOf(at) : undefined) ??
        forbiddenCharacterOf(path.split('.').pop() ?? '') ??
        'U+0000';
      if (char === 'U+0000')
        throw new ApiError(
          400,
          'validation.nul_character',
          `${context}${path}: 不能包含空字符 (U+0000)`,
          `${context}${path}`,
        );
      throw new ApiError(
        400,
        'validation.control_character',
        `${context}${path}: 不能包含控制字符或文字方向控制符 (${char})`,
        `${context}${path}`,
      );
    }
  });
  app.addHook('onRequest', limitUrlLength);
  // Every route naming `config.roles` needs a verified bearer token of one of those roles.
  const metrics: ApiMetrics = createApiMetrics(deps.db);
  const dependencies = createDependencyMonitor({
    db: deps.db,
    temporal: deps.temporal,
    onChange: (state) => app.log.warn({ database: state.database, temporal: state.temporal }, 'dependencies changed'),
  });
  app.addHook('onClose', () => dependencies.stop());
  // Who is calling (onRequest, global), then the rate limit per user or per address (a route hook,
  // so it runs after), then 401/403 (preParsing: before any body is read).
  app.addHook('onRequest', identify(deps.auth));
  const limits = deps.rateLimit ?? { perTokenPerMinute: 600, anonymousPerMinute: 120 };
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.actor ? `user:${request.actor.id}` : `addr:${request.ip}`),
    max: (request) => (request.actor ? limits.perTokenPerMinute : limits.anonymousPerMinute),
    onExceeded: (request) => metrics.rateLimited.inc({ caller: request.actor ? 'user' : 'anonymous' }),
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `请求过于频繁：每分钟最多 ${context.max} 次，请于 ${context.after} 后重试`),
  });
  app.addHook(
    'preParsing',
    enforce(deps.db, (code) => metrics.anonymousRefusals.inc({ code })),
  );
  // A dependency known to be down: 503 at once (every authenticated route reads PostgreSQL; the
  // policy table marks those that need Temporal). Applications are the exception: they are
  // recorded and answered 202, and the reconciler starts their workflow when Temporal is back.
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config?.roles) return;
    for (const dependency of [
      'database',
      ...(request.routeOptions.config.needsTemporal ? ['temporal' as const] : []),
    ] as const) {
      if (dependencies.state[dependency] !== 'ok') {
        metrics.unavailable.inc({ dependency });
        throw unavailable(dependency);
      }
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request, reply) =>
    reply
      .status(404)
      .send(errorBody(new ApiError(404, 'route.not_found', `no route ${request.method} ${request.url}`))),
  );

  const now = deps.now ?? (() => new Date());
  // Assertions are issued on Temporal's clock: the real one, or a time-skipping test server's.
  const assertions: AssertionSigner = deps.assertionClock
    ? { ...deps.assertions, now: deps.assertionClock }
    : deps.assertions;
  const starter = createCaseStarter({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, assertions });
  const intake = createCaseIntake({
    db: deps.db,
    starter,
    personKeySecret: deps.personKeySecret,
    now,
    log: app.log,
    temporalUp: () => dependencies.state.temporal === 'ok',
  });
  const ctx: AppContext = {
    db: deps.db,
    temporal: deps.temporal,
    dependencies,
    assertions,
    starter,
    now,
    personKeySecret: deps.personKeySecret,
    supplementWorkingDays: deps.supplementWorkingDays,
    serviceHotline: deps.serviceHotline ?? '12333',
    intake,
    inbox: createPlatformInbox({
      db: deps.db,
      temporal: deps.temporal,
      intake,
      now,
      servedAgencies: deps.servedAgencies,
      assertions,
    }),
    parameters: createParameterService({ db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue }),
  };

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app, ctx);
  registerRuleRoutes(app, ctx);
  registerBenefitRuleRoutes(app, ctx);
  registerContributionSummaryRoute(app, ctx);
  registerEnrollmentRoutes(app, ctx);
  registerStopRoutes(app, ctx);
  registerTransferRoutes(app, ctx);
  registerClaimRoutes(app, ctx);
  registerPlatformRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerCaseRoutes(app, ctx);
  registerAwardRoutes(app, ctx, deps.taskQueue);
  registerPersonRoutes(app, ctx, deps.taskQueue);
  registerContributionRoutes(app, ctx);
  registerMetricsRoutes(app, { metrics, runtimeMetricsUrl: deps.runtimeMetricsUrl });
  registerAuditRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerParameterRoutes(app, ctx);
  registerRiskRoutes(app, ctx);
  registerServiceGuideRoutes(app, ctx);
  registerRatingRoutes(app, ctx);
  registerEvaluationRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerInspectionRoutes(app, ctx, deps.taskQueue);
  registerAuditSupervisionRoutes(app, ctx, deps.taskQueue);
  registerCodecRoutes(app, {
    auth: deps.auth,
    codecRun: deps.codecRun,
    onAnonymousRefusal: (code) => metrics.anonymousRefusals.inc({ code }),
    codecs: deps.temporal.options.loadedDataConverter.payloadCodecs,
    corsOrigins: deps.codecCorsOrigins,
  });
  return app;
}
