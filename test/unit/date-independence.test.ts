/**
 * Issue 9, item 8: the claim and transfer rules computed on dates after the latest published
 * year give provisional results, never errors. As of 2027-03-01 and 2029-07-01, for a person with
 * contributions from 1998 to that day at two Gansu agencies and a period (with its account money)
 * transferred in from Shaanxi between them, with the parameter table as it would stand then:
 * - the record (domain/contribution-summary.ts): the interest of the last complete year and the
 *   average wages of the latest years stand in, named by parameter and year; Ī and the account
 *   are exact against an oracle that looks the same values up;
 * - the pension of a claim in that month (pensionParametersForRetirement + computePension): the
 *   latest published 计发基数 stands in for the claim year's;
 * - the information sheet of a transfer out that day (sheetRowsFromRecord + buildInformationSheet):
 *   every period in the rows, the account moved in full, the pooled part exact.
 * Two tables per date: the seed as it would have been published by the start of the claim year
 * (every yearly series a year or more behind it: the table on the first working day of any
 * year), and the seed as it is (whatever it holds when the test runs).
 */
import { summariseProvincialRecord, type ProvincialRecord } from '../../domain/contribution-summary';
import { buildInformationSheet } from '../../domain/information-sheet';
import { ParameterResolver, type ParameterUsed } from '../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import type { ParameterValue } from '../../domain/parameters';
import { computePension, pensionParametersForRetirement } from '../../domain/pension';
import { sheetRowsFromRecord } from '../../domain/sheet-rows';
import Decimal from 'decimal.js';
import { makeIdNumber } from '../helpers/env';
import { oraclePension, oraclePensionTable, oracleRecord } from '../helpers/pension-oracle';
import { birthMonthRetiringIn, monthRange, monthsBetween } from '../helpers/time';

const INTEREST = 'account.interestRate';
const AVERAGE_WAGE = 'contribution.averageWage';
const BASE_WAGE = 'pension.baseWage';

/**
 * The yearly series as published before `year` begins: the interest rate of a year comes out in
 * the middle of the next one, the 计发基数 and the contribution index's average wage of a year
 * within that year (or later), so on 1 January of `year` the latest are year − 2, year − 1 and
 * year − 1. Other rows (period parameters, the statutory minimum years) stay as they are.
 */
function seedPublishedBefore(year: number): ParameterValue<unknown>[] {
  const lastYear: Record<string, number> = {
    [INTEREST]: year - 2,
    [BASE_WAGE]: year - 1,
    [AVERAGE_WAGE]: year - 1,
    'contribution.baseFloor': year - 1,
    'contribution.baseCeiling': year - 1,
  };
  return PARAMETER_SEED.filter(
    (row) => lastYear[row.name] === undefined || Number(row.validFrom.slice(0, 4)) <= lastYear[row.name],
  );
}

/** The latest row of a series in a table (the one a later year's stand-in is). */
function latest(table: readonly ParameterValue<unknown>[], name: string): ParameterValue<unknown> {
  const rows = table.filter((r) => r.name === name);
  return rows.reduce((a, b) => ((b.validTo ?? b.validFrom) > (a.validTo ?? a.validFrom) ? b : a));
}
const yearOf = (row: ParameterValue<unknown>) => Number((row.validTo ?? row.validFrom).slice(0, 4));
const range = (from: number, to: number) => Array.from({ length: Math.max(to - from + 1, 0) }, (_, i) => from + i);

/** The base of a year: 600 in 1998, 250 more each year. */
const baseOf = (year: number) => (600 + 250 * (year - 1998)).toFixed(2);

const LANZHOU = { code: '620102', name: '兰州市城关区社会保险事业管理局' };
const TIANSHUI = { code: '620502', name: '天水市秦州区社会保险事业管理局' };
const XIAN = { code: '610102', name: '西安市新城区社会保险经办处' };

