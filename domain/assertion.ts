/**
 * The text the API's assertion signature covers (api/auth/assertions.ts signs it,
 * workflows/shared/trust.ts verifies it): the input in canonical JSON with the assertion's
 * signature left out. Pure, so the workflow sandbox and the API compute the same text.
 */
import { canonicalJson } from './canonical-json';

export function assertionMessage(input: Record<string, unknown>): string {
  const { assertion, ...rest } = input as { assertion?: Record<string, unknown> };
  if (!assertion || typeof assertion !== 'object') return canonicalJson(rest);
  const { sig: _signature, ...claims } = assertion;
  return canonicalJson({ ...rest, assertion: claims });
}
