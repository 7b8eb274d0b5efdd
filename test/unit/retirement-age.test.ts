import { RuleInputError } from '../../domain/errors';
import { DEFAULT_MINIMUM_YEARS_TABLE } from '../../domain/minimum-years';
import {
  preReviewDate,
  retirementDate,
  retirementOption,
  statutoryRetirement,
  type Sex,
} from '../../domain/retirement-age';

/**
 * The per-birth-year delay table of domain.md §1.1, copied as data (January…December).
 * Shorthand as in the document: 'a…b' means the values a…b, each repeated for an equal
 * share of the 12 months (4 months per value for the 4-month steps, 2 for the 2-month
 * step); a single number is constant for the year; an array is listed month by month.
 */
type Cell = string | number[];
const DELAY_TABLE: Record<number, { men: Cell; women55: Cell; women50: Cell }> = {
  1965: { men: [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], women55: '–', women50: '–' },
  1966: { men: [4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6], women55: '–', women50: '–' },
  1967: { men: '7…9', women55: '–', women50: '–' },
  1968: { men: '10…12', women55: '–', women50: '–' },
  1969: { men: '13…15', women55: '–', women50: '–' },
  1970: { men: '16…18', women55: '1…3', women50: '–' },
  1971: { men: '19…21', women55: '4…6', women50: '–' },
  1972: { men: '22…24', women55: '7…9', women50: '–' },
  1973: { men: '25…27', women55: '10…12', women50: '–' },
  1974: { men: '28…30', women55: '13…15', women50: '–' },
  1975: { men: '31…33', women55: '16…18', women50: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6] },
  1976: { men: [34, 34, 34, 34, 35, 35, 35, 35, 36, 36, 36, 36], women55: '19…21', women50: '7…12' },
  1977: { men: '36', women55: '22…24', women50: '13…18' },
  1978: { men: '36', women55: '25…27', women50: '19…24' },
  1979: { men: '36', women55: '28…30', women50: '25…30' },
  1980: { men: '36', women55: '31…33', women50: '31…36' },
  1981: { men: '36', women55: [34, 34, 34, 34, 35, 35, 35, 35, 36, 36, 36, 36], women50: '37…42' },
  1982: { men: '36', women55: '36', women50: '43…48' },
  1983: { men: '36', women55: '36', women50: '49…54' },
  1984: { men: '36', women55: '36', women50: [55, 55, 56, 56, 57, 57, 58, 58, 59, 59, 60, 60] },
};
/** After the table: "36 (constant from here on)" for both 4-month categories; women 50 at 55 (60 months), per wxredian. */
const AFTER_TABLE = { men: 36, women55: 36, women50: 60 };

function decodeCell(cell: Cell): number[] {
  if (Array.isArray(cell)) return cell;
  if (cell === '–') return Array(12).fill(0);
  const range = /^(\d+)…(\d+)$/.exec(cell);
  if (!range) return Array(12).fill(Number(cell));
  const from = Number(range[1]);
  const to = Number(range[2]);
  const values = to - from + 1;
  const repeat = 12 / values;
  const out: number[] = [];
  for (let v = from; v <= to; v++) for (let k = 0; k < repeat; k++) out.push(v);
  return out;
}

function expectedDelay(category: 'men' | 'women55' | 'women50', year: number, month: number): number {
  const row = DELAY_TABLE[year];
  if (row) return decodeCell(row[category])[month - 1];
  return year < 1965 ? 0 : AFTER_TABLE[category];
}

