/**
 * Inputs signed as the API signs them (api/auth/assertions.ts), for tests that talk to a
 * workflow directly rather than through the API.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { signInput } from '../../api/auth/assertions';
import type { StaffDecision } from '../../workflows/shared/types';
import { testEnv } from './env';

/** A decision of `decision.actor` (working for every agency) for the Update `updateId` of `caseId`. */
export function signedDecision(caseId: string, decision: StaffDecision, updateId: string): StaffDecision {
  return signInput(testEnv.assertions, decision, {
    actor: { ...decision.actor, agencies: ['*'] },
    caseId,
    action: 'decide',
    key: updateId,
  });
}

/** The refusal type of an Update a workflow rejected (undefined when it was taken). */
export async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
      return err.cause.type ?? undefined;
    throw err;
  }
}
