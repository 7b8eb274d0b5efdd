/** Request checks beyond the JSON schema, shared by the routes. */
import { validateIdNumber, type IdNumberCheck } from '../domain/id-number';
import { chinaDateOf } from '../domain/working-days';
import { ApiError, badRequest } from './errors';

/** Validates an ID number field; throws 400 with the ID rule's own code and the field path. */
export function requireValidIdNumber(value: string, field: string, now: Date): IdNumberCheck & { normalized: string; birthDate: string; sex: 'male' | 'female' } {
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
    throw badRequest('validation.idempotency_key', 'Idempotency-Key must be 1–200 visible ASCII characters', 'Idempotency-Key');
  }
  return raw;
}

/**
 * The dotted path of the first string (value or key) containing U+0000, or undefined.
 * PostgreSQL cannot store that character in text or jsonb, so it is refused at the door
 * instead of failing the insert (500) or an activity that would retry forever.
 */
export function nulCharacterPath(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key].join('.');
    const found = nulCharacterPath(child, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}
