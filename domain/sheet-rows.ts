/**
 * Part 2 of the information sheet (历年缴费及个人账户记账信息) and the account items ①②③ for
 * the person's whole record in the province (domain/contribution-summary.ts): every month paid
 * at any agency of the province and every period taken over from another province, so the
 * account moves in full (issue 9).
 *
 * One row per run of consecutive months with the same base, place and origin within a year, so
 * the pooled part recomputed from the rows (12% × base × months) is exact. Amounts:
 * - a local row credits its year's credit rate × base × months (11% before 2006, 8% from 2006,
 *   as published); a year's credits are split over its local rows, the last one absorbing the
 *   cent the yearly rounding leaves and the account money transferred in that year;
 * - a year's interest goes on its last local row; interest and postings of a year without local
 *   rows go on the next local row, or — after the last local row — on that last row (remarked);
 * - a transferred row carries months and base only (its account money came as one sum, posted in
 *   the year it arrived: the remark says so).
 * ① is the balance at the end of 1997, ② the balance at the end of the year before the transfer
 * less ①, ③ the credits (and postings) of the transfer year. Pure.
 */
import type { ProvincialSummary } from './contribution-summary';
import type { LedgerRowInput } from './information-sheet';
import { dec, money, toCents } from './money';
import type { TransferAccountItems } from './transfer-funds';
import { yearMonthIndex } from './year-month';

interface Segment {
  year: number;
  start: string;
  end: string;
  months: number;
  base: string;
  origin: 'local' | 'transferred';
  place: string;
}

/** Runs of consecutive months with equal base, place and origin, split at year boundaries. */
export function segments(months: ProvincialSummary['months'], defaultPlace: string): Segment[] {
  const out: Segment[] = [];
  for (const m of [...months].sort((a, b) => a.yearMonth.localeCompare(b.yearMonth))) {
    const base = money(m.base ?? '0');
    const place = (m.origin === 'local' ? m.agencyCode : m.regionCode) ?? defaultPlace;
    const year = Number(m.yearMonth.slice(0, 4));
    const last = out.at(-1);
    if (
      last &&
      last.year === year &&
      last.base === base &&
      last.origin === m.origin &&
      last.place === place &&
      yearMonthIndex(m.yearMonth) === yearMonthIndex(last.end) + 1
    ) {
      last.end = m.yearMonth;
      last.months += 1;
    } else {
      out.push({ year, start: m.yearMonth, end: m.yearMonth, months: 1, base, origin: m.origin, place });
    }
  }
  return out;
}

export interface SheetRowOptions {
  /** Agency or region code → name, for the rows' 地区名称. */
  placeNames: ReadonlyMap<string, string>;
  /** The sending agency (rows without a place, and the default name). */
  agency: { code: string; name: string };
  /** Credit rate (划入账户比例) of each local year, and the personal rate (个人缴费比例) where published. */
  creditRateByYear: Readonly<Record<string, string>>;
  personalRateByYear?: Readonly<Record<string, string>>;
  /** Account money transferred in: when and how much (for the transferred rows' remark). */
  transfersIn: ReadonlyArray<{ amount: string; postedOn: string }>;
  transferYear: number;
}

