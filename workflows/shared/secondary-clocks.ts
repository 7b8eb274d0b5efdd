/**
 * Secondary clocks of a case beside its statutory one (e.g. "review" within 3 working days, the
 * "counterpart"'s reply in a transfer), by name: watched like the main clock, their reminders and
 * breaches recorded as they fire, their snapshots in every record and in the case view.
 */
import type { ClockSnapshot } from '../../domain/case-records';
import type { CaseRuntime } from './case-runtime';
import { StatutoryClock, type ClockEvent, type ClockSpec } from './statutory-clock';

export class SecondaryClocks {
  private readonly clocks = new Map<string, { clock: StatutoryClock; watcher: Promise<void> }>();

  constructor(private readonly rt: CaseRuntime) {}

  /** Starts (or restarts) a secondary clock, watched like the main one. */
  async start(
    name: string,
    spec: ClockSpec,
    atMs: number,
    onEvent?: (event: ClockEvent) => Promise<void>,
  ): Promise<StatutoryClock> {
    this.stop(name);
    const clock = new StatutoryClock(spec);
    await clock.run(atMs);
    const watcher = clock.watch((event) =>
      this.rt.asideOfMainFlow(async () => {
        await this.rt.recordAtTimer({
          type: event === 'reminder' ? `${name}_deadline_reminder` : `${name}_deadline_breached`,
          clause: spec.clause,
          detail: { clock: name, dueDate: clock.snapshot().dueDate },
        });
        if (onEvent) await onEvent(event);
      }),
    );
    this.clocks.set(name, { clock, watcher });
    return clock;
  }

  /** Stops a secondary clock (its snapshot stays in the record). */
  stop(name: string): void {
    this.clocks.get(name)?.clock.stop();
  }

  get(name: string): StatutoryClock | undefined {
    return this.clocks.get(name)?.clock;
  }

  all(): StatutoryClock[] {
    return [...this.clocks.values()].map((c) => c.clock);
  }

  stopAll(): void {
    for (const { clock } of this.clocks.values()) clock.stop();
  }

  /** Resolves when every watcher has ended (the clocks stopped); the one promise, awaited as it was inline. */
  watched(): Promise<void[]> {
    return Promise.all([...this.clocks.values()].map((c) => c.watcher));
  }

  snapshots(): Record<string, ClockSnapshot> {
    return Object.fromEntries([...this.clocks].map(([name, c]) => [name, c.clock.snapshot()]));
  }
}
