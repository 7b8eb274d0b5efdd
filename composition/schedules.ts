/**
 * Temporal Schedules of the system, created idempotently at start-up (composition/system.ts):
 * `ensureSchedule` creates a schedule when it is missing and updates it when its spec or its
 * action differs from the wanted one, so every start of every process converges on the same
 * definition. Shared by every periodic job (the tax feed here; payroll and others add theirs).
 *
 * Specs are compared in the form the server returns (the SDK's own encode → decode), so write
 * them with `calendars` / `intervals` (and `timezone`), not cron strings, which the server
 * rewrites into calendars: a cron spec would compare as changed and be rewritten at each start.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleSpec,
} from '@temporalio/client';
// Internal module of @temporalio/client 1.24 (no package "exports" map): the SDK's own
// conversion between a ScheduleSpec and the server's form, used to compare like with like.
import { decodeScheduleSpec, encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import type { TaxFeedPullInput } from '../workflows/tax-feed';
import type { Workflows, WorkflowType } from '../workflows/workflow-types';
import { payrollSchedule } from './payroll-schedule';
import { selfInspectionSchedule } from './self-inspection-schedule';

/**
 * A schedule's action: start a workflow of a registered type (a renamed workflow fails to
 * compile here) with arguments checked against that workflow's parameters.
 */
export type ScheduledStart = {
  [K in WorkflowType]: {
    type: 'startWorkflow';
    workflowType: K;
    /** Each run's workflow ID is this plus the scheduled time. */
    workflowId: string;
    taskQueue: string;
    args?: Parameters<Workflows[K]>;
  };
}[WorkflowType];

/** What a schedule should look like. */
export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  action: ScheduledStart;
  policies?: ScheduleOptions['policies'];
}

export type EnsureResult = 'created' | 'updated' | 'unchanged';

/** JSON with object keys sorted and undefined / empty-string members dropped. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined && x !== '')
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return v;
  });
}

/** The spec as the server would describe it. */
export function normalisedSpec(spec: ScheduleSpec): string {
  return canonical(decodeScheduleSpec(encodeScheduleSpec(spec)));
}

function actionOf(d: ScheduleDescription['action'] | ScheduleDefinition['action']): string {
  return canonical({
    workflowType: d.workflowType,
    workflowId: d.workflowId,
    taskQueue: d.taskQueue,
    args: d.args ?? [],
  });
}

/** What differs between the schedule as described and as defined (empty when nothing). */
export function scheduleDifferences(described: ScheduleDescription, wanted: ScheduleDefinition): string[] {
  const diffs: string[] = [];
  if (canonical(described.spec) !== normalisedSpec(wanted.spec)) diffs.push('spec');
  if (described.action.type !== 'startWorkflow' || actionOf(described.action) !== actionOf(wanted.action))
    diffs.push('action');
  return diffs;
}

/**
 * Creates the schedule if it does not exist, updates its spec and action if they differ from
 * `definition` (state, policies and run history are kept), and otherwise leaves it alone.
 * Safe to call from several processes at once.
 */
export async function ensureSchedule(client: Client, definition: ScheduleDefinition): Promise<EnsureResult> {
  const handle = client.schedule.getHandle(definition.scheduleId);
  let described: ScheduleDescription;
  try {
    described = await handle.describe();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    try {
      await client.schedule.create({
        scheduleId: definition.scheduleId,
        spec: definition.spec,
        action: { ...definition.action, args: definition.action.args ?? [] },
        policies: definition.policies,
      });
      return 'created';
    } catch (createErr) {
      // Another process created it in the meantime: compare with theirs like any existing one.
      if (!(createErr instanceof ScheduleAlreadyRunning)) throw createErr;
      described = await handle.describe();
    }
  }
  if (scheduleDifferences(described, definition).length === 0) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: definition.spec,
    action: { ...definition.action, args: definition.action.args ?? [] },
  }));
  return 'updated';
}

/** The daily pull of the tax department's contribution feed (C-1). */
export const TAX_FEED_SCHEDULE_ID = 'tax-feed-daily';

/**
 * Every day at 02:00 Beijing time (the tax department's records of the previous day are in the
 * feed by then; nothing else runs at night). Runs never overlap (SKIP): a pull still running
 * when the next is due makes the next one unnecessary. A missed run is caught up within a day.
 */
export function taxFeedSchedule(
  taskQueue: string,
  o: { scheduleId?: string; input?: TaxFeedPullInput } = {},
): ScheduleDefinition {
  return {
    scheduleId: o.scheduleId ?? TAX_FEED_SCHEDULE_ID,
    spec: {
      calendars: [{ hour: 2, minute: 0, comment: '每日02:00（北京时间）拉取税务部门缴费记录' }],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'taxFeedPull',
      workflowId: 'tax-feed-pull',
      taskQueue,
      args: [o.input ?? {}],
    },
    policies: { overlap: 'SKIP', catchupWindow: '1 day' },
  };
}

/** The hourly anchor over every case's event chain (audit trail). */
export const AUDIT_ANCHOR_SCHEDULE_ID = 'audit-anchor-hourly';

/**
 * Every hour at minute 7 (off the hour, when other jobs start). Runs never overlap; a missed
 * run is not caught up (the next one anchors everything appended meanwhile).
 */
export function auditAnchorSchedule(taskQueue: string, o: { scheduleId?: string } = {}): ScheduleDefinition {
  return {
    scheduleId: o.scheduleId ?? AUDIT_ANCHOR_SCHEDULE_ID,
    spec: {
      calendars: [{ hour: '*', minute: 7, comment: '每小时锚定全部案件事件链（审计）' }],
      timezone: 'Asia/Shanghai',
    },
    action: { type: 'startWorkflow', workflowType: 'auditAnchor', workflowId: 'audit-anchor', taskQueue, args: [] },
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
  };
}

/** Every schedule the system runs; called at start-up. */
export async function ensureSystemSchedules(
  client: Client,
  o: { taskQueue: string; servedAgencies?: string[] },
): Promise<Record<string, EnsureResult>> {
  const definitions = [
    taxFeedSchedule(o.taskQueue),
    payrollSchedule(o.taskQueue),
    auditAnchorSchedule(o.taskQueue),
    selfInspectionSchedule(o.taskQueue, { input: o.servedAgencies ? { agencies: o.servedAgencies } : {} }),
  ];
  const results: Record<string, EnsureResult> = {};
  for (const d of definitions) results[d.scheduleId] = await ensureSchedule(client, d);
  return results;
}
