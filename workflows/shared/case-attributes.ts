/**
 * The search attributes a case publishes: the core ones (case-runtime.ts) plus those a
 * procedure keeps current (e.g. the counterpart's due time). Lean runs (LEAN_STEPS_PATCH) upsert
 * only what changed since the last publication.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ClockSnapshot } from '../../domain/case-records';
import {
  saCaseOutcome,
  saCaseStage,
  saCaseStatus,
  saClockState,
  saDeadlineProvisional,
  saDueAt,
  saOverdue,
  saWaitingOn,
  saWaitingSince,
} from './search-attributes';
import type { CaseOutcome, WaitingOn } from './types';

/** What the core attributes show of a case. */
export interface CaseState {
  status: 'open' | 'closed';
  stage: string;
  waitingOn: WaitingOn | null;
  outcome: CaseOutcome | null;
  waitingSince: string | null;
  clock: ClockSnapshot;
}

/** A search attribute's value as compared between publications ('' = unset). */
function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export class CaseAttributes {
  /** Search attributes as last upserted by this run (lean runs), by name. */
  private readonly published = new Map<string, string>();
  /** Extra search attributes the procedure keeps current, published with the next record. */
  private extra: SearchAttributeUpdatePair[] = [];

  /** Lean runs: starts from the attributes the run was started with. */
  seed(): void {
    for (const pair of workflowInfo().typedSearchAttributes.getAll())
      this.published.set(pair.key.name, attributeText(pair.value));
  }

  /** Sets a procedure-specific search attribute, published with the next record. */
  set(pair: SearchAttributeUpdatePair): void {
    this.extra = [...this.extra.filter((p) => p.key.name !== pair.key.name), pair];
  }

  /** A procedure-specific search attribute's value as last set. */
  get(name: string): unknown {
    return this.extra.find((p) => p.key.name === name)?.value;
  }

  /** Upserts the case's attributes and the procedure's: all of them, or (lean) those that changed. */
  publish(c: CaseState, lean: boolean): void {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: saCaseStatus, value: c.status },
      { key: saCaseStage, value: c.stage },
      { key: saWaitingOn, value: c.waitingOn ?? 'none' },
      { key: saClockState, value: c.clock.state },
      { key: saOverdue, value: c.clock.overdue },
      { key: saDeadlineProvisional, value: c.clock.provisional },
      { key: saDueAt, value: c.clock.dueAt ? new Date(c.clock.dueAt) : null },
      { key: saCaseOutcome, value: c.outcome ?? 'none' },
      { key: saWaitingSince, value: c.waitingSince ? new Date(c.waitingSince) : null },
      ...this.extra,
    ];
    if (!lean) {
      upsertSearchAttributes(pairs);
      return;
    }
    const changed = pairs.filter((p) => (this.published.get(p.key.name) ?? '') !== attributeText(p.value));
    if (changed.length === 0) return;
    for (const p of changed) this.published.set(p.key.name, attributeText(p.value));
    upsertSearchAttributes(changed);
  }
}
