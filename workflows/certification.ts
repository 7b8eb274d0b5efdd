/**
 * The yearly eligibility certification of a pensioner (领取待遇资格认证; R-4, DB62/T 5079.1—2025
 * 10.2.3; domain.md §8), one watch per award, ID `certification-<awardId>`, started by the
 * benefit claim. Every 12 months from the last certification: a month before the due date the
 * death registry is compared (数据比对); a self-service certification arriving by API (the
 * `certify` Update, idempotent by request ID) certifies and starts the next cycle (continue-as-
 * new); not certified by the due date → the award is suspended (payments stop from that month)
 * and compared with the registry every 30 days; certified later → resumed, the missed months
 * paid in arrears by the next payroll run. A death (the stop procedure's `awardStopped` signal,
 * or the registry) stops the award after the month of death and ends the watch.
 *
 * The trust boundary (workflows/shared/trust.ts): the start (unless by a parent workflow or a
 * continue-as-new of this watch) and every certification carry the API's assertion; an unsigned,
 * altered or misdirected one is refused and audited. The `awardStopped` signal is not taken on
 * its word: the watch reads the award again and ends only when the database says it is stopped.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CertificationOutcome, CertificationPlan } from '../activities/certification';
import { chineseDate } from '../domain/notices';
import { CERTIFICATION_METHODS, dataComparisonDate, type CertificationMethod } from '../domain/payroll';
import { db, external } from './shared/activity-options';
import {
  auditRefusal,
  checkAssertion,
  loadTrustAnchor,
  refuseUnverified,
  verifySignedStart,
  type TrustAnchor,
} from './shared/trust';
import type { Assertion } from './shared/types';

export interface CertificationWatchInput {
  awardId: string;
  /** The benefit-claim case that created the award. */
  caseId: string;
  /** The due date whose data comparison was already done (carried over continue-as-new). */
  comparedFor?: string;
  /** The award's agency: a certification's asserted actor must work for it (absent in runs started before). */
  agencyCode?: string;
  /** The API's signature on a start from outside (workflows/shared/trust.ts). */
  assertion?: Assertion;
}

export interface CertificationRequest {
  method: CertificationMethod;
  /** Idempotency: the same request ID certifies once. */
  requestId: string;
  /** The API's signature (workflows/shared/trust.ts), bound to the Update's ID. */
  assertion?: Assertion;
}

export interface CertificationWatchView {
  awardId: string;
  status: 'active' | 'suspended' | 'stopped' | 'missing';
  dueDate: string | null;
  suspendedFrom: string | null;
  /** The due date whose data comparison with the death registry was done. */
  comparedFor: string | null;
  lastOutcome: CertificationOutcome | null;
}

export interface CertificationWatchResult {
  awardId: string;
  outcome: 'stopped' | 'missing';
}

/** A certification (self-service in an app, or a home visit), answered with its outcome. */
export const certifyUpdate = defineUpdate<CertificationOutcome, [CertificationRequest]>('certify');
/** The award was stopped elsewhere (the stop procedure, on death): the watch ends. */
export const awardStoppedSignal = defineSignal<[{ reason: string; caseId?: string }]>('awardStopped');
export const certificationWatchQuery = defineQuery<CertificationWatchView>('certificationWatchView');

export function certificationWatchId(awardId: string): string {
  return `certification-${awardId}`;
}

