/**
 * The part every case workflow shares: its state as operations staff and the API see it, the
 * recording of each step (one activity, one database transaction, one event), the search
 * attributes and current-details text for the Temporal UI, the statutory clock watcher, and
 * the idiom for waiting on staff and applicants.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ClockSnapshot, NoticeItem } from '../../domain/case-records';
import { chineseDate } from '../../domain/notices';
import type { Material } from '../../domain/materials';
import { describeMissing, isAwaitingParameters, type AwaitingParameters, type MissingParameter } from '../../domain/parameter-resolver';
import type { RiskGrade } from '../../domain/risk-register';
import { db, timerStep } from './activity-options';
import {
  calendarPublishedSignal,
  caseViewQuery,
  parametersPublishedSignal,
  decideUpdate,
  extendDeadlineUpdate,
  platformMessageUpdate,
  settleUpdate,
  supplementUpdate,
} from './messages';
import {
  saCaseOutcome,
  saCaseStage,
  saCaseStatus,
  saClockState,
  saCounterpartOverdue,
  saDeadlineProvisional,
  saDueAt,
  saOverdue,
  saWaitingOn,
  saWaitingSince,
} from './search-attributes';
import { StatutoryClock, type ClockEvent, type ClockSpec } from './statutory-clock';
import { auditRefusal, checkAssertion, loadTrustAnchor, type TrustAnchor } from './trust';
import type { Actor, CaseOutcome, CaseStart, CaseView, InboundMessageRef, StaffDecision, StepRecord, Supplement, WaitingOn } from './types';

export const STAGE_TEXT: Record<string, string> = {
  received: '已接收',
  acceptance: '受理审查',
  awaiting_supplement: '等待补正材料',
  review: '审核',
  closed: '已办结',
  awaiting_information_sheet: '等待转出地信息表',
  awaiting_funds: '等待基金到账',
  funds_check: '核对到账基金',
  awaiting_sheet_confirmation: '等待转入地确认信息表',
  sheet_correction: '更正信息表',
  awaiting_receipt_confirmation: '等待转入地确认到账',
  awaiting_completion_feedback: '等待办结反馈',
  awaiting_personnel_file: '调取人事档案',
  file_review: '档案审核（认定视同缴费年限）',
  collective_review: '集体会审',
  awaiting_parameters: '等待发布参数',
  awaiting_e_materials: '等待上传电子要件',
  recovery: '追回多发待遇',
};

const OUTCOME_TEXT: Record<CaseOutcome, string> = { approved: '办结（准予）', refused: '不予办理', withdrawn: '视为撤回' };

const WAITING_TEXT: Record<WaitingOn, string> = {
  applicant: '等待申请人',
  staff: '等待受理人员',
  reviewer: '等待审核人员',
  counterpart: '等待对方经办机构',
  system: '等待外部系统',
  supervisor: '等待主管',
};

export interface AwaitedStep {
  stage: string;
  waitingOn: WaitingOn;
  step: string;
  results: readonly string[];
  clause: string;
  /** The role whose inbox gets the task; default acceptor (staff) or reviewer. */
  role?: string;
  /** Extra checks; throw ApplicationFailure to refuse the decision. */
  validate?: (decision: StaffDecision) => void;
  /**
   * Work this step confirms (step names, or kinds given to `noteWork`, e.g. 'file_correction'):
   * whoever did that work cannot decide this step (`separation.own_work`).
   */
  confirms?: readonly string[];
  /** Several members may decide at once (votes, see awaitVotes): no "decision pending" refusal. */
  concurrent?: boolean;
}

/** What a staff task asks, by step (Chinese, shown in the inbox). */
export const STEP_TITLE: Record<string, string> = {
  acceptance: '受理审查：核对申请材料',
  review: '审核：确认审核结论',
  sheet_correction: '更正转移接续信息表并重新发送',
  funds_check: '核对转移基金到账金额',
  collective_review: '集体会审：对高风险业务表决',
  file_review: '档案审核：认定出生时间、参加工作时间和视同缴费年限',
  pre_review_followup: '退休前预审：核对预审结果并告知参保人（B-7）',
  publish_parameters: '发布缺失的参数（须两名主管：一人提出、另一人批准）',
  upload_e_materials: '上传高风险业务电子要件',
  recovery: '追回死亡后多发的养老金（R-4）',
};

export type StepInput = Omit<StepRecord, 'caseId' | 'seq' | 'eventKey' | 'runId' | 'occurredAt' | 'clock' | 'stage' | 'waitingOn' | 'status'> & {
  stage?: string;
  waitingOn?: WaitingOn | null;
  status?: 'open' | 'closed';
};

