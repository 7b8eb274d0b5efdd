import { buildContactLetter, type ContactLetterInput } from '../../domain/contact-letter';
import {
  buildInformationSheet,
  type InformationSheet,
  type InformationSheetInput,
  type LedgerRowInput,
} from '../../domain/information-sheet';
import { validateInformationSheet } from '../../domain/information-sheet-validation';
import { TransferRuleError } from '../../domain/transfer-errors';

// 620102197506150010: valid GB 11643 check digit, born 1975-06-15, male.
const ID = '620102197506150010';
const OTHER_ID = '620102198503010025';

function row(
  year: number,
  start: string,
  end: string,
  months: number,
  monthlyBase: string,
  credited: string,
  interest: string,
  closing: string,
): LedgerRowInput {
  return {
    year,
    startYearMonth: start,
    endYearMonth: end,
    months,
    monthlyBase,
    creditedAmount: credited,
    creditedPersonal: credited,
    interest,
    interestPersonal: interest,
    closingBalance: closing,
    closingPersonal: closing,
  };
}

/* Ledger at Lanzhou Chengguan 2020-01..2025-05 (8% of the base credited to the account):
 *   2020      12 × 5000.00 → pooled base 60000.00
 *   2021      12 × 5500.00 →            66000.00
 *   2022 H1    6 × 6000.00 →            36000.00
 *   2022 H2    6 × 6500.00 →            39000.00
 *   2023      12 × 8500.00 →           102000.00
 *   2024      12 × 8500.00 →           102000.00
 *   2025       5 × 8500.55 →            42502.75
 *   Σ = 447502.75;  ⑤ = 447502.75 × 12% = 53700.33
 *   ① 0.00 + ② 34900.00 + ③ 3400.22 = ④ 38300.22;  ⑥ = 38300.22 + 53700.33 = 92000.55
 *   months: 12 + 12 + 6 + 6 + 12 + 12 + 5 = 65
 */
function validInput(): InformationSheetInput {
  return {
    person: {
      name: '张三',
      idNumber: ID,
      birthDate: '1975-06-15',
      workStartDate: '1995-07-01',
      firstInsuredDate: '2005-03-01',
      accountOpenedDate: '2005-03-01',
      localStart: '2020-01',
      localEnd: '2025-05',
      transferDate: '2025-06-20',
      fromAgency: { code: '620102', name: '兰州市城关区社会保险事业服务中心' },
      toAgency: { code: '440300', name: '深圳市社会保险基金管理局' },
    },
    rows: [
      row(2020, '2020-01', '2020-12', 12, '5000', '4800.00', '100.00', '4900.00'),
      row(2021, '2021-01', '2021-12', 12, '5500', '5280.00', '300.00', '10480.00'),
      row(2022, '2022-01', '2022-06', 6, '6000', '2880.00', '0.00', '13360.00'),
      row(2022, '2022-07', '2022-12', 6, '6500', '3120.00', '500.00', '16980.00'),
      row(2023, '2023-01', '2023-12', 12, '8500', '8160.00', '700.00', '25840.00'),
      row(2024, '2024-01', '2024-12', 12, '8500', '8160.00', '900.00', '34900.00'),
      row(2025, '2025-01', '2025-05', 5, '8500.55', '3400.22', '0.00', '38300.22'),
    ],
    account: { before1998Personal: '0', from1998ToLastYearEnd: '34900.00', currentYearPrincipal: '3400.22' },
  };
}

const expected = { idNumber: ID, name: '张三', fromAgencyCode: '620102', toAgencyCode: '440300' };

function clone(sheet: InformationSheet): InformationSheet {
  return JSON.parse(JSON.stringify(sheet)) as InformationSheet;
}