/** 1998-01 to 2004-12 at Tianshui; 2005–2007 in Shaanxi (36 months at 1500, 6000.00 of account money posted 2008-01-15); 2008-01 to the date at Lanzhou. */
function personRecord(asOf: string): ProvincialRecord {
  const at = (agencyCode: string, from: string, to: string) =>
    monthRange(from, to).map((yearMonth) => ({ yearMonth, base: baseOf(Number(yearMonth.slice(0, 4))), agencyCode }));
  return {
    records: [...at(TIANSHUI.code, '1998-01', '2004-12'), ...at(LANZHOU.code, '2008-01', asOf.slice(0, 7))],
    transferred: [
      {
        from: '2005-01',
        to: '2007-12',
        months: 36,
        monthlyBase: '1500.00',
        regionCode: XIAN.code,
        transferId: 'T-2008-001',
      },
    ],
    transfersIn: [{ amount: '6000.00', postedOn: '2008-01-15', entryKey: 'T-2008-001:0' }],
  };
}

/** The oracle's view of the same record. */
function oracleOf(record: ProvincialRecord, asOf: string, r: ParameterResolver) {
  return oracleRecord(
    {
      local: record.records,
      transferred: record.transferred.map((t) => ({ months: monthRange(t.from, t.to), base: t.monthlyBase ?? null })),
      postings: record.transfersIn,
      asOf,
    },
    r,
  );
}

const named = (used: readonly ParameterUsed[]) =>
  used
    .filter((u) => u.provisional)
    .map((u) => `${u.name} ${u.year}`)
    .sort();

