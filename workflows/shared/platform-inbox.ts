/**
 * Messages from the national transfer platform: the case declares which message types it
 * accepts now (before sending a request), waits for one of them, and consumes it; a message
 * delivered again changes nothing (the platform delivers at least once).
 */
import { condition } from '@temporalio/workflow';
import type { CaseRuntime } from './case-runtime';
import { refuse } from './refusal';
import type { InboundMessageRef } from './types';

export class PlatformInbox {
  /** Message types accepted now. */
  private expected = new Set<string>();
  /** Messages received but not yet consumed. */
  private inbox: Array<InboundMessageRef & { ticket: number }> = [];
  private seen = new Set<string>();

  constructor(private readonly rt: CaseRuntime) {}

  /** Declares which platform messages the case accepts from now on (before sending a request). */
  expect(...types: string[]): void {
    this.expected = new Set(types);
  }

  expectedTypes(): string[] {
    return [...this.expected];
  }

  /** Accepts no more messages (the case closes). */
  close(): void {
    this.expected.clear();
  }

  /** Whether this message was delivered before. */
  seenBefore(message: InboundMessageRef): boolean {
    return this.seen.has(message.messageId);
  }

  /** Notes a first delivery; a reminder (催办) is not queued (undefined), any other message is (its ticket). */
  receive(message: InboundMessageRef): number | undefined {
    this.seen.add(message.messageId);
    if (message.type === 'reminder') return undefined;
    const ticket = this.rt.tickets.issue();
    this.inbox.push({ ...message, ticket });
    return ticket;
  }

  /** The platformMessage Update's check of a first delivery: a type the case accepts now. */
  validate(message: InboundMessageRef): void {
    if (message.type !== 'reminder' && !this.expected.has(message.type)) {
      refuse(
        'case.unexpected_message',
        `案件当前不接收"${message.type}"报文${this.expected.size ? `（当前等待：${[...this.expected].join('、')}）` : ''}`,
        'type',
      );
    }
  }

  /**
   * Waits for one of the expected platform messages; undefined when `untilMs` passes first.
   * The message is consumed (its sender gets the answer) once the workflow settles again.
   */
  async awaitMessage(o: {
    stage: string;
    clause: string;
    untilMs?: number;
    summary?: string;
    type?: string;
  }): Promise<InboundMessageRef | undefined> {
    const rt = this.rt;
    if (rt.stage !== o.stage || rt.waitingOn !== 'counterpart') {
      await rt.record({
        type: 'awaiting_counterpart',
        clause: o.clause,
        stage: o.stage,
        waitingOn: 'counterpart',
        detail: { expected: [...this.expected] },
      });
    }
    // `type`: only that message, when several are accepted at once and may arrive in any order.
    const wanted = (m: InboundMessageRef) => (o.type ? m.type === o.type : this.expected.has(m.type));
    const ready = () => this.inbox.some(wanted);
    const untilMs = o.untilMs;
    if (untilMs === undefined) await rt.idle(() => condition(ready));
    else if (!(await rt.idle(() => condition(ready, Math.max(untilMs - Date.now(), 1), { summary: o.summary }))))
      return undefined;
    const index = this.inbox.findIndex(wanted);
    const [message] = this.inbox.splice(index, 1);
    rt.tickets.consume(message.ticket);
    return message;
  }
}
