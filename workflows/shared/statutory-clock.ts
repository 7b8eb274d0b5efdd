/**
 * The statutory clock (法定时限): a budget in working days started at receipt, paused while the
 * case waits for the applicant and resumed with the remaining budget, extendable once with a
 * reason, with a reminder before breach and an overdue state derived from it. Deadlines are
 * computed from the working-day calendar in an activity (so replay is deterministic) and
 * enforced with timers whose summaries name the budget and the clause.
 */
import { condition } from '@temporalio/workflow';
import type { ClockSnapshot } from '../../domain/case-records';
import { db } from './activity-options';

export interface ClockSpec {
  /** Working days; 0 = the same working day (即时办结). */
  budgetWorkingDays: number;
  /** Clause of the standard that sets the limit, e.g. "5.1.4" or "9.1.3". */
  clause: string;
  /** Fraction of the budget after which a reminder fires (e.g. 0.8); none for same-day budgets. */
  reminderFraction?: number;
}

export type ClockEvent = 'reminder' | 'breached';

export class StatutoryClock {
  private consumed = 0;
  private extension = 0;
  private extensionReason?: string;
  private state: ClockSnapshot['state'] = 'stopped';
  private segmentStartMs = 0;
  private dueDate: string | null = null;
  private dueAtMs: number | null = null;
  private reminderAtMs: number | null = null;
  private reminded = false;
  private overdue = false;
  private provisional = false;
  private calendarVersion = 0;
  /** Bumped on every change so the watcher re-arms its timer. */
  private generation = 0;
  private finished = false;

  constructor(readonly spec: ClockSpec) {}

  get budget(): number {
    return this.spec.budgetWorkingDays + this.extension;
  }

  get isOverdue(): boolean {
    return this.overdue;
  }

  get hasExtension(): boolean {
    return this.extension > 0;
  }

  summary(): string {
    const limit = this.spec.budgetWorkingDays === 0 ? '即时办结' : `${this.spec.budgetWorkingDays} 个工作日`;
    return `法定时限: ${limit} (${this.spec.clause})`;
  }

  snapshot(): ClockSnapshot {
    return {
      budgetWorkingDays: this.spec.budgetWorkingDays,
      extensionWorkingDays: this.extension,
      extensionReason: this.extensionReason,
      consumedWorkingDays: this.consumed,
      state: this.state,
      dueDate: this.dueDate,
      dueAt: this.dueAtMs === null ? null : new Date(this.dueAtMs).toISOString(),
      reminderAt: this.reminderAtMs === null ? null : new Date(this.reminderAtMs).toISOString(),
      provisional: this.provisional,
      calendarVersion: this.calendarVersion,
      clause: this.spec.clause,
      overdue: this.overdue,
    };
  }

  /** Starts (or resumes) a running segment at `atMs` with the remaining budget. */
  async run(atMs: number): Promise<void> {
    const remaining = Math.max(this.budget - this.consumed, 0);
    const reminderDays =
      this.spec.reminderFraction && this.budget > 0
        ? Math.max(Math.ceil(this.budget * this.spec.reminderFraction) - this.consumed, 0)
        : undefined;
    const projection = await db.projectDeadline({
      fromMs: atMs,
      workingDays: remaining,
      reminderWorkingDays: reminderDays,
    });
    this.segmentStartMs = atMs;
    this.state = 'running';
    this.dueDate = projection.dueDate;
    this.dueAtMs = projection.dueAtMs;
    this.reminderAtMs =
      this.reminded || reminderDays === undefined || reminderDays === 0 ? null : projection.reminderAtMs;
    this.provisional = projection.provisional;
    this.calendarVersion = projection.calendarVersion;
    this.generation += 1;
  }

  /** Pauses at `atMs`: the working days used so far in this segment are kept as consumed. */
  async pause(atMs: number): Promise<void> {
    if (this.state !== 'running') return;
    const used = await db.countWorkingDays({ fromMs: this.segmentStartMs, toMs: atMs });
    this.consumed += used.workingDays;
    this.state = 'paused';
    this.dueDate = null;
    this.dueAtMs = null;
    this.reminderAtMs = null;
    this.generation += 1;
  }

  /** The one permitted extension, with its reason; re-projects a running clock. */
  async extend(workingDays: number, reason: string, atMs: number): Promise<void> {
    if (this.extension > 0) throw new Error('the statutory clock has already been extended once');
    this.extension = workingDays;
    this.extensionReason = reason;
    this.overdue = false;
    if (this.state === 'running') {
      await this.pause(atMs);
      await this.run(atMs);
    }
    this.generation += 1;
  }

  /** Re-projects a running provisional deadline after a new calendar year is published. */
  async reproject(): Promise<boolean> {
    if (this.state !== 'running' || !this.provisional) return false;
    await this.run(this.segmentStartMs);
    return true;
  }

  stop(): void {
    this.state = 'stopped';
    this.finished = true;
    this.generation += 1;
  }

  /**
   * Runs until the clock is stopped, calling `onEvent` when the reminder instant or the due
   * instant passes. Intended to run concurrently with the procedure's main flow.
   */
  async watch(onEvent: (event: ClockEvent) => Promise<void>): Promise<void> {
    while (!this.finished) {
      const generation = this.generation;
      const next = this.nextInstant();
      if (!next) {
        await condition(() => this.finished || this.generation !== generation);
        continue;
      }
      const changed = await condition(
        () => this.finished || this.generation !== generation,
        Math.max(next.atMs - Date.now(), 1),
        { summary: next.summary },
      );
      if (changed) continue;
      if (next.event === 'reminder') this.reminded = true;
      else this.overdue = true;
      this.generation += 1;
      await onEvent(next.event);
    }
  }

  private nextInstant(): { atMs: number; event: ClockEvent; summary: string } | undefined {
    if (this.state !== 'running') return undefined;
    if (this.reminderAtMs !== null && !this.reminded) {
      return { atMs: this.reminderAtMs, event: 'reminder', summary: `时限提醒: ${this.summary()}` };
    }
    if (this.dueAtMs !== null && !this.overdue)
      return { atMs: this.dueAtMs, event: 'breached', summary: this.summary() };
    return undefined;
  }
}
