/**
 * Materials supplemented after a one-time notice (by the applicant, or counter staff on their
 * behalf), and electronic copies uploaded by counter staff: accepted only while the case waits
 * for them, taken by the flow one at a time.
 */
import { condition } from '@temporalio/workflow';
import type { Material } from '../../domain/materials';
import type { CaseRuntime } from './case-runtime';
import { refuse } from './refusal';
import type { Actor, Supplement } from './types';

export class Supplements {
  private accepting = false;
  private queue: Array<Supplement & { ticket: number }> = [];

  constructor(private readonly rt: CaseRuntime) {}

  /** Queues a supplement the supplement Update brought; returns its ticket. */
  receive(supplement: Supplement): number {
    const ticket = this.rt.tickets.issue();
    this.queue.push({ ...supplement, ticket });
    return ticket;
  }

  /** The supplement Update's checks after the trust boundary. */
  validate(supplement: Supplement): void {
    if (!this.accepting || this.queue.length > 0) {
      refuse('case.not_awaiting_supplement', '案件当前不需要补正材料');
    }
    if (!supplement.materials?.length) refuse('supplement.empty', '补正材料不能为空', 'materials');
    // The applicant supplements, or counter staff on the applicant's behalf; nobody else.
    if (supplement.actor && supplement.actor.role !== 'applicant' && supplement.actor.role !== 'acceptor') {
      refuse('separation.wrong_role', `补正材料须由申请人或受理人员提交，${supplement.actor.role} 无权提交`, 'actor');
    }
  }

  /**
   * Waits for a supplement until `dueAtMs`; returns the supplied materials, or undefined when
   * the deadline passed with nothing received.
   */
  async awaitSupplement(
    dueAtMs: number,
    summary: string,
  ): Promise<{ materials: Material[]; actor?: Actor } | undefined> {
    this.accepting = true;
    const arrived = await this.rt.idle(() =>
      condition(() => this.queue.length > 0, Math.max(dueAtMs - Date.now(), 1), { summary }),
    );
    this.accepting = false;
    if (!arrived) return undefined;
    const supplement = this.queue.shift()!;
    this.rt.tickets.consume(supplement.ticket);
    return supplement;
  }
}
