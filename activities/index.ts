/**
 * All activities, built from their dependencies (no module-level state). Workflows import only
 * the type: `import type { Activities } from '../activities'`.
 */
import type { GovernmentSystems } from '../adapters/government/types';
import type { TransferPlatform } from '../adapters/transfer-platform/platform';
import type { Db } from '../db/client';
import type { CalendarSnapshot } from '../domain/working-days';
import { createAuditActivities } from './audit';
import { createCalendarActivities } from './calendar';
import { createCaseActivities } from './cases';
import { createCertificationActivities } from './certification';
import { createClaimActivities } from './claims';
import { createContributionIntakeActivities } from './contributions-intake';
import { createEnrollmentActivities } from './enrollment';
import { createPayrollActivities } from './payroll';
import { createRecalculationActivities } from './recalculation';
import { createRecoveryActivities } from './recovery';
import { createRiskControlActivities } from './risk-controls';
import { createRetirementActivities } from './retirement';
import { createStopActivities } from './stop';
import { createSupervisionActivities } from './supervision';
import { createTransferInActivities } from './transfer-in';
import { createTransferMessageActivities } from './transfer-messages';
import { createTransferOutActivities } from './transfer-out';

export interface ActivityDeps {
  db: Db;
  calendar: { current(): Promise<CalendarSnapshot> };
  platform: TransferPlatform;
  /** Tax feed, personnel-archive service, death registry. */
  government: GovernmentSystems;
  /** Key ID → Ed25519 public key (hex) of the API's assertions (ASSERTION_PUBLIC_KEYS). */
  assertionPublicKeys: Record<string, string>;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseActivities(deps),
    ...createCalendarActivities(deps),
    ...createEnrollmentActivities(deps),
    ...createStopActivities(deps),
    ...createTransferMessageActivities(deps),
    ...createTransferInActivities(deps),
    ...createTransferOutActivities(deps),
    ...createRetirementActivities(deps),
    ...createPayrollActivities(deps),
    ...createRecalculationActivities(deps),
    ...createRiskControlActivities(deps),
    ...createRecoveryActivities(deps),
    ...createCertificationActivities(deps),
    ...createClaimActivities(deps),
    ...createContributionIntakeActivities(deps),
    ...createAuditActivities(deps),
    ...createSupervisionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
