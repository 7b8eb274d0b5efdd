/**
 * Staff steps of a case: waiting for one staff decision (awaitDecision) or for the votes of a
 * collective review (awaitVotes), each a task in a role's inbox; the check of every decision
 * as it arrives (the step awaited, its results, separation of duties); and who decided what.
 */
import { condition, currentUpdateInfo } from '@temporalio/workflow';
import { separationBreach, taskRole, type SeparationBreach } from '../../domain/separation-of-duties';
import type { CaseRuntime } from './case-runtime';
import { refuse } from './refusal';
import type { Actor, CaseOutcome, StaffDecision, WaitingOn } from './types';

/**
 * Staff steps by name, each with the results its decision may take. Every procedure exports its
 * own (e.g. ENROLLMENT_STEPS, made of the shared steps' ACCEPTANCE_STEPS, REVIEW_STEPS, …, and
 * its own), `as const`, with the outcomes it can close with; its awaits take their step from
 * the table (`staffStep`), the decide Update's validator checks each decision against the step
 * awaited, and the API's decision schema lists them (api/schemas/decisions.ts). A misspelt step
 * or result does not compile; a step added to a table appears in the OpenAPI document.
 */
export type StaffStepTable = Readonly<Record<string, readonly string[]>>;

/** The outcomes a procedure can close with (its `*_OUTCOMES`). */
export type CaseOutcomes = readonly CaseOutcome[];

/** Step `step` of `table` as awaitDecision and awaitVotes take it: its name and its results (or some of them). */
export function staffStep<T extends StaffStepTable, S extends keyof T & string>(
  table: T,
  step: S,
  results: ReadonlyArray<T[S][number]> = table[step],
): { step: S; results: ReadonlyArray<T[S][number]> } {
  return { step, results };
}

export interface AwaitedStep<R extends string = string> {
  stage: string;
  waitingOn: WaitingOn;
  step: string;
  results: readonly R[];
  clause: string;
  /** The role whose inbox gets the task; default acceptor (staff) or reviewer. */
  role?: string;
  /** Extra checks, after the result was found among `results`; throw ApplicationFailure to refuse the decision. */
  validate?(decision: StaffDecision & { result: R }): void;
  /**
   * Work this step confirms (step names, or kinds given to `noteWork`, e.g. 'file_correction'):
   * whoever did that work cannot decide this step (`separation.own_work`).
   */
  confirms?: readonly string[];
  /** Several members may decide at once (votes, see awaitVotes): no "decision pending" refusal. */
  concurrent?: boolean;
}

export interface VoteOptions<R extends string = string> {
  stage: string;
  step: string;
  clause: string;
  results: readonly R[];
  quorum: number;
  role: string;
  eligible?: (actor: Actor) => void;
  validate?: (vote: StaffDecision & { result: R }) => void;
}

/** A decision taken by the flow; its result is one of the step's (`validate` checked it). */
type Decision<R extends string = string> = StaffDecision & { requestId: string; result: R };
type Queued = Decision & { ticket: number };

const WORK_TEXT: Record<string, string> = { file_correction: '档案信息更正' };

/** A person's earlier part in a case, as a refusal names it. */
const PART_TEXT: Record<string, string> = {
  received: '窗口受理',
  acceptance: '受理审查',
  review: '审核',
  file_review: '档案审核',
};

const ROLE_TEXT: Record<string, string> = {
  acceptor: '受理人员',
  reviewer: '审核人员',
  collective_reviewer: '集体会审成员',
  supervisor: '主管',
  applicant: '申请人',
};

export class StaffSteps {
  /** The step the case waits for now. */
  awaited: AwaitedStep | null = null;
  /** Every staff member who decided a step of this case (awaitDecision, awaitVotes), in order. */
  readonly decided: Array<{ step: string; actor: Actor }> = [];
  /** Other work done on the case by a person (e.g. a file correction), for `confirms`. */
  private readonly work: Array<{ kind: string; actor: Actor }> = [];
  /** Decisions received and validated, not yet taken by the flow. */
  private decisions: Queued[] = [];

  constructor(private readonly rt: CaseRuntime) {}

  /** Records work done on the case by a person outside a decision (see AwaitedStep.confirms). */
  noteWork(kind: string, actor: Actor | undefined): void {
    if (actor?.id) this.work.push({ kind, actor });
  }

  /** Queues a decision the decide Update brought; returns its ticket. */
  receive(decision: StaffDecision): number {
    const ticket = this.rt.tickets.issue();
    this.decisions.push({
      ...decision,
      requestId: currentUpdateInfo()?.id ?? `${this.rt.start.caseId}:${ticket}`,
      ticket,
    });
    return ticket;
  }

  /** The decide Update's checks after the trust boundary: the step awaited, its results, its decider. */
  validate(decision: StaffDecision): void {
    const awaited = this.awaited;
    if (this.decisions.length > 0 && !awaited?.concurrent) refuse('case.decision_pending', '该环节已有待处理的决定');
    if (!awaited || awaited.step !== decision.step) {
      refuse(
        'case.wrong_step',
        `案件当前不在"${decision.step}"环节${awaited ? `，当前等待"${awaited.step}"` : ''}`,
        'step',
      );
    }
    if (!awaited.results.includes(decision.result)) {
      refuse('decision.invalid_result', `"${decision.step}"环节的结果只能是 ${awaited.results.join(' / ')}`, 'result');
    }
    if (!decision.actor?.id || !decision.actor?.role)
      refuse('decision.actor_required', '必须注明经办人员及其角色', 'actor');
    const breach = separationBreach(
      { step: awaited.step, role: taskRole(awaited), confirms: awaited.confirms },
      decision.actor,
      {
        receivedBy: this.rt.start.receivedBy,
        decided: this.decided,
        work: this.work,
      },
    );
    if (breach) refuse(breach.code, this.breachText(breach, awaited.step, decision.actor), 'actor');
    awaited.validate?.(decision);
  }

