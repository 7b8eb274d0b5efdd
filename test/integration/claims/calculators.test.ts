/**
 * The benefit calculators: retirement age, minimum years and the pension, with the parameters
 * from the database. The published Gansu case (domain.md §3.2) reproduces to the cent.
 */
import { get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Gansu case 1 (retired 2025-05): 7594 × (1 + 1.2458)/2 × 35.83% etc.; N 430 months = 35.83, deemed 77 = 6.42. */
const gansuCase = {
  baseWage: '7594',
  averageIndex: '1.2458',
  contributionMonths: 430,
  deemedMonths: 77,
  accountBalance: '167590.39',
  age: { years: 60, months: 0 },
};

describe('POST /api/v1/rules/pension', () => {
  test('the published Gansu case gives 3055.33 + 1205.69 + 728.85 = 4989.87, with the parameters and their sources', async () => {
    for (const onDate of [undefined, '2025-05-01']) {
      const res = await post(h, '/api/v1/rules/pension', { ...gansuCase, ...(onDate ? { onDate } : {}) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        basic: '3055.33',
        account: '1205.69',
        transitional: '728.85',
        total: '4989.87',
        divisor: '139',
        contributionYears: '35.83',
        deemedYears: '6.42',
        warnings: [],
      });
    }
    const res = await post(h, '/api/v1/rules/pension', gansuCase);
    expect(res.body.parameters.map((p: { name: string }) => p.name)).toEqual([
      'pension.divisorTable',
      'pension.divisorMethod',
      'pension.transitionalCoefficient',
      'pension.yearsRounding',
    ]);
    expect(res.body.parameters.every((p: { source: string }) => p.source.length > 0)).toBe(true);
    expect(res.body.working.steps.find((s: { item: string }) => s.item === 'transitional').expression).toContain(
      '7594 × 1.2458 × 6.42 × 1.2%',
    );
  });

  test('yearsRounding "down" truncates the deemed years (6.41): 7594 × 1.2458 × 6.41 × 1.2% = 727.7097… → 727.71', async () => {
    const res = await post(h, '/api/v1/rules/pension', { ...gansuCase, yearsRounding: 'down' });
    expect(res.body).toMatchObject({ deemedYears: '6.41', transitional: '727.71', basic: '3055.33' });
    expect(res.body.working.parameters.find((p: { name: string }) => p.name === 'pension.yearsRounding')).toMatchObject(
      { value: 'down', source: 'overridden by input.yearsRounding' },
    );
  });

  test('an age with months uses the Gansu divisor method (interpolation, 1 dp): 60y3m → 137.3; a region without the parameters is 422', async () => {
    const gansu = await post(h, '/api/v1/rules/pension', { ...gansuCase, age: { years: 60, months: 3 } });
    expect(gansu.body).toMatchObject({ divisor: '137.3', account: '1220.61' });
    const national = await post(h, '/api/v1/rules/pension', {
      ...gansuCase,
      age: { years: 60, months: 3 },
      region: '11',
      onDate: '2023-01-01',
    });
    // Outside Gansu there is no transitional coefficient: a missing parameter, not a silent default.
    expect(national.status).toBe(422);
    expect(national.body.error).toMatchObject({
      code: 'PARAMETER_NOT_FOUND',
      field: 'pension.transitionalCoefficient',
    });
  });

  test.each([
    [{ averageIndex: 'abc' }, 'INVALID_DECIMAL', 'averageIndex'],
    [{ baseWage: '-1' }, 'NON_POSITIVE_AMOUNT', 'baseWage'],
    [{ accountBalance: '-5' }, 'NEGATIVE_AMOUNT', 'accountBalance'],
    [{ deemedMonths: 431 }, 'DEEMED_EXCEEDS_TOTAL', 'deemedMonths'],
    // Out of the schema's bounds: refused at the door, before the rule.
    [{ contributionMonths: -1 }, 'validation.minimum', 'contributionMonths'],
    [{ age: { years: 71, months: 0 } }, 'AGE_OUT_OF_RANGE', 'age'],
    [{ age: { years: 60, months: 12 } }, 'AGE_OUT_OF_RANGE', 'age'],
  ])('a rule input error %j is 400 with the rule code %s and field %s', async (over, code, field) => {
    const res = await post(h, '/api/v1/rules/pension', { ...gansuCase, ...over });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code, field });
  });

  test('schema errors are 400 naming the field', async () => {
    const { age: _age, ...withoutAge } = gansuCase;
    expect(_age).toBeDefined();
    const missing = await post(h, '/api/v1/rules/pension', withoutAge);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation.required', field: 'age' });
    const rounding = await post(h, '/api/v1/rules/pension', { ...gansuCase, yearsRounding: 'up' });
    expect(rounding.status).toBe(400);
    expect(rounding.body.error.field).toBe('yearsRounding');
  });
});

