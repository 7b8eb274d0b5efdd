/** Every workflow type the worker registers (the single workflowsPath). */
export { enrollment } from './enrollment';
export { stop } from './stop';
export { transferIn } from './transfer-in';
export { transferOut } from './transfer-out';
export { taxFeedPull } from './tax-feed';
export { benefitClaim } from './benefit-claim';
export { retirementWatch } from './retirement-watch';
export { preReview } from './pre-review';
export { payrollRun } from './payroll';
export { certificationWatch } from './certification';
export { auditAnchor } from './audit-anchor';
export { parametersPublished } from './parameters-published';
export { awardRecalculation } from './award-recalculation';
export { recovery } from './recovery';
export { selfInspectionRound } from './self-inspection';
export { selfInspection } from './self-inspection';
export { tipOffAudit } from './tip-off-audit';
