import {
  PROVINCE_CODES,
  computeCheckDigit,
  maskIdNumber,
  provinceOf,
  validateIdNumber,
  type IdNumberCheck,
} from '../../domain/id-number';

const TODAY = '2026-03-01';

/**
 * Independent check-character finder, written from the "equivalent test" of domain.md §6 rather
 * than the implementation's lookup string: with X = 10 and weight 2^(18−i) mod 11 on position i,
 * the weighted sum of all 18 characters is ≡ 1 (mod 11).
 */
function checkCharFor(first17: string): string {
  const weight = (i: number): number => 2 ** (17 - i) % 11; // i is 0-based here
  const partial = [...first17].reduce((sum, ch, i) => sum + Number(ch) * weight(i), 0);
  const found = [...'0123456789X'].find((c) => (partial + (c === 'X' ? 10 : Number(c))) % 11 === 1);
  if (found === undefined) throw new Error('no check character');
  return found;
}

/** A full 18-character number with a correct check character. */
const withCheck = (first17: string): string => first17 + checkCharFor(first17);

const codes = (r: IdNumberCheck): string[] => r.errors.map((e) => e.code);

describe('computeCheckDigit', () => {
  it.each(['11010519491231002X', '440524188001010014', '53010219200508011X', '34052419800101001X'])(
    'gives the check character of the published vector %s',
    (id) => {
      expect(computeCheckDigit(id.slice(0, 17))).toBe(id[17]);
    },
  );

  it('agrees with the independent mod-11 finder on Gansu numbers', () => {
    for (const body of ['62010219850315123', '62010220000229042', '62010219700101000', '62010219591130998']) {
      expect(computeCheckDigit(body)).toBe(checkCharFor(body));
    }
  });

  it('rejects anything but 17 digits', () => {
    expect(() => computeCheckDigit('1234')).toThrow(RangeError);
    expect(() => computeCheckDigit('1101051949123100X')).toThrow(RangeError);
  });
});

describe('validateIdNumber: valid numbers', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['53010219200508011X', '1920-05-08', 'male'],
    ['34052419800101001X', '1980-01-01', 'male'],
  ])('accepts %s', (id, birthDate, sex) => {
    expect(validateIdNumber(id, TODAY)).toEqual({ valid: true, normalized: id, birthDate, sex, errors: [] });
  });

  it('440524188001010014 has a correct check digit but a birth year (1880) before 1900', () => {
    // domain.md §6 calls this vector valid (its check digit is right); the brief's rule that a
    // birth year before 1900 is invalid wins, so only the birth date is reported.
    const r = validateIdNumber('440524188001010014', TODAY);
    expect(codes(r)).toEqual(['id_number.birth_date_invalid']);
  });

  it('builds a valid Gansu (620102) man and woman', () => {
    const man = withCheck('62010219850315123'); // 17th digit 3: odd, male
    const woman = withCheck('62010219900101042'); // 17th digit 4: even, female
    expect(validateIdNumber(man, TODAY)).toMatchObject({
      valid: true,
      normalized: man,
      birthDate: '1985-03-15',
      sex: 'male',
    });
    expect(validateIdNumber(woman, TODAY)).toMatchObject({ valid: true, birthDate: '1990-01-01', sex: 'female' });
  });

  it('accepts a lowercase x and normalises it to uppercase', () => {
    const r = validateIdNumber('11010519491231002x', TODAY);
    expect(r.valid).toBe(true);
    expect(r.normalized).toBe('11010519491231002X');
  });

  it('trims surrounding whitespace', () => {
    expect(validateIdNumber(' \t11010519491231002X\n ', TODAY).normalized).toBe('11010519491231002X');
  });

  it('upgrades a 15-digit number: "19" before YY and a computed check digit', () => {
    // 110105 491231 002 is the 15-digit form of the published vector 11010519491231002X.
    expect(validateIdNumber('110105491231002', TODAY)).toEqual({
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      errors: [],
    });
    const gansu = validateIdNumber('620102850315123', TODAY);
    expect(gansu.normalized).toBe(withCheck('62010219850315123'));
    expect(gansu.birthDate).toBe('1985-03-15');
    expect(gansu.sex).toBe('male');
  });

  it('accepts a birth date equal to today', () => {
    expect(validateIdNumber(withCheck('62010220260301001'), TODAY).valid).toBe(true);
  });
});

