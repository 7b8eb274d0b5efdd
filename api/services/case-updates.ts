/**
 * Sends a staff message (decide, extend the deadline, supplement…) to a case workflow as an
 * Update and maps a refusal to an HTTP error. The workflow's validators are the authority on
 * what a case accepts (step, result, separation of duties); Temporal drops a rejected Update
 * from the history, so every refusal is recorded here in `audit_refusals` with the actor,
 * the stable code and the reason before the caller gets its 409/422.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { Db } from '../../db/client';
import type { Actor } from '../../domain/case-records';
import { refusalStatus } from '../../domain/refusal-codes';
import { signInput, type AssertionSigner } from '../auth/assertions';
import { recordRefusal } from '../auth/plugin';
import { ApiError, conflict } from '../errors';

export interface CaseUpdateRequest<Arg> {
  caseId: string;
  agencyCode?: string | null;
  update: UpdateDefinition<unknown, [Arg]>;
  arg: Arg;
  /** Update ID for idempotency (e.g. `decide:<Idempotency-Key>`); a repeat gets the first answer. */
  updateId?: string;
  /** Who asks (recorded with a refusal, and asserted to the workflow with their agencies). */
  actor: Actor & { agencies: string[] };
  /** What was attempted, e.g. "update decide" or the route. */
  action: string;
}

export async function executeCaseUpdate<Arg extends object>(
  deps: { db: Db; temporal: Client; assertions: AssertionSigner },
  r: CaseUpdateRequest<Arg>,
): Promise<void> {
  // Every Update carries the API's assertion, bound to its ID (a random one without an Idempotency-Key).
  const updateId = r.updateId ?? `${r.update.name}:${randomUUID()}`;
  const arg = signInput(deps.assertions, r.arg, {
    actor: r.actor,
    caseId: r.caseId,
    action: r.update.name,
    key: updateId,
  });
  try {
    await deps.temporal.workflow.getHandle(r.caseId).executeUpdate(r.update, { args: [arg], updateId });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const type = err.cause.type ?? 'update.refused';
      const field = (err.cause.details?.[0] as { field?: string } | undefined)?.field;
      await recordRefusal(deps.db, {
        actor: { id: r.actor.id, role: r.actor.role },
        action: r.action,
        code: type,
        reason: err.cause.message,
        caseId: r.caseId,
        agencyCode: r.agencyCode,
      });
      throw new ApiError(refusalStatus(type), type, err.cause.message, field);
    }
    if (err instanceof WorkflowNotFoundError) throw conflict('case.closed', '案件已办结');
    throw err;
  }
}
