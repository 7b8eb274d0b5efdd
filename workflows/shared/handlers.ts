/**
 * The messages every case answers (messages.ts), registered when its CaseRuntime is constructed:
 * each Update's validator checks the trust boundary first (workflows/shared/trust.ts), then that
 * the case is open, then what the step or inbox concerned accepts now; each Update answers once
 * the flow has consumed its input and settled (not busy).
 */
import { condition, currentUpdateInfo, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CaseRuntime } from './case-runtime';
import {
  calendarPublishedSignal,
  caseViewQuery,
  decideUpdate,
  extendDeadlineUpdate,
  parametersPublishedSignal,
  platformMessageUpdate,
  settleUpdate,
  supplementUpdate,
} from './messages';
import { refuse } from './refusal';
import { checkAssertion, refuseUnverified, verifySignedStart, withNamedActor, type TrustAnchor } from './trust';
import type { Actor, CaseStart, DeadlineExtension } from './types';

/** Inputs that Updates queue (decisions, supplements, messages), numbered; each Update answers once its input is consumed. */
export class Tickets {
  private next = 1;
  private readonly consumed = new Set<number>();

  issue(): number {
    return this.next++;
  }

  consume(ticket: number): void {
    this.consumed.add(ticket);
  }

  isConsumed(ticket: number): boolean {
    return this.consumed.has(ticket);
  }
}

/** Registers the handlers every case has (the CaseRuntime constructor). */
export function registerCaseHandlers(rt: CaseRuntime): void {
  const open = () => {
    if (rt.status !== 'open') refuse('case.closed', '案件已办结');
  };
  /** An Update whose input the flow takes: it answers once the input is consumed and the case settled. */
  const queued = <I extends { actor?: Actor }>(
    action: string,
    take: { receive(input: I): number; validate(input: I): void },
  ) =>
    [
      async (input: I) => {
        const ticket = take.receive(input);
        await condition(() => rt.tickets.isConsumed(ticket) && !rt.busy);
        return rt.view();
      },
      {
        validator: (input: I) => {
          trusted(rt, input, action, input.actor);
          open();
          take.validate(input);
        },
      },
    ] as const;
  setHandler(caseViewQuery, () => rt.view());
  setHandler(settleUpdate, async () => {
    await condition(() => !rt.busy);
    return rt.view();
  });
  setHandler(decideUpdate, ...queued('decide', rt.staff));
  setHandler(supplementUpdate, ...queued('supplement', rt.supplements));
  setHandler(
    extendDeadlineUpdate,
    async (extension) => {
      await rt.clock.extend(extension.workingDays, extension.reason, Date.now());
      await rt.asideOfMainFlow(() =>
        rt.record({
          type: 'deadline_extended',
          clause: rt.clock.spec.clause,
          actor: extension.actor,
          detail: { workingDays: extension.workingDays, reason: extension.reason },
        }),
      );
      return rt.view();
    },
    {
      validator: (extension) => {
        trusted(rt, extension, 'extendDeadline', extension.actor);
        open();
        validateExtension(rt, extension);
      },
    },
  );
  setHandler(
    platformMessageUpdate,
    async (message) => {
      // A message delivered again (the platform delivers at least once) changes nothing.
      if (rt.platform.seenBefore(message)) return rt.view();
      const ticket = rt.platform.receive(message);
      if (ticket === undefined) {
        // The other side reminds us (催办): recorded; the case goes on as it is.
        await rt.asideOfMainFlow(() =>
          rt.record({
            type: 'counterpart_reminder_received',
            clause: '国办发〔2009〕66号 第八条',
            detail: { messageId: message.messageId },
          }),
        );
        return rt.view();
      }
      await condition(() => rt.tickets.isConsumed(ticket) && !rt.busy);
      return rt.view();
    },
    {
      validator: (message) => {
        trusted(rt, message, 'platformMessage');
        if (rt.platform.seenBefore(message)) return;
        open();
        rt.platform.validate(message);
      },
    },
  );
  setHandler(parametersPublishedSignal, () => {
    rt.parameters.published();
  });
  setHandler(calendarPublishedSignal, async () => {
    const clocks = [rt.clock, ...rt.clocks.all()];
    let changed = false;
    for (const clock of clocks) changed = (await clock.reproject()) || changed;
    if (changed)
      await rt.asideOfMainFlow(() =>
        rt.record({ type: 'deadline_reprojected', clause: rt.clock.spec.clause, detail: {} }),
      );
  });
}

function validateExtension(rt: CaseRuntime, extension: DeadlineExtension): void {
  if (!extension.actor?.id || !extension.actor?.role)
    refuse('decision.actor_required', '必须注明经办人员及其角色', 'actor');
  if (extension.actor.role !== 'supervisor')
    refuse(
      'separation.wrong_role',
      `延长法定时限须由主管（supervisor）决定，${extension.actor.role} 无权延长`,
      'actor',
    );
  if (rt.clock.hasExtension) refuse('deadline.already_extended', '法定时限只能延长一次');
  if (!Number.isInteger(extension.workingDays) || extension.workingDays < 1 || extension.workingDays > 30) {
    refuse('deadline.invalid_extension', '延长的工作日数须为 1 到 30 之间的整数', 'workingDays');
  }
  if (!extension.reason?.trim()) refuse('deadline.reason_required', '延长时限必须说明理由', 'reason');
}

/**
 * The trust boundary (workflows/shared/trust.ts): the input must carry an assertion the API
 * signed for this case, this action and this Update, recently, by someone of the case's agency;
 * the actor named in the input must be the one asserted. Anything else is refused and recorded
 * in audit_refusals, before any other check looks at the input.
 */
function trusted(rt: CaseRuntime, input: unknown, action: string, named?: Actor): Actor {
  const { caseId, agencyCode } = rt.start;
  const verdict = withNamedActor(
    checkAssertion(input, rt.trust, {
      caseId,
      action,
      updateId: currentUpdateInfo()?.id,
      nowMs: Date.now(),
      agencyCode,
    }),
    named,
  );
  if (!verdict.ok) refuseUnverified(verdict, { caseId, action, agencyCode });
  return verdict.actor;
}

/**
 * A case started by a client must carry the API's assertion over its whole input (a child
 * workflow is started by workflow code, which is trusted). Checked before anything is recorded;
 * a start that fails is refused, recorded, and the workflow fails without touching the case.
 */
export function verifyStart(start: CaseStart & { procedure: string }, trust: TrustAnchor | undefined): void {
  if (workflowInfo().parent || !trust) return;
  const { procedure: _procedure, ...input } = start;
  verifySignedStart(input, trust, {
    agencyCode: start.agencyCode,
    forThisWorkflow: start.caseId === workflowInfo().workflowId,
    what: 'case',
  });
}
