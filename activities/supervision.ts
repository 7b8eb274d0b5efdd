/**
 * Supervision activities: the self-inspection's sample, progress and written report, and the
 * tip-off audit's clock. Each is one idempotent database step.
 */
import type { ClockSnapshot } from '../domain/case-records';
import { recordAuditClock } from '../db/repositories/audits';
import {
  agenciesWithClosedCases,
  drawInspectionSample,
  inspectionProgress,
  issueInspectionReport,
  type InspectionProgress,
} from '../db/repositories/inspections';
import type { ActivityDeps } from '.';

/** What a workflow learns of an issued report (the report itself stays in the database). */
export interface InspectionReportSummary {
  inspectionId: string;
  sampled: number;
  inspected: number;
  withFindings: number;
  notInspected: number;
  findings: number;
}

export function createSupervisionActivities(deps: Pick<ActivityDeps, 'db'>) {
  const { db } = deps;
  return {
    /** Agencies to inspect for the quarter: those that closed cases in it (among `agencies`, when given). */
    async inspectionAgencies(input: { quarter: string; agencies?: string[] }): Promise<string[]> {
      return agenciesWithClosedCases(db, input.quarter, input.agencies);
    },

    /** Draws the quarter's sample and opens the inspection tasks (once). */
    async drawInspectionSample(input: {
      inspectionId: string;
      agencyCode: string;
      quarter: string;
      startedAtMs: number;
      dueDate: string;
      dueAtMs: number;
    }): Promise<InspectionProgress> {
      return drawInspectionSample(db, {
        inspectionId: input.inspectionId,
        agencyCode: input.agencyCode,
        quarter: input.quarter,
        startedAt: new Date(input.startedAtMs),
        dueDate: input.dueDate,
        dueAt: new Date(input.dueAtMs),
      });
    },

    async inspectionProgress(input: { inspectionId: string }): Promise<InspectionProgress> {
      return inspectionProgress(db, input.inspectionId);
    },

    /** Issues the written report (once); items nobody inspected by then are recorded as not inspected. */
    async issueInspectionReport(input: { inspectionId: string; atMs: number }): Promise<InspectionReportSummary> {
      const report = await issueInspectionReport(db, input.inspectionId, new Date(input.atMs));
      const s = report.summary;
      return {
        inspectionId: input.inspectionId,
        sampled: s.sampled,
        inspected: s.inspected,
        withFindings: s.withFindings,
        notInspected: s.notInspected,
        findings: s.findings,
      };
    },

    /** The tip-off audit's clock as the workflow sees it; with the conclusion when it closes. */
    async recordAuditClock(input: {
      auditId: string;
      event: 'opened' | 'reminder' | 'breached' | 'concluded';
      clock: ClockSnapshot;
      conclusion?: { text: string; actorId: string; atMs: number };
    }): Promise<void> {
      await recordAuditClock(db, {
        auditId: input.auditId,
        event: input.event,
        clock: input.clock,
        conclusion: input.conclusion
          ? { text: input.conclusion.text, actorId: input.conclusion.actorId, at: new Date(input.conclusion.atMs) }
          : undefined,
      });
    },
  };
}
