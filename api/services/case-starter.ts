/**
 * Starting case workflows. The API writes the case row first (so a case exists even if
 * Temporal is briefly unreachable), then starts its workflow with update-with-start and waits
 * until the workflow has done everything it can without outside input. A reconciler starts any
 * case whose workflow never started, so no case is ever lost.
 */
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { signInput, systemActor, type AssertionSigner } from '../auth/assertions';
import { cases, persons, type Case, type Procedure } from '../../db/schema';
import { PROCEDURE_TEXT } from '../../domain/notices';
import type { BenefitClaimInput } from '../../workflows/benefit-claim';
import type { EnrollmentInput } from '../../workflows/enrollment';
import type { PreReviewInput } from '../../workflows/pre-review';
import type { RecoveryInput } from '../../workflows/recovery';
import { settleUpdate } from '../../workflows/shared/messages';
import {
  saAgencyCode,
  saCaseStage,
  saCaseStatus,
  saCounterpartAgency,
  saPersonKey,
  saProcedure,
} from '../../workflows/shared/search-attributes';
import type { CaseStart } from '../../domain/case-records';
import type { StopInput } from '../../workflows/stop';
import type { TransferInInput } from '../../workflows/transfer-in';
import type { TransferOutInput } from '../../workflows/transfer-out';
import type { WorkflowType } from '../../workflows/workflow-types';

export interface StarterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Signs each workflow input (the workflow verifies the start: workflows/shared/trust.ts). */
  assertions: AssertionSigner;
}

/** Workflow type per procedure (registered names: a renamed workflow fails to compile here). */
const WORKFLOW_TYPE: Record<Procedure, WorkflowType> = {
  enrollment: 'enrollment',
  stop: 'stop',
  transfer_in: 'transferIn',
  transfer_out: 'transferOut',
  benefit_claim: 'benefitClaim',
  pre_review: 'preReview',
  recovery: 'recovery',
};

const CHANNEL_TEXT: Record<string, string> = { online: '网上', offline: '窗口', platform: '转移平台' };

/** The workflow input, rebuilt from the case row: never the ID number or the name. */
/** What a case workflow is started with: one of the procedures' inputs. */
export type CaseWorkflowInput =
  EnrollmentInput | StopInput | TransferInInput | TransferOutInput | BenefitClaimInput | PreReviewInput | RecoveryInput;

export function workflowInput(c: Case, personKey: string): CaseWorkflowInput {
  const base: CaseStart = {
    caseId: c.id,
    agencyCode: c.agencyCode,
    channel: c.channel,
    personKey,
    receivedAt: c.receivedAt.toISOString(),
  };
  const app = c.application;
  const receivedBy = app.receivedBy as { id?: unknown; role?: unknown } | undefined;
  if (receivedBy && typeof receivedBy.id === 'string' && typeof receivedBy.role === 'string')
    base.receivedBy = { id: receivedBy.id, role: receivedBy.role };
  switch (c.procedure) {
    case 'enrollment': {
      const input: EnrollmentInput = {
        ...base,
        category: String(app.category),
        materials: (app.materials as EnrollmentInput['materials']) ?? [],
        hasDelegate: Boolean(app.delegate),
        supplementWorkingDays: Number(app.supplementWorkingDays),
      };
      return input;
    }
    case 'stop': {
      const input: StopInput = {
        ...base,
        reason: app.reason as StopInput['reason'],
        detail: app.detail as string | undefined,
        effectiveDate: String(app.effectiveDate),
        ...(Array.isArray(app.materials) ? { materials: app.materials as StopInput['materials'] } : {}),
      };
      return input;
    }
    case 'transfer_in': {
      const input: TransferInInput = {
        ...base,
        transferId: typeof app.transferId === 'string' ? app.transferId : c.id,
        counterpartAgency: String(app.fromAgencyCode),
        ...(Array.isArray(app.materials) && app.materials.length > 0
          ? { materials: app.materials as TransferInInput['materials'] }
          : {}),
      };
      return input;
    }
    case 'transfer_out': {
      const input: TransferOutInput = {
        ...base,
        transferId: String(app.transferId),
        counterpartAgency: String(app.counterpartAgency),
        contactLetterMessageId: String(app.contactLetterMessageId),
      };
      return input;
    }
    case 'benefit_claim': {
      const input: BenefitClaimInput = {
        ...base,
        materials: (app.materials as BenefitClaimInput['materials']) ?? [],
        retireAt: typeof app.retireAt === 'string' ? app.retireAt : undefined,
        lumpSum: app.lumpSum === true,
        supplementWorkingDays: Number(app.supplementWorkingDays),
      };
      return input;
    }
    case 'pre_review': {
      // Opened by the person's retirement watch; the reconciler starts it if that did not.
      const input: PreReviewInput = {
        ...base,
        retirementYearMonth: String(app.retirementYearMonth),
        followUpWorkingDays: Number(app.followUpWorkingDays),
      };
      return input;
    }
    case 'recovery': {
      // Opened by the payroll's death comparison; the reconciler starts it if that did not.
      const input: RecoveryInput = {
        ...base,
        awardId: String(app.awardId),
        months: (app.months as string[]) ?? [],
        total: String(app.total),
      };
      return input;
    }
    default:
      throw new Error(`no workflow for procedure ${String(c.procedure)}`);
  }
}