describe('validateIdNumber: errors', () => {
  it('id_number.empty for an empty or blank input', () => {
    for (const input of ['', '   ', '\n\t']) {
      const r = validateIdNumber(input, TODAY);
      expect(r).toMatchObject({ valid: false, normalized: null, birthDate: null, sex: null });
      expect(codes(r)).toEqual(['id_number.empty']);
    }
  });

  it('id_number.length when not 15 or 18 characters, and nothing else', () => {
    for (const input of [
      '12345',
      '1101051949123100',
      '1101051949123100X',
      '11010519491231002X1',
      '110105 19491231002X',
    ]) {
      expect(codes(validateIdNumber(input, TODAY))).toEqual(['id_number.length']);
    }
  });

  it('id_number.characters for a non-digit where a digit is needed or a bad last character', () => {
    for (const input of [
      '1101051949123100XX', // X in position 17
      '11010519491231002Y', // bad last character
      'A1010519491231002X',
      '１１0105194912310020', // full-width digits
      '11010549123100X', // 15-digit numbers have no check character
      '11010549-231002',
    ]) {
      expect(codes(validateIdNumber(input, TODAY))).toEqual(['id_number.characters']);
    }
  });

  it('id_number.region for a first two digits that are not a province-level code', () => {
    for (const prefix of ['00', '10', '16', '20', '24', '38', '47', '55', '60', '66', '72', '84', '99']) {
      const r = validateIdNumber(withCheck(`${prefix}010219850315123`), TODAY);
      expect(codes(r)).toEqual(['id_number.region']);
      expect(r.errors[0].message).toContain(prefix);
    }
  });

  it('accepts every listed province code, including 71, 81, 82 and 83', () => {
    expect(PROVINCE_CODES).toHaveLength(35);
    for (const prefix of PROVINCE_CODES) {
      expect(validateIdNumber(withCheck(`${prefix}010219850315123`), TODAY).valid).toBe(true);
    }
  });

  it('id_number.birth_date_invalid for a date that does not exist or a year before 1900', () => {
    for (const date of ['19990230', '19991301', '19990001', '19990100', '19990431', '18991231', '00000101']) {
      expect(codes(validateIdNumber(withCheck(`620102${date}123`), TODAY))).toEqual(['id_number.birth_date_invalid']);
    }
  });

  it('Feb 29 exists in leap years (2000, 1996) but not in 1999 or 1900', () => {
    expect(validateIdNumber(withCheck('62010220000229042'), TODAY).birthDate).toBe('2000-02-29');
    expect(validateIdNumber(withCheck('62010219960229042'), TODAY).valid).toBe(true);
    expect(codes(validateIdNumber(withCheck('62010219990229042'), TODAY))).toEqual(['id_number.birth_date_invalid']);
    expect(codes(validateIdNumber(withCheck('62010219000229042'), TODAY))).toEqual(['id_number.birth_date_invalid']);
  });

  it('id_number.birth_date_future for a birth date after today', () => {
    const id = withCheck('62010220260302001');
    expect(codes(validateIdNumber(id, TODAY))).toEqual(['id_number.birth_date_future']);
    expect(validateIdNumber(id, '2026-03-02').valid).toBe(true);
  });

  it('id_number.checksum for a wrong check character', () => {
    for (const id of ['110105194912310020', '11010519491231002X'.replace('002X', '0021'), '440524188001010015']) {
      expect(codes(validateIdNumber(id, '2026-03-01'))).toContain('id_number.checksum');
    }
    expect(codes(validateIdNumber('110105194912310020', TODAY))).toEqual(['id_number.checksum']);
  });

  it('reports every applicable error at once', () => {
    const good = checkCharFor('99010219990230123');
    const bad = good === '0' ? '1' : '0';
    expect(codes(validateIdNumber(`99010219990230123${bad}`, TODAY))).toEqual([
      'id_number.region',
      'id_number.birth_date_invalid',
      'id_number.checksum',
    ]);
    expect(codes(validateIdNumber(withCheck('99010220300101123'), TODAY))).toEqual([
      'id_number.region',
      'id_number.birth_date_future',
    ]);
  });

  it('gives Chinese messages', () => {
    const r = validateIdNumber('990102199902301230', TODAY);
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of [...r.errors, ...validateIdNumber('', TODAY).errors, ...validateIdNumber('1', TODAY).errors]) {
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('throws RangeError when today is not a date', () => {
    expect(() => validateIdNumber('11010519491231002X', '2026-02-30')).toThrow(RangeError);
    expect(() => validateIdNumber('11010519491231002X', '20260301')).toThrow(RangeError);
  });
});

describe('maskIdNumber and provinceOf', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskIdNumber('62010219850315123X')).toBe('620102********123X');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('refuses to mask something that is not 18 characters', () => {
    expect(() => maskIdNumber('620102850315123')).toThrow(RangeError);
  });

  it('provinceOf gives the first two digits', () => {
    expect(provinceOf('620102')).toBe('62');
    expect(provinceOf('11010519491231002X')).toBe('11');
    expect(() => provinceOf('X1')).toThrow(RangeError);
  });
});