/** The role whose inbox gets the task of a step, and the only role that may decide it. */
export function taskRole(awaited: Pick<AwaitedStep, 'role' | 'waitingOn'>): string {
  return awaited.role ?? (awaited.waitingOn === 'reviewer' ? 'reviewer' : 'acceptor');
}

/** Roles that review (审核, 集体会审): someone who received or accepted the case is not one of them. */
const REVIEWING_ROLES: readonly string[] = ['reviewer', 'collective_reviewer'];

const WORK_TEXT: Record<string, string> = { file_correction: '档案信息更正' };

/** A person's earlier part in a case, as a refusal names it. */
const PART_TEXT: Record<string, string> = { received: '窗口受理', acceptance: '受理审查', review: '审核', file_review: '档案审核' };

const ROLE_TEXT: Record<string, string> = {
  acceptor: '受理人员',
  reviewer: '审核人员',
  collective_reviewer: '集体会审成员',
  supervisor: '主管',
  applicant: '申请人',
};

/** Refuses a message with a stable error type the API maps to an HTTP status. */
export function refuse(type: string, message: string, field?: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: field ? [{ field }] : [] });
}

/**
 * The patch of the leaner case steps (issue 11). Runs started before it replay as they were
 * recorded; runs started after it
 *  - publish their search attributes when the case next waits or closes, and only those that
 *    changed, instead of every attribute at every step (steps that follow each other without a
 *    wait are published together; the clock's reminders and breaches and whatever handlers
 *    record are still published at once, and the current details always are);
 *  - record what a deadline's timer found (reminder, breach) in the timer's own workflow task,
 *    with a local activity (activity-options.ts timerStep);
 *  - (enrollment) record the start of the review and read the relations in one activity, and
 *    leave the retirement watch to be armed near the pre-review date (workflows/enrollment.ts).
 * One patch for all of it: every patch ID costs each run a marker and a search-attribute upsert.
 */
export const LEAN_STEPS_PATCH = 'lean-case-steps';

