/**
 * The codec server the Temporal Web UI (and `temporal --codec-endpoint`) calls to show encrypted
 * payloads: POST /codec/decode and /codec/encode take and return `{ payloads: [{ metadata:
 * {k: base64}, data: base64 }] }` (proto3 JSON of Payloads), with the payload codecs of the
 * API's own Temporal client, so it decodes exactly what this installation encrypts.
 *
 * With a bearer token (header), only auditors and supervisors may use it; any other role is
 * refused (403, recorded in audit_refusals by the authentication hook). A Web UI that cannot send
 * a header (the dev server's UI over plain http) calls /codec/t/:credential/decode instead, with
 * a decode-only codec credential in the path (api/auth/tokens.ts `signCodecCredential`): it
 * decodes and does nothing else — no API route takes it, there is no encode with it, and it lives
 * at most 12 hours (or one run of `npm start`). Those requests are not logged, so the credential
 * never reaches a log line. CORS answers the configured Web UI origins, preflight included.
 */
import { CODEC_ROLES } from '../auth/policy';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app';
import {
  CODEC_CREDENTIAL_MAX_TTL_SECONDS,
  signCodecCredential,
  TokenError,
  verifyCodecCredential,
  type TokenSettings,
} from '../auth/tokens';
import { ApiError, errorBody } from '../errors';
import { errorResponses } from '../schemas/common';

export const DEFAULT_CODEC_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

