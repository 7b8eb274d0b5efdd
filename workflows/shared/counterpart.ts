/**
 * The other province's expected reply in a cross-province transfer: a clock of 15 working days
 * (国办发〔2009〕66号 Art. 8) started when we send a request. When it passes, we send a reminder
 * (催办) through the platform, flag the case, and remind again every 5 working days until the
 * reply comes. A transfer cannot be completed without the other side, so the case stays open.
 */
import { external } from './activity-options';
import type { CaseRuntime } from './case-runtime';
import { saCounterpartDueAt, saCounterpartOverdue } from './search-attributes';

export const COUNTERPART_REPLY_WORKING_DAYS = 15;
export const COUNTERPART_REMINDER_EVERY = 5;
export const COUNTERPART_CLAUSE = '国办发〔2009〕66号 第八条';

export class CounterpartWatch {
  private reminders = 0;
  private overdue = false;

  constructor(private readonly rt: CaseRuntime) {}

  /** Starts the reply clock for what we now wait for (e.g. "information_sheet"). */
  async start(about: string, budget = COUNTERPART_REPLY_WORKING_DAYS): Promise<void> {
    const clock = await this.rt.clocks.start(
      'counterpart',
      { budgetWorkingDays: budget, clause: COUNTERPART_CLAUSE },
      Date.now(),
      async (event) => {
        if (event !== 'breached') return;
        this.overdue = true;
        this.reminders += 1;
        this.rt.attributes.set({ key: saCounterpartOverdue, value: true });
        await external.sendTransferMessage({
          caseId: this.rt.start.caseId,
          messageId: `${this.rt.start.caseId}:reminder:${this.reminders}`,
          type: 'reminder',
          payload: { about, dueDate: clock.snapshot().dueDate },
          sentAt: new Date(Date.now()).toISOString(),
        });
        // The next reply clock first, so the record (case row, search attributes) shows it running.
        await this.start(about, COUNTERPART_REMINDER_EVERY);
        await this.rt.record({
          type: 'counterpart_reminded',
          clause: COUNTERPART_CLAUSE,
          detail: { about, reminder: this.reminders },
        });
      },
    );
    const due = clock.snapshot().dueAt;
    this.rt.attributes.set({ key: saCounterpartDueAt, value: due ? new Date(due) : null });
  }

  stop(): void {
    this.rt.clocks.stop('counterpart');
    this.rt.attributes.set({ key: saCounterpartDueAt, value: null });
    if (this.overdue) this.rt.attributes.set({ key: saCounterpartOverdue, value: false });
    this.overdue = false;
  }
}
