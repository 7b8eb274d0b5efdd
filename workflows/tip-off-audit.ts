/**
 * A tip-off audit (举报稽核, R-5, DB62/T 5079.1—2025 10.2.4): opened by a supervisor when a tip-off
 * comes in, with a clock of its own in working days from receipt — the statutory clock the cases
 * run (reminder at 80 %, breach recorded and the audit marked overdue). A supervisor concludes it
 * (Update `concludeAudit`, refused when already concluded or without a conclusion); the clock
 * stops and the conclusion is recorded with it. ID = the audit's number `audit-<agency>-<year>-<n>`.
 * The tip-off's content never comes here (it stays in the database).
 *
 * The trust boundary (workflows/shared/trust.ts) as in a case: the start and every conclusion
 * carry the API's assertion; an unsigned, altered or misdirected one is refused and audited.
 */
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClockSnapshot } from '../domain/case-records';
import { chineseDate } from '../domain/notices';
import { db } from './shared/activity-options';
import { refuse } from './shared/case-runtime';
import { StatutoryClock } from './shared/statutory-clock';
import {
  checkAssertion,
  loadTrustAnchor,
  refuseUnverified,
  verifySignedStart,
  withNamedActor,
  type TrustAnchor,
} from './shared/trust';
import type { Actor } from './shared/types';

export interface TipOffAuditInput {
  auditId: string;
  /** The audit's agency: the asserted actor must work for it. */
  agencyCode: string;
  /** When the tip-off was received (ISO): the clock starts here. */
  receivedAt: string;
  /** Working days to conclude (fixed at start). */
  workingDays: number;
}

export interface AuditConclusion {
  conclusion: string;
  actor: Actor;
}

export interface TipOffAuditView {
  auditId: string;
  status: 'open' | 'concluded';
  clock: ClockSnapshot;
}

export const concludeAuditUpdate = defineUpdate<TipOffAuditView, [AuditConclusion]>('concludeAudit');
export const tipOffAuditQuery = defineQuery<TipOffAuditView>('tipOffAudit');

export async function tipOffAudit(input: TipOffAuditInput): Promise<TipOffAuditView> {
  // Loaded when the workflow starts; an Update that comes before it finds none and is refused.
  let trust: TrustAnchor | undefined = undefined;
  const clock = new StatutoryClock({ budgetWorkingDays: input.workingDays, clause: '10.2.4', reminderFraction: 0.8 });
  let conclusion: AuditConclusion | undefined;
  let status: TipOffAuditView['status'] = 'open';
  const view = (): TipOffAuditView => ({ auditId: input.auditId, status, clock: clock.snapshot() });
  const details = () =>
    setCurrentDetails(
      `举报稽核：${status === 'open' ? '办理中' : '已办结'}；${clock.summary()}` +
        `${clock.snapshot().dueDate ? `；到期日: ${chineseDate(clock.snapshot().dueDate!)}` : ''}${clock.isOverdue ? '；已超期' : ''}`,
    );
  setHandler(tipOffAuditQuery, view);
  setHandler(
    concludeAuditUpdate,
    async (c) => {
      conclusion = c;
      await condition(() => status === 'concluded');
      return view();
    },
    {
      validator: (c) => {
        const verdict = withNamedActor(
          checkAssertion(c, trust, {
            caseId: input.auditId,
            action: 'concludeAudit',
            updateId: currentUpdateInfo()?.id,
            nowMs: Date.now(),
            agencyCode: input.agencyCode,
          }),
          c.actor ?? {},
        );
        if (!verdict.ok)
          refuseUnverified(verdict, { caseId: input.auditId, action: 'concludeAudit', agencyCode: input.agencyCode });
        if (conclusion !== undefined || status !== 'open') refuse('audit.concluded', '该稽核已办结');
        if (!c.actor?.id || c.actor.role !== 'supervisor')
          refuse('separation.wrong_role', '稽核结论须由主管（supervisor）作出', 'actor');
        if (!c.conclusion?.trim()) refuse('audit.conclusion_required', '须写明稽核结论', 'conclusion');
      },
    },
  );

  trust = await loadTrustAnchor();
  // A start not signed by the API (or for another audit) fails before anything is recorded.
  if (trust)
    verifySignedStart(input, trust, {
      agencyCode: input.agencyCode,
      forThisWorkflow: input.auditId === workflowInfo().workflowId,
      what: 'audit',
    });
  await clock.run(Date.parse(input.receivedAt));
  await db.recordAuditClock({ auditId: input.auditId, event: 'opened', clock: clock.snapshot() });
  details();
  const watcher = clock.watch(async (event) => {
    await db.recordAuditClock({
      auditId: input.auditId,
      event: event === 'reminder' ? 'reminder' : 'breached',
      clock: clock.snapshot(),
    });
    details();
  });
  await condition(() => conclusion !== undefined);
  clock.stop();
  await db.recordAuditClock({
    auditId: input.auditId,
    event: 'concluded',
    clock: clock.snapshot(),
    conclusion: { text: conclusion!.conclusion.trim(), actorId: conclusion!.actor.id, atMs: Date.now() },
  });
  status = 'concluded';
  details();
  await watcher;
  await condition(allHandlersFinished);
  return view();
}
