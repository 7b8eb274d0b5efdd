/**
 * The retirement watch (B-7, DB62/T 5079.1—2025 8.2.3.1): one long-lived workflow per insured
 * person, ID `retirement-watch-<personKey>` (the pseudonymous key, never the ID number). It
 * computes the statutory retirement month and the pre-review date in an activity, sleeps until
 * 00:00 (China time) of the pre-review date, three months before the retirement month, and then
 * opens a pre-review case (its own `preReview` workflow). After the pre-review it keeps watching
 * until the retirement month begins: a correction of the file birth date or the original age,
 * or changed rules, arrive as the `inputsChanged` signal; the watch then continues as new and
 * computes again, so a moved retirement month gets its own pre-review (a still open one for the
 * old month is left to staff, and the new one opens once it is closed). Every run's history is a
 * handful of events, whatever the number of changes. The watch ends when the retirement month
 * begins, or when the person has no relation here that is still contributing or interrupted.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { OpenPreReviewResult, RetirementWatchPlan } from '../activities/retirement';
import { chineseDate } from '../domain/notices';
import { yearMonthChinese } from '../domain/retirement-age';
import { preReview } from './pre-review';
import { auditRefusal, checkAssertion, loadTrustAnchor, type TrustAnchor } from './shared/trust';
import { db } from './shared/activity-options';
import { saAgencyCode, saCaseStage, saCaseStatus, saPersonKey, saProcedure } from './shared/search-attributes';
import type { Actor, Assertion } from './shared/types';

/** Why the inputs of the retirement date changed. */
export interface InputsChange {
  reason: 'file_corrected' | 'rules_changed' | 'relation_changed';
  /** Which person fields were corrected (never their values). */
  fields?: string[];
  actor?: Actor;
  /** Free text for the record: the correction's reason, the rule change's document. */
  note?: string;
  requestId?: string;
  /** The API's signature (workflows/shared/trust.ts). */
  assertion?: Assertion;
}

export interface RetirementWatchInput {
  personKey: string;
  /** How many times the watch was re-armed (carried over continue-as-new). */
  rearmed?: number;
  /** The change that re-armed it last. */
  lastChange?: InputsChange;
}

export type RetirementWatchPhase =
  'planning' | 'waiting_for_pre_review' | 'waiting_for_previous_pre_review' | 'watching_until_retirement' | 'ended';

export interface RetirementWatchView {
  personKey: string;
  phase: RetirementWatchPhase;
  plan: RetirementWatchPlan | null;
  rearmed: number;
  lastChange: InputsChange | null;
  preReviewCaseId: string | null;
}

export interface RetirementWatchResult {
  personKey: string;
  outcome: 'no_person' | 'not_insured' | 'receiving' | 'retirement_reached';
  preReviewCaseId: string | null;
}

/** The inputs of the retirement date changed (file corrected, rules changed): compute again. */
export const inputsChangedSignal = defineSignal<[InputsChange]>('inputsChanged');
export const retirementWatchQuery = defineQuery<RetirementWatchView>('retirementWatchView');

export function retirementWatchId(personKey: string): string {
  return `retirement-watch-${personKey}`;
}

export const RETIREMENT_WATCH_SUMMARY = '退休前预审守候（B-7，DB62/T 5079.1—2025 第8.2.3.1条）';

/**
 * Arms the person's watch from a parent workflow (enrollment) when a pre-review is still ahead
 * (a person enrolling past the statutory age — to reach the minimum years — needs none, and no
 * watch is started just to end at once); a watch already running is kept.
 */
