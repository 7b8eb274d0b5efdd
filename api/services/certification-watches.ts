/**
 * Starting an award's certification watch from outside a workflow (the certifications route
 * starts it with its Update when none is running), its input signed by the API: the watch
 * refuses an unsigned start (workflows/shared/trust.ts). The benefit claim starts it as a child
 * (workflow code, trusted), and the watch's own continue-as-new carries its input on.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  certificationWatchId,
  type certificationWatch,
  type CertificationWatchInput,
} from '../../workflows/certification';
import { signInput, systemActor, type AssertionSigner } from '../auth/assertions';
import { certificationWatchStart } from './workflow-starts';

/** The watch's input, signed as the API itself for the award's agency. */
export function signedWatchInput(
  assertions: AssertionSigner,
  award: { awardId: string; caseId: string; agencyCode: string },
): CertificationWatchInput {
  const workflowId = certificationWatchId(award.awardId);
  const input: CertificationWatchInput = { awardId: award.awardId, caseId: award.caseId, agencyCode: award.agencyCode };
  return signInput(assertions, input, {
    actor: systemActor(award.agencyCode),
    caseId: workflowId,
    action: 'start',
    key: workflowId,
  });
}

/** Starts the award's watch (fails when one is running: the caller decides). */
export async function startCertificationWatch(
  temporal: Client,
  taskQueue: string,
  assertions: AssertionSigner,
  award: { awardId: string; caseId: string; agencyCode: string },
): Promise<WorkflowHandle<typeof certificationWatch>> {
  const s = certificationWatchStart(taskQueue, signedWatchInput(assertions, award));
  return temporal.workflow.start<typeof certificationWatch>(s.type, { ...s.options, workflowIdConflictPolicy: 'FAIL' });
}
