/**
 * Recalculation of one provisional award (待遇重算) after a parameter publication: one activity,
 * one transaction (new amount in the award's history, the difference for the months already
 * paid, the notice), idempotent by award and publication. ID:
 * `award-recalculation-<awardId>-p<publicationId>`, started by `parametersPublished`.
 */
import { setCurrentDetails } from '@temporalio/workflow';
import type { RecalculationOutcome } from '../activities/recalculation';
import { chinaDateOf } from '../domain/working-days';
import { db } from './shared/activity-options';

export interface AwardRecalculationInput {
  awardId: string;
  publicationId: number;
}

/** Recomputes a provisional award with the values now published; the next payroll settles the difference. */
export async function awardRecalculation(input: AwardRecalculationInput): Promise<RecalculationOutcome> {
  const outcome = await db.recalculateAward({ ...input, recalculatedOn: chinaDateOf(Date.now()) });
  setCurrentDetails(
    outcome.status === 'recalculated'
      ? `待遇重算：${outcome.before} → ${outcome.after} 元/月，已发放月份差额 ${outcome.difference} 元（${outcome.months} 个月），下次发放时结算${outcome.stillProvisional ? '；仍为暂定标准' : ''}`
      : `待遇重算：${outcome.status}`,
  );
  return outcome;
}
