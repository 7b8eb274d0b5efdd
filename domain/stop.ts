/** Stopping insurance (停止参保, DB62/T 5079.1—2025 section 7). Pure rules. */
import { item, missingIdentityMaterials, type Material, type RequiredItem } from './materials';
import type { RelationFact } from './enrollment';
import { isLiveRelationStatus } from './relation-status';

export const STOP_REASONS = ['death', 'transferred_out', 'voluntary', 'settled_abroad', 'other'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const STOP_REASON_TEXT: Record<StopReason, string> = {
  death: '参保人死亡',
  transferred_out: '养老保险关系转出',
  voluntary: '本人自愿申请停止参保',
  settled_abroad: '出国（境）定居',
  other: '其他符合法律规定的情形',
};

export interface StopFacts {
  agencyCode: string;
  reason: StopReason;
  relations: RelationFact[];
  /** The date the stop takes effect, and the last month paid at the agency (none: null). */
  effectiveDate?: string;
  lastContributionMonth?: string | null;
}

export type StopDecision = { eligible: true; relation: RelationFact } | { eligible: false; reasons: RequiredItem[] };

/**
 * S-4: the application is made at the agency holding the relation; a person without a live
 * relation there is refused, with where the relation is if it is elsewhere in the province. A
 * pensioner's relation stops only on death, settling abroad or another legal ground.
 */
export function reviewStop(facts: StopFacts): StopDecision {
  const relation = facts.relations.find((r) => r.agencyCode === facts.agencyCode && isLiveRelationStatus(r.status));
  if (!relation) {
    const elsewhere = facts.relations.find(
      (r) => r.provinceCode === facts.agencyCode.slice(0, 2) && isLiveRelationStatus(r.status),
    );
    return {
      eligible: false,
      reasons: [
        elsewhere
          ? {
              code: 'relation_at_other_agency',
              text: `申请人的基本养老保险关系在经办机构 ${elsewhere.agencyCode}，请向该经办机构申请停止参保`,
            }
          : { code: 'no_relation_here', text: '申请人在本经办机构没有有效的基本养老保险关系' },
      ],
    };
  }
  const reasons: RequiredItem[] = [];
  if (relation.status === 'receiving' && (facts.reason === 'voluntary' || facts.reason === 'transferred_out')) {
    reasons.push({ code: 'receiving_pension', text: '申请人正在按月领取基本养老金，不能以该理由停止参保' });
  }
  // A stop cannot take effect before a month already paid (no back-dating past the record);
  // a death is a fact, and months paid after it are refunded, not a reason to refuse.
  if (
    facts.reason !== 'death' &&
    facts.effectiveDate &&
    facts.lastContributionMonth &&
    facts.effectiveDate.slice(0, 7) < facts.lastContributionMonth
  ) {
    reasons.push({
      code: 'effective_before_last_contribution',
      text: `停止参保时间（${facts.effectiveDate}）早于最后缴费月份（${facts.lastContributionMonth}），不得倒签；请以最后缴费月份之后的日期申请`,
    });
  }
  return reasons.length > 0 ? { eligible: false, reasons } : { eligible: true, relation };
}

/**
 * What a counter stop must show (S-4, 7.1.1 a): an identity document; for a death the death
 * registry does not confirm, the death certificate too. Every missing item at once.
 */
export function missingStopMaterials(materials: readonly Material[], o: { deathUnconfirmed: boolean }): RequiredItem[] {
  const missing = missingIdentityMaterials(materials, false);
  if (o.deathUnconfirmed && !materials.some((m) => m.kind === 'death_certificate'))
    missing.push(item('death_certificate'));
  return missing;
}
