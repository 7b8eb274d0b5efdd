/** The pre-review rules (B-7, 8.2.3.1): the retirement month and pre-review date, the findings and the notice. */
import { DEFAULT_MINIMUM_YEARS_TABLE, minimumContributionMonths } from '../../domain/minimum-years';
import {
  preReviewFindings,
  preReviewNotice,
  retirementSchedule,
  type PreReviewFacts,
  type RetirementPersonFacts,
} from '../../domain/pre-review';

const man = (o: Partial<RetirementPersonFacts> = {}): RetirementPersonFacts => ({
  sex: 'male',
  idBirthDate: '1970-05-20',
  fileBirthDate: null,
  originalRetirementAge: null,
  femaleDefaultOriginalAge: 55,
  ...o,
});

describe('retirementSchedule', () => {
  test('a man born May 1970 retires at 61 years 5 months in October 2031; the pre-review is on 1 July 2031', () => {
    // By hand (domain.md §1.1): d = (1970 − 1965) × 12 + (5 − 1) = 64; delay = ⌊64 / 4⌋ + 1 = 17
    // months (the 1970 row: 16…18, May–August = 17); 60 years + 17 months = 61 years 5 months;
    // 1970-05 + 61 y 5 m = 2031-10; three months before 2031-10-01 is 2031-07-01.
    const s = retirementSchedule(man());
    expect(s).toMatchObject({
      birthDateSource: 'id_number',
      originalAge: 60,
      originalAgeSource: 'statute',
      retirementDate: '2031-10-01',
      preReviewDate: '2031-07-01',
    });
    expect(s.statutory).toMatchObject({
      retirementYearMonth: '2031-10',
      statutoryAge: { years: 61, months: 5 },
      delayMonths: 17,
    });
  });

  test('the birth date on the file, once recorded, decides instead of the ID number', () => {
    const s = retirementSchedule(man({ fileBirthDate: '1971-05-20' }));
    // 1971 row: 19…21, May = 20 months → 61 y 8 m → 2033-01.
    expect(s).toMatchObject({
      birthDateSource: 'file',
      birthDate: '1971-05-20',
      retirementDate: '2033-01-01',
      preReviewDate: '2032-10-01',
    });
  });

  test('a woman takes the province parameter (55) unless her file decides 50', () => {
    const woman = { ...man(), sex: 'female' as const, idBirthDate: '1975-03-08' };
    // Women 55: d = 62 → 16 months (1975 row 16…18) → 56 y 4 m → 2031-07.
    expect(retirementSchedule(woman)).toMatchObject({
      originalAge: 55,
      originalAgeSource: 'parameter',
      retirementDate: '2031-07-01',
      preReviewDate: '2031-04-01',
    });
    // Women 50 (csdn: 1975-06 → 2025-09): 1975-03 → d = 2 → 2 months → 50 y 2 m → 2025-05.
    expect(retirementSchedule({ ...woman, originalRetirementAge: 50 })).toMatchObject({
      originalAge: 50,
      originalAgeSource: 'person',
      retirementDate: '2025-05-01',
    });
    expect(
      retirementSchedule({ ...woman, idBirthDate: '1975-06-01', originalRetirementAge: 50 }).statutory
        .retirementYearMonth,
    ).toBe('2025-09');
  });

  test('the pre-review date keeps three months before a January retirement in the previous year', () => {
    // Men 1965-12: d = 11 → 3 months → 60 y 3 m → 2026-03; pre-review 2025-12-01.
    expect(retirementSchedule(man({ idBirthDate: '1965-12-01' }))).toMatchObject({
      retirementDate: '2026-03-01',
      preReviewDate: '2025-12-01',
    });
  });
});

function facts(o: Partial<PreReviewFacts> = {}): PreReviewFacts {
  const schedule = retirementSchedule(man());
  return {
    today: '2031-07-01',
    schedule,
    idBirthDate: '1970-05-20',
    archiveBirthDate: null,
    workStartDate: '1990-07-01',
    actualMonths: 150,
    transferredMonths: 24,
    deemedMonths: 0,
    contributing: true,
    minimumMonths: minimumContributionMonths(2031, DEFAULT_MINIMUM_YEARS_TABLE),
    ...o,
  };
}

describe('preReviewFindings', () => {
  test('2031 needs 16 years (192 months): 174 recognised months leave 18 missing, 3 of them still payable before retirement', () => {
    const f = facts();
    expect(f.minimumMonths).toBe(192);
    const r = preReviewFindings(f);
    expect(r).toMatchObject({ recognisedMonths: 174, missingMonths: 18, monthsUntilRetirement: 3 });
    expect(r.findings.map((x) => x.code)).toEqual(['contribution_shortfall']);
    expect(r.findings[0].text).toContain('尚差1年6个月');
    expect(r.findings[0].text).toContain('再累计3个月，仍差1年3个月');
  });

  test('a file in order with enough years has no findings', () => {
    expect(preReviewFindings(facts({ actualMonths: 200 })).findings).toEqual([]);
  });

  test('a birth date in the retrieved file that differs from the ID number is a finding; so are an unknown or implausible work start', () => {
    const mismatch = preReviewFindings(
      facts({ actualMonths: 200, archiveBirthDate: '1970-08-20', workStartDate: null }),
    );
    expect(mismatch.findings.map((x) => x.code)).toEqual(['birth_date_mismatch', 'work_start_unknown']);
    expect(mismatch.findings[0].text).toContain('1970年8月20日');
    expect(mismatch.findings[0].text).toContain('暂按居民身份证号码');
    const young = preReviewFindings(facts({ actualMonths: 200, workStartDate: '1984-09-01' }));
    expect(young.findings.map((x) => x.code)).toEqual(['work_start_before_16']);
  });

  test('deemed and transferred months count towards the minimum', () => {
    expect(preReviewFindings(facts({ actualMonths: 100, transferredMonths: 40, deemedMonths: 52 }))).toMatchObject({
      recognisedMonths: 192,
      missingMonths: 0,
    });
  });
});

describe('preReviewNotice', () => {
  test('lists the basic facts, every finding and, with years missing, the three options', () => {
    const f = facts({ archiveBirthDate: '1970-08-20' });
    const notice = preReviewNotice({ caseId: 'pre-review-620102-2031-000001', facts: f, result: preReviewFindings(f) });
    expect(notice.title).toBe('退休前预审告知书');
    for (const part of [
      '8.2.3.1',
      '61周岁5个月',
      '2031年10月达到法定退休年龄',
      '参加工作时间：1990年7月1日',
      '实际缴费150个月，转入24个月，视同缴费0个月',
      '最低缴费年限为16年',
      '继续缴费',
      '一次性缴费',
      '转移接续',
    ]) {
      expect(notice.text).toContain(part);
    }
    expect(notice.text).toMatch(/二、需要核对或办理的事项\n1\. 档案记载的出生日期/);
  });

  test('without missing years there are no options, only how to claim', () => {
    const f = facts({ actualMonths: 200 });
    const text = preReviewNotice({ caseId: 'c', facts: f, result: preReviewFindings(f) }).text;
    expect(text).not.toContain('一次性缴费');
    expect(text).toContain('已达到最低缴费年限');
  });
});