describe('GET /api/v1/rules/retirement-age', () => {
  test('a man born 1966-01: 60y4m in 2026-05, window 2026-01 (his 60th birthday month) to 2029-05', async () => {
    const res = await get(h, '/api/v1/rules/retirement-age?birthYearMonth=1966-01&sex=male');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      category: 'male-60',
      originalAge: 60,
      originalAgeSource: expect.stringContaining('60'),
      statutoryAge: { years: 60, months: 4 },
      delayMonths: 4,
      retirementYearMonth: '2026-05',
      earliest: '2026-01',
      latest: '2029-05',
    });
  });

  test('with retireAt: early, on time and late, with the minimum of the year that applies', async () => {
    const early = await get(
      h,
      '/api/v1/rules/retirement-age?birthYearMonth=1966-01&sex=male&retireAt=2026-02&contributionMonths=170',
    );
    expect(early.body).toMatchObject({
      kind: 'early',
      permitted: false,
      minimumContributionMonths: 180,
      minimumYear: 2026,
      contributionChecked: true,
    });
    expect(early.body.reasons[0]).toContain('弹性提前退休');
    const onTime = await get(h, '/api/v1/rules/retirement-age?birthYearMonth=1966-01&sex=male&retireAt=2026-05');
    expect(onTime.body).toMatchObject({
      kind: 'on_time',
      permitted: true,
      minimumContributionMonths: 180,
      contributionChecked: false,
      reasons: [],
    });
    // Statutory age in 2032 (born 1970-09: 61y6m in 2032-03); delaying to 2034 keeps the 2032 minimum, 16y6m.
    const late = await get(
      h,
      '/api/v1/rules/retirement-age?birthYearMonth=1970-09&sex=male&retireAt=2034-03&contributionMonths=198',
    );
    expect(late.body).toMatchObject({
      retirementYearMonth: '2032-03',
      kind: 'late',
      permitted: true,
      minimumContributionMonths: 198,
      minimumYear: 2032,
    });
    const tooLate = await get(h, '/api/v1/rules/retirement-age?birthYearMonth=1966-01&sex=male&retireAt=2029-06');
    expect(tooLate.body).toMatchObject({ kind: 'late', permitted: false });
  });

  test('a woman without originalAge gets the province parameter (55): born 1971-06 → 55y5m in 2026-11', async () => {
    const res = await get(h, '/api/v1/rules/retirement-age?birthYearMonth=1971-06&sex=female');
    expect(res.body).toMatchObject({
      category: 'female-55',
      originalAge: 55,
      statutoryAge: { years: 55, months: 5 },
      retirementYearMonth: '2026-11',
    });
    expect(res.body.originalAgeSource).toContain('retirement.femaleFlexibleOriginalAge');
    const worker = await get(h, '/api/v1/rules/retirement-age?birthYearMonth=1975-06&sex=female&originalAge=50');
    expect(worker.body).toMatchObject({ category: 'female-50', retirementYearMonth: '2025-09' });
  });

  test.each([
    ['birthYearMonth=1966-13&sex=male', 400, 'INVALID_YEAR_MONTH', 'birthYearMonth'],
    ['birthYearMonth=1966&sex=male', 400, 'INVALID_YEAR_MONTH', 'birthYearMonth'],
    ['birthYearMonth=1966-01&sex=male&originalAge=55', 400, 'INVALID_ORIGINAL_AGE', 'originalAge'],
    ['birthYearMonth=1966-01&sex=female&originalAge=60', 400, 'INVALID_ORIGINAL_AGE', 'originalAge'],
    ['birthYearMonth=1966-01&sex=male&retireAt=2026', 400, 'INVALID_YEAR_MONTH', 'retireAt'],
    [
      'birthYearMonth=1966-01&sex=male&retireAt=2026-02&contributionMonths=-3',
      400,
      'validation.minimum',
      'querystring.contributionMonths',
    ],
    ['birthYearMonth=1966-01&sex=x', 400, 'validation.const', 'querystring.sex'],
    ['sex=male', 400, 'validation.required', 'querystring.birthYearMonth'],
  ])('%s → %i %s (%s)', async (query, status, code, field) => {
    const res = await get(h, `/api/v1/rules/retirement-age?${query}`);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, field });
  });
});

describe('GET /api/v1/rules/minimum-years', () => {
  test.each([
    [2029, 180, '15年'],
    [2030, 186, '15年6个月'],
    [2035, 216, '18年'],
    [2039, 240, '20年'],
    [2050, 240, '20年'],
  ])('%i → %i months (%s)', async (year, months, text) => {
    const res = await get(h, `/api/v1/rules/minimum-years?retirementYear=${year}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ retirementYear: year, months, text });
  });

  test('a year before the table is 400 with the rule code; a missing or non-integer year is 400', async () => {
    const early = await get(h, '/api/v1/rules/minimum-years?retirementYear=2005');
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 'YEAR_OUT_OF_RANGE', field: 'retirementYear' });
    expect((await get(h, '/api/v1/rules/minimum-years')).body.error).toMatchObject({
      code: 'validation.required',
      field: 'querystring.retirementYear',
    });
    expect((await get(h, '/api/v1/rules/minimum-years?retirementYear=abc')).status).toBe(400);
  });
});
