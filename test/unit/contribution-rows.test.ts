/**
 * The checks a contribution row passes on its own (C-1), with the seeded parameters: every
 * refusal code with its Chinese message, never quoting the ID number or the name; the CSV and
 * JSON-lines readers.
 */
import {
  CONTRIBUTION_COLUMNS,
  REFUSAL_TEXT,
  checkContributionRow,
  csvHeader,
  csvRow,
  jsonRow,
  splitCsvLine,
  type RawContributionRow,
  type RowCheckContext,
} from '../../domain/contribution-rows';
import { computeCheckDigit } from '../../domain/id-number';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { PARAMETER_NAMES, type ParameterValue } from '../../domain/parameters';

const first17 = '62010219850312123';
const ID = first17 + computeCheckDigit(first17);
const ctx: RowCheckContext = { today: '2026-11-29', parameters: PARAMETER_SEED };

function row(over: Partial<RawContributionRow> = {}): RawContributionRow {
  return {
    line: 7,
    recordId: 'R1',
    idNumber: ID,
    name: '张三',
    agencyCode: '620102',
    yearMonth: '2025-03',
    base: '5000',
    amount: '1000.00',
    paidOn: '2025-04-10',
    ...over,
  };
}

function refused(over: Partial<RawContributionRow>, c: RowCheckContext = ctx) {
  const r = checkContributionRow(row(over), c);
  if (r.ok) throw new Error('expected a refusal');
  return r.refusal;
}

describe('checkContributionRow', () => {
  test('a good row passes, normalised: amounts to two decimals, lowercase x upper, blanks trimmed', () => {
    let id = ID;
    for (let s = 100; !id.endsWith('X'); s += 1) id = `62010219850312${s}` + computeCheckDigit(`62010219850312${s}`);
    const r = checkContributionRow(
      row({ idNumber: ` ${id.toLowerCase()} `, name: ' 张三 ', base: '5000', amount: '1000' }),
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      row: {
        line: 7,
        recordId: 'R1',
        idNumber: id,
        name: '张三',
        agencyCode: '620102',
        yearMonth: '2025-03',
        base: '5000.00',
        amount: '1000.00',
        paidOn: '2025-04-10',
      },
    });
  });

  test('JSON numbers are read as their decimal text; an empty paidOn and recordId are null', () => {
    const r = checkContributionRow(row({ base: 4999.5, amount: 999.9, paidOn: '', recordId: '' }), ctx);
    expect(r).toMatchObject({ ok: true, row: { base: '4999.50', amount: '999.90', paidOn: null, recordId: null } });
  });

  test.each([
    [{ idNumber: '' }, 'id_number.empty'],
    [{ idNumber: '12345' }, 'id_number.length'],
    [{ idNumber: `${first17.slice(0, 16)}A1` }, 'id_number.characters'],
    [{ idNumber: ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0') }, 'id_number.checksum'],
    [{ name: '   ' }, 'name.blank'],
    [{ name: undefined }, 'name.blank'],
    [{ agencyCode: '62010' }, 'agency_code.invalid'],
    [{ agencyCode: '62a102' }, 'agency_code.invalid'],
    [{ yearMonth: '2025-13' }, 'year_month.invalid'],
    [{ yearMonth: '2025-3' }, 'year_month.invalid'],
    [{ yearMonth: '2026-12' }, 'year_month.future'],
    [{ base: 'abc' }, 'base.invalid'],
    [{ base: '5000.001' }, 'base.invalid'],
    [{ base: '0', amount: '0.00' }, 'base.not_positive'],
    [{ base: '-5000', amount: '1000.00' }, 'base.not_positive'],
    [{ amount: 'x' }, 'amount.invalid'],
    [{ amount: '-1000.00' }, 'amount.invalid'],
    [{ amount: '1000.01' }, 'amount.mismatch'],
    [{ amount: '999.99' }, 'amount.mismatch'],
    [{ yearMonth: '2026-01', base: '4525.99', amount: '905.20' }, 'base.below_floor'],
    [{ yearMonth: '2026-01', base: '22626.01', amount: '4525.20' }, 'base.above_ceiling'],
    [{ yearMonth: '2005-12' }, 'rate.unavailable'],
    [{ paidOn: '2025-02-30' }, 'paid_on.invalid'],
  ] as Array<[Partial<RawContributionRow>, string]>)('%j is refused as %s', (over, code) => {
    const r = refused(over);
    expect(r.reason).toBe(code);
    expect(r.line).toBe(7);
    expect(r.recordId).toBe('R1');
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.message).not.toContain(ID.slice(6, 14));
    expect(r.message).not.toContain('张三');
  });

  test('the amount is checked against the rate parameter, rounded half-up to the cent', () => {
    // 5000.03 × 0.20 = 1000.006 → 1000.01
    expect(checkContributionRow(row({ base: '5000.03', amount: '1000.01' }), ctx).ok).toBe(true);
    expect(refused({ base: '5000.03', amount: '1000.00' }).message).toContain('1000.01');
    // 5000.025 is not a two-decimal amount; 5000.02 × 0.2 = 1000.004 → 1000.00
    expect(checkContributionRow(row({ base: '5000.02', amount: '1000.00' }), ctx).ok).toBe(true);
  });

  test('the rate comes from the parameter rows, not from a literal', () => {
    const parameters: ParameterValue<unknown>[] = [
      ...PARAMETER_SEED,
      { name: PARAMETER_NAMES.contributionRate, region: '62', validFrom: '2025-01-01', value: '0.16', source: 'test' },
    ];
    expect(checkContributionRow(row({ amount: '800.00' }), { ...ctx, parameters }).ok).toBe(true);
    expect(checkContributionRow(row({ amount: '1000.00' }), { ...ctx, parameters }).ok).toBe(false);
    // Before the provincial row, the national 20 % applies.
    expect(checkContributionRow(row({ yearMonth: '2024-12', amount: '1000.00' }), { ...ctx, parameters }).ok).toBe(
      true,
    );
  });

  test('floor and ceiling apply only where the region has them for the year; the bounds themselves are accepted', () => {
    expect(checkContributionRow(row({ yearMonth: '2026-01', base: '4526', amount: '905.20' }), ctx).ok).toBe(true);
    expect(checkContributionRow(row({ yearMonth: '2026-01', base: '22626', amount: '4525.20' }), ctx).ok).toBe(true);
    // 2018 has no published floor in the seed (none found before 2019): a low base passes.
    expect(checkContributionRow(row({ yearMonth: '2018-01', base: '100', amount: '20.00' }), ctx).ok).toBe(true);
    // Outside Gansu, the Gansu floor does not apply.
    expect(
      checkContributionRow(row({ agencyCode: '110105', yearMonth: '2026-01', base: '100', amount: '20.00' }), ctx).ok,
    ).toBe(true);
    expect(refused({ yearMonth: '2026-01', base: '4000', amount: '800.00' }).message).toBe(
      '缴费基数4000.00元低于2026年度缴费基数下限4526元',
    );
  });

  test('the current month is accepted, the next one is not', () => {
    expect(checkContributionRow(row({ yearMonth: '2026-11', base: '5000', amount: '1000.00' }), ctx).ok).toBe(true);
    expect(refused({ yearMonth: '2026-12' }).reason).toBe('year_month.future');
  });

  test('every problem of a row is in the message; the reason is the first', () => {
    const r = refused({ name: '', amount: '1.00', paidOn: 'x' });
    expect(r.reason).toBe('name.blank');
    expect(r.message.split('；')).toEqual([
      REFUSAL_TEXT['name.blank'],
      expect.stringContaining('缴费金额1.00元'),
      REFUSAL_TEXT['paid_on.invalid'],
    ]);
  });

  test('a malformed line is refused as such', () => {
    expect(checkContributionRow({ line: 3, malformed: '不是有效的JSON' }, ctx)).toEqual({
      ok: false,
      refusal: { line: 3, reason: 'row.malformed', message: '行格式错误，无法解析：不是有效的JSON' },
    });
  });
});