describe.each([['2027-03-01'], ['2029-07-01']])('as of %s', (asOf) => {
  const year = Number(asOf.slice(0, 4));
  const month = asOf.slice(0, 7);
  const record = personRecord(asOf);
  const localMonths = record.records.filter((m) => m.yearMonth <= month).length;

  describe.each([
    ['the seed as published before the claim year began', seedPublishedBefore(year), true],
    ['the seed as it is', [...PARAMETER_SEED], false],
  ] as const)('with %s', (_label, table, behind) => {
    /** The stand-ins a computation needs: each year of a series after its latest published one. */
    const expectedStandIns = (o: { index: boolean; claim: boolean }) => {
      const out: string[] = [];
      out.push(...range(yearOf(latest(table, INTEREST)) + 1, year - 1).map((y) => `${INTEREST} ${y}`));
      if (o.index) out.push(...range(yearOf(latest(table, AVERAGE_WAGE)) + 1, year).map((y) => `${AVERAGE_WAGE} ${y}`));
      if (o.claim && yearOf(latest(table, BASE_WAGE)) < year) out.push(`${BASE_WAGE} ${year}`);
      return out.sort();
    };

    test('the table ends before the claim year (the check below is about stand-ins)', () => {
      if (behind) {
        expect(yearOf(latest(table, INTEREST))).toBeLessThan(year - 1);
        expect(yearOf(latest(table, BASE_WAGE))).toBeLessThan(year);
        expect(yearOf(latest(table, AVERAGE_WAGE))).toBeLessThan(year);
      }
      expect(yearOf(latest(table, INTEREST))).toBeGreaterThan(1998);
    });

    test('the claim: the whole record and the pension of that month, provisional with the stand-ins named, exact', () => {
      const resolver = new ParameterResolver(table, LANZHOU.code);
      const summary = summariseProvincialRecord(record, { asOf, resolver });
      const man = birthMonthRetiringIn(month, 'male');
      const age = monthsBetween(man.birthYearMonth, month);
      const deemedMonths = 24;
      const params = pensionParametersForRetirement(resolver, month);
      expect(resolver.missing).toEqual([]);
      expect(params).toBeDefined();
      const pension = computePension(
        {
          baseWage: params!.baseWage!.value,
          averageIndex: summary.averageIndex!,
          contributionMonths: summary.actualMonths + deemedMonths,
          deemedMonths,
          accountBalance: summary.accountBalance,
          age: { years: Math.floor(age / 12), months: age % 12 },
        },
        params!,
      );

      // Provisional exactly where a year is not published, each stand-in named with its year
      // and the latest published value behind it.
      const standIns = expectedStandIns({ index: true, claim: true });
      if (behind)
        expect(standIns).toEqual(
          expect.arrayContaining([`${INTEREST} ${year - 1}`, `${AVERAGE_WAGE} ${year}`, `${BASE_WAGE} ${year}`]),
        );
      expect(named(resolver.used())).toEqual(standIns);
      expect(summary.provisional).toBe(standIns.some((s) => !s.startsWith(BASE_WAGE)));
      for (const u of resolver.provisional()) {
        const stand = latest(table, u.name);
        expect(u).toMatchObject({ validFrom: stand.validFrom, value: String(stand.value), provisional: true });
        expect(u.year).toBeGreaterThan(yearOf(stand));
      }
      const baseWageRow =
        table.find((r) => r.name === BASE_WAGE && r.validFrom === `${year}-01-01`) ?? latest(table, BASE_WAGE);
      expect(params!.baseWage!.value).toBe(baseWageRow.value);

      // Exact: the months, Ī, the account and the pension, against the oracle on the same table.
      const oracleTable = new ParameterResolver(table, LANZHOU.code);
      const expected = oracleOf(record, asOf, oracleTable);
      expect(summary).toMatchObject({
        actualMonths: localMonths + 36,
        localMonths,
        transferredMonths: 36,
        overlapMonths: 0,
      });
      expect([summary.averageIndex, summary.accountBalance]).toEqual([expected.averageIndex, expected.accountBalance]);
      expect(summary.ledger!.rows.map((y) => [y.year, y.credited, y.interest, y.closingBalance])).toEqual(
        expected.years.map((y) => [y.year, y.credited, y.interest, y.closing]),
      );
      const pensionTable = oraclePensionTable(oracleTable, month);
      const want = oraclePension(
        {
          baseWage: pensionTable.baseWage,
          averageIndex: expected.averageIndex,
          contributionMonths: localMonths + 36 + deemedMonths,
          deemedMonths,
          accountBalance: expected.accountBalance,
          age: { years: Math.floor(age / 12), months: age % 12 },
        },
        pensionTable,
      );
      expect([pension.basic, pension.account, pension.transitional, pension.total, pension.divisor]).toEqual([
        want.basic,
        want.account,
        want.transitional,
        want.total,
        want.divisor,
      ]);
      expect(named(oracleTable.used())).toEqual(standIns);
    });

    test('the transfer out that day: every period on the information sheet, provisional interest named, the account moved in full', () => {
      const resolver = new ParameterResolver(table, LANZHOU.code);
      const summary = summariseProvincialRecord(record, { asOf, resolver, withIndex: false });
      expect(resolver.missing).toEqual([]);
      const standIns = expectedStandIns({ index: false, claim: false });
      if (behind) expect(standIns).toContain(`${INTEREST} ${year - 1}`);
      expect(named(summary.parametersUsed)).toEqual(standIns);
      expect(summary.provisional).toBe(standIns.length > 0);

      const { rows, items } = sheetRowsFromRecord(summary, {
        placeNames: new Map([TIANSHUI, LANZHOU, XIAN].map((a) => [a.code, a.name])),
        agency: LANZHOU,
        creditRateByYear: summary.creditRateByYear,
        transfersIn: record.transfersIn,
        transferYear: year,
      });
      const man = birthMonthRetiringIn(`${year + 8}-01`, 'male');
      const idNumber = makeIdNumber({ region: '620102', birthDate: `${man.birthYearMonth}-11`, sex: 'male' });
      const sheet = buildInformationSheet({
        person: {
          name: '测试转出',
          idNumber,
          birthDate: `${man.birthYearMonth}-11`,
          firstInsuredDate: '1998-01-01',
          localStart: rows[0].startYearMonth,
          localEnd: rows[rows.length - 1].endYearMonth,
          transferDate: asOf,
          fromAgency: LANZHOU,
          toAgency: XIAN,
        },
        rows,
        account: items,
      });

      // Every period: both Gansu agencies and the Shaanxi years, month for month.
      expect(sheet.localActualMonths).toBe(localMonths + 36);
      expect(rows[0].startYearMonth).toBe('1998-01');
      expect(rows[rows.length - 1].endYearMonth).toBe(month);
      expect(new Set(rows.map((r) => r.regionCode))).toEqual(new Set([TIANSHUI.code, LANZHOU.code, XIAN.code]));
      expect(rows.filter((r) => r.regionCode === XIAN.code).reduce((n, r) => n + r.months, 0)).toBe(36);

      // Exact: ① ② ③ from the oracle's ledger, ④ the whole balance, ⑤ 12% of every base since 1998.
      const expected = oracleOf(record, asOf, new ParameterResolver(table, LANZHOU.code));
      const thisYear = expected.years.find((y) => y.year === year)!;
      expect(sheet.funds).toMatchObject({
        before1998Personal: '0.00',
        from1998ToLastYearEnd: expected.closingAt(year - 1),
        currentYearPrincipal: thisYear.credited,
        individualAccount: expected.accountBalance,
      });
      const bases = record.records
        .filter((m) => m.yearMonth <= month)
        .reduce((s, m) => s.plus(m.base), new Decimal(0))
        .plus(new Decimal('1500.00').times(36));
      expect(sheet.funds.pooledFund).toBe(bases.times('0.12').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
      expect(sheet.funds.total).toBe(new Decimal(expected.accountBalance).plus(sheet.funds.pooledFund).toFixed(2));
      // The account moves in full: the rows' credits and interest add up to ④, the last row closes at it.
      const onRows = rows.reduce((s, r) => s.plus(r.creditedAmount).plus(r.interest), new Decimal(0));
      expect(onRows.toFixed(2)).toBe(sheet.funds.individualAccount);
      expect(rows[rows.length - 1].closingBalance).toBe(sheet.funds.individualAccount);
    });

    /** The same person, who stopped paying at the end of the year before last: the last years earn interest only. */
    function stoppedEarlier() {
      const stopped = { ...record, records: record.records.filter((m) => m.yearMonth <= `${year - 2}-12`) };
      const resolver = new ParameterResolver(table, LANZHOU.code);
      const summary = summariseProvincialRecord(stopped, { asOf, resolver, withIndex: false });
      const { rows, items } = sheetRowsFromRecord(summary, {
        placeNames: new Map([TIANSHUI, LANZHOU, XIAN].map((a) => [a.code, a.name])),
        agency: LANZHOU,
        creditRateByYear: summary.creditRateByYear,
        transfersIn: stopped.transfersIn,
        transferYear: year,
      });
      return {
        stopped,
        summary,
        rows,
        items,
        expected: oracleOf(stopped, asOf, new ParameterResolver(table, LANZHOU.code)),
      };
    }

    test('a transfer out of someone who stopped paying before last year: the interest of the years since is in ② and ④, provisional where not published', () => {
      const { summary, items, expected } = stoppedEarlier();
      expect(named(summary.parametersUsed)).toEqual(expectedStandIns({ index: false, claim: false }));
      expect(items).toEqual({
        before1998Personal: '0.00',
        from1998ToLastYearEnd: expected.closingAt(year - 1),
        currentYearPrincipal: '0.00',
      });
      // Last year earned interest on the balance, nothing else.
      const last = expected.years.find((y) => y.year === year - 1)!;
      expect(last.credited).toBe('0.00');
      expect(Number(last.interest)).toBeGreaterThan(0);
      expect(summary.accountBalance).toBe(expected.accountBalance);
    });

    // The interest of the years after the last local month goes on the last local row.
    test('…and part 2 of its sheet accounts for that interest: the rows add up to ④', () => {
      const { rows, summary } = stoppedEarlier();
      const onRows = rows.reduce((s, r) => s.plus(r.creditedAmount).plus(r.interest), new Decimal(0));
      expect(onRows.toFixed(2)).toBe(summary.accountBalance);
    });
  });
});