/** A search attribute's value as compared between publications ('' = unset). */
function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export class CaseRuntime {
  stage = 'received';
  waitingOn: WaitingOn | null = null;
  status: 'open' | 'closed' = 'open';
  outcome: CaseOutcome | null = null;
  private working = true;
  /** Runs under LEAN_STEPS_PATCH (decided at the first step, see registerHandlers). */
  private leanSteps?: boolean;
  /** Search attributes as last upserted by this run (lean runs), by name. */
  private readonly published = new Map<string, string>();
  private attributesDue = false;
  /** Records made by handlers and clock watchers (not the main flow) publish at once. */
  private aside = 0;
  awaited: AwaitedStep | null = null;
  /** Every staff member who decided a step of this case (awaitDecision, awaitVotes), in order. */
  readonly decided: Array<{ step: string; actor: Actor }> = [];
  /** Other work done on the case by a person (e.g. a file correction), for `confirms`. */
  private readonly work: Array<{ kind: string; actor: Actor }> = [];
  private seq = 0;
  private decisions: Array<StaffDecision & { requestId: string; ticket: number }> = [];
  private nextTicket = 1;
  private consumed = new Set<number>();
  private supplements: Array<Supplement & { ticket: number }> = [];
  acceptsSupplements = false;
  private watcher?: Promise<void>;
  /** Secondary clocks (e.g. "review" within 3 working days, "counterpart" reply), by name. */
  private readonly secondary = new Map<string, { clock: StatutoryClock; watcher: Promise<void> }>();
  /** Platform message types accepted now, and those received but not yet consumed. */
  private expected = new Set<string>();
  private inbox: Array<InboundMessageRef & { ticket: number }> = [];
  private seenMessages = new Set<string>();
  private waitingSince: string | null = null;
  /** Extra search attributes the procedure keeps current (e.g. the counterpart's due time). */
  private extraAttributes: SearchAttributeUpdatePair[] = [];
  /** The highest grade of the risk points touched (RiskGrade), and the collective-review quorum. */
  riskGrade: RiskGrade | null = null;
  riskQuorum = 3;
  /** Parameter publications signalled since the case started, and what it waits for now. */
  private parameterPublications = 0;
  private missingParameters: MissingParameter[] = [];
  /** The API's public keys, loaded when the case starts (workflows/shared/trust.ts). */
  private trust?: TrustAnchor;

  constructor(
    readonly start: CaseStart & { procedure: string },
    readonly clock: StatutoryClock,
  ) {}

  /**
   * False while the workflow waits for outside input or has finished. Going idle publishes the
   * search attributes the steps since the last wait changed (lean runs).
   */
  get busy(): boolean {
    return this.working;
  }

  set busy(value: boolean) {
    if (!value && this.attributesDue) {
      this.attributesDue = false;
      this.publishAttributes();
    }
    this.working = value;
  }

  /** Whether this run takes the leaner steps (LEAN_STEPS_PATCH). */
  get lean(): boolean {
    if (this.leanSteps === undefined) {
      this.leanSteps = patched(LEAN_STEPS_PATCH);
      for (const pair of workflowInfo().typedSearchAttributes.getAll()) this.published.set(pair.key.name, attributeText(pair.value));
    }
    return this.leanSteps;
  }

  get receivedAtMs(): number {
    return Date.parse(this.start.receivedAt);
  }

  view(): CaseView {
    return {
      caseId: this.start.caseId,
      procedure: this.start.procedure,
      status: this.status,
      stage: this.stage,
      waitingOn: this.waitingOn,
      outcome: this.outcome,
      clock: this.clock.snapshot(),
      awaitingStep: this.awaited?.step ?? null,
      clocks: this.secondarySnapshots(),
      expectedMessages: [...this.expected],
      ...(this.missingParameters.length > 0 ? { missingParameters: this.missingParameters } : {}),
      ...(this.riskGrade ? { riskGrade: this.riskGrade } : {}),
    };
  }

  private secondarySnapshots(): Record<string, ClockSnapshot> {
    return Object.fromEntries([...this.secondary].map(([name, s]) => [name, s.clock.snapshot()]));
  }

  /** Registers the handlers every case has. Call synchronously before the first await. */
  registerHandlers(): void {
    // Decided here, before the first step, so the patch marker is the run's first command.
    void this.lean;
    setHandler(caseViewQuery, () => this.view());
    setHandler(settleUpdate, async () => {
      await condition(() => !this.busy);
      return this.view();
    });
    setHandler(
      decideUpdate,
      async (decision) => {
        const ticket = this.nextTicket++;
        this.decisions.push({ ...decision, requestId: currentUpdateInfo()?.id ?? `${this.start.caseId}:${ticket}`, ticket });
        await condition(() => this.consumed.has(ticket) && !this.busy);
        return this.view();
      },
      { validator: (decision) => this.validateDecision(decision) },
    );
    setHandler(
      supplementUpdate,
      async (supplement) => {
        const ticket = this.nextTicket++;
        this.supplements.push({ ...supplement, ticket });
        await condition(() => this.consumed.has(ticket) && !this.busy);
        return this.view();
      },
      {
        validator: (supplement) => {
          this.trusted(supplement, 'supplement', supplement.actor);
          if (this.status !== 'open') refuse('case.closed', '案件已办结');
          if (!this.acceptsSupplements || this.supplements.length > 0) {
            refuse('case.not_awaiting_supplement', '案件当前不需要补正材料');
          }
          if (!supplement.materials?.length) refuse('supplement.empty', '补正材料不能为空', 'materials');
          // The applicant supplements, or counter staff on the applicant's behalf; nobody else.
          if (supplement.actor && supplement.actor.role !== 'applicant' && supplement.actor.role !== 'acceptor') {
            refuse('separation.wrong_role', `补正材料须由申请人或受理人员提交，${supplement.actor.role} 无权提交`, 'actor');
          }
        },
      },
    );
    setHandler(
      extendDeadlineUpdate,
      async (extension) => {
        await this.clock.extend(extension.workingDays, extension.reason, Date.now());
        await this.asideOfMainFlow(() =>
          this.record({
            type: 'deadline_extended',
            clause: this.clock.spec.clause,
            actor: extension.actor,
            detail: { workingDays: extension.workingDays, reason: extension.reason },
          }),
        );
        return this.view();
      },
      {
        validator: (extension) => {
          this.trusted(extension, 'extendDeadline', extension.actor);
          if (this.status !== 'open') refuse('case.closed', '案件已办结');
          if (!extension.actor?.id || !extension.actor?.role) refuse('decision.actor_required', '必须注明经办人员及其角色', 'actor');
          if (extension.actor.role !== 'supervisor') refuse('separation.wrong_role', `延长法定时限须由主管（supervisor）决定，${extension.actor.role} 无权延长`, 'actor');
          if (this.clock.hasExtension) refuse('deadline.already_extended', '法定时限只能延长一次');
          if (!Number.isInteger(extension.workingDays) || extension.workingDays < 1 || extension.workingDays > 30) {
            refuse('deadline.invalid_extension', '延长的工作日数须为 1 到 30 之间的整数', 'workingDays');
          }
          if (!extension.reason?.trim()) refuse('deadline.reason_required', '延长时限必须说明理由', 'reason');
        },
      },
    );
    setHandler(
      platformMessageUpdate,
      async (message) => {
        // A message delivered again (the platform delivers at least once) changes nothing.
        if (this.seenMessages.has(message.messageId)) return this.view();
        this.seenMessages.add(message.messageId);
        if (message.type === 'reminder') {
          // The other side reminds us (催办): recorded; the case goes on as it is.
          await this.asideOfMainFlow(() => this.record({ type: 'counterpart_reminder_received', clause: '国办发〔2009〕66号 第八条', detail: { messageId: message.messageId } }));
          return this.view();
        }
        const ticket = this.nextTicket++;
        this.inbox.push({ ...message, ticket });
        await condition(() => this.consumed.has(ticket) && !this.busy);
        return this.view();
      },
      {
        validator: (message) => {
          this.trusted(message, 'platformMessage');
          if (this.seenMessages.has(message.messageId)) return;
          if (this.status !== 'open') refuse('case.closed', '案件已办结');
          if (message.type !== 'reminder' && !this.expected.has(message.type)) {
            refuse(
              'case.unexpected_message',
              `案件当前不接收"${message.type}"报文${this.expected.size ? `（当前等待：${[...this.expected].join('、')}）` : ''}`,
              'type',
            );
          }
        },
      },
    );
    setHandler(parametersPublishedSignal, () => {
      this.parameterPublications += 1;
    });
    setHandler(calendarPublishedSignal, async () => {
      const clocks = [this.clock, ...[...this.secondary.values()].map((s) => s.clock)];
      let changed = false;
      for (const clock of clocks) changed = (await clock.reproject()) || changed;
      if (changed) await this.asideOfMainFlow(() => this.record({ type: 'deadline_reprojected', clause: this.clock.spec.clause, detail: {} }));
    });
  }

  /**
   * The trust boundary (workflows/shared/trust.ts): the input must carry an assertion the API
   * signed for this case, this action and this Update, recently, by someone of the case's agency;
   * the actor named in the input must be the one asserted. Anything else is refused and recorded
   * in audit_refusals, before any other check looks at the input.
   */
  private trusted(input: unknown, action: string, named?: Actor): Actor {
    const verdict = checkAssertion(input, this.trust, { caseId: this.start.caseId, action, updateId: currentUpdateInfo()?.id, nowMs: Date.now(), agencyCode: this.start.agencyCode });
    const mismatch = verdict.ok && named !== undefined && (named.id !== verdict.actor.id || named.role !== verdict.actor.role);
    if (verdict.ok && !mismatch) return verdict.actor;
    const code = verdict.ok ? 'assertion.actor_mismatch' : verdict.code;
    const reason = verdict.ok ? `the input names ${String(named?.id)} (${String(named?.role)}), the assertion ${verdict.actor.id} (${verdict.actor.role})` : verdict.reason;
    const claimed = verdict.ok ? named : verdict.claimed;
    auditRefusal({ caseId: this.start.caseId, action, code, reason, actorId: claimed?.id, actorRole: claimed?.role, agencyCode: this.start.agencyCode });
    refuse(code, `请求未经系统签发或已被改动，拒绝办理（${code}）`, 'assertion');
  }

  /**
   * A case started by a client must carry the API's assertion over its whole input (a child
   * workflow is started by workflow code, which is trusted). Checked before anything is recorded;
   * a start that fails is refused, recorded, and the workflow fails without touching the case.
   */
  private verifyStart(): void {
    const info = workflowInfo();
    if (info.parent || !this.trust) return;
    const { procedure: _procedure, ...input } = this.start;
    let verdict = checkAssertion(input, this.trust, { caseId: info.workflowId, action: 'start', nowMs: info.startTime.getTime(), agencyCode: this.start.agencyCode });
    if (verdict.ok && this.start.caseId !== info.workflowId) verdict = { ok: false, code: 'assertion.wrong_case', reason: 'the input is for another case' };
    if (verdict.ok) return;
    auditRefusal({ caseId: info.workflowId, action: 'start', code: verdict.code, reason: verdict.reason, actorId: verdict.claimed?.id, actorRole: verdict.claimed?.role, agencyCode: this.start.agencyCode });
    throw ApplicationFailure.create({ type: verdict.code, message: `start refused: ${verdict.reason}`, nonRetryable: true });
  }

  private validateDecision(decision: StaffDecision): void {
    this.trusted(decision, 'decide', decision.actor);
    if (this.status !== 'open') refuse('case.closed', '案件已办结');
    const awaited = this.awaited;
    if (this.decisions.length > 0 && !awaited?.concurrent) refuse('case.decision_pending', '该环节已有待处理的决定');
    if (!awaited || awaited.step !== decision.step) {
      refuse('case.wrong_step', `案件当前不在"${decision.step}"环节${awaited ? `，当前等待"${awaited.step}"` : ''}`, 'step');
    }
    if (!awaited.results.includes(decision.result)) {
      refuse('decision.invalid_result', `"${decision.step}"环节的结果只能是 ${awaited.results.join(' / ')}`, 'result');
    }
    if (!decision.actor?.id || !decision.actor?.role) refuse('decision.actor_required', '必须注明经办人员及其角色', 'actor');
    this.checkSeparation(awaited, decision.actor);
    awaited.validate?.(decision);
  }

  /** Records work done on the case by a person outside a decision (see AwaitedStep.confirms). */
  noteWork(kind: string, actor: Actor | undefined): void {
    if (actor?.id) this.work.push({ kind, actor });
  }

  /** Everyone who received or accepted the case (the counter side). */
  private counterSide(): Actor[] {
    return [...(this.start.receivedBy ? [this.start.receivedBy] : []), ...this.decided.filter((d) => d.step === 'acceptance').map((d) => d.actor)];
  }

  /**
   * Separation of duties, for every procedure (R-4, 10.2): the decider holds the role of the
   * task; whoever received or accepted the case does not review it; collective-review members
   * took no other part in the case; nobody confirms their own work.
   */
  private checkSeparation(awaited: AwaitedStep, actor: Actor): void {
    const role = taskRole(awaited);
    if (actor.role !== role) {
      refuse('separation.wrong_role', `"${STEP_TITLE[awaited.step] ?? awaited.step}"须由${ROLE_TEXT[role] ?? role}（${role}）办理，${actor.role} 无权办理`, 'actor');
    }
    if (role === 'collective_reviewer') {
      const parts = [...(this.start.receivedBy ? [{ step: 'received', actor: this.start.receivedBy }] : []), ...this.decided.filter((d) => d.step !== awaited.step)];
      const prior = parts.find((d) => d.actor.id === actor.id);
      if (prior) {
        refuse('separation.collective_member_conflict', `${actor.id} 参与了本案的"${PART_TEXT[prior.step] ?? STAGE_TEXT[prior.step] ?? prior.step}"环节，不能参加本案的集体会审`, 'actor');
      }
    } else if (REVIEWING_ROLES.includes(role) && this.counterSide().some((a) => a.id === actor.id)) {
      refuse('separation.acceptor_cannot_review', `${actor.id} 受理了本案，不能审核本案`, 'actor');
    }
    for (const kind of awaited.confirms ?? []) {
      const own = [...this.decided.filter((d) => d.step === kind), ...this.work.filter((w) => w.kind === kind)].some((w) => w.actor.id === actor.id);
      if (own) refuse('separation.own_work', `${actor.id} 不能确认自己完成的"${STAGE_TEXT[kind] ?? WORK_TEXT[kind] ?? kind}"`, 'actor');
    }
  }

  /** Declares which platform messages the case accepts from now on (before sending a request). */
  expect(...types: string[]): void {
    this.expected = new Set(types);
  }

  /**
   * Waits for one of the expected platform messages; undefined when `untilMs` passes first.
   * The message is consumed (its sender gets the answer) once the workflow settles again.
   */
  async awaitMessage(o: { stage: string; clause: string; untilMs?: number; summary?: string; type?: string }): Promise<InboundMessageRef | undefined> {
    if (this.stage !== o.stage || this.waitingOn !== 'counterpart') {
      await this.record({ type: 'awaiting_counterpart', clause: o.clause, stage: o.stage, waitingOn: 'counterpart', detail: { expected: [...this.expected] } });
    }
    this.busy = false;
    // `type`: only that message, when several are accepted at once and may arrive in any order.
    const wanted = (m: InboundMessageRef) => (o.type ? m.type === o.type : this.expected.has(m.type));
    const ready = () => this.inbox.some(wanted);
    if (o.untilMs === undefined) await condition(ready);
    else if (!(await condition(ready, Math.max(o.untilMs - Date.now(), 1), { summary: o.summary }))) {
      this.busy = true;
      return undefined;
    }
    this.busy = true;
    const index = this.inbox.findIndex(wanted);
    const [message] = this.inbox.splice(index, 1);
    this.consumed.add(message.ticket);
    return message;
  }

  /** Starts (or restarts) a secondary clock, watched like the main one. */
  async startSecondaryClock(name: string, spec: ClockSpec, atMs: number, onEvent?: (event: ClockEvent) => Promise<void>): Promise<StatutoryClock> {
    this.stopSecondaryClock(name);
    const clock = new StatutoryClock(spec);
    await clock.run(atMs);
    const watcher = clock.watch((event) =>
      this.asideOfMainFlow(async () => {
        await this.recordAtTimer({
          type: event === 'reminder' ? `${name}_deadline_reminder` : `${name}_deadline_breached`,
          clause: spec.clause,
          detail: { clock: name, dueDate: clock.snapshot().dueDate },
        });
        if (onEvent) await onEvent(event);
      }),
    );
    this.secondary.set(name, { clock, watcher });
    return clock;
  }

  /** Stops a secondary clock (its snapshot stays in the record). */
  stopSecondaryClock(name: string): void {
    this.secondary.get(name)?.clock.stop();
  }

  secondaryClock(name: string): StatutoryClock | undefined {
    return this.secondary.get(name)?.clock;
  }

  /** Sets a procedure-specific search attribute, published with the next record. */
  setAttribute(pair: SearchAttributeUpdatePair): void {
    this.extraAttributes = [...this.extraAttributes.filter((p) => p.key.name !== pair.key.name), pair];
  }

  /**
   * Starts the statutory clock and its watcher — the first step of every case, so the trust
   * anchor is loaded and the start verified here, before anything is recorded.
   */
  async startClock(): Promise<void> {
    this.trust = await loadTrustAnchor();
    this.verifyStart();
    await this.clock.run(this.receivedAtMs);
    this.watcher = this.clock.watch((event) => this.onClockEvent(event));
  }

  private async onClockEvent(event: ClockEvent): Promise<void> {
    await this.asideOfMainFlow(() =>
      this.recordAtTimer({
        type: event === 'reminder' ? 'deadline_reminder' : 'deadline_breached',
        clause: this.clock.spec.clause,
        detail: { dueDate: this.clock.snapshot().dueDate },
      }),
    );
  }

  /** Records what a timer found when it fired: in the timer's own workflow task (lean runs, see timerStep). */
  private async recordAtTimer(input: StepInput): Promise<void> {
    if (!this.lean) {
      await this.record(input);
      return;
    }
    await timerStep.recordStep(this.prepare(input));
  }

  /**
   * Runs work a handler or a clock watcher does beside the main flow: what it records is
   * published at once (an overdue case must show as overdue even while its main flow waits on
   * a slow step).
   */
  private async asideOfMainFlow<T>(work: () => Promise<T>): Promise<T> {
    this.aside += 1;
    try {
      return await work();
    } finally {
      this.aside -= 1;
    }
  }

  /** Records a step: local state first (so concurrent records carry it), then the activity. */
  async record(input: StepInput): Promise<StepRecord> {
    const step = this.prepare(input);
    await db.recordStep(step);
    return step;
  }

  /** Applies a step to the local state and returns the record for an activity to persist. */
  prepare(input: StepInput): StepRecord {
    if (input.stage !== undefined) this.stage = input.stage;
    if (input.waitingOn !== undefined && input.waitingOn !== this.waitingOn) {
      this.waitingSince = input.waitingOn ? new Date(Date.now()).toISOString() : null;
    }
    if (input.waitingOn !== undefined) this.waitingOn = input.waitingOn;
    if (input.status !== undefined) this.status = input.status;
    if (input.outcome !== undefined) this.outcome = input.outcome;
    this.seq += 1;
    const record: StepRecord = {
      ...input,
      caseId: this.start.caseId,
      seq: this.seq,
      eventKey: `${this.start.caseId}#${this.seq}`,
      runId: workflowInfo().runId,
      occurredAt: new Date(Date.now()).toISOString(),
      stage: this.stage,
      waitingOn: this.waitingOn,
      status: this.status,
      clock: this.clock.snapshot(),
      clocks: this.secondarySnapshots(),
      waitingSince: this.waitingSince,
    };
    this.publish();
    return record;
  }

  /**
   * Search attributes and current details for the Temporal UI. Lean runs publish the attributes
   * when the case next waits (see `busy`) unless this step was recorded aside of the main flow.
   */
  private publish(): void {
    this.publishDetails();
    if (this.lean && this.working && this.aside === 0) this.attributesDue = true;
    else {
      this.attributesDue = false;
      this.publishAttributes();
    }
  }

  private publishAttributes(): void {
    const clock = this.clock.snapshot();
    const pairs: SearchAttributeUpdatePair[] = [
      { key: saCaseStatus, value: this.status },
      { key: saCaseStage, value: this.stage },
      { key: saWaitingOn, value: this.waitingOn ?? 'none' },
      { key: saClockState, value: clock.state },
      { key: saOverdue, value: clock.overdue },
      { key: saDeadlineProvisional, value: clock.provisional },
      { key: saDueAt, value: clock.dueAt ? new Date(clock.dueAt) : null },
      { key: saCaseOutcome, value: this.outcome ?? 'none' },
      { key: saWaitingSince, value: this.waitingSince ? new Date(this.waitingSince) : null },
      ...this.extraAttributes,
    ];
    if (!this.lean) {
      upsertSearchAttributes(pairs);
      return;
    }
    const changed = pairs.filter((p) => (this.published.get(p.key.name) ?? '') !== attributeText(p.value));
    if (changed.length === 0) return;
    for (const p of changed) this.published.set(p.key.name, attributeText(p.value));
    upsertSearchAttributes(changed);
  }

  private publishDetails(): void {
    const clock = this.clock.snapshot();
    const parts = [`当前环节: ${STAGE_TEXT[this.stage] ?? this.stage}`];
    if (this.waitingOn) parts.push(WAITING_TEXT[this.waitingOn]);
    if (this.missingParameters.length > 0) parts.push(`缺少参数: ${this.missingParameters.map(describeMissing).join('、')}`);
    parts.push(this.clock.summary());
    if (clock.state === 'paused') parts.push('时限暂停（等待申请人）');
    else if (clock.dueDate) parts.push(`到期日: ${chineseDate(clock.dueDate)}${clock.provisional ? '（暂定）' : ''}`);
    if (clock.overdue) parts.push('已超期');
    // The other province's reply clock (transfers): staff see when it is due and that it passed.
    const counterpart = this.secondary.get('counterpart')?.clock.snapshot();
    if (counterpart?.state === 'running' && counterpart.dueDate) parts.push(`对方答复期限: ${chineseDate(counterpart.dueDate)}`);
    if (this.extraAttributes.some((p) => p.key.name === saCounterpartOverdue.name && p.value === true)) parts.push('对方已超期未答复（已催办）');
    if (this.outcome) parts.push(`结果: ${OUTCOME_TEXT[this.outcome]}`);
    setCurrentDetails(parts.join('；'));
  }

  /**
   * Runs a computation that may need parameters nobody has published yet. While it answers
   * {@link AwaitingParameters}, the case waits visibly — stage awaiting_parameters, waiting on a
   * supervisor, a `publish_parameters` task naming every missing value, the case's current
   * details listing them — until a publication is signalled, then computes again. The statutory
   * clock keeps running: the delay is the agency's, not the applicant's.
   */
  async withParameters<T extends object>(clause: string, compute: () => Promise<T | AwaitingParameters>): Promise<T> {
    for (;;) {
      const seen = this.parameterPublications;
      const result = await compute();
      if (!isAwaitingParameters(result)) return result;
      const resume = { stage: this.stage, waitingOn: this.waitingOn };
      this.missingParameters = result.awaitingParameters;
      const taskKey = `${this.start.caseId}:publish_parameters:${this.seq + 1}`;
      await this.record({
        type: 'parameters_missing',
        clause,
        stage: 'awaiting_parameters',
        waitingOn: 'supervisor',
        detail: { missing: this.missingParameters },
        task: {
          open: {
            key: taskKey,
            step: 'publish_parameters',
            role: 'supervisor',
            title: `${STEP_TITLE.publish_parameters}：${this.missingParameters.map(describeMissing).join('；')}`,
            clause,
            dueAt: this.clock.snapshot().dueAt,
          },
        },
      });
      this.busy = false;
      // A publication between the computation and now counts: compute again at once.
      await condition(() => this.parameterPublications > seen);
      this.busy = true;
      this.missingParameters = [];
      await this.record({ type: 'parameters_published', clause, stage: resume.stage, waitingOn: resume.waitingOn, task: { close: { key: taskKey } }, detail: {} });
    }
  }

  /** Waits for a staff decision on `step`; records the waiting stage and then the decision. */
  async awaitDecision(awaited: AwaitedStep): Promise<StaffDecision & { requestId: string }> {
    this.awaited = awaited;
    const taskKey = `${this.start.caseId}:${awaited.step}:${this.seq + 1}`;
    await this.record({
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
          title: STEP_TITLE[awaited.step] ?? awaited.step,
          clause: awaited.clause,
          dueAt: this.clock.snapshot().dueAt,
        },
      },
    });
    this.busy = false;
    await condition(() => this.decisions.length > 0);
    this.busy = true;
    const decision = this.decisions.shift()!;
    this.awaited = null;
    this.decided.push({ step: decision.step, actor: decision.actor });
    await this.record({
      type: 'decision_recorded',
      clause: awaited.clause,
      waitingOn: null,
      task: { close: { key: taskKey } },
      actor: decision.actor,
      detail: { step: decision.step, result: decision.result },
      decision: {
        requestId: decision.requestId,
        step: decision.step,
        result: decision.result,
        reason: decision.reason,
        items: decision.items?.map((i) => ({ code: i.code, text: i.note ?? '' })),
      },
    });
    this.consumed.add(decision.ticket);
    return decision;
  }

  /**
   * Waits for `quorum` votes on `step` from distinct members (collective review, R-4). One task
   * per seat opens in the `role` inbox; each vote is checked when it arrives — a member votes
   * once, `eligible` may refuse the member (e.g. one who accepted or reviewed the case), and
   * `validate` the vote — then recorded as a decision that closes one seat's task. Votes may
   * arrive concurrently. Returns the votes in the order recorded.
   */
  async awaitVotes(o: {
    stage: string;
    step: string;
    clause: string;
    results: readonly string[];
    quorum: number;
    role: string;
    eligible?: (actor: Actor) => void;
    validate?: (vote: StaffDecision) => void;
  }): Promise<Array<StaffDecision & { requestId: string }>> {
    const votes: Array<StaffDecision & { requestId: string }> = [];
    const seats = Array.from({ length: o.quorum }, (_, i) => `${this.start.caseId}:${o.step}:seat-${i + 1}`);
    this.awaited = {
      stage: o.stage,
      waitingOn: 'reviewer',
      step: o.step,
      results: o.results,
      clause: o.clause,
      role: o.role,
      concurrent: true,
      validate: (d) => {
        if ([...votes, ...this.decisions].some((v) => v.actor.id === d.actor.id)) refuse('vote.already_cast', `${d.actor.id} 已在本次"${o.step}"中表决，每名成员只能表决一次`, 'actor');
        if (votes.length + this.decisions.length >= o.quorum) refuse('case.votes_complete', `已收到全部 ${o.quorum} 票`);
        o.eligible?.(d.actor);
        o.validate?.(d);
      },
    };
    for (const [i, key] of seats.entries()) {
      await this.record({
        type: 'awaiting_vote',
        clause: o.clause,
        stage: o.stage,
        waitingOn: 'reviewer',
        detail: { step: o.step, seat: i + 1, quorum: o.quorum },
        task: { open: { key, step: o.step, role: o.role, title: `${STEP_TITLE[o.step] ?? o.step}（第${i + 1}/${o.quorum}席）`, clause: o.clause, dueAt: this.clock.snapshot().dueAt } },
      });
    }
    while (votes.length < o.quorum) {
      this.busy = false;
      await condition(() => this.decisions.length > 0);
      this.busy = true;
      const vote = this.decisions.shift()!;
      votes.push(vote);
      this.decided.push({ step: vote.step, actor: vote.actor });
      const done = votes.length === o.quorum;
      if (done) this.awaited = null;
      await this.record({
        type: 'vote_recorded',
        clause: o.clause,
        waitingOn: done ? null : 'reviewer',
        task: { close: { key: seats[votes.length - 1] } },
        actor: vote.actor,
        detail: { step: vote.step, result: vote.result, seat: votes.length, quorum: o.quorum, votesFor: votes.filter((v) => v.result === 'approve').length, votes: votes.length },
        decision: { requestId: vote.requestId, step: vote.step, result: vote.result, reason: vote.reason, items: vote.items?.map((i) => ({ code: i.code, text: i.note ?? '' })) },
      });
      this.consumed.add(vote.ticket);
    }
    return votes;
  }

  /**
   * Waits for a supplement until `dueAtMs`; returns the supplied materials, or undefined when
   * the deadline passed with nothing received.
   */
  async awaitSupplement(dueAtMs: number, summary: string): Promise<{ materials: Material[]; actor?: Actor } | undefined> {
    this.acceptsSupplements = true;
    this.busy = false;
    const arrived = await condition(() => this.supplements.length > 0, Math.max(dueAtMs - Date.now(), 1), { summary });
    this.busy = true;
    this.acceptsSupplements = false;
    if (!arrived) return undefined;
    const supplement = this.supplements.shift()!;
    this.consumed.add(supplement.ticket);
    return supplement;
  }

  /** The closing record: stops the clock first so the record shows it stopped. */
  closing(input: StepInput & { outcome: CaseOutcome }): StepRecord {
    this.clock.stop();
    for (const { clock } of this.secondary.values()) clock.stop();
    this.expected.clear();
    return this.prepare({ ...input, stage: 'closed', waitingOn: null, status: 'closed' });
  }

  /** Closes the case with a plain record (no effect on other tables). */
  async close(input: StepInput & { outcome: CaseOutcome }): Promise<void> {
    await db.recordStep(this.closing(input));
  }

  /** Waits for the clock watcher and every handler, then returns the final view. */
  async finish(): Promise<CaseView> {
    this.clock.stop();
    for (const { clock } of this.secondary.values()) clock.stop();
    this.busy = false;
    await this.watcher;
    await Promise.all([...this.secondary.values()].map((s) => s.watcher));
    await condition(allHandlersFinished);
    return this.view();
  }

  /** Items as notices list them. */
  static noticeItems(items: ReadonlyArray<{ code: string; text: string }>): NoticeItem[] {
    return items.map((i) => ({ code: i.code, text: i.text }));
  }
}