function ym(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Independent month arithmetic for the expectation. */
function plusMonths(year: number, month: number, add: number): string {
  const total = year * 12 + (month - 1) + add;
  return ym(Math.floor(total / 12), (total % 12) + 1);
}

const CATEGORIES: { key: 'men' | 'women55' | 'women50'; sex: Sex; originalAge: number }[] = [
  { key: 'men', sex: 'male', originalAge: 60 },
  { key: 'women55', sex: 'female', originalAge: 55 },
  { key: 'women50', sex: 'female', originalAge: 50 },
];

describe('statutoryRetirement: every birth month 1960-01…1990-12 against the §1.1 delay table', () => {
  test('the decoded table is consistent with the document’s shorthand', () => {
    expect(decodeCell('4…6')).toEqual([4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6]);
    expect(decodeCell('7…12')).toEqual([7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12]);
  });

  for (const c of CATEGORIES) {
    test(`${c.key} (original ${c.originalAge})`, () => {
      const mismatches: string[] = [];
      let checked = 0;
      for (let year = 1960; year <= 1990; year++) {
        for (let month = 1; month <= 12; month++) {
          const delay = expectedDelay(c.key, year, month);
          const expected = {
            delayMonths: delay,
            statutoryAge: { years: c.originalAge + Math.floor(delay / 12), months: delay % 12 },
            retirementYearMonth: plusMonths(year, month, c.originalAge * 12 + delay),
          };
          const got = statutoryRetirement({ birthYearMonth: ym(year, month), sex: c.sex, originalAge: c.originalAge });
          const actual = {
            delayMonths: got.delayMonths,
            statutoryAge: got.statutoryAge,
            retirementYearMonth: got.retirementYearMonth,
          };
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            mismatches.push(`${ym(year, month)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
          }
          checked++;
        }
      }
      expect(checked).toBe(31 * 12);
      expect(mismatches).toEqual([]);
    });
  }
});

describe('statutoryRetirement: published cross-checks (domain.md §1.1)', () => {
  const r = (birthYearMonth: string, sex: Sex, originalAge: number) =>
    statutoryRetirement({ birthYearMonth, sex, originalAge }).retirementYearMonth;

  test.each([
    ['1965-01', '2025-02'],
    ['1966-01', '2026-05'],
    ['1975-06', '2038-02'],
    ['1988-09', '2051-09'],
  ])('csdn men %s → %s', (birth, expected) => expect(r(birth, 'male', 60)).toBe(expected));

  test.each([
    ['1970-01', '2025-02'],
    ['1970-06', '2025-08'],
    ['1970-09', '2025-12'],
    ['1971-06', '2026-11'],
    ['1988-09', '2046-09'],
  ])('csdn women 55 %s → %s', (birth, expected) => expect(r(birth, 'female', 55)).toBe(expected));

  test.each([
    ['1975-01', '2025-02'],
    ['1975-06', '2025-09'],
    ['1976-06', '2027-03'],
    ['1977-01', '2028-02'],
    ['1984-11', '2039-11'],
  ])('csdn women 50 %s → %s', (birth, expected) => expect(r(birth, 'female', 50)).toBe(expected));

  test('gzstv: men due in Jan–Apr 2025 retire in Feb–May 2025', () => {
    expect(['1965-01', '1965-02', '1965-03', '1965-04'].map((b) => r(b, 'male', 60))).toEqual([
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
    ]);
  });

  test('npoall: 1972-09 man → 62y; 1980-11 woman worker → 53y', () => {
    expect(statutoryRetirement({ birthYearMonth: '1972-09', sex: 'male', originalAge: 60 }).statutoryAge).toEqual({
      years: 62,
      months: 0,
    });
    expect(statutoryRetirement({ birthYearMonth: '1980-11', sex: 'female', originalAge: 50 }).statutoryAge).toEqual({
      years: 53,
      months: 0,
    });
  });

  test('Gansu approval: man born 1965-10 → 60y3m, retired 2026-01', () => {
    const s = statutoryRetirement({ birthYearMonth: '1965-10', sex: 'male', originalAge: 60 });
    expect(s.statutoryAge).toEqual({ years: 60, months: 3 });
    expect(s.retirementYearMonth).toBe('2026-01');
    expect(s.delayMonths).toBe(3);
  });
});

describe('statutoryRetirement: boundaries', () => {
  const s = (birthYearMonth: string, sex: Sex, originalAge: number) =>
    statutoryRetirement({ birthYearMonth, sex, originalAge });

  test('last cohort before the start has no delay', () => {
    expect(s('1964-12', 'male', 60)).toMatchObject({
      delayMonths: 0,
      retirementYearMonth: '2024-12',
      statutoryAge: { years: 60, months: 0 },
    });
    expect(s('1969-12', 'female', 55)).toMatchObject({
      delayMonths: 0,
      retirementYearMonth: '2024-12',
      statutoryAge: { years: 55, months: 0 },
    });
    expect(s('1974-12', 'female', 50)).toMatchObject({
      delayMonths: 0,
      retirementYearMonth: '2024-12',
      statutoryAge: { years: 50, months: 0 },
    });
  });

  test('first cohort of each step', () => {
    // men / women 55: a new month every 4 birth months
    expect(s('1965-01', 'male', 60).delayMonths).toBe(1);
    expect(s('1965-04', 'male', 60).delayMonths).toBe(1);
    expect(s('1965-05', 'male', 60).delayMonths).toBe(2);
    expect(s('1965-09', 'male', 60).delayMonths).toBe(3);
    expect(s('1970-01', 'female', 55).delayMonths).toBe(1);
    expect(s('1970-05', 'female', 55).delayMonths).toBe(2);
    // women 50: a new month every 2 birth months
    expect(s('1975-01', 'female', 50).delayMonths).toBe(1);
    expect(s('1975-02', 'female', 50).delayMonths).toBe(1);
    expect(s('1975-03', 'female', 50).delayMonths).toBe(2);
  });

  test('first cohort at the cap and the one before', () => {
    expect(s('1976-08', 'male', 60)).toMatchObject({ delayMonths: 35, statutoryAge: { years: 62, months: 11 } });
    expect(s('1976-09', 'male', 60)).toMatchObject({
      delayMonths: 36,
      statutoryAge: { years: 63, months: 0 },
      retirementYearMonth: '2039-09',
    });
    expect(s('1981-08', 'female', 55)).toMatchObject({ delayMonths: 35, statutoryAge: { years: 57, months: 11 } });
    expect(s('1981-09', 'female', 55)).toMatchObject({
      delayMonths: 36,
      statutoryAge: { years: 58, months: 0 },
      retirementYearMonth: '2039-09',
    });
    expect(s('1984-10', 'female', 50)).toMatchObject({ delayMonths: 59, statutoryAge: { years: 54, months: 11 } });
    expect(s('1984-11', 'female', 50)).toMatchObject({
      delayMonths: 60,
      statutoryAge: { years: 55, months: 0 },
      retirementYearMonth: '2039-11',
    });
  });

  test('invalid inputs throw RuleInputError with field and code', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(RuleInputError);
        return { field: (e as RuleInputError).field, code: (e as RuleInputError).code };
      }
      throw new Error('expected a RuleInputError');
    };
    expect(bad(() => s('1965-01', 'male', 55))).toEqual({ field: 'originalAge', code: 'INVALID_ORIGINAL_AGE' });
    expect(bad(() => s('1965-01', 'female', 60))).toEqual({ field: 'originalAge', code: 'INVALID_ORIGINAL_AGE' });
    expect(bad(() => s('1965-13', 'male', 60))).toEqual({ field: 'birthYearMonth', code: 'INVALID_YEAR_MONTH' });
    expect(bad(() => s('1965-1', 'male', 60))).toEqual({ field: 'birthYearMonth', code: 'INVALID_YEAR_MONTH' });
    expect(bad(() => s('1965-01', 'x' as Sex, 60))).toEqual({ field: 'sex', code: 'INVALID_SEX' });
  });
});

describe('flexible early / late retirement (domain.md §1.2, §2)', () => {
  const table = DEFAULT_MINIMUM_YEARS_TABLE;

  test('2025-01 cohort: statutory 2025-02, may retire 2025-01 at the original age or as late as 2028-02', () => {
    for (const [birth, sex, originalAge] of [
      ['1965-01', 'male', 60],
      ['1970-01', 'female', 55],
      ['1975-01', 'female', 50],
    ] as const) {
      const s = statutoryRetirement({ birthYearMonth: birth, sex, originalAge });
      expect(s).toMatchObject({ retirementYearMonth: '2025-02', earliest: '2025-01', latest: '2028-02' });
      const early = retirementOption({
        birthYearMonth: birth,
        sex,
        originalAge,
        retireAt: '2025-01',
        contributionMonths: 180,
        minimumYearsTable: table,
      });
      expect(early).toMatchObject({ permitted: true, kind: 'early', minimumContributionMonths: 180, reasons: [] });
      expect(
        retirementOption({ birthYearMonth: birth, sex, originalAge, retireAt: '2025-02', minimumYearsTable: table }),
      ).toMatchObject({ permitted: true, kind: 'on_time', contributionChecked: false });
      expect(
        retirementOption({
          birthYearMonth: birth,
          sex,
          originalAge,
          retireAt: '2028-02',
          contributionMonths: 200,
          minimumYearsTable: table,
        }),
      ).toMatchObject({ permitted: true, kind: 'late' });
      const tooEarly = retirementOption({
        birthYearMonth: birth,
        sex,
        originalAge,
        retireAt: '2024-12',
        contributionMonths: 200,
        minimumYearsTable: table,
      });
      expect(tooEarly.permitted).toBe(false);
      expect(tooEarly.reasons.join()).toContain('原法定退休年龄');
      const tooLate = retirementOption({
        birthYearMonth: birth,
        sex,
        originalAge,
        retireAt: '2028-03',
        contributionMonths: 200,
        minimumYearsTable: table,
      });
      expect(tooLate.permitted).toBe(false);
      expect(tooLate.reasons.join()).toContain('最晚可于2028年2月退休');
    }
  });

  test('early retirement more than 36 months before the statutory date is refused', () => {
    // Woman worker born 1984-11: delay 60 months → 55y → statutory 2039-11; original age 50 is
    // reached 2034-11, so the 36-month limit (2036-11) binds, not the original age.
    const person = { birthYearMonth: '1984-11', sex: 'female' as const, originalAge: 50 };
    expect(statutoryRetirement(person)).toMatchObject({
      retirementYearMonth: '2039-11',
      earliest: '2036-11',
      latest: '2042-11',
    });
    const o = retirementOption({ ...person, retireAt: '2036-10', minimumYearsTable: table });
    expect(o.permitted).toBe(false);
    expect(o.reasons.join()).toContain('最早可于2036年11月退休');
    // For capped men (63y) the two limits coincide: 36 months early = the original age 60.
    expect(statutoryRetirement({ birthYearMonth: '1977-01', sex: 'male', originalAge: 60 })).toMatchObject({
      retirementYearMonth: '2040-01',
      earliest: '2037-01',
    });
  });

  test('early retirement is refused without the minimum years of the year actually retired', () => {
    const o = retirementOption({
      birthYearMonth: '1969-12',
      sex: 'male',
      originalAge: 60,
      retireAt: '2030-06',
      contributionMonths: 183,
      minimumYearsTable: table,
    });
    expect(o).toMatchObject({ permitted: false, kind: 'early', minimumYear: 2030, minimumContributionMonths: 186 });
    expect(o.reasons[0]).toContain('最低缴费年限15年6个月');
    expect(
      retirementOption({
        birthYearMonth: '1969-12',
        sex: 'male',
        originalAge: 60,
        retireAt: '2030-06',
        contributionMonths: 186,
        minimumYearsTable: table,
      }).permitted,
    ).toBe(true);
  });

  test('成都 example: statutory age reached in 2031 — early in 2029 needs 15 years, delayed to 2034 needs 16 years (not 17.5)', () => {
    // A man born 1969-12: delay 15 months → 61y3m → statutory 2031-03; original age 60 reached 2029-12.
    const person = { birthYearMonth: '1969-12', sex: 'male' as const, originalAge: 60 };
    expect(statutoryRetirement(person)).toMatchObject({
      retirementYearMonth: '2031-03',
      earliest: '2029-12',
      latest: '2034-03',
    });
    const early = retirementOption({
      ...person,
      retireAt: '2029-12',
      contributionMonths: 180,
      minimumYearsTable: table,
    });
    expect(early).toMatchObject({ permitted: true, kind: 'early', minimumYear: 2029, minimumContributionMonths: 180 });
    const late = retirementOption({
      ...person,
      retireAt: '2034-01',
      contributionMonths: 195,
      minimumYearsTable: table,
    });
    expect(late).toMatchObject({ permitted: true, kind: 'late', minimumYear: 2031, minimumContributionMonths: 192 });
    const onTime = retirementOption({
      ...person,
      retireAt: '2031-03',
      contributionMonths: 190,
      minimumYearsTable: table,
    });
    expect(onTime).toMatchObject({ permitted: false, kind: 'on_time', minimumContributionMonths: 192 });
    expect(onTime.reasons[0]).toContain('延长缴费或一次性缴费');
  });
});

describe('retirementDate and preReviewDate', () => {
  test('Gansu 1965-10 man: retirement 2026-01-01, pre-review 2025-10-01', () => {
    const person = { birthYearMonth: '1965-10', sex: 'male' as const, originalAge: 60 };
    expect(retirementDate(person)).toBe('2026-01-01');
    expect(preReviewDate(person)).toBe('2025-10-01');
    expect(preReviewDate('2026-01-01')).toBe('2025-10-01');
  });

  test('a chosen flexible month inside the window; outside it throws', () => {
    const person = { birthYearMonth: '1965-01', sex: 'male' as const, originalAge: 60 };
    expect(retirementDate({ ...person, retireAt: '2025-01' })).toBe('2025-01-01');
    expect(retirementDate({ ...person, retireAt: '2028-02' })).toBe('2028-02-01');
    expect(() => retirementDate({ ...person, retireAt: '2028-03' })).toThrow(RuleInputError);
  });

  test('pre-review clamps the day to the month length', () => {
    expect(preReviewDate('2026-05-31')).toBe('2026-02-28');
    expect(preReviewDate('2028-05-31')).toBe('2028-02-29');
    expect(() => preReviewDate('2026-02-30')).toThrow(RuleInputError);
  });
});
