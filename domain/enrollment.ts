/**
 * Enrollment review rules (参保登记, DB62/T 5079.1—2025 section 5). Pure: the activity gathers
 * the facts, this decides, the workflow records.
 */
import { item, type RequiredItem } from './materials';
import { isLiveRelationStatus } from './relation-status';

export const FLEXIBLE_CATEGORIES = ['individual_business', 'part_time', 'other_flexible'] as const;
export type FlexibleCategory = (typeof FLEXIBLE_CATEGORIES)[number];

export const CATEGORY_TEXT: Record<FlexibleCategory, string> = {
  individual_business: '无雇工的个体工商户',
  part_time: '未在用人单位参加基本养老保险的非全日制从业人员',
  other_flexible: '其他灵活就业人员',
};

/** A live or past relation as the review sees it. */
export interface RelationFact {
  agencyCode: string;
  provinceCode: string;
  status: 'contributing' | 'interrupted' | 'stopped' | 'transferred_out' | 'receiving';
  /** Set when the relation is a flexible-employment enrollment; `employee` when held through an employer. */
  category: FlexibleCategory | 'employee' | null;
}

export interface EnrollmentFacts {
  agencyCode: string;
  category: string;
  /** The person's relations known to this system and the national platform. */
  relations: RelationFact[];
}

export type EnrollmentDecision =
  | { eligible: true; action: 'create' | 'resume'; resumeFrom?: RelationFact; transferInRequired?: RelationFact }
  | { eligible: false; reasons: RequiredItem[] };

export function provinceOfAgency(agencyCode: string): string {
  return agencyCode.slice(0, 2);
}

/**
 * E-7 review: (a) the category meets E-2; (b) a relation already held in this province must be
 * interrupted (中断缴费) — contributing, receiving or already flexibly enrolled is refused;
 * (c) a live relation in another province means the person registers here and the relation is
 * transferred in afterwards (section 9). Every reason is returned at once (E-8).
 */
export function reviewEnrollment(facts: EnrollmentFacts): EnrollmentDecision {
  const reasons: RequiredItem[] = [];
  const province = provinceOfAgency(facts.agencyCode);
  if (!(FLEXIBLE_CATEGORIES as readonly string[]).includes(facts.category)) {
    reasons.push({
      code: 'category_not_eligible',
      text: '申请人不属于无雇工的个体工商户、非全日制从业人员或其他灵活就业人员',
    });
  }
  const live = facts.relations.filter((r) => isLiveRelationStatus(r.status));
  const here = live.find((r) => r.provinceCode === province);
  if (here) {
    if (here.status === 'receiving') {
      reasons.push({ code: 'already_receiving', text: '申请人已按月领取基本养老金，不能再参保登记' });
    } else if (here.status === 'contributing' && here.category !== null && here.category !== 'employee') {
      reasons.push({
        code: 'already_enrolled_flexible',
        text: `申请人已在本省以灵活就业人员身份参保（参保地经办机构 ${here.agencyCode}），不能重复登记`,
      });
    } else if (here.status === 'contributing') {
      reasons.push({
        code: 'relation_not_interrupted',
        text: `申请人在本省的基本养老保险关系（经办机构 ${here.agencyCode}）处于正常缴费状态，须中断缴费后方可以灵活就业人员身份参保`,
      });
    }
  }
  if (reasons.length > 0) return { eligible: false, reasons };
  const elsewhere = live.find((r) => r.provinceCode !== province && r.status !== 'receiving');
  if (here && here.status === 'interrupted')
    return { eligible: true, action: 'resume', resumeFrom: here, transferInRequired: elsewhere };
  return { eligible: true, action: 'create', transferInRequired: elsewhere };
}

/** Staff may add reasons found on inspection (e.g. the category is not met); these are the codes. */
export const STAFF_REFUSAL_CODES = ['category_not_eligible', 'materials_invalid', 'other'] as const;

/** The notice text of a staff reason given without a note (never the bare code). */
const STAFF_REASON_TEXT: Record<string, string> = {
  category_not_eligible: '经审核，申请人不符合灵活就业人员参保条件',
  materials_invalid: '经审核，申请材料无效或与申请事项不符',
};

export function staffReason(code: string, text?: string): RequiredItem {
  if (text) return { code, text };
  return STAFF_REASON_TEXT[code] ? { code, text: STAFF_REASON_TEXT[code] } : item(code);
}
