/** Deadline projection for the statutory clock: working days from the versioned calendar. */
import type { CalendarSnapshot } from '../domain/working-days';
import { addWorkingDays, chinaDateOf, endOfChinaDay, workingDaysBetween } from '../domain/working-days';

export interface CalendarDeps {
  calendar: { current(): Promise<CalendarSnapshot> };
}

export interface DeadlineProjection {
  dueDate: string;
  /** The deadline instant: the end of the due date in China. */
  dueAtMs: number;
  reminderAtMs: number | null;
  provisional: boolean;
  calendarVersion: number;
}

export function createCalendarActivities({ calendar }: CalendarDeps) {
  return {
    /**
     * The due date `workingDays` working days after the China date of `fromMs` (that day not
     * counted; 0 = the same working day), and optionally a reminder instant.
     */
    async projectDeadline(input: {
      fromMs: number;
      workingDays: number;
      reminderWorkingDays?: number;
    }): Promise<DeadlineProjection> {
      const cal = await calendar.current();
      const from = chinaDateOf(input.fromMs);
      const due = addWorkingDays(cal, from, input.workingDays);
      const reminder =
        input.reminderWorkingDays !== undefined && input.reminderWorkingDays > 0
          ? addWorkingDays(cal, from, input.reminderWorkingDays)
          : undefined;
      return {
        dueDate: due.dueDate,
        dueAtMs: endOfChinaDay(due.dueDate),
        reminderAtMs: reminder ? endOfChinaDay(reminder.dueDate) : null,
        provisional: due.provisional,
        calendarVersion: cal.version,
      };
    },

    /** Working days d with date(fromMs) < d ≤ date(toMs), in China dates. */
    async countWorkingDays(input: {
      fromMs: number;
      toMs: number;
    }): Promise<{ workingDays: number; provisional: boolean; calendarVersion: number }> {
      const cal = await calendar.current();
      const count = workingDaysBetween(cal, chinaDateOf(input.fromMs), chinaDateOf(input.toMs));
      return { ...count, calendarVersion: cal.version };
    },
  };
}
