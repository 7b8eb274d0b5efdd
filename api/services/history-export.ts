/**
 * Case timelines that outlive Temporal's retention: a closed case's workflow history is
 * condensed (timers, activities, messages, completion — no payload contents) and stored in
 * PostgreSQL with a hash of the full history; the timeline merges it with the audit events.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditRefusals, caseEvents, caseHistories, cases } from '../../db/schema';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

export interface TimelineEntry {
  at: string;
  source: 'audit' | 'temporal';
  kind: string;
  /** Chinese label for staff and auditors. */
  label: string;
  name?: string;
  clause?: string | null;
  actor?: { id: string; role: string | null } | null;
  detail?: Record<string, unknown>;
  eventId?: number;
}

const LABEL: Record<string, string> = {
  workflow_started: '流程启动',
  workflow_completed: '流程结束',
  workflow_failed: '流程失败',
  workflow_continued_as_new: '流程续接',
  timer_started: '计时开始',
  timer_fired: '计时到期',
  timer_canceled: '计时取消',
  activity_scheduled: '任务调度',
  activity_completed: '任务完成',
  activity_failed: '任务失败（将重试）',
  activity_timed_out: '任务超时（将重试）',
  update_accepted: '接收操作',
  update_completed: '操作完成',
  signal_received: '收到通知',
  child_started: '启动子流程',
};

function millis(ts: temporal.api.history.v1.IHistoryEvent['eventTime']): string {
  const seconds = Number(ts?.seconds ?? 0);
  const nanos = Number(ts?.nanos ?? 0);
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}

/** A history event as a timeline entry (names only: payloads are neither decoded nor kept). */
export function condense(e: HistoryEvent): TimelineEntry | undefined {
  const at = millis(e.eventTime);
  const base = { at, source: 'temporal' as const, eventId: Number(e.eventId ?? 0) };
  const entry = (kind: string, name?: string, detail?: Record<string, unknown>): TimelineEntry => ({
    ...base,
    kind,
    label: LABEL[kind] ?? kind,
    name,
    detail,
  });
  switch (e.eventType) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      return entry('workflow_started', e.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined);
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
      return entry('workflow_completed');
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return entry('workflow_failed');
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
      return entry('workflow_continued_as_new');
    case EventType.EVENT_TYPE_TIMER_STARTED: {
      const a = e.timerStartedEventAttributes;
      const seconds = Number(a?.startToFireTimeout?.seconds ?? 0);
      return entry('timer_started', a?.timerId ?? undefined, { durationSeconds: seconds });
    }
    case EventType.EVENT_TYPE_TIMER_FIRED:
      return entry('timer_fired', e.timerFiredEventAttributes?.timerId ?? undefined);
    case EventType.EVENT_TYPE_TIMER_CANCELED:
      return entry('timer_canceled', e.timerCanceledEventAttributes?.timerId ?? undefined);
    case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
      return entry('activity_scheduled', e.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined);
    case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      return entry('activity_completed', undefined, {
        scheduledEventId: Number(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? 0),
      });
    case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      return entry('activity_failed', undefined, {
        scheduledEventId: Number(e.activityTaskFailedEventAttributes?.scheduledEventId ?? 0),
      });
    case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      return entry('activity_timed_out', undefined, {
        scheduledEventId: Number(e.activityTaskTimedOutEventAttributes?.scheduledEventId ?? 0),
      });
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      return entry(
        'update_accepted',
        e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? undefined,
      );
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
      return entry('update_completed');
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      return entry('signal_received', e.workflowExecutionSignaledEventAttributes?.signalName ?? undefined);
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      return entry(
        'child_started',
        e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? undefined,
      );
    default:
      return undefined;
  }
}

async function fetchEvents(
  client: Client,
  workflowId: string,
): Promise<{ runId: string; events: HistoryEvent[]; hash: string } | undefined> {
  try {
    const handle = client.workflow.getHandle(workflowId);
    const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const bytes = temporal.api.history.v1.History.encode(history).finish();
    return {
      runId: description.runId,
      events: history.events ?? [],
      hash: createHash('sha256').update(bytes).digest('hex'),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Exports one closed case's history (idempotent). Returns false when Temporal no longer has it. */
export async function exportCaseHistory(client: Client, db: Db, caseId: string): Promise<boolean> {
  const fetched = await fetchEvents(client, caseId);
  if (!fetched) return false;
  const entries = fetched.events.map(condense).filter((e): e is TimelineEntry => e !== undefined);
  await db
    .insert(caseHistories)
    .values({
      caseId,
      workflowId: caseId,
      runId: fetched.runId,
      entries: entries as unknown as Array<Record<string, unknown>>,
      historyHash: fetched.hash,
      eventCount: fetched.events.length,
      exportedAt: new Date(),
    })
    .onConflictDoNothing({ target: caseHistories.caseId });
  return true;
}

/** Exports the histories of closed cases not exported yet (run periodically, well within retention). */
export async function exportClosedCaseHistories(client: Client, db: Db, limit = 100): Promise<string[]> {
  const pending = await db
    .select({ id: cases.id })
    .from(cases)
    .leftJoin(caseHistories, eq(caseHistories.caseId, cases.id))
    .where(
      and(
        eq(cases.status, 'closed'),
        isNull(caseHistories.caseId),
        sql`${cases.closedAt} < now() - interval '5 seconds'`,
      ),
    )
    .limit(limit);
  const exported: string[] = [];
  for (const { id } of pending) if (await exportCaseHistory(client, db, id)) exported.push(id);
  return exported;
}

/** The case's timeline: audit events and the Temporal history (live, or as exported), in time order. */
export async function caseTimeline(
  client: Client,
  db: Db,
  caseId: string,
): Promise<{ historySource: 'live' | 'export' | 'none'; entries: TimelineEntry[] }> {
  const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.id));
  const audit: TimelineEntry[] = events.map((e) => ({
    at: e.occurredAt.toISOString(),
    source: 'audit',
    kind: e.type,
    label: e.type,
    clause: e.clause,
    actor: e.actorId ? { id: e.actorId, role: e.actorRole } : null,
    detail: e.detail,
  }));
  // Refused attempts (Temporal keeps no trace of a rejected Update): who tried what, and why not.
  const refusals = await db
    .select()
    .from(auditRefusals)
    .where(eq(auditRefusals.caseId, caseId))
    .orderBy(asc(auditRefusals.occurredAt));
  for (const r of refusals) {
    audit.push({
      at: r.occurredAt.toISOString(),
      source: 'audit',
      kind: 'refusal',
      label: r.code,
      actor: { id: r.actorId, role: r.actorRole },
      detail: { action: r.action, code: r.code, reason: r.reason },
    });
  }
  let historySource: 'live' | 'export' | 'none' = 'none';
  let temporalEntries: TimelineEntry[] = [];
  const live = await fetchEvents(client, caseId).catch(() => undefined);
  if (live) {
    historySource = 'live';
    temporalEntries = live.events.map(condense).filter((e): e is TimelineEntry => e !== undefined);
  } else {
    const [exported] = await db.select().from(caseHistories).where(eq(caseHistories.caseId, caseId));
    if (exported) {
      historySource = 'export';
      temporalEntries = exported.entries as unknown as TimelineEntry[];
    }
  }
  const entries = [...audit, ...temporalEntries].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.source === 'audit' ? 1 : -1,
  );
  return { historySource, entries };
}
