/**
 * The pure parts of supervision and evaluation: handling time net of pauses, median and p90,
 * the stratified, reproducible self-inspection sample, quarters.
 */
import { handlingWorkingDays, median, percentile, type EvaluatedCase } from '../../domain/evaluation';
import { DEFAULT_SAMPLING_PLAN, drawSample, gradeOf, sampleSize } from '../../domain/inspection-sample';
import { previousQuarter, quarterOf, quarterRange } from '../../domain/supervision';
import type { CalendarSnapshot } from '../../domain/working-days';

/** Monday–Friday with 2025-04-04 (清明) off and Sunday 2025-04-27 worked. */
const cal: CalendarSnapshot = {
  version: 1,
  firstYear: 2025,
  lastYear: 2025,
  holidays: new Set(['2025-04-04']),
  makeupWorkdays: new Set(['2025-04-27']),
};
const at = (s: string) => Date.parse(s);
const base: EvaluatedCase = {
  caseId: 'x',
  agencyCode: '620102',
  procedure: 'benefit_claim',
  outcome: 'approved',
  outcomeReason: null,
  receivedAtMs: at('2025-04-01T09:00:00+08:00'),
  closedAtMs: at('2025-04-08T09:00:00+08:00'),
  consumedWorkingDays: 0,
  lastResumedAtMs: null,
  lastPausedAtMs: null,
  breached: false,
  noticeRounds: 0,
  rating: null,
  ratingFollowedUp: false,
};

describe('handling time in working days, net of the supplement waits', () => {
  test('without a pause: the working days after receipt up to the closing day (the holiday not counted)', () => {
    // 2, 3, (4 清明), 7, 8
    expect(handlingWorkingDays(cal, base)).toBe(4);
    expect(handlingWorkingDays(cal, { ...base, closedAtMs: at('2025-04-01T17:00:00+08:00') })).toBe(0);
  });
  test('paused and resumed: the consumed days plus the last running segment; a make-up Sunday counts', () => {
    const c = {
      ...base,
      consumedWorkingDays: 2,
      lastPausedAtMs: at('2025-04-03T10:00:00+08:00'),
      lastResumedAtMs: at('2025-04-25T10:00:00+08:00'),
      closedAtMs: at('2025-04-28T10:00:00+08:00'),
    };
    // 2 + (27 make-up Sunday, 28)
    expect(handlingWorkingDays(cal, c)).toBe(4);
  });
  test('closed while paused (withdrawn): only the consumed days', () => {
    expect(
      handlingWorkingDays(cal, {
        ...base,
        consumedWorkingDays: 2,
        lastPausedAtMs: at('2025-04-03T10:00:00+08:00'),
        closedAtMs: at('2025-04-18T00:00:00+08:00'),
      }),
    ).toBe(2);
  });
});

test('median (mean of the middle two for an even count) and p90 by nearest rank', () => {
  expect(median([])).toBeNull();
  expect(median([5])).toBe(5);
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(percentile([], 90)).toBeNull();
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  expect(percentile([7], 90)).toBe(7);
});

describe('the self-inspection sample', () => {
  const candidates = [
    ...Array.from({ length: 30 }, (_, i) => ({
      caseId: `enrollment-620102-2025-${String(i).padStart(6, '0')}`,
      procedure: 'enrollment',
    })),
    ...Array.from({ length: 4 }, (_, i) => ({
      caseId: `benefit-claim-620102-2025-${String(i).padStart(6, '0')}`,
      procedure: 'benefit_claim',
      riskGrade: i < 3 ? 'high' : 'medium',
    })),
    { caseId: 'stop-620102-2025-000001', procedure: 'stop', riskGrade: 'low' },
  ];

  test('strata by procedure and grade (no grade = unknown), each at its rate, at least the minimum, never more than the stratum', () => {
    const strata = drawSample(candidates, DEFAULT_SAMPLING_PLAN, 'self-inspection-620102-2025Q1');
    expect(strata.map((s) => [s.procedure, s.riskGrade, s.population, s.sampled.length])).toEqual([
      ['benefit_claim', 'high', 3, 3],
      ['benefit_claim', 'medium', 1, 1],
      ['enrollment', 'unknown', 30, 3],
      ['stop', 'low', 1, 1],
    ]);
    expect(sampleSize(30, 'unknown', DEFAULT_SAMPLING_PLAN)).toBe(3);
    expect(sampleSize(200, 'high', DEFAULT_SAMPLING_PLAN)).toBe(50);
    expect(sampleSize(5, 'low', DEFAULT_SAMPLING_PLAN)).toBe(2);
    expect(gradeOf(null)).toBe('unknown');
    expect(gradeOf('severe')).toBe('unknown');
  });

  test('reproducible from the seed, and another seed draws another sample', () => {
    const a = drawSample(candidates, DEFAULT_SAMPLING_PLAN, 'self-inspection-620102-2025Q1');
    expect(drawSample([...candidates].reverse(), DEFAULT_SAMPLING_PLAN, 'self-inspection-620102-2025Q1')).toEqual(a);
    const others = ['2025Q2', '2025Q3', '2025Q4'].map(
      (q) => drawSample(candidates, DEFAULT_SAMPLING_PLAN, `self-inspection-620102-${q}`)[2].sampled,
    );
    expect(others.some((s) => s.join() !== a[2].sampled.join())).toBe(true);
  });
});

test('quarters', () => {
  expect(quarterOf('2026-05-14')).toBe('2026Q2');
  expect(quarterRange('2025Q1')).toEqual({ from: '2025-01-01', to: '2025-03-31' });
  expect(quarterRange('2025Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  expect(previousQuarter('2026-01-01')).toBe('2025Q4');
  expect(previousQuarter('2026-07-15')).toBe('2026Q2');
});
