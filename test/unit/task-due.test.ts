import { chineseDaysCalendarYears, snapshotFromYears } from '../../db/calendar-source';
import { taskDue } from '../../domain/task-due';
import { endOfChinaDay } from '../../domain/working-days';

const cal = snapshotFromYears(1, chineseDaysCalendarYears());
/** An instant in China time, "YYYY-MM-DD HH:mm". */
const china = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
const dueEndOf = (date: string) => endOfChinaDay(date);

describe('taskDue: working days left before a task is due, or past it', () => {
  test.each([
    // [due date, now (China time), overdue, working days remaining]
    ['2026-11-30', '2026-11-30 10:00', false, 0], // Monday, due today
    ['2026-11-30', '2026-11-30 23:59', false, 0],
    ['2026-11-30', '2026-11-29 12:00', false, 1], // Sunday before
    ['2026-11-30', '2026-11-27 12:00', false, 1], // Friday before: the weekend does not count
    ['2026-12-04', '2026-11-30 09:00', false, 4],
    ['2026-10-09', '2026-09-30 12:00', false, 2], // National Day 2026 (1–7 Oct) does not count: 8 and 9 Oct
    ['2026-10-12', '2026-10-09 12:00', false, 2], // the make-up Saturday 10 Oct 2026 counts
    ['2026-11-27', '2026-11-28 12:00', true, 0], // due Friday, Saturday: overdue, no working day passed yet
    ['2026-11-27', '2026-12-01 12:00', true, -2], // Monday and Tuesday passed
  ] as const)('due %s, at %s: overdue %s, %d working days', (dueDate, now, overdue, remaining) => {
    const due = taskDue(cal, dueEndOf(dueDate), china(now));
    expect(due).toEqual({ dueDate, overdue, workingDaysRemaining: remaining, provisional: false });
    expect(Object.is(due.workingDaysRemaining, -0)).toBe(false);
  });

  test('overdue from the instant after the due instant: 00:00 China time after the due date', () => {
    const dueAt = dueEndOf('2026-11-30');
    expect(taskDue(cal, dueAt, dueAt).overdue).toBe(false);
    expect(taskDue(cal, dueAt, dueAt + 1)).toMatchObject({ overdue: true, workingDaysRemaining: -1 }); // Tuesday 1 Dec has begun
  });

  test('a count beyond the published calendar is provisional', () => {
    expect(taskDue(cal, dueEndOf(`${cal.lastYear + 1}-03-02`), china(`${cal.lastYear}-12-30 12:00`)).provisional).toBe(
      true,
    );
  });
});
