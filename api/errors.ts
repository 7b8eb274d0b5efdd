/**
 * API errors: every refusal has an HTTP status, a stable machine code (e.g.
 * "case.already_open") and a message naming the offending field. 5xx messages are hidden.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, field?: string) => new ApiError(400, code, message, field);
export const notFound = (code: string, message: string) => new ApiError(404, code, message);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(409, code, message, undefined, extra);
export const unprocessable = (code: string, message: string, field?: string, extra: Record<string, unknown> = {}) =>
  new ApiError(422, code, message, field, extra);

export interface ErrorBody {
  error: { code: string; message: string; field?: string } & Record<string, unknown>;
}

export function errorBody(err: ApiError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...err.extra } };
}