export async function armRetirementWatch(personKey: string): Promise<void> {
  const plan = await db.planRetirementWatch({ personKey, nowMs: Date.now() });
  if (plan.status !== 'watching') return;
  try {
    await startChild(retirementWatch, {
      workflowId: retirementWatchId(personKey),
      args: [{ personKey }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: RETIREMENT_WATCH_SUMMARY,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

type WatchingPlan = Extract<RetirementWatchPlan, { preReviewDate: string }>;

const PHASE_TEXT: Record<RetirementWatchPhase, string> = {
  planning: '计算退休时间',
  waiting_for_pre_review: '等待预审日',
  waiting_for_previous_pre_review: '等待前一预审案件办结',
  watching_until_retirement: '已预审，守候至法定退休',
  ended: '已结束',
};

/** One long-lived watch per insured person: pre-review three months before retirement (B-7). */
export async function retirementWatch(input: RetirementWatchInput): Promise<RetirementWatchResult> {
  const changes: InputsChange[] = [];
  const view: RetirementWatchView = {
    personKey: input.personKey,
    phase: 'planning',
    plan: null,
    rearmed: input.rearmed ?? 0,
    lastChange: input.lastChange ?? null,
    preReviewCaseId: null,
  };
  // A change is taken only with the API's assertion (workflows/shared/trust.ts): it can move the
  // retirement date and names who corrected the file. Checked once the trust anchor is loaded.
  const arrived: InputsChange[] = [];
  const seen = new Set<string>();
  const anchor: { loaded: boolean; trust?: TrustAnchor } = { loaded: false };
  const sift = () => {
    if (!anchor.loaded) return;
    for (const change of arrived.splice(0)) {
      // A watch started before signed assertions replays as it ran: every change taken.
      if (!anchor.trust) {
        changes.push(change);
        continue;
      }
      let verdict = checkAssertion(change, anchor.trust, {
        caseId: workflowInfo().workflowId,
        action: 'inputsChanged',
        nowMs: Date.now(),
      });
      if (
        verdict.ok &&
        (seen.has(change.assertion!.key) ||
          (change.actor && (change.actor.id !== verdict.actor.id || change.actor.role !== verdict.actor.role)))
      ) {
        verdict = {
          ok: false,
          code: 'assertion.replayed',
          reason: 'this signed change was already taken, or names another actor',
        };
      }
      if (verdict.ok) {
        seen.add(change.assertion!.key);
        changes.push(change);
      } else {
        auditRefusal({
          caseId: workflowInfo().workflowId,
          action: 'inputsChanged',
          code: verdict.code,
          reason: verdict.reason,
          actorId: verdict.claimed?.id,
          actorRole: verdict.claimed?.role,
        });
      }
    }
  };
  setHandler(inputsChangedSignal, (change) => {
    arrived.push(change);
    sift();
  });
  setHandler(retirementWatchQuery, () => view);
  const changed = () => changes.length > 0;
  anchor.trust = await loadTrustAnchor();
  anchor.loaded = true;
  sift();

  const publish = (phase: RetirementWatchPhase) => {
    view.phase = phase;
    const parts = [`当前: ${PHASE_TEXT[phase]}`];
    const plan = view.plan;
    if (plan && (plan.status === 'watching' || plan.status === 'retirement_reached')) {
      const age = plan.statutoryAge;
      parts.push(
        `法定退休年龄 ${age.years}周岁${age.months ? `${age.months}个月` : ''}，${yearMonthChinese(plan.retirementYearMonth)}达到`,
      );
      parts.push(`预审日 ${chineseDate(plan.preReviewDate)}`);
    }
    if (view.preReviewCaseId) parts.push(`预审案件 ${view.preReviewCaseId}`);
    if (view.rearmed > 0) parts.push(`已重新计算 ${view.rearmed} 次`);
    setCurrentDetails(parts.join('；'));
  };

  const rearm = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof retirementWatch>({
      personKey: input.personKey,
      rearmed: view.rearmed + 1,
      lastChange: changes.at(-1) ?? view.lastChange ?? undefined,
    });
  };

  const end = (outcome: RetirementWatchResult['outcome']): RetirementWatchResult => {
    publish('ended');
    return { personKey: input.personKey, outcome, preReviewCaseId: view.preReviewCaseId };
  };

  /** Opens the pre-review case and starts its workflow; false when the person is no longer insured here. */
  const openPreReview = async (plan: WatchingPlan): Promise<boolean | 'changed'> => {
    const request = {
      personKey: input.personKey,
      retirementYearMonth: plan.retirementYearMonth,
      preReviewDate: plan.preReviewDate,
    };
    let opened: OpenPreReviewResult = await db.openPreReviewCase({ ...request, nowMs: Date.now() });
    while (opened.status === 'blocked') {
      // The person's pre-review for another month (before a correction) is still with staff.
      view.preReviewCaseId = opened.blockedBy;
      publish('waiting_for_previous_pre_review');
      if (
        await condition(changed, '1 day', {
          summary: `B-7 等待前一预审案件 ${opened.blockedBy} 办结后开启新的预审（第8.2.3.1条）`,
        })
      )
        return 'changed';
      opened = await db.openPreReviewCase({ ...request, nowMs: Date.now() });
    }
    if (opened.status === 'not_insured') return false;
    view.preReviewCaseId = opened.caseId;
    if (!opened.closed) {
      try {
        await startChild(preReview, {
          workflowId: opened.caseId,
          args: [
            {
              caseId: opened.caseId,
              agencyCode: opened.agencyCode,
              channel: 'offline',
              personKey: input.personKey,
              receivedAt: opened.receivedAt,
              retirementYearMonth: plan.retirementYearMonth,
              followUpWorkingDays: opened.followUpWorkingDays,
              // Whoever corrected the file this pre-review is computed from does not confirm it.
              ...(input.lastChange?.reason === 'file_corrected' && input.lastChange.actor
                ? { correctedBy: input.lastChange.actor }
                : {}),
            },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `退休前预审 · 经办机构 ${opened.agencyCode} · 系统发起`,
          staticDetails: `案件编号 ${opened.caseId}；B-7（DB62/T 5079.1—2025 第8.2.3.1条）：${yearMonthChinese(plan.retirementYearMonth)}达到法定退休年龄`,
          typedSearchAttributes: [
            { key: saProcedure, value: 'pre_review' },
            { key: saAgencyCode, value: opened.agencyCode },
            { key: saPersonKey, value: input.personKey },
            { key: saCaseStatus, value: 'open' },
            { key: saCaseStage, value: 'received' },
          ],
        });
      } catch (err) {
        // Started already (by an earlier attempt, or by the reconciler from the case row).
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
    return true;
  };

  for (;;) {
    if (workflowInfo().continueAsNewSuggested) return rearm();
    publish('planning');
    const plan = await db.planRetirementWatch({ personKey: input.personKey, nowMs: Date.now() });
    view.plan = plan;
    if (plan.status !== 'watching') return end(plan.status);

    if (!plan.reviewed) {
      if (plan.preReviewAtMs > Date.now()) {
        publish('waiting_for_pre_review');
        const summary = `B-7 退休前3个月预审（DB62/T 5079.1—2025 第8.2.3.1条）：${chineseDate(plan.preReviewDate)}，${yearMonthChinese(plan.retirementYearMonth)}达到法定退休年龄`;
        if (await condition(changed, plan.preReviewAtMs - Date.now(), { summary })) return rearm();
        // Woken on the pre-review date: plan again with the file and the rules as they are now.
        continue;
      }
      const opened = await openPreReview(plan);
      if (opened === 'changed') return rearm();
      if (!opened) return end('not_insured');
    }

    // Keep watching until retirement: a correction that moves the retirement month is pre-reviewed again.
    publish('watching_until_retirement');
    const summary = `B-7 已预审，守候至${yearMonthChinese(plan.retirementYearMonth)}达到法定退休年龄；出生日期更正或规则变更将重新计算`;
    if (await condition(changed, Math.max(plan.retireAtMs - Date.now(), 1), { summary })) return rearm();
    return end('retirement_reached');
  }
}
