/**
 * The quarterly self-inspection (自查, R-5, DB62/T 5079.1—2025 10.2.4). The `self-inspection-
 * quarterly` schedule starts `selfInspectionRound` at the start of each quarter; the round starts
 * one `selfInspection` per agency that closed cases in the quarter before (ID
 * `self-inspection-<agency>-<YYYY>Q<n>`, a business key: the same agency and quarter is inspected
 * once). The inspection draws its sample (stratified by procedure and risk grade) and opens one
 * inspection task per sampled case in the supervisors' inbox; a supervisor who took no part in the
 * case records the result (the API checks that). When every sampled case is inspected, or the
 * inspection's working-day deadline passes, the written report is issued; findings to rectify
 * stay open in the inbox until resolved.
 */
import {
  condition,
  defineSignal,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { InspectionReportSummary } from '../activities/supervision';
import { previousQuarter, SUPERVISION_LIMITS } from '../domain/supervision';
import { chinaDateOf } from '../domain/working-days';
import { db } from './shared/activity-options';

export interface SelfInspectionInput {
  agencyCode: string;
  /** The quarter inspected, e.g. "2026Q1". */
  quarter: string;
  /** Working days the inspectors have (fixed at start). */
  workingDays: number;
}

export interface SelfInspectionRoundInput {
  /** Default: the quarter before the one the round starts in (China time). */
  quarter?: string;
  /** Agencies to inspect; default every agency that closed cases in the quarter. */
  agencies?: string[];
}

/** Sent by the API when an inspection task is completed: the workflow looks at its progress again. */
export const inspectionRecordedSignal = defineSignal('inspectionRecorded');

export function selfInspectionWorkflowId(agencyCode: string, quarter: string): string {
  return `self-inspection-${agencyCode}-${quarter}`;
}

/** One agency's self-inspection of one quarter: sample, inspection tasks, written report. */
export async function selfInspection(input: SelfInspectionInput): Promise<InspectionReportSummary> {
  let wakeups = 0;
  setHandler(inspectionRecordedSignal, () => {
    wakeups += 1;
  });
  const inspectionId = workflowInfo().workflowId;
  const startedAtMs = Date.now();
  const due = await db.projectDeadline({ fromMs: startedAtMs, workingDays: input.workingDays });
  // A wake-up counts from before the progress is read: one that arrives while it is being read
  // (the last inspection recorded meanwhile) is not lost, or the report would wait for the deadline.
  // Runs started before the fix replay as recorded.
  const countEarly = patched('self-inspection-early-wakeups');
  let seen = wakeups;
  let progress = await db.drawInspectionSample({
    inspectionId,
    agencyCode: input.agencyCode,
    quarter: input.quarter,
    startedAtMs,
    dueDate: due.dueDate,
    dueAtMs: due.dueAtMs,
  });
  while (progress.pending > 0) {
    setCurrentDetails(
      `${input.quarter} 自查：抽查 ${progress.items} 件，待检查 ${progress.pending} 件；检查期限 ${due.dueDate}（${input.workingDays} 个工作日，第10.2.4条）`,
    );
    const before = countEarly ? seen : wakeups;
    const woken = await condition(() => wakeups > before, Math.max(due.dueAtMs - Date.now(), 1), {
      summary: `自查期限: ${input.workingDays} 个工作日，至 ${due.dueDate} (10.2.4)`,
    });
    if (!woken) break;
    seen = wakeups;
    progress = await db.inspectionProgress({ inspectionId });
  }
  const report = await db.issueInspectionReport({ inspectionId, atMs: Date.now() });
  setCurrentDetails(
    `${input.quarter} 自查报告已出具：抽查 ${report.sampled} 件，已检查 ${report.inspected} 件，发现问题 ${report.findings} 项，未检查 ${report.notInspected} 件`,
  );
  return report;
}

/** Starts the quarter's self-inspection of every agency (each once). */
export async function selfInspectionRound(
  input: SelfInspectionRoundInput,
): Promise<{ quarter: string; started: string[]; alreadyStarted: string[] }> {
  const quarter = input.quarter ?? previousQuarter(chinaDateOf(Date.now()));
  const agencies = await db.inspectionAgencies({ quarter, ...(input.agencies ? { agencies: input.agencies } : {}) });
  const started: string[] = [];
  const alreadyStarted: string[] = [];
  for (const agencyCode of agencies) {
    const workflowId = selfInspectionWorkflowId(agencyCode, quarter);
    try {
      await startChild(selfInspection, {
        workflowId,
        args: [{ agencyCode, quarter, workingDays: SUPERVISION_LIMITS.inspection }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      alreadyStarted.push(workflowId);
    }
  }
  setCurrentDetails(
    `${quarter} 自查：已启动 ${started.length} 个经办机构的自查${alreadyStarted.length ? `，${alreadyStarted.length} 个已在进行或已完成` : ''}`,
  );
  return { quarter, started, alreadyStarted };
}
