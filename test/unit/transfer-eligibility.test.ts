import { claimPlace, samePlace } from '../../domain/claim-place';
import { ageOnDate, transferEligibility, type TransferEligibilityInput } from '../../domain/transfer-eligibility';
import { TransferRuleError } from '../../domain/transfer-errors';

// Codes: 620102 Lanzhou Chengguan (Gansu), 440300 Shenzhen, 310100 Shanghai, 330100 Hangzhou, 610100 Xi'an.
const GANSU_HOME = '620102';
const SHENZHEN = '440300';
const SHANGHAI = '310100';
const HANGZHOU = '330100';
const XIAN = '610100';

function input(overrides: Partial<TransferEligibilityInput>): TransferEligibilityInput {
  return {
    sex: 'male',
    birthDate: '1975-06-15',
    moveDate: '2025-06-14',
    fromAgencyCode: SHENZHEN,
    toAgencyCode: '620100',
    householdRegistrationCode: '510104',
    ...overrides,
  };
}

function errorOf(fn: () => unknown): TransferRuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TransferRuleError) return e;
    throw e;
  }
  throw new Error('expected a TransferRuleError');
}

describe('ageOnDate', () => {
  it('goes up on the birthday, not the day after', () => {
    expect(ageOnDate('1975-06-15', '2025-06-14')).toBe(49);
    expect(ageOnDate('1975-06-15', '2025-06-15')).toBe(50);
  });
  it('a 29 February birthday turns on 1 March in a common year', () => {
    expect(ageOnDate('1980-02-29', '2030-02-28')).toBe(49);
    expect(ageOnDate('1980-02-29', '2030-03-01')).toBe(50);
    expect(ageOnDate('1980-02-29', '2028-02-29')).toBe(48);
  });
});

describe('transferEligibility: condition (a), age', () => {
  it('a man the day before his 50th birthday may transfer', () => {
    const r = transferEligibility(input({ sex: 'male', birthDate: '1975-06-15', moveDate: '2025-06-14' }));
    expect(r).toMatchObject({ eligible: true, route: 'transfer', condition: 'a_age', reasons: [], ageAtMoveDate: 49 });
    expect(r.basis[0]).toContain('男性不满50周岁');
  });

  it('a man on his 50th birthday, not returning home, gets a temporary account', () => {
    const r = transferEligibility(input({ sex: 'male', birthDate: '1975-06-15', moveDate: '2025-06-15' }));
    expect(r.eligible).toBe(false);
    expect(r.route).toBe('temporary_account');
    expect(r.condition).toBeUndefined();
    expect(r.ageAtMoveDate).toBe(50);
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toContain('临时基本养老保险缴费账户');
    expect(r.reasons[0]).toContain('保留在原参保地（440300）');
  });

  it('a woman the day before her 40th birthday may transfer', () => {
    const r = transferEligibility(input({ sex: 'female', birthDate: '1985-03-01', moveDate: '2025-02-28' }));
    expect(r).toMatchObject({ eligible: true, route: 'transfer', condition: 'a_age', ageAtMoveDate: 39 });
  });

  it('a woman on her 40th birthday, not returning home, gets a temporary account', () => {
    const r = transferEligibility(input({ sex: 'female', birthDate: '1985-03-01', moveDate: '2025-03-01' }));
    expect(r).toMatchObject({ eligible: false, route: 'temporary_account', ageAtMoveDate: 40 });
    expect(r.reasons[0]).toContain('女性年满40周岁');
  });

  it('a woman of 45 (over 40, under 50) gets a temporary account: the limits differ by sex', () => {
    const r = transferEligibility(input({ sex: 'female', birthDate: '1980-01-01', moveDate: '2025-06-01' }));
    expect(r.route).toBe('temporary_account');
    const man = transferEligibility(input({ sex: 'male', birthDate: '1980-01-01', moveDate: '2025-06-01' }));
    expect(man.route).toBe('transfer');
  });
});

