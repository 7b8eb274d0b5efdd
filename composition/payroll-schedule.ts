/** The monthly payroll schedule (B-9), one of the system's schedules (composition/schedules.ts). */
import type { PayrollRunInput } from '../workflows/payroll';
import type { ScheduleDefinition } from './schedules';

export const PAYROLL_SCHEDULE_ID = 'payroll-monthly';

/**
 * On the 5th of every month at 06:00 Beijing time the run pays the month (the run takes its
 * month from its start time in China). Runs never overlap (SKIP); a run missed while the cluster
 * was down is caught up within three days, still in the same month. The Temporal UI lists it
 * under Schedules; `temporal schedule trigger --schedule-id payroll-monthly` runs it at once.
 */
export function payrollSchedule(
  taskQueue: string,
  o: { scheduleId?: string; input?: PayrollRunInput } = {},
): ScheduleDefinition {
  return {
    scheduleId: o.scheduleId ?? PAYROLL_SCHEDULE_ID,
    spec: {
      calendars: [{ dayOfMonth: 5, hour: 6, minute: 0, comment: '每月5日06:00（北京时间）发放当月基本养老金（B-9）' }],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'payrollRun',
      workflowId: 'payroll-monthly',
      taskQueue,
      args: [o.input ?? {}],
    },
    policies: { overlap: 'SKIP', catchupWindow: '3 days' },
  };
}
