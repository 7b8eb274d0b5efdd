/**
 * Workflow IDs come only from the `*WorkflowId` helpers, and running workflows and histories
 * depend on them: each helper's output is pinned here byte for byte.
 */
import { caseNumber, caseWorkflowId } from '../../domain/case-ids';
import { benefitClaimWorkflowId } from '../../workflows/benefit-claim';
import { certificationWatchId } from '../../workflows/certification';
import { enrollmentWorkflowId } from '../../workflows/enrollment';
import { awardRecalculationWorkflowId, parametersPublishedWorkflowId } from '../../workflows/parameters-published';
import { retirementWatchId } from '../../workflows/retirement-watch';
import { selfInspectionWorkflowId } from '../../workflows/self-inspection';
import { stopWorkflowId } from '../../workflows/stop';

test('each workflow ID helper builds the ID running workflows have', () => {
  expect(enrollmentWorkflowId('620102', '2025-000001')).toBe('enrollment-620102-2025-000001');
  expect(stopWorkflowId('620102', '2025-000002')).toBe('stop-620102-2025-000002');
  expect(benefitClaimWorkflowId('620102', '2025-000003')).toBe('benefit-claim-620102-2025-000003');
  expect(certificationWatchId('award-7')).toBe('certification-award-7');
  expect(retirementWatchId('PKEY')).toBe('retirement-watch-PKEY');
  expect(parametersPublishedWorkflowId(12)).toBe('parameter-publication-12');
  expect(awardRecalculationWorkflowId('award-7', 12)).toBe('award-recalculation-award-7-p12');
  expect(selfInspectionWorkflowId('620102', '2025Q1')).toBe('self-inspection-620102-2025Q1');
});

test('a case ID is its procedure, agency, year and six-digit serial', () => {
  expect(caseNumber(2025, 42)).toBe('2025-000042');
  const ids = (
    ['enrollment', 'stop', 'transfer_in', 'transfer_out', 'benefit_claim', 'pre_review', 'recovery'] as const
  ).map((p) => caseWorkflowId(p, '620102', caseNumber(2025, 7)));
  expect(ids).toEqual([
    'enrollment-620102-2025-000007',
    'stop-620102-2025-000007',
    'transfer-in-620102-2025-000007',
    'transfer-out-620102-2025-000007',
    'benefit-claim-620102-2025-000007',
    'pre-review-620102-2025-000007',
    'recovery-620102-2025-000007',
  ]);
});