function fields(sheet: InformationSheet, exp = expected): string[] {
  return validateInformationSheet(sheet, exp).problems.map((p) => p.field);
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

describe('buildInformationSheet', () => {
  const sheet = buildInformationSheet(validInput());

  it('computes ①..⑥ through computeTransferFunds from the part 2 rows', () => {
    expect(sheet.funds).toMatchObject({
      before1998Personal: '0.00',
      from1998ToLastYearEnd: '34900.00',
      currentYearPrincipal: '3400.22',
      individualAccount: '38300.22',
      pooledFund: '53700.33',
      total: '92000.55',
    });
    expect(sheet.funds.working.ruleVersion).toBe('transfer-funds/1');
    expect(sheet.localActualMonths).toBe(65);
    expect(sheet.sheetVersion).toBe(1);
  });

  it('fills the flexible-worker rates, the region and the transfer-out unit, and normalises amounts', () => {
    expect(sheet.rows[0]).toMatchObject({
      regionCode: '620102',
      regionName: '兰州市城关区社会保险事业服务中心',
      unitRate: '0',
      personalRate: '0.20',
      accountRate: '0.08',
      monthlyBase: '5000.00',
    });
    expect(sheet.person.transferOutUnitName).toBe('兰州市城关区社会保险事业服务中心');
  });

  it('is plain JSON and deterministic', () => {
    const again = buildInformationSheet(validInput());
    expect(JSON.parse(JSON.stringify(sheet))).toEqual(sheet);
    expect(JSON.stringify(again)).toBe(JSON.stringify(sheet));
  });

  it('validates at the receiving agency', () => {
    expect(validateInformationSheet(sheet, expected)).toEqual({ ok: true, problems: [] });
  });

  it('keeps a given sheet version (a corrected sheet sent again)', () => {
    expect(buildInformationSheet({ ...validInput(), sheetVersion: 2 }).sheetVersion).toBe(2);
  });

  it('refuses bad input with every problem and the sheet field paths', () => {
    const input = validInput();
    input.rows[2].months = 13;
    input.rows[4].monthlyBase = '-1';
    input.account.currentYearPrincipal = 'x';
    input.person.idNumber = '620102197506150011';
    const e = errorOf(() => buildInformationSheet(input));
    expect(e.issues.map((i) => i.field)).toEqual([
      'person.idNumber',
      'rows[2].months',
      'rows[4].monthlyBase',
      'account.currentYearPrincipal',
    ]);
  });
});

describe('validateInformationSheet: each kind of error', () => {
  const good = buildInformationSheet(validInput());

  it('④ not equal to ① + ② + ③', () => {
    const s = clone(good);
    s.funds.individualAccount = '38300.23';
    s.funds.total = '92000.56'; // keep ⑥ = ④ + ⑤ so only ④ is wrong
    const problems = validateInformationSheet(s, expected).problems;
    expect(problems.map((p) => p.field)).toEqual(['funds.individualAccount']);
    expect(problems[0].message).toBe('④个人账户基金转移额（38300.23）应等于①+②+③（38300.22）');
  });

  it('⑥ not equal to ④ + ⑤', () => {
    const s = clone(good);
    s.funds.total = '92000.00';
    expect(fields(s)).toEqual(['funds.total']);
  });

  it('⑤ does not recompute from the part 2 rows', () => {
    const s = clone(good);
    s.rows[6].monthlyBase = '8500.00'; // 5 × 8500.00 × 12% = 5100.00 instead of 5100.33
    const problems = validateInformationSheet(s, expected).problems;
    expect(problems.map((p) => p.field)).toEqual(['funds.pooledFund']);
    expect(problems[0].message).toContain('53700.00');
  });

  it('months do not add up to the local actual months', () => {
    const s = clone(good);
    s.localActualMonths = 64;
    const problems = validateInformationSheet(s, expected).problems;
    expect(problems.map((p) => p.field)).toEqual(['localActualMonths']);
    expect(problems[0].message).toContain('65');
  });

  it('dates out of order', () => {
    const s = clone(good);
    s.person.transferDate = '2025-04-30'; // before the last local month 2025-05
    s.person.workStartDate = '1975-06-15'; // not after the birth date
    expect(fields(s)).toEqual(['person.workStartDate', 'person.transferDate']);
  });

  it('rows that overlap or leave the local period', () => {
    const s = clone(good);
    s.rows[3].startYearMonth = '2022-06'; // overlaps the first half of 2022
    s.rows[3].months = 7; // keeps months within the span, but now the year has 13 months
    s.localActualMonths = 66;
    s.person.localStart = '2020-02'; // row 0 starts before the local period
    const f = fields(s);
    expect(f).toContain('rows[3].startYearMonth');
    expect(f).toContain('rows[0].startYearMonth');
    expect(f).toContain('rows[3].year'); // duplicate year: 6 + 7 > 12 months
  });

  it('an ID number of another person', () => {
    const s = clone(good);
    expect(fields(s, { ...expected, idNumber: OTHER_ID })).toEqual(['person.idNumber']);
  });

  it('a birth date that differs from the ID number', () => {
    const s = clone(good);
    s.person.birthDate = '1975-06-16';
    expect(fields(s)).toEqual(['person.birthDate']);
  });

  it('agency codes of another transfer', () => {
    const s = clone(good);
    expect(fields(s, { ...expected, fromAgencyCode: '620502', toAgencyCode: '310100' })).toEqual([
      'person.fromAgency.code',
      'person.toAgency.code',
    ]);
  });

  it('lists every problem of a sheet with all kinds of error at once, in Chinese', () => {
    const s = clone(good);
    s.funds.individualAccount = '1.00';
    s.funds.pooledFund = '2.00';
    s.funds.total = '4.00';
    s.localActualMonths = 1;
    s.person.transferDate = '2025-01-01';
    const result = validateInformationSheet(s, {
      idNumber: OTHER_ID,
      name: '李四',
      fromAgencyCode: '620502',
      toAgencyCode: '310100',
    });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.field).sort()).toEqual(
      [
        'person.transferDate',
        'funds.individualAccount',
        'funds.pooledFund',
        'funds.total',
        'localActualMonths',
        'person.idNumber',
        'person.name',
        'person.fromAgency.code',
        'person.toAgency.code',
      ].sort(),
    );
    for (const p of result.problems) expect(p.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('never throws on a malformed sheet', () => {
    const result = validateInformationSheet({} as InformationSheet);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['sheetVersion', 'person', 'rows', 'funds.individualAccount', 'localActualMonths']),
    );
  });

  it('a transfer inside one province is not a cross-province sheet', () => {
    const s = clone(good);
    s.person.toAgency.code = '620502';
    expect(fields(s, { ...expected, toAgencyCode: '620502' })).toEqual(['person.toAgency.code']);
  });
});

