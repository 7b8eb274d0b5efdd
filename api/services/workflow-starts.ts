/**
 * How workflows are started from outside a workflow (the API, the reconciler, the scripts, the
 * tests): a workflow is named by its registered type (`WorkflowType`, checked against
 * workflows/index.ts, so a renamed workflow is a compile error at every starter) together with
 * options whose arguments are checked against that workflow's parameters. Each long-lived
 * workflow has one function below giving its task queue, ID, ID reuse/conflict policy and
 * summary; every starter of that workflow uses it. (Case workflows: case-starter.ts.)
 */
import {
  WithStartWorkflowOperation,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { Workflows, WorkflowType } from '../../workflows/workflow-types';
import { certificationWatchId, type CertificationWatchInput } from '../../workflows/certification';
import { parametersPublishedWorkflowId } from '../../workflows/parameters-published';
import { RETIREMENT_WATCH_SUMMARY, retirementWatchId } from '../../workflows/retirement-watch';
import { selfInspectionWorkflowId, type SelfInspectionInput } from '../../workflows/self-inspection';
import type { TipOffAuditInput } from '../../workflows/tip-off-audit';

export type { Workflows, WorkflowType };

/** A workflow to start: its registered type and its start options, typed by that workflow. */
export interface WorkflowStart<K extends WorkflowType> {
  type: K;
  options: WorkflowStartOptions<Workflows[K]>;
}

/** Starts the workflow (throws WorkflowExecutionAlreadyStartedError as the client does). */
export function startWorkflow<K extends WorkflowType>(
  client: Client,
  s: WorkflowStart<K>,
): Promise<WorkflowHandle<Workflows[K]>> {
  return client.workflow.start<Workflows[K]>(s.type, s.options);
}

/** The start half of an update-with-start (its options must say what happens when it runs already). */
export function withStartOperation<K extends WorkflowType>(
  s: WorkflowStart<K> & { options: { workflowIdConflictPolicy: WorkflowIdConflictPolicy } },
): WithStartWorkflowOperation<Workflows[K]> {
  return new WithStartWorkflowOperation<Workflows[K]>(s.type, s.options);
}

/** The person's retirement watch (B-7): one per person; a finished watch may be started again. */
export function retirementWatchStart(taskQueue: string, personKey: string): WorkflowStart<'retirementWatch'> {
  return {
    type: 'retirementWatch',
    options: {
      workflowId: retirementWatchId(personKey),
      taskQueue,
      args: [{ personKey }],
      staticSummary: RETIREMENT_WATCH_SUMMARY,
    },
  };
}

/** An award's yearly certification watch: one per award; a certification attaches to the running one. */
export function certificationWatchStart(
  taskQueue: string,
  input: CertificationWatchInput,
): WorkflowStart<'certificationWatch'> & { options: { workflowIdConflictPolicy: 'USE_EXISTING' } } {
  return {
    type: 'certificationWatch',
    options: {
      workflowId: certificationWatchId(input.awardId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: '领取待遇资格认证（每12个月，R-4）',
    },
  };
}

/** An agency's self-inspection of a quarter: once per agency and quarter, never again. */
export function selfInspectionStart(taskQueue: string, input: SelfInspectionInput): WorkflowStart<'selfInspection'> {
  return {
    type: 'selfInspection',
    options: {
      workflowId: selfInspectionWorkflowId(input.agencyCode, input.quarter),
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    },
  };
}

/** A tip-off audit's clock (10.2.4), ID = the audit's number: once per audit, never again. */
export function tipOffAuditStart(taskQueue: string, input: TipOffAuditInput): WorkflowStart<'tipOffAudit'> {
  return {
    type: 'tipOffAudit',
    options: { workflowId: input.auditId, taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' },
  };
}

/** The fan-out of a parameter publication: one per publication. */
export function parametersPublishedStart(
  taskQueue: string,
  publicationId: number,
): WorkflowStart<'parametersPublished'> {
  return {
    type: 'parametersPublished',
    options: {
      workflowId: parametersPublishedWorkflowId(publicationId),
      taskQueue,
      args: [{ publicationId }],
      staticSummary: `参数发布 #${publicationId}：唤醒等待参数的案件，重算暂定待遇`,
    },
  };
}