  private breachText(breach: SeparationBreach, step: string, actor: Actor): string {
    const { stages, steps } = this.rt.texts;
    switch (breach.code) {
      case 'separation.wrong_role':
        return `"${steps[step] ?? step}"须由${ROLE_TEXT[breach.role] ?? breach.role}（${breach.role}）办理，${actor.role} 无权办理`;
      case 'separation.collective_member_conflict':
        return `${actor.id} 参与了本案的"${PART_TEXT[breach.part] ?? stages[breach.part] ?? breach.part}"环节，不能参加本案的集体会审`;
      case 'separation.acceptor_cannot_review':
        return `${actor.id} 受理了本案，不能审核本案`;
      case 'separation.own_work':
        return `${actor.id} 不能确认自己完成的"${stages[breach.work] ?? WORK_TEXT[breach.work] ?? breach.work}"`;
    }
  }

  /** Waits for a staff decision on `step`; records the waiting stage and then the decision. */
  async awaitDecision<R extends string>(awaited: AwaitedStep<R>): Promise<Decision<R>> {
    const rt = this.rt;
    this.awaited = awaited;
    const taskKey = `${rt.start.caseId}:${awaited.step}:${rt.seq + 1}`;
    await rt.record({
      type: 'awaiting_decision',
      clause: awaited.clause,
      stage: awaited.stage,
      waitingOn: awaited.waitingOn,
      detail: { step: awaited.step },
      task: {
        open: {
          key: taskKey,
          step: awaited.step,
          role: taskRole(awaited),
          title: rt.texts.steps[awaited.step] ?? awaited.step,
          clause: awaited.clause,
          dueAt: rt.clock.snapshot().dueAt,
        },
      },
    });
    await rt.idle(() => condition(() => this.decisions.length > 0));
    // The decide Update's validator checked it against `awaited` (validate): its result is one of awaited.results.
    const decision = this.decisions.shift()! as Queued & { result: R };
    this.awaited = null;
    this.decided.push({ step: decision.step, actor: decision.actor });
    await rt.record({
      type: 'decision_recorded',
      clause: awaited.clause,
      waitingOn: null,
      task: { close: { key: taskKey } },
      actor: decision.actor,
      detail: { step: decision.step, result: decision.result },
      decision: decisionRecord(decision),
    });
    rt.tickets.consume(decision.ticket);
    return decision;
  }

  /**
   * Waits for `quorum` votes on `step` from distinct members (collective review, R-4). One task
   * per seat opens in the `role` inbox; each vote is checked when it arrives — a member votes
   * once, `eligible` may refuse the member (e.g. one who accepted or reviewed the case), and
   * `validate` the vote — then recorded as a decision that closes one seat's task. Votes may
   * arrive concurrently. Returns the votes in the order recorded.
   */
  async awaitVotes<R extends string>(o: VoteOptions<R>): Promise<Array<Decision<R>>> {
    const rt = this.rt;
    const votes: Array<Decision<R>> = [];
    const seats = Array.from({ length: o.quorum }, (_, i) => `${rt.start.caseId}:${o.step}:seat-${i + 1}`);
    const awaited: AwaitedStep<R> = {
      stage: o.stage,
      waitingOn: 'reviewer',
      step: o.step,
      results: o.results,
      clause: o.clause,
      role: o.role,
      concurrent: true,
      validate: (d) => {
        if ([...votes, ...this.decisions].some((v) => v.actor.id === d.actor.id))
          refuse('vote.already_cast', `${d.actor.id} 已在本次"${o.step}"中表决，每名成员只能表决一次`, 'actor');
        if (votes.length + this.decisions.length >= o.quorum)
          refuse('case.votes_complete', `已收到全部 ${o.quorum} 票`);
        o.eligible?.(d.actor);
        o.validate?.(d);
      },
    };
    this.awaited = awaited;
    for (const [i, key] of seats.entries()) {
      await rt.record({
        type: 'awaiting_vote',
        clause: o.clause,
        stage: o.stage,
        waitingOn: 'reviewer',
        detail: { step: o.step, seat: i + 1, quorum: o.quorum },
        task: {
          open: {
            key,
            step: o.step,
            role: o.role,
            title: `${rt.texts.steps[o.step] ?? o.step}（第${i + 1}/${o.quorum}席）`,
            clause: o.clause,
            dueAt: rt.clock.snapshot().dueAt,
          },
        },
      });
    }
    while (votes.length < o.quorum) {
      await rt.idle(() => condition(() => this.decisions.length > 0));
      const vote = this.decisions.shift()! as Queued & { result: R };
      votes.push(vote);
      this.decided.push({ step: vote.step, actor: vote.actor });
      const done = votes.length === o.quorum;
      if (done) this.awaited = null;
      await rt.record({
        type: 'vote_recorded',
        clause: o.clause,
        waitingOn: done ? null : 'reviewer',
        task: { close: { key: seats[votes.length - 1] } },
        actor: vote.actor,
        detail: {
          step: vote.step,
          result: vote.result,
          seat: votes.length,
          quorum: o.quorum,
          votesFor: votes.filter((v) => v.result === 'approve').length,
          votes: votes.length,
        },
        decision: decisionRecord(vote),
      });
      rt.tickets.consume(vote.ticket);
    }
    return votes;
  }
}

/** A decision as its step records it. */
function decisionRecord(d: Decision) {
  return {
    requestId: d.requestId,
    step: d.step,
    result: d.result,
    reason: d.reason,
    items: d.items?.map((i) => ({ code: i.code, text: i.note ?? '' })),
  };
}
