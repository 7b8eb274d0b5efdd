/**
 * How a staff task stands against its due instant, in Chinese working days (the inbox,
 * docs/inbox.md). Pure: the calendar and the instants are arguments.
 */
import { chinaDateOf, workingDaysBetween, type CalendarSnapshot } from './working-days';

export interface TaskDue {
  /** The due date (China date) the due instant ends: the instant is 00:00 China time after it. */
  dueDate: string;
  /** Past the due instant (the same rule as a case's overdue flag). */
  overdue: boolean;
  /**
   * Working days after today up to and including the due date (0 = due today); when overdue,
   * minus the working days from the day after the due date up to and including today.
   */
  workingDaysRemaining: number;
  /** The count reaches years whose holiday notice is not published yet. */
  provisional: boolean;
}

export function taskDue(cal: CalendarSnapshot, dueAtMs: number, nowMs: number): TaskDue {
  const dueDate = chinaDateOf(dueAtMs - 1);
  const today = chinaDateOf(nowMs);
  const overdue = dueAtMs < nowMs;
  const count = overdue ? workingDaysBetween(cal, dueDate, today) : workingDaysBetween(cal, today, dueDate);
  return {
    dueDate,
    overdue,
    workingDaysRemaining: overdue ? 0 - count.workingDays : count.workingDays,
    provisional: count.provisional,
  };
}
