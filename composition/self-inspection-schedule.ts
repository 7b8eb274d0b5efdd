/** The quarterly self-inspection schedule, one of the system's schedules (composition/schedules.ts). */
import type { SelfInspectionRoundInput } from '../workflows/self-inspection';
import type { ScheduleDefinition } from './schedules';

export const SELF_INSPECTION_SCHEDULE_ID = 'self-inspection-quarterly';

/**
 * On the 1st of January, April, July and October at 08:00 Beijing time the round starts the
 * self-inspection of the quarter just ended for every agency that closed cases in it (or the
 * agencies this installation serves, when configured). The inspections count their deadline in
 * working days, so a holiday start costs nothing. Runs never overlap; a run missed while the
 * cluster was down is caught up within a week (the round's child IDs make a repeat harmless).
 */
export function selfInspectionSchedule(
  taskQueue: string,
  o: { scheduleId?: string; input?: SelfInspectionRoundInput } = {},
): ScheduleDefinition {
  return {
    scheduleId: o.scheduleId ?? SELF_INSPECTION_SCHEDULE_ID,
    spec: {
      calendars: [
        {
          month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
          dayOfMonth: 1,
          hour: 8,
          minute: 0,
          comment: '每季度首日08:00（北京时间）启动上季度自查（R-5，第10.2.4条）',
        },
      ],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'selfInspectionRound',
      workflowId: 'self-inspection-round',
      taskQueue,
      args: [o.input ?? {}],
    },
    policies: { overlap: 'SKIP', catchupWindow: '7 days' },
  };
}
