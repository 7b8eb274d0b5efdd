/**
 * Inputs signed as the API signs them (api/auth/assertions.ts), for tests that talk to a
 * workflow directly rather than through the API.
 */
import { signInput } from '../../api/auth/assertions';
import type { StaffDecision } from '../../workflows/shared/types';
import { testEnv } from './env';

/** A decision of `decision.actor` (working for every agency) for the Update `updateId` of `caseId`. */
export function signedDecision(caseId: string, decision: StaffDecision, updateId: string): StaffDecision {
  return signInput(testEnv.assertions, decision, { actor: { ...decision.actor, agencies: ['*'] }, caseId, action: 'decide', key: updateId });
}
