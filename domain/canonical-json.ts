/**
 * JSON with object keys sorted at every level: the same value always gives the same text. Used
 * for the hash chain of case events, for request hashes, and for the signed assertions that the
 * API attaches to every staff/applicant input and the workflows verify (so it must stay pure and
 * deterministic: workflow code imports it). Like JSON.stringify, undefined object members are
 * left out.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return JSON.stringify(value ?? null);
}