describe('transferEligibility: condition (b), returning home', () => {
  it('a man of 55 moving to his household-registration county may transfer', () => {
    const r = transferEligibility(
      input({
        birthDate: '1970-01-01',
        moveDate: '2025-06-01',
        toAgencyCode: GANSU_HOME,
        householdRegistrationCode: GANSU_HOME,
      }),
    );
    expect(r).toMatchObject({
      eligible: true,
      route: 'transfer',
      condition: 'b_returning_home',
      conditionsMet: ['b_returning_home'],
    });
  });

  it('a prefecture-level agency covers the household county', () => {
    const r = transferEligibility(
      input({
        birthDate: '1970-01-01',
        moveDate: '2025-06-01',
        toAgencyCode: '620100',
        householdRegistrationCode: GANSU_HOME,
      }),
    );
    expect(r.condition).toBe('b_returning_home');
  });

  it('a declared return home without a household code is accepted', () => {
    const r = transferEligibility(
      input({
        birthDate: '1970-01-01',
        moveDate: '2025-06-01',
        householdRegistrationCode: undefined,
        returningHome: true,
      }),
    );
    expect(r.condition).toBe('b_returning_home');
  });

  it('a declared return home to a place that is not the household place is not (b), and says why', () => {
    const r = transferEligibility(
      input({
        birthDate: '1970-01-01',
        moveDate: '2025-06-01',
        toAgencyCode: '620500',
        householdRegistrationCode: '510104',
        returningHome: true,
      }),
    );
    expect(r.route).toBe('temporary_account');
    expect(r.reasons).toHaveLength(2);
    expect(r.reasons[0]).toContain('不是户籍所在地（510104）');
  });

  it('a young person returning home meets both (a) and (b)', () => {
    const r = transferEligibility(
      input({
        birthDate: '1995-01-01',
        moveDate: '2025-06-01',
        toAgencyCode: GANSU_HOME,
        householdRegistrationCode: GANSU_HOME,
      }),
    );
    expect(r.condition).toBe('a_age');
    expect(r.conditionsMet).toEqual(['a_age', 'b_returning_home']);
  });
});

describe('transferEligibility: condition (c), the 10-year rule at benefit time', () => {
  const benefit = {
    sex: 'male' as const,
    birthDate: '1965-01-01',
    moveDate: '2025-03-01',
    householdRegistrationCode: GANSU_HOME,
    reachedBenefitConditions: true,
  };

  it('under 10 years at the current place: transfer back to the last place with 10 years', () => {
    const r = transferEligibility({
      ...benefit,
      fromAgencyCode: SHANGHAI,
      toAgencyCode: SHENZHEN,
      yearsAtEachPlace: [
        { agencyCode: SHENZHEN, years: 12 },
        { agencyCode: SHANGHAI, years: 6 },
      ],
    });
    expect(r).toMatchObject({ eligible: true, route: 'transfer', condition: 'c_benefit_place' });
    expect(r.claimPlace).toMatchObject({ agencyCode: SHENZHEN, row: 3, basis: 'previous_ten_year_place' });
  });

  it('a request to another place than the rule gives is refused with the right place named', () => {
    const r = transferEligibility({
      ...benefit,
      fromAgencyCode: SHANGHAI,
      toAgencyCode: HANGZHOU,
      yearsAtEachPlace: [
        { agencyCode: SHENZHEN, years: 12 },
        { agencyCode: SHANGHAI, years: 6 },
      ],
    });
    expect(r).toMatchObject({ eligible: false, route: 'refused' });
    expect(r.reasons[0]).toContain('按规定应转至（440300）');
  });

  it('10 years at the current place: no transfer, the pension is claimed there', () => {
    const r = transferEligibility({
      ...benefit,
      fromAgencyCode: SHANGHAI,
      toAgencyCode: SHENZHEN,
      yearsAtEachPlace: [
        { agencyCode: SHENZHEN, years: 12 },
        { agencyCode: SHANGHAI, years: 10 },
      ],
    });
    expect(r).toMatchObject({ eligible: false, route: 'refused' });
    expect(r.claimPlace?.row).toBe(2);
    expect(r.reasons[0]).toContain('不需要转移');
  });

  it('needs the places and the household code', () => {
    const e = errorOf(() =>
      transferEligibility({
        ...benefit,
        householdRegistrationCode: undefined,
        fromAgencyCode: SHANGHAI,
        toAgencyCode: SHENZHEN,
      }),
    );
    expect(e.issues.map((i) => i.field)).toEqual(['yearsAtEachPlace', 'householdRegistrationCode']);
  });

  it('refuses places whose current place is not the transfer-out place', () => {
    const e = errorOf(() =>
      transferEligibility({
        ...benefit,
        fromAgencyCode: XIAN,
        toAgencyCode: SHENZHEN,
        yearsAtEachPlace: [
          { agencyCode: SHENZHEN, years: 12 },
          { agencyCode: SHANGHAI, years: 6 },
        ],
      }),
    );
    expect(e.code).toBe('transfer.current_place_mismatch');
  });
});

describe('transferEligibility: no transfer', () => {
  it('a move inside the province needs no transfer (continuation or account merge)', () => {
    const r = transferEligibility(input({ fromAgencyCode: '620102', toAgencyCode: '620502' }));
    expect(r).toMatchObject({ eligible: false, route: 'not_required_in_province' });
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toContain('续保或账户合并');
  });

  it('a person already receiving a pension does not transfer', () => {
    const r = transferEligibility(input({ birthDate: '1990-01-01', isReceivingPension: true }));
    expect(r).toMatchObject({ eligible: false, route: 'refused' });
    expect(r.condition).toBeUndefined();
    expect(r.reasons[0]).toContain('已按月领取基本养老金');
  });

  it('a pensioner moving inside the province gets both reasons', () => {
    const r = transferEligibility(
      input({ isReceivingPension: true, fromAgencyCode: '620102', toAgencyCode: '620502' }),
    );
    expect(r.route).toBe('refused');
    expect(r.reasons).toHaveLength(2);
  });
});

