/** Request checks beyond the JSON schema, shared by the routes. */
import { validateIdNumber, type IdNumberCheck } from '../domain/id-number';
import { chinaDateOf } from '../domain/working-days';
import { ApiError, badRequest } from './errors';

/** Validates an ID number field; throws 400 with the ID rule's own code and the field path. */
export function requireValidIdNumber(
  value: string,
  field: string,
  now: Date,
): IdNumberCheck & { normalized: string; birthDate: string; sex: 'male' | 'female' } {
  const check = validateIdNumber(value, chinaDateOf(now.getTime()));
  if (!check.valid) {
    const first = check.errors[0];
    throw new ApiError(400, first.code, `${field}: ${check.errors.map((e) => e.message).join('；')}`, field);
  }
  return check as IdNumberCheck & { normalized: string; birthDate: string; sex: 'male' | 'female' };
}

export function requireNonBlank(value: string | undefined, field: string): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) throw badRequest('validation.blank', `${field}: 不能为空`, field);
  return trimmed;
}

/** Idempotency-Key: optional, 1–200 visible ASCII characters. */
export function idempotencyKeyOf(headers: Record<string, unknown>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(raw)) {
    throw badRequest(
      'validation.idempotency_key',
      'Idempotency-Key must be 1–200 visible ASCII characters',
      'Idempotency-Key',
    );
  }
  return raw;
}
