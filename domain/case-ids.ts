/**
 * A case's ID, which is also its workflow's ID: `<procedure>-<agency>-<year>-<serial>`, the serial
 * counted per agency and year (case_counters). Running workflows, histories and every case row
 * depend on these IDs: they are built here only (the workflows' `*WorkflowId` helpers, the API's
 * intake and the activities that open cases), pinned by test/unit/workflow-ids.test.ts.
 */
const CASE_ID_PREFIX = {
  enrollment: 'enrollment',
  stop: 'stop',
  transfer_in: 'transfer-in',
  transfer_out: 'transfer-out',
  benefit_claim: 'benefit-claim',
  pre_review: 'pre-review',
  recovery: 'recovery',
} as const;

export type CaseProcedure = keyof typeof CASE_ID_PREFIX;

/** The case number within its agency: `<year>-<serial, six digits>`. */
export function caseNumber(year: number, serial: number): string {
  return `${year}-${String(serial).padStart(6, '0')}`;
}

export function caseWorkflowId(procedure: CaseProcedure, agencyCode: string, number: string): string {
  return `${CASE_ID_PREFIX[procedure]}-${agencyCode}-${number}`;
}