describe('transferEligibility: input errors', () => {
  it('lists every invalid field', () => {
    const e = errorOf(() =>
      transferEligibility({
        sex: 'x' as never,
        birthDate: '1975-02-30',
        moveDate: '2025-13-01',
        fromAgencyCode: '44030',
        toAgencyCode: 'abcdef',
        householdRegistrationCode: '1',
        yearsAtEachPlace: [{ agencyCode: '440300', years: -1 }],
      }),
    );
    expect(e.issues.map((i) => i.field)).toEqual([
      'sex',
      'birthDate',
      'moveDate',
      'fromAgencyCode',
      'toAgencyCode',
      'householdRegistrationCode',
      'yearsAtEachPlace[0].years',
    ]);
  });

  it('refuses a move date before the birth date', () => {
    const e = errorOf(() => transferEligibility(input({ moveDate: '1970-01-01' })));
    expect(e.field).toBe('moveDate');
    expect(e.code).toBe('transfer.date_order');
  });
});

describe('claimPlace: the 10-year rule table, in order', () => {
  it('row 1: the relation is at the household place → the household place, whatever the years', () => {
    const r = claimPlace(
      [
        { agencyCode: SHENZHEN, years: 15 },
        { agencyCode: GANSU_HOME, years: 3 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 1, agencyCode: GANSU_HOME, basis: 'household_registration' });
  });

  it('row 2: not at the household place, 10 years at the current place → the current place', () => {
    const r = claimPlace(
      [
        { agencyCode: SHENZHEN, years: 15 },
        { agencyCode: SHANGHAI, years: 10 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 2, agencyCode: SHANGHAI, currentPlaceYears: '10' });
  });

  it('row 3: under 10 years at the current place → the most recent earlier place with 10 years', () => {
    const r = claimPlace(
      [
        { agencyCode: XIAN, years: 11 },
        { agencyCode: SHENZHEN, years: 10 },
        { agencyCode: HANGZHOU, years: 4 },
        { agencyCode: SHANGHAI, years: 9.5 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 3, agencyCode: SHENZHEN, currentPlaceCode: SHANGHAI, currentPlaceYears: '9.5' });
  });

  it('row 4: under 10 years everywhere → the household place', () => {
    const r = claimPlace(
      [
        { agencyCode: XIAN, years: 9.9 },
        { agencyCode: SHENZHEN, years: 8 },
        { agencyCode: SHANGHAI, years: 5 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 4, agencyCode: GANSU_HOME, basis: 'household_registration_fallback' });
  });

  it('a place with only a temporary account does not count as a 10-year place', () => {
    const r = claimPlace(
      [
        { agencyCode: SHENZHEN, years: 12, temporaryAccountOnly: true },
        { agencyCode: SHANGHAI, years: 5 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 4, agencyCode: GANSU_HOME });
  });

  it('years under a temporary account are not added to a place where the person also had the relation', () => {
    // Shenzhen 6 (relation) + 5 (temporary account only) = 6 countable years, under 10 → row 4.
    const r = claimPlace(
      [
        { agencyCode: SHENZHEN, years: 6 },
        { agencyCode: SHENZHEN, years: 5, temporaryAccountOnly: true },
        { agencyCode: SHANGHAI, years: 4 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 4, agencyCode: GANSU_HOME });
  });

  it('the current relation place is the last place that is not temporary-only', () => {
    const r = claimPlace(
      [
        { agencyCode: SHENZHEN, years: 11 },
        { agencyCode: SHANGHAI, years: 12, temporaryAccountOnly: true },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 2, agencyCode: SHENZHEN });
  });

  it('years at the same place in separate stays are added up', () => {
    // Xi'an 6 + 4.5 = 10.5 years → the current place, even though each stay is under 10.
    const r = claimPlace(
      [
        { agencyCode: XIAN, years: 6 },
        { agencyCode: SHENZHEN, years: 3 },
        { agencyCode: XIAN, years: 4.5 },
      ],
      GANSU_HOME,
    );
    expect(r).toMatchObject({ row: 2, agencyCode: XIAN, currentPlaceYears: '10.5' });
  });

  it('refuses malformed places with the field path', () => {
    const e = errorOf(() => claimPlace([{ agencyCode: '4403', years: 1 }], GANSU_HOME));
    expect(e.field).toBe('places[0].agencyCode');
  });
});

describe('samePlace', () => {
  it('compares at the chosen granularity', () => {
    expect(samePlace('620102', '620102')).toBe(true);
    expect(samePlace('620102', '620103')).toBe(false);
    expect(samePlace('620100', '620103')).toBe(true);
    expect(samePlace('620000', '620103')).toBe(false);
    expect(samePlace('620102', '620103', 'prefecture')).toBe(true);
    expect(samePlace('620102', '620502', 'province')).toBe(true);
  });
});
