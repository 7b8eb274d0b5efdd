/** Payroll months (B-9) and the certification cycle (R-4, domain.md §8) as pure rules. */
import {
  dataComparisonDate,
  lastPayableMonthOnDeath,
  monthsDue,
  nextCertificationDue,
  suspensionStartMonth,
  type PayableAward,
} from '../../domain/payroll';
import { addMonthsToDate } from '../../domain/year-month';

const award = (o: Partial<PayableAward> = {}): PayableAward => ({
  status: 'active',
  firstPaymentMonth: '2026-08',
  suspendedFrom: null,
  stoppedAfter: null,
  lastPaidMonth: null,
  ...o,
});

describe('monthsDue', () => {
  test('an active award is paid its month; an unpaid earlier month is paid in arrears', () => {
    expect(monthsDue(award(), '2026-08')).toEqual({ due: [{ month: '2026-08', kind: 'regular' }], skipped: false });
    expect(monthsDue(award(), '2026-09').due).toEqual([
      { month: '2026-08', kind: 'arrears' },
      { month: '2026-09', kind: 'regular' },
    ]);
    expect(monthsDue(award({ lastPaidMonth: '2026-09' }), '2026-09').due).toEqual([]);
    expect(monthsDue(award(), '2026-07')).toEqual({ due: [], skipped: false });
  });

  test('a suspended award is skipped from the suspension on; resumed, the suspended months are arrears', () => {
    const suspended = award({ status: 'suspended', suspendedFrom: '2026-10', lastPaidMonth: '2026-09' });
    expect(monthsDue(suspended, '2026-10')).toEqual({ due: [], skipped: true });
    expect(monthsDue(suspended, '2026-11')).toEqual({ due: [], skipped: true });
    expect(monthsDue({ ...suspended, status: 'active', suspendedFrom: null }, '2026-12').due).toEqual([
      { month: '2026-10', kind: 'arrears' },
      { month: '2026-11', kind: 'arrears' },
      { month: '2026-12', kind: 'regular' },
    ]);
  });

  test('a stopped award is paid up to the month of death only', () => {
    expect(
      monthsDue(award({ status: 'stopped', stoppedAfter: '2026-09', lastPaidMonth: '2026-08' }), '2026-11').due,
    ).toEqual([{ month: '2026-09', kind: 'arrears' }]);
    expect(
      monthsDue(award({ status: 'stopped', stoppedAfter: '2026-09', lastPaidMonth: '2026-10' }), '2026-11').due,
    ).toEqual([]);
  });
});

describe('certification cycle', () => {
  test('due 12 months after the last certification, compared a month before, the day clamped', () => {
    expect(nextCertificationDue('2026-03-15')).toBe('2027-03-15');
    expect(nextCertificationDue('2024-02-29')).toBe('2025-02-28');
    expect(dataComparisonDate('2027-03-31')).toBe('2027-02-28');
    expect(addMonthsToDate('2026-12-10', 2)).toBe('2027-02-10');
  });

  test('a suspension withholds the due month, or the first month not yet paid', () => {
    expect(suspensionStartMonth('2026-12-15', '2026-11', '2026-01')).toBe('2026-12');
    expect(suspensionStartMonth('2026-12-15', '2026-12', '2026-01')).toBe('2027-01');
    expect(suspensionStartMonth('2026-12-15', null, '2027-02')).toBe('2027-02');
  });

  test('a death is paid for its month', () => {
    expect(lastPayableMonthOnDeath('2026-09-20')).toBe('2026-09');
  });
});