const Base64 = Type.String({
  pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  maxLength: 4 * 1024 * 1024,
});
const CodecPayloads = Type.Object(
  {
    payloads: Type.Array(
      Type.Object(
        { metadata: Type.Optional(Type.Record(Type.String(), Base64)), data: Type.Optional(Base64) },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  {
    $id: 'CodecPayloads',
    description: 'Payloads in proto3 JSON (metadata values and data base64), as the Temporal UI sends them.',
  },
);
type CodecPayloads = Static<typeof CodecPayloads>;

type JsonPayload = CodecPayloads['payloads'][number];

/** Proto3 JSON of a Payload (bytes as base64) and back. */
function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

export interface CodecRouteDeps {
  auth: TokenSettings;
  /** The run a run-bound codec credential must name (the local dev UI's); undefined: none is accepted. */
  codecRun?: string;
  /** A refused credential is counted (metrics), not recorded row by row. */
  onAnonymousRefusal: (code: string) => void;
  codecs: PayloadCodec[];
  corsOrigins?: string[];
}

export function registerCodecRoutes(app: App, deps: CodecRouteDeps): void {
  const origins = new Set(deps.corsOrigins ?? DEFAULT_CODEC_CORS_ORIGINS);

  /** CORS headers for an allowed origin, on every answer (refusals too, so the UI can read them). */
  const cors = (request: FastifyRequest, reply: FastifyReply): void => {
    const origin = request.headers.origin;
    if (!origin || !origins.has(origin)) return;
    void reply.header('Access-Control-Allow-Origin', origin);
    void reply.header('Access-Control-Allow-Credentials', 'true');
    void reply.header('Vary', 'Origin');
  };
  const corsOnSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    cors(request, reply);
    return payload;
  };

  const run = async (operation: 'decode' | 'encode', body: CodecPayloads): Promise<CodecPayloads> => {
    let payloads = body.payloads.map(fromJson);
    try {
      // Encoding runs the codecs in order, decoding in reverse (as the SDK does).
      if (operation === 'encode') for (const codec of deps.codecs) payloads = await codec.encode(payloads);
      else for (const codec of [...deps.codecs].reverse()) payloads = await codec.decode(payloads);
    } catch (err) {
      // Protocol: a codec error is the caller's (wrong key, altered payload): 400, and the UI shows the raw payload.
      throw new ApiError(
        400,
        `codec.${operation}_failed`,
        err instanceof Error ? err.message : String(err),
        'payloads',
      );
    }
    return { payloads: payloads.map(toJson) };
  };

  const schema = (operation: string, tokenInPath: boolean) => ({
    tags: ['codec'],
    summary: `${operation === 'decode' ? 'Decrypt' : 'Encrypt'} Temporal payloads (Web UI remote codec${tokenInPath ? ', decode-only credential in the path' : ''})`,
    description: tokenInPath
      ? "A decode-only codec credential (12 hours at most) in the path, for a Web UI that cannot send a header. Header X-Namespace is accepted (the keys are this installation's)."
      : `Roles: ${CODEC_ROLES.join(', ')}. Header X-Namespace is accepted (the keys are this installation's).`,
    ...(tokenInPath ? { params: Type.Object({ token: Type.String({ maxLength: 4096 }) }) } : {}),
    body: CodecPayloads,
    response: { 200: CodecPayloads, ...errorResponses(400, 401, 403) },
  });

  /** The credential-in-path variant (preParsing: after the rate limiter): a decode-only codec credential. */
  const pathCredential = async (
    request: FastifyRequest<{ Params: { token: string } }>,
    reply: FastifyReply,
  ): Promise<void> => {
    try {
      await verifyCodecCredential(deps.auth, request.params.token, { run: deps.codecRun });
    } catch (err) {
      const e = err instanceof TokenError ? err : new TokenError('auth.invalid_token', 'invalid credential');
      deps.onAnonymousRefusal(e.code);
      await reply
        .status(e.status)
        .send(
          errorBody(
            new ApiError(
              e.status,
              e.code,
              `${e.message} (the path takes a decode-only codec credential: docs/codec.md)`,
              'token',
            ),
          ),
        );
      return reply;
    }
  };

  for (const operation of ['decode', 'encode'] as const) {
    app.post(`/codec/${operation}`, { schema: schema(operation, false), onSend: corsOnSend }, async (request) =>
      run(operation, request.body),
    );
  }
  app.post<{ Params: { token: string }; Body: CodecPayloads }>(
    '/codec/t/:token/decode',
    // Not logged: the request line carries the credential.
    { schema: schema('decode', true), logLevel: 'silent', preParsing: pathCredential, onSend: corsOnSend },
    async (request) => run('decode', request.body),
  );

  // A decode-only credential of one's own for the Web UI's "Data Encoder" setting.
  app.post<{ Body: { ttlSeconds?: number } }>(
    '/api/v1/codec/credentials',
    {
      schema: {
        tags: ['codec'],
        summary:
          'A decode-only codec credential for the Temporal Web UI (set it in the browser: Data Encoder → <API>/codec/t/<credential>)',
        body: Type.Object(
          {
            ttlSeconds: Type.Optional(
              Type.Integer({ minimum: 300, maximum: CODEC_CREDENTIAL_MAX_TTL_SECONDS, default: 8 * 3600 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            credential: Type.String(),
            path: Type.String({ description: 'Append to the API base URL; the UI adds /decode' }),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const ttlSeconds = request.body?.ttlSeconds ?? 8 * 3600;
      const credential = signCodecCredential(deps.auth, { sub: request.actor!.id, ttlSeconds });
      return reply.status(201).send({
        credential,
        path: `/codec/t/${credential}`,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
      });
    },
  );

  // Preflight of the Web UI: allowed origins get the methods and headers the UI sends.
  const preflight = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    if (!origin || !origins.has(origin)) {
      await reply
        .status(403)
        .send(
          errorBody(
            new ApiError(403, 'codec.origin_not_allowed', `origin ${origin ?? '(none)'} may not call the codec server`),
          ),
        );
      return;
    }
    cors(request, reply);
    await reply
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
      .header('Access-Control-Max-Age', '600')
      .status(204)
      .send();
  };
  for (const url of ['/codec/decode', '/codec/encode', '/codec/t/:token/decode']) {
    const tokenInPath = url.includes(':token');
    app.options(
      url,
      {
        schema: {
          tags: ['codec'],
          summary: 'CORS preflight of the Temporal Web UI (allowed origins: CODEC_CORS_ORIGINS)',
          ...(tokenInPath ? { params: Type.Object({ token: Type.String({ maxLength: 4096 }) }) } : {}),
          response: {
            204: Type.Null({ description: 'Allowed: Access-Control-Allow-* headers for the origin' }),
            ...errorResponses(403),
          },
        },
        ...(tokenInPath ? { logLevel: 'silent' as const } : {}),
      },
      preflight,
    );
  }
}
