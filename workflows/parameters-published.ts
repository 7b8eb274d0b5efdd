/**
 * What a parameter publication sets off (issue 9), durably: every open case waiting on
 * parameters is signalled to compute again, and every provisional award gets its own
 * `awardRecalculation` workflow (started by business key, abandoned, so a publication handled
 * twice starts each recalculation once). Started by the API when a proposal is approved, and by
 * the reconciler for any publication whose fan-out has not finished (a crash in between).
 * ID: `parameter-publication-<publicationId>`.
 */
import {
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setCurrentDetails,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { chinaDateOf } from '../domain/working-days';
import { awardRecalculation } from './award-recalculation';
import { db } from './shared/activity-options';
import { parametersPublishedSignal } from './shared/messages';

export interface ParametersPublishedInput {
  publicationId: number;
  /** Carried over continue-as-new: which list is being walked and where it stands. */
  phase?: 'cases' | 'awards';
  after?: string | null;
  woken?: number;
  recalculations?: number;
}

const PAGE = 200;

export function parametersPublishedWorkflowId(publicationId: number): string {
  return `parameter-publication-${publicationId}`;
}

export function awardRecalculationWorkflowId(awardId: string, publicationId: number): string {
  return `award-recalculation-${awardId}-p${publicationId}`;
}

/** Wakes the cases waiting on parameters and recalculates the provisional awards after a publication. */
export async function parametersPublished(
  input: ParametersPublishedInput,
): Promise<{ woken: number; recalculations: number }> {
  let phase = input.phase ?? 'cases';
  let after = input.after ?? null;
  let woken = input.woken ?? 0;
  let recalculations = input.recalculations ?? 0;
  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof parametersPublished>({
        publicationId: input.publicationId,
        phase,
        after,
        woken,
        recalculations,
      });
    }
    setCurrentDetails(
      `参数发布 #${input.publicationId}：已唤醒 ${woken} 件等待参数的案件，已启动 ${recalculations} 项待遇重算`,
    );
    const page = await db.publicationTargets({ kind: phase, after, limit: PAGE });
    for (const id of page) {
      if (phase === 'cases') {
        try {
          await getExternalWorkflowHandle(id).signal(parametersPublishedSignal);
          woken += 1;
        } catch {
          // The case closed (or its workflow ended) meanwhile: nothing to wake.
        }
      } else {
        try {
          await startChild(awardRecalculation, {
            workflowId: awardRecalculationWorkflowId(id, input.publicationId),
            args: [{ awardId: id, publicationId: input.publicationId }],
            parentClosePolicy: ParentClosePolicy.ABANDON,
          });
          recalculations += 1;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
    }
    after = page.at(-1) ?? after;
    if (page.length < PAGE) {
      if (phase === 'awards') break;
      phase = 'awards';
      after = null;
    }
  }
  await db.finishPublicationFanOut({ publicationId: input.publicationId });
  setCurrentDetails(
    `参数发布 #${input.publicationId}：完成（${chinaDateOf(Date.now())}）；唤醒 ${woken} 件案件，启动 ${recalculations} 项待遇重算`,
  );
  return { woken, recalculations };
}