export function sheetRowsFromRecord(
  summary: ProvincialSummary,
  o: SheetRowOptions,
): { rows: LedgerRowInput[]; items: TransferAccountItems } {
  const segs = segments(summary.months, o.agency.code);
  const ledgerRows = summary.ledger?.rows ?? [];
  const rows: LedgerRowInput[] = [];
  const nameOf = (code: string) =>
    o.placeNames.get(code) ?? (code === o.agency.code ? o.agency.name : `行政区划${code}`);
  const transferredRemark =
    o.transfersIn.length > 0
      ? `跨省转入时段；个人账户资金随转移一并转入（${o.transfersIn.map((t) => `${t.postedOn}转入${money(t.amount)}元`).join('，')}），计入到账年度记账`
      : '跨省转入时段';
  const closingAt = (y: number) => {
    const row = [...ledgerRows].reverse().find((r) => r.year <= y);
    return row ? dec(row.closingBalance) : dec(0);
  };
  let carried = dec(0);
  // Local rows with the ledger's amounts, then the transferred rows; sorted by date at the end.
  for (const year of ledgerRows) {
    const yearSegs = segs.filter((s) => s.year === year.year && s.origin === 'local');
    if (yearSegs.length === 0) {
      // A year without local months: its interest and postings go on the next local row.
      carried = carried.plus(year.credited).plus(year.interest);
      continue;
    }
    const rate = o.creditRateByYear[String(year.year)] ?? '0';
    let creditedLeft = dec(year.credited);
    let running = dec(year.opening);
    yearSegs.forEach((s, i) => {
      const lastOfYear = i === yearSegs.length - 1;
      const credited = lastOfYear ? creditedLeft : toCents(dec(s.base).times(s.months).times(rate));
      creditedLeft = creditedLeft.minus(credited);
      const interest = lastOfYear ? dec(year.interest) : dec(0);
      running = running.plus(credited).plus(interest);
      const extra = lastOfYear ? carried : dec(0);
      if (lastOfYear) carried = dec(0);
      const closing = lastOfYear ? dec(year.closingBalance) : running;
      rows.push({
        year: s.year,
        startYearMonth: s.start,
        endYearMonth: s.end,
        months: s.months,
        monthlyBase: s.base,
        creditedAmount: money(credited.plus(extra)),
        creditedPersonal: money(credited.plus(extra)),
        interest: money(interest),
        interestPersonal: money(interest),
        closingBalance: money(closing),
        closingPersonal: money(closing),
        accountRate: rate,
        ...(o.personalRateByYear?.[String(s.year)] ? { personalRate: o.personalRateByYear[String(s.year)] } : {}),
        regionCode: s.place,
        regionName: nameOf(s.place),
      });
    });
  }
  // Interest (and money posted) of the years after the last local row — a person who stopped
  // paying before the transfer year — goes on that last row, so part 2 accounts for all of ④.
  const lastLocal = rows.at(-1);
  if (lastLocal && !carried.isZero()) {
    const laterYears = ledgerRows.filter((y) => y.year > lastLocal.year).map((y) => y.year);
    lastLocal.interest = money(dec(lastLocal.interest).plus(carried));
    lastLocal.interestPersonal = lastLocal.interest;
    lastLocal.closingBalance = money(ledgerRows.at(-1)!.closingBalance);
    lastLocal.closingPersonal = lastLocal.closingBalance;
    lastLocal.remark = `含${laterYears[0]}${laterYears.length > 1 ? `至${laterYears.at(-1)}` : ''}年度（无缴费）账户记账利息及转入资金${money(carried)}元`;
  }
  for (const seg of segs.filter((x) => x.origin === 'transferred')) {
    const before = closingAt(seg.year - 1);
    rows.push({
      year: seg.year,
      startYearMonth: seg.start,
      endYearMonth: seg.end,
      months: seg.months,
      monthlyBase: seg.base,
      creditedAmount: '0.00',
      creditedPersonal: '0.00',
      interest: '0.00',
      interestPersonal: '0.00',
      closingBalance: money(before),
      closingPersonal: money(before),
      accountRate: '0',
      regionCode: seg.place,
      regionName: nameOf(seg.place),
      remark: transferredRemark,
    });
  }
  rows.sort((a, b) => a.startYearMonth.localeCompare(b.startYearMonth));

  const before1998 = closingAt(1997);
  const lastYearEnd = closingAt(o.transferYear - 1);
  const current = ledgerRows.find((r) => r.year === o.transferYear);
  return {
    rows,
    items: {
      before1998Personal: money(before1998),
      from1998ToLastYearEnd: money(lastYearEnd.minus(before1998)),
      currentYearPrincipal: money(current ? current.credited : 0),
    },
  };
}