describe('buildContactLetter', () => {
  const letter: ContactLetterInput = {
    letterNumber: 'LXH440300202506200001',
    serialNumber: '202506200001',
    personName: ' 张三 ',
    idNumber: ID,
    originalAgencyName: '兰州市城关区社会保险事业服务中心',
    newAgency: {
      name: '深圳市社会保险基金管理局',
      phone: '0755-12333',
      bankName: '中国工商银行深圳分行',
      bankCode: '102584000002',
      accountName: '深圳市社会保险基金管理局',
      accountNumber: '4000023009200012345',
      address: '深圳市福田区深南大道1号',
      postcode: '518000',
    },
    handledDate: '2025-06-20',
    clerk: '王五',
  };

  it('builds the letter with trimmed fields', () => {
    const r = buildContactLetter(letter);
    expect(r.personName).toBe('张三');
    expect(r.newAgency.bankCode).toBe('102584000002');
    expect(r).toEqual({ ...letter, personName: '张三' });
  });

  it('lists every missing or malformed field', () => {
    const e = errorOf(() =>
      buildContactLetter({
        ...letter,
        letterNumber: '',
        clerk: '  ',
        handledDate: '2025-02-30',
        newAgency: { ...letter.newAgency, bankName: '', bankCode: '10258', postcode: '51800', accountNumber: '' },
      }),
    );
    expect(e.issues.map((i) => i.field)).toEqual([
      'letterNumber',
      'newAgency.bankName',
      'newAgency.accountNumber',
      'clerk',
      'newAgency.bankCode',
      'newAgency.postcode',
      'handledDate',
    ]);
    expect(e.issues[0].message).toBe('缺少联系函编号');
  });
});
