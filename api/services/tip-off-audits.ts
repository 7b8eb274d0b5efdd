/**
 * Starting the tip-off audit's clock (the tipOffAudit workflow, ID = the audit's number), and the
 * reconciler's pass: an open tip-off audit whose clock was never recorded (the API stopped between
 * writing the audit and starting its workflow) gets its workflow, with the receipt instant it was
 * written with, so its deadline is the same as it would have been.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { audits } from '../../db/schema';
import { SUPERVISION_LIMITS } from '../../domain/supervision';
import type { TipOffAuditInput } from '../../workflows/tip-off-audit';
import { signInput, systemActor, type AssertionSigner } from '../auth/assertions';
import { startWorkflow, tipOffAuditStart } from './workflow-starts';

/**
 * Starts the audit's workflow, its input signed by the API (the workflow refuses an unsigned
 * start: workflows/shared/trust.ts); already started is fine.
 */
export async function startTipOffAudit(
  temporal: Client,
  taskQueue: string,
  assertions: AssertionSigner,
  input: TipOffAuditInput,
): Promise<void> {
  const signed = signInput(assertions, input, {
    actor: systemActor(input.agencyCode),
    caseId: input.auditId,
    action: 'start',
    key: input.auditId,
  });
  try {
    await startWorkflow(temporal, tipOffAuditStart(taskQueue, signed));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Starts the workflow of every open tip-off audit written more than `graceMs` ago without a clock; returns their IDs. */
export async function reconcileTipOffAudits(deps: {
  db: Db;
  temporal: Client;
  taskQueue: string;
  assertions: AssertionSigner;
  now?: () => Date;
  graceMs?: number;
}): Promise<string[]> {
  const before = new Date((deps.now?.() ?? new Date()).getTime() - (deps.graceMs ?? 60_000));
  const stuck = await deps.db
    .select({ id: audits.id, agencyCode: audits.agencyCode, receivedAt: audits.receivedAt, openedAt: audits.openedAt })
    .from(audits)
    .where(
      and(eq(audits.kind, 'tip_off'), eq(audits.status, 'open'), isNull(audits.clock), lt(audits.openedAt, before)),
    );
  for (const a of stuck) {
    await startTipOffAudit(deps.temporal, deps.taskQueue, deps.assertions, {
      auditId: a.id,
      agencyCode: a.agencyCode,
      receivedAt: (a.receivedAt ?? a.openedAt).toISOString(),
      workingDays: SUPERVISION_LIMITS.tipOffAudit,
    });
  }
  return stuck.map((a) => a.id);
}