function counterpartOf(c: Case): string | undefined {
  const app = c.application as { fromAgencyCode?: string; counterpartAgency?: string };
  if (c.procedure === 'transfer_in') return app.fromAgencyCode;
  if (c.procedure === 'transfer_out') return app.counterpartAgency;
  return undefined;
}

export function createCaseStarter(deps: StarterDeps) {
  function startOptions(
    c: Case,
    personKey: string,
  ): WorkflowStartOptions & { workflowIdConflictPolicy: 'USE_EXISTING' } {
    return {
      workflowId: c.workflowId,
      taskQueue: deps.taskQueue,
      // Signed when started (by the request or the reconciler): the workflow checks it is recent.
      args: [
        signInput(deps.assertions, workflowInput(c, personKey), {
          actor: systemActor(c.agencyCode),
          caseId: c.id,
          action: 'start',
          key: c.id,
        }),
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A finished case is never started again under the same ID.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `${PROCEDURE_TEXT[c.procedure] ?? c.procedure} · 经办机构 ${c.agencyCode} · ${CHANNEL_TEXT[c.channel] ?? c.channel}受理`,
      staticDetails: `案件编号 ${c.id}；受理时间 ${c.receivedAt.toISOString()}`,
      typedSearchAttributes: [
        { key: saProcedure, value: c.procedure },
        { key: saAgencyCode, value: c.agencyCode },
        { key: saPersonKey, value: personKey },
        { key: saCaseStatus, value: 'open' },
        { key: saCaseStage, value: 'received' },
        ...(counterpartOf(c) ? [{ key: saCounterpartAgency, value: counterpartOf(c)! }] : []),
      ],
    };
  }

  return {
    /**
     * Starts the case's workflow (or attaches to it) and waits until it settles. Returns false
     * when the workflow had already finished (the caller reads the record instead).
     */
    async startAndSettle(c: Case, personKey: string): Promise<boolean> {
      try {
        const startWorkflowOperation = new WithStartWorkflowOperation(
          WORKFLOW_TYPE[c.procedure],
          startOptions(c, personKey),
        );
        await deps.temporal.workflow.executeUpdateWithStart(settleUpdate, { startWorkflowOperation });
        return true;
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
        throw err;
      }
    },

    /** Starts the case's workflow without waiting for it (messages from other systems are only acknowledged). */
    async start(c: Case, personKey: string): Promise<void> {
      try {
        await deps.temporal.workflow.start(WORKFLOW_TYPE[c.procedure], startOptions(c, personKey));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },

    /** Starts the workflow of every open case that has none yet (older than `graceMs`). */
    async reconcile(graceMs = 30_000): Promise<string[]> {
      const rows = await deps.db
        .select({ c: cases, personKey: persons.personKey })
        .from(cases)
        .innerJoin(persons, eq(persons.id, cases.personId))
        .where(
          and(
            eq(cases.status, 'open'),
            isNull(cases.workflowRunId),
            lt(cases.createdAt, sql`now() - make_interval(secs => ${graceMs / 1000})`),
          ),
        )
        .limit(100);
      const started: string[] = [];
      for (const { c, personKey } of rows) {
        try {
          await deps.temporal.workflow.start(WORKFLOW_TYPE[c.procedure], startOptions(c, personKey));
          started.push(c.id);
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
      return started;
    },
  };
}

export type CaseStarter = ReturnType<typeof createCaseStarter>;
