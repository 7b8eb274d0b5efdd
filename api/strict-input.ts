/**
 * Strict input at the HTTP boundary, before any handler runs:
 *  - bodies are validated without type coercion (a number sent as a string, a scalar where an
 *    array is expected, null for a string: all 400), while the query string, path and headers —
 *    text by nature — are still coerced to the declared numbers and booleans;
 *  - JSON bodies are measured before they are parsed: too deep a nesting is refused without
 *    recursion (a 10,000-deep array would otherwise overflow the stack of every recursive
 *    walker after the parser);
 *  - errors that fastify or Node raise before a route is found (URI too long, a bad URL, a
 *    header section too large, a client timeout) get the API's `{ error: { code, message } }`;
 *  - control and bidirectional-formatting characters are refused in every string of a body or
 *    query (a name is shown to staff and printed on notices);
 *  - every number a route accepts must declare both bounds, checked when the route registers.
 */
import type { Socket } from 'node:net';
import { AjvCompiler, type Options as AjvOptions } from '@fastify/ajv-compiler';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import secureJson from 'secure-json-parse';
import { ApiError, errorBody } from './errors';

/** Deepest nesting of arrays and objects a JSON body may have (our deepest schema needs 6). */
export const MAX_JSON_DEPTH = 16;
/** Longest request target (path and query) accepted; a longer one is 414. */
export const MAX_URL_LENGTH = 4096;

type BuildValidator = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

/**
 * The validator compilers: one Ajv without coercion for bodies, one that coerces the text of
 * query strings, path parameters and headers to the declared scalar types (never to arrays).
 */
export function strictValidators(): BuildValidator {
  const factory = AjvCompiler();
  return (externalSchemas, options) => {
    const given = (options ?? {}) as { customOptions?: AjvOptions };
    const base = {
      ...(given.customOptions ?? {}),
      removeAdditional: false,
      useDefaults: true,
      allErrors: false,
    } as const;
    const strict = factory(externalSchemas, { ...given, customOptions: { ...base, coerceTypes: false } });
    const coercing = factory(externalSchemas, { ...given, customOptions: { ...base, coerceTypes: true } });
    return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
  };
}

/** The nesting depth of a JSON text, counted without parsing it (strings are skipped). */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return max;
}

/** The JSON body parser: depth first, then secure-json-parse (no __proto__ / constructor.prototype keys). */
export function parseJsonBody(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, value?: unknown) => void,
): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return done(new ApiError(400, 'request.empty_body', 'body: 请求体为空，须为 JSON', 'body'));
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return done(new ApiError(400, 'request.too_deep', `body: JSON 嵌套超过 ${MAX_JSON_DEPTH} 层`, 'body'));
  }
  try {
    done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
  } catch (err) {
    const message = err instanceof SyntaxError ? err.message : 'forbidden key (__proto__ or constructor.prototype)';
    done(new ApiError(400, 'request.malformed_json', `body: 不是有效的 JSON（${message}）`, 'body'));
  }
}

/** Fastify's own request errors, by code: our status and stable code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; field?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'request.body_too_large', field: 'body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'request.unsupported_media_type', field: 'Content-Type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'request.bad_content_length', field: 'Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'request.empty_body', field: 'body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'request.malformed_json', field: 'body' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'request.uri_too_long' },
  FST_ERR_BAD_URL: { status: 400, code: 'request.bad_url' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'request.bad_url' },
};

/** A fastify request error (4xx) in the API's terms. */
export function fastifyRequestError(err: FastifyError): ApiError {
  const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  if (known) return new ApiError(known.status, known.code, err.message, known.field);
  if (err instanceof SyntaxError) return new ApiError(400, 'request.malformed_json', err.message, 'body');
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return new ApiError(status, 'request.invalid', err.message);
}

/** `frameworkErrors`: errors raised before routing (a path parameter too long: 414; a bad URL: 400). */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const e = fastifyRequestError(err);
  void reply.status(e.statusCode).send(errorBody(e));
}

/** onRequest: a request target longer than MAX_URL_LENGTH is 414 before anything else looks at it. */
export async function limitUrlLength(request: FastifyRequest): Promise<void> {
  if (request.url.length > MAX_URL_LENGTH) {
    throw new ApiError(414, 'request.uri_too_long', `请求地址超过 ${MAX_URL_LENGTH} 个字符`);
  }
}

/**
 * `clientErrorHandler`: errors Node's HTTP parser raises before fastify sees a request (431 for
 * a header section over the limit, 408 for a client that stops sending, 400 otherwise), answered
 * in the API's error shape on the raw socket.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, error] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', new ApiError(431, 'request.headers_too_large', '请求头过大')]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', new ApiError(408, 'request.timeout', '请求超时')]
        : [400, 'Bad Request', new ApiError(400, 'request.malformed', '无法解析的 HTTP 请求')];
  const body = JSON.stringify(errorBody(error));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * Characters no text field may hold: C0 controls other than tab, line feed and carriage return,
 * DEL and the C1 controls, and the bidirectional formatting characters (embeddings, overrides,
 * isolates, marks) that make a name or a reason display other than it is stored.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The dotted path of the first string (value or key) holding a forbidden character, or undefined. */
export function forbiddenCharacterPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return FORBIDDEN.test(value) ? path.join('.') || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN.test(key)) return [...path, key].join('.');
    const found = forbiddenCharacterPath(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The code point that makes a string forbidden, as U+XXXX (for the message). */
export function forbiddenCharacterOf(value: string): string | undefined {
  const m = FORBIDDEN.exec(value);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** The value at a dotted path (as forbiddenCharacterPath returns it). */
export function valueAt(value: unknown, path: string): unknown {
  if (path === 'body') return value;
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

interface SchemaNode {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  patternProperties?: Record<string, SchemaNode>;
}

/** Paths of the numbers in a request schema that lack a lower or an upper bound. */
export function unboundedNumbers(schema: unknown, path = ''): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as SchemaNode;
  const types = [s.type].flat();
  const found: string[] = [];
  if ((types.includes('number') || types.includes('integer')) && s.const === undefined && s.enum === undefined) {
    const low = s.minimum !== undefined || s.exclusiveMinimum !== undefined;
    const high = s.maximum !== undefined || s.exclusiveMaximum !== undefined;
    if (!low || !high) found.push(path || '(root)');
  }
  for (const [k, child] of Object.entries(s.properties ?? {}))
    found.push(...unboundedNumbers(child, path ? `${path}.${k}` : k));
  for (const [k, child] of Object.entries(s.patternProperties ?? {}))
    found.push(...unboundedNumbers(child, `${path}[${k}]`));
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    found.push(...unboundedNumbers(s.additionalProperties, `${path}.*`));
  for (const child of [s.items ?? []].flat()) found.push(...unboundedNumbers(child, `${path}[]`));
  for (const child of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])])
    found.push(...unboundedNumbers(child, path));
  return found;
}