/** Tells an award's certification watch that the award was stopped; none running is fine. */
export async function endCertificationWatch(awardId: string, caseId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(certificationWatchId(awardId)).signal(awardStoppedSignal, {
      reason: 'death',
      caseId,
    });
  } catch (err) {
    // The watch has ended already (or was never started): nothing to tell.
    log.info('no certification watch to end', { awardId, error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * The watch's `awardStopped` signal is confirmed with the database before the watch ends: runs
 * started before it end on the signal alone, as they were recorded.
 */
export const AWARD_STOPPED_CONFIRMED = 'award-stopped-confirmed';

/** A start not signed by the API (or for another award) fails before anything is read. */
function verifyStart(input: CertificationWatchInput, trust: TrustAnchor | undefined): void {
  const info = workflowInfo();
  // Started by the benefit claim, or continued from this watch's own run: workflow code, trusted.
  if (!trust || info.parent || info.continuedFromExecutionRunId) return;
  verifySignedStart(input, trust, {
    agencyCode: input.agencyCode,
    forThisWorkflow: certificationWatchId(input.awardId) === info.workflowId,
    what: 'award',
  });
}

/** While suspended, the registry is compared again every 30 days. */
const RECHECK_MS = 30 * 86_400_000;
/** Continue as new well before the history grows large (years of monthly re-checks). */
const MAX_HISTORY = 1_000;

/** Yearly eligibility certification of one award. */
export async function certificationWatch(input: CertificationWatchInput): Promise<CertificationWatchResult> {
  const queue: Array<CertificationRequest & { ticket: number }> = [];
  const answers = new Map<number, CertificationOutcome>();
  let tickets = 0;
  let stopSignalled = false;
  // Loaded when the watch starts (a certification that comes with the start waits for it).
  const anchor: { loaded: boolean; trust?: TrustAnchor } = { loaded: false };
  const verdictOn = (request: CertificationRequest, updateId: string | undefined) =>
    checkAssertion(request, anchor.trust, {
      caseId: workflowInfo().workflowId,
      action: 'certify',
      updateId,
      nowMs: Date.now(),
      agencyCode: input.agencyCode,
    });
  const view: CertificationWatchView = {
    awardId: input.awardId,
    status: 'active',
    dueDate: null,
    suspendedFrom: null,
    comparedFor: input.comparedFor ?? null,
    lastOutcome: null,
  };

  setHandler(
    certifyUpdate,
    async (request) => {
      if (!anchor.trust) {
        // Not checked by the validator: the certification came with the start (update-with-start),
        // before the keys were loaded, or the watch started before signed assertions and loads
        // them now (a run recorded before this replays without them and takes it as it did).
        const updateId = currentUpdateInfo()?.id;
        if (!anchor.loaded) await condition(() => anchor.loaded);
        anchor.trust ??= await loadTrustAnchor();
        const verdict = anchor.trust ? verdictOn(request, updateId) : undefined;
        if (verdict && !verdict.ok)
          refuseUnverified(verdict, {
            caseId: workflowInfo().workflowId,
            action: 'certify',
            agencyCode: input.agencyCode,
          });
      }
      const ticket = ++tickets;
      queue.push({ ...request, ticket });
      await condition(() => answers.has(ticket));
      return answers.get(ticket)!;
    },
    {
      validator: (request) => {
        const verdict = anchor.trust ? verdictOn(request, currentUpdateInfo()?.id) : undefined;
        if (verdict && !verdict.ok)
          refuseUnverified(verdict, {
            caseId: workflowInfo().workflowId,
            action: 'certify',
            agencyCode: input.agencyCode,
          });
        if (!(CERTIFICATION_METHODS as readonly string[]).includes(request?.method)) {
          throw ApplicationFailure.create({
            type: 'certification.invalid_method',
            message: `认证方式只能是 ${CERTIFICATION_METHODS.join(' / ')}`,
            nonRetryable: true,
          });
        }
        if (!request.requestId)
          throw ApplicationFailure.create({
            type: 'certification.request_id_required',
            message: '缺少请求编号 requestId',
            nonRetryable: true,
          });
      },
    },
  );
  let stopClaim = '';
  setHandler(awardStoppedSignal, (claim) => {
    stopSignalled = true;
    stopClaim = `reason ${JSON.stringify(claim?.reason ?? null)}, case ${JSON.stringify(claim?.caseId ?? null)}`;
  });
  setHandler(certificationWatchQuery, () => view);

  anchor.trust = await loadTrustAnchor();
  anchor.loaded = true;
  verifyStart(input, anchor.trust);
  let plan: CertificationPlan = await db.certificationPlan({ awardId: input.awardId });
  let comparedFor = input.comparedFor;
  // What a continued run needs of the input (its start is not verified again: workflow code).
  const agency = input.agencyCode ? { agencyCode: input.agencyCode } : {};
  let lastCheckMs = Date.now();

  const publish = (p: CertificationPlan) => {
    view.status = p.status;
    view.dueDate = 'dueDate' in p ? p.dueDate : null;
    view.suspendedFrom = 'suspendedFrom' in p ? p.suspendedFrom : null;
    const text: Record<CertificationWatchView['status'], string> = {
      active: '正常发放',
      suspended: '暂停发放',
      stopped: '已终止发放',
      missing: '待遇不存在',
    };
    const parts = [`待遇状态: ${text[p.status]}`];
    if (view.dueDate) parts.push(`认证到期日: ${chineseDate(view.dueDate)}`);
    if (view.suspendedFrom) parts.push(`自 ${view.suspendedFrom} 暂停`);
    setCurrentDetails(parts.join('；'));
  };

  const end = async (outcome: CertificationWatchResult['outcome']): Promise<CertificationWatchResult> => {
    publish(outcome === 'missing' ? { status: 'missing' } : { status: 'stopped' });
    // Certifications still queued are answered: a stopped award is not certified.
    for (const request of queue.splice(0)) {
      answers.set(request.ticket, {
        outcome: 'stopped',
        certifiedOn: null,
        nextCertificationDue: null,
        resumed: false,
        status: 'stopped',
      });
    }
    await condition(allHandlersFinished);
    return { awardId: input.awardId, outcome };
  };

  /** Data comparison: true when the registry records a death (the award is then stopped). */
  const deceased = async () => (await external.compareWithDeathRegistry({ awardId: input.awardId })).deceased;

  for (;;) {
    if (stopSignalled && patched(AWARD_STOPPED_CONFIRMED)) {
      // Anyone can signal: the watch ends only when the database says the award is stopped.
      stopSignalled = false;
      plan = await db.certificationPlan({ awardId: input.awardId });
      if (plan.status === 'active' || plan.status === 'suspended') {
        auditRefusal({
          caseId: workflowInfo().workflowId,
          action: 'awardStopped',
          code: 'signal.not_confirmed',
          reason: `an awardStopped signal (${stopClaim.slice(0, 120)}) for an award the database holds ${plan.status}: not taken, the watch goes on`,
          agencyCode: input.agencyCode,
        });
      }
    }
    const current = plan;
    publish(current);
    if (current.status === 'missing') return end('missing');
    if (current.status === 'stopped' || stopSignalled) return end('stopped');
    if (queue.length === 0 && workflowInfo().historyLength > MAX_HISTORY) {
      return continueAsNew<typeof certificationWatch>({
        awardId: input.awardId,
        caseId: input.caseId,
        comparedFor,
        ...agency,
      });
    }

    if (queue.length > 0) {
      const request = queue.shift()!;
      const outcome = await db.recordCertification({
        awardId: input.awardId,
        requestId: request.requestId,
        method: request.method,
        nowMs: Date.now(),
      });
      answers.set(request.ticket, outcome);
      view.lastOutcome = outcome;
      if (outcome.outcome === 'stopped') return end('stopped');
      if (outcome.outcome === 'certified' && queue.length === 0) {
        // Certified: the next cycle counts from today; a fresh run keeps the history short.
        await condition(allHandlersFinished);
        return continueAsNew<typeof certificationWatch>({ awardId: input.awardId, caseId: input.caseId, ...agency });
      }
      if (outcome.outcome === 'certified') plan = await db.certificationPlan({ awardId: input.awardId });
      continue;
    }

    const step: { atMs: number; action: 'compare' | 'due' | 'recheck'; summary: string } =
      current.status === 'suspended'
        ? {
            atMs: lastCheckMs + RECHECK_MS,
            action: 'recheck',
            summary: '暂停发放中：每30日与死亡登记比对；认证后恢复发放，暂停月份由下次发放补发',
          }
        : comparedFor !== current.dueDate
          ? {
              atMs: current.compareAtMs,
              action: 'compare',
              summary: `资格认证到期前数据比对（死亡登记）：${chineseDate(dataComparisonDate(current.dueDate))}（R-4，第10.2.3条）`,
            }
          : {
              atMs: current.dueAtMs,
              action: 'due',
              summary: `领取待遇资格认证到期：${chineseDate(current.dueDate)}（每12个月认证一次，R-4，第10.2.3条）；逾期未认证暂停发放`,
            };
    const waitMs = step.atMs - Date.now();
    if (waitMs > 0 && (await condition(() => queue.length > 0 || stopSignalled, waitMs, { summary: step.summary })))
      continue;

    if (await deceased()) return end('stopped');
    lastCheckMs = Date.now();
    if (step.action === 'compare') comparedFor = view.comparedFor = current.dueDate;
    if (step.action === 'due') {
      await db.suspendAward({
        awardId: input.awardId,
        dueDate: current.dueDate,
        lastCertifiedOn: current.lastCertifiedOn,
      });
      plan = await db.certificationPlan({ awardId: input.awardId });
    }
  }
}
