/**
 * The core every case workflow shares: its state, the one way to save a step (one activity, one
 * transaction, one event) and to close the case, its search attributes and current details, its
 * statutory clock's watcher and the busy/settle protocol. Beside it: handlers.ts, staff-steps.ts,
 * supplements.ts, platform-inbox.ts, secondary-clocks.ts, parameters-wait.ts, case-texts.ts.
 */
import { allHandlersFinished, condition, patched, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { RiskGrade } from '../../domain/risk-register';
import { db, timerStep } from './activity-options';
import { CaseAttributes } from './case-attributes';
import { CASE_TEXTS, currentDetails, mergeTexts, type CaseTexts } from './case-texts';
import { registerCaseHandlers, Tickets, verifyStart } from './handlers';
import { PARAMETERS_TEXTS, ParametersWait } from './parameters-wait';
import { PlatformInbox } from './platform-inbox';
import { LEAN_STEPS_PATCH } from './lean-steps';
import { SecondaryClocks } from './secondary-clocks';
import { StaffSteps } from './staff-steps';
import type { ClockEvent, StatutoryClock } from './statutory-clock';
import { Supplements } from './supplements';
import { loadTrustAnchor, type TrustAnchor } from './trust';
import type { CaseOutcome, CaseStart, CaseView, StepRecord, WaitingOn } from './types';

export { LEAN_STEPS_PATCH } from './lean-steps';
export { refuse } from './refusal';
export type { AwaitedStep } from './staff-steps';

export type StepInput = Omit<
  StepRecord,
  'caseId' | 'seq' | 'eventKey' | 'runId' | 'occurredAt' | 'clock' | 'stage' | 'waitingOn' | 'status'
> & {
  stage?: string;
  waitingOn?: WaitingOn | null;
  status?: 'open' | 'closed';
};
export type ClosingInput = StepInput & { outcome: CaseOutcome };

/** Persists a step: alone (db.recordStep, the default) or in one transaction with a procedure's work. */
export type Persist<R> = (step: StepRecord) => Promise<R>;

export class CaseRuntime {
  stage = 'received';
  waitingOn: WaitingOn | null = null;
  status: 'open' | 'closed' = 'open';
  outcome: CaseOutcome | null = null;
  /** The highest grade of the risk points touched (RiskGrade), and the collective-review quorum. */
  riskGrade: RiskGrade | null = null;
  riskQuorum = 3;
  /** The stage and step texts of this procedure. */
  readonly texts: ReturnType<typeof mergeTexts>;
  readonly attributes = new CaseAttributes();
  readonly staff = new StaffSteps(this);
  readonly supplements = new Supplements(this);
  readonly platform = new PlatformInbox(this);
  readonly clocks = new SecondaryClocks(this);
  readonly parameters = new ParametersWait(this);
  readonly tickets = new Tickets();
  /** The API's public keys, loaded by startClock (workflows/shared/trust.ts). */
  trust?: TrustAnchor;
  private working = true;
  /** Runs under LEAN_STEPS_PATCH (decided when the runtime is constructed). */
  private leanSteps?: boolean;
  private attributesDue = false;
  /** Records made by handlers and clock watchers (not the main flow) publish at once. */
  private aside = 0;
  private steps = 0;
  private waitingSince: string | null = null;
  private watcher?: Promise<void>;

  /**
   * `texts`: the stage and step texts of the procedure and of the shared steps it takes. Registers
   * the handlers every case has (handlers.ts): construct the runtime before the first await.
   */
  constructor(
    readonly start: CaseStart & { procedure: string },
    readonly clock: StatutoryClock,
    texts: readonly CaseTexts[] = [],
  ) {
    this.texts = mergeTexts([CASE_TEXTS, PARAMETERS_TEXTS, ...texts]);
    // Decided here, before the first step, so the patch marker is the run's first command.
    void this.lean;
    registerCaseHandlers(this);
  }

  /** False while the workflow waits for outside input (see idle) or has finished. */
  get busy(): boolean {
    return this.working;
  }

  /**
   * Waits for outside input: the case is not busy (settle answers; lean runs publish what the
   * steps since the last wait changed) until `wait` resolves. Returns `wait`'s own promise, so
   * the flow resumes in the same microtask as it did awaiting it inline.
   */
  idle<T>(wait: () => Promise<T>): Promise<T> {
    this.stopWorking();
    const waiting = wait();
    void waiting.then(
      () => (this.working = true),
      () => undefined,
    );
    return waiting;
  }

  private stopWorking(): void {
    if (this.attributesDue) {
      this.attributesDue = false;
      this.publishAttributes();
    }
    this.working = false;
  }

  /** Whether this run takes the leaner steps (LEAN_STEPS_PATCH). */
  get lean(): boolean {
    if (this.leanSteps === undefined) {
      this.leanSteps = patched(LEAN_STEPS_PATCH);
      this.attributes.seed();
    }
    return this.leanSteps;
  }

  get receivedAtMs(): number {
    return Date.parse(this.start.receivedAt);
  }

  /** The number of the last step recorded. */
  get seq(): number {
    return this.steps;
  }

  view(): CaseView {
    const missing = this.parameters.missing;
    return {
      caseId: this.start.caseId,
      procedure: this.start.procedure,
      status: this.status,
      stage: this.stage,
      waitingOn: this.waitingOn,
      outcome: this.outcome,
      clock: this.clock.snapshot(),
      awaitingStep: this.staff.awaited?.step ?? null,
      clocks: this.clocks.snapshots(),
      expectedMessages: this.platform.expectedTypes(),
      ...(missing.length > 0 ? { missingParameters: missing } : {}),
      ...(this.riskGrade ? { riskGrade: this.riskGrade } : {}),
    };
  }

  /**
   * Saves a step: local state first (so concurrent records carry it), then `persist` — by
   * default db.recordStep; a procedure passes its own activity to write the step in one
   * transaction with its work, and gets that activity's answer.
   */
  record(input: StepInput): Promise<StepRecord>;
  record<R>(input: StepInput, persist: Persist<R>): Promise<R>;
  record<R>(input: StepInput, persist?: Persist<R>): Promise<R | StepRecord> {
    const step = this.prepare(input);
    return persist ? persist(step) : this.recordStep(step);
  }

  /** Closes the case (saved as `record` saves): its clocks stop first, so the record shows them stopped. */
  close(input: ClosingInput): Promise<StepRecord>;
  close<R>(input: ClosingInput, persist: Persist<R>): Promise<R>;
  close<R>(input: ClosingInput, persist?: Persist<R>): Promise<R | StepRecord> {
    this.clock.stop();
    this.clocks.stopAll();
    this.platform.close();
    const step = this.prepare({ ...input, stage: 'closed', waitingOn: null, status: 'closed' });
    return persist ? persist(step) : this.recordStep(step);
  }

  private async recordStep(step: StepRecord): Promise<StepRecord> {
    await db.recordStep(step);
    return step;
  }

  /** Records what a timer found when it fired: in the timer's own workflow task (lean runs, see timerStep). */
  async recordAtTimer(input: StepInput): Promise<void> {
    if (!this.lean) await this.record(input);
    else await this.record(input, (step) => timerStep.recordStep(step));
  }

  /** Runs what a handler or clock watcher does beside the main flow: its records are published at once. */
  async asideOfMainFlow<T>(work: () => Promise<T>): Promise<T> {
    this.aside += 1;
    try {
      return await work();
    } finally {
      this.aside -= 1;
    }
  }

  private prepare(input: StepInput): StepRecord {
    if (input.stage !== undefined) this.stage = input.stage;
    if (input.waitingOn !== undefined && input.waitingOn !== this.waitingOn) {
      this.waitingSince = input.waitingOn ? new Date(Date.now()).toISOString() : null;
    }
    if (input.waitingOn !== undefined) this.waitingOn = input.waitingOn;
    if (input.status !== undefined) this.status = input.status;
    if (input.outcome !== undefined) this.outcome = input.outcome;
    this.steps += 1;
    const record: StepRecord = {
      ...input,
      caseId: this.start.caseId,
      seq: this.steps,
      eventKey: `${this.start.caseId}#${this.steps}`,
      runId: workflowInfo().runId,
      occurredAt: new Date(Date.now()).toISOString(),
      stage: this.stage,
      waitingOn: this.waitingOn,
      status: this.status,
      clock: this.clock.snapshot(),
      clocks: this.clocks.snapshots(),
      waitingSince: this.waitingSince,
    };
    setCurrentDetails(currentDetails(this));
    // Lean runs publish the attributes when the case next waits (idle), unless recorded aside.
    if (this.lean && this.working && this.aside === 0) this.attributesDue = true;
    else {
      this.attributesDue = false;
      this.publishAttributes();
    }
    return record;
  }

  private publishAttributes(): void {
    const { status, stage, waitingOn, outcome, waitingSince } = this;
    this.attributes.publish(
      { status, stage, waitingOn, outcome, waitingSince, clock: this.clock.snapshot() },
      this.lean,
    );
  }

  /** Starts the statutory clock and its watcher; first the trust anchor is loaded and the start verified. */
  async startClock(): Promise<void> {
    this.trust = await loadTrustAnchor();
    verifyStart(this.start, this.trust);
    await this.clock.run(this.receivedAtMs);
    this.watcher = this.clock.watch((event) => this.onClockEvent(event));
  }

  private async onClockEvent(event: ClockEvent): Promise<void> {
    const input = {
      type: event === 'reminder' ? 'deadline_reminder' : 'deadline_breached',
      clause: this.clock.spec.clause,
      detail: { dueDate: this.clock.snapshot().dueDate },
    };
    await this.asideOfMainFlow(() => this.recordAtTimer(input));
  }

  /** Waits for the clock watchers and every handler, then returns the final view. */
  async finish(): Promise<CaseView> {
    this.clock.stop();
    this.clocks.stopAll();
    this.stopWorking();
    await this.watcher;
    await this.clocks.watched();
    await condition(allHandlersFinished);
    return this.view();
  }
}