describe('readers', () => {
  test('splitCsvLine handles quotes and refuses broken quoting', () => {
    expect(splitCsvLine('a,b,,d')).toEqual(['a', 'b', '', 'd']);
    expect(splitCsvLine('"a,1","b ""x""",c')).toEqual(['a,1', 'b "x"', 'c']);
    expect(splitCsvLine('"a')).toBeNull();
    expect(splitCsvLine('a"b,c')).toBeNull();
    expect(splitCsvLine('"a"b,c')).toBeNull();
  });

  test('a header maps columns in any order; a data first line means the documented order; a header missing a column is an error', () => {
    expect(csvHeader(CONTRIBUTION_COLUMNS.join(','))).toEqual([...CONTRIBUTION_COLUMNS]);
    expect(csvHeader(`\uFEFF${[...CONTRIBUTION_COLUMNS].reverse().join(',')}`)).toEqual(
      [...CONTRIBUTION_COLUMNS].reverse(),
    );
    expect(csvHeader(`R1,${ID},张三,620102,2025-03,5000,1000.00,2025-04-10`)).toBeNull();
    expect(() => csvHeader('recordId,idNumber,name')).toThrow(/agencyCode, yearMonth, base, amount, paidOn/);
    const reversed = [...CONTRIBUTION_COLUMNS].reverse();
    expect(csvRow(2, `2025-04-10,1000.00,5000,2025-03,620102,张三,${ID},R1`, reversed)).toEqual(
      row({ line: 2, base: '5000' }),
    );
    expect(csvRow(2, 'a,b')).toEqual({ line: 2, malformed: '应有8列，实有2列' });
  });

  test('jsonRow reads an object and refuses anything else', () => {
    expect(jsonRow(4, JSON.stringify({ ...row(), extra: 1, line: 99 }))).toEqual(row({ line: 4 }));
    expect(jsonRow(4, '{"a":')).toEqual({ line: 4, malformed: '不是有效的JSON' });
    expect(jsonRow(4, '[1]')).toEqual({ line: 4, malformed: '应为JSON对象' });
  });
});
