/**
 * The states of a pension relation that count as live: a person holds at most one live relation
 * per province (the partial unique index `pension_relations_one_live_per_province` in
 * db/schema/relations.ts says the same in SQL); stopped and transferred-out relations are history.
 * Pure, so workflows may import it.
 */

/** Live: contributing, interrupted (中断缴费) or receiving a pension. */
export const LIVE_RELATION_STATUSES = ['contributing', 'interrupted', 'receiving'] as const;

/** Live and not yet receiving a pension: contribution records are received, a claim can be certified. */
export const PRE_PENSION_RELATION_STATUSES = ['contributing', 'interrupted'] as const;

export type LiveRelationStatus = (typeof LIVE_RELATION_STATUSES)[number];

/** True for a live relation status. */
export function isLiveRelationStatus(status: string): status is LiveRelationStatus {
  return (LIVE_RELATION_STATUSES as readonly string[]).includes(status);
}
