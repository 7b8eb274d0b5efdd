/**
 * Part 2 of the information sheet (历年缴费及个人账户记账信息) and the account items ①②③,
 * derived from a flexible worker's monthly records and the account ledger. One row per run of
 * consecutive months with the same base within a year, so that the pooled part recomputed from
 * the rows (12% × base × months) is exact. Pure.
 */
import type { LedgerResult } from './contributions';
import type { ContributionRecord } from './contributions';
import type { LedgerRowInput } from './information-sheet';
import { dec, money, toCents } from './money';
import type { TransferAccountItems } from './transfer-funds';

interface Segment {
  year: number;
  start: string;
  end: string;
  months: number;
  base: string;
}

function monthIndex(ym: string): number {
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
}

/** Runs of consecutive months with equal bases, split at year boundaries. */
export function segments(records: readonly ContributionRecord[]): Segment[] {
  const sorted = [...records].sort((a, b) => a.yearMonth.localeCompare(b.yearMonth));
  const out: Segment[] = [];
  for (const r of sorted) {
    const base = money(r.base);
    const last = out[out.length - 1];
    const year = Number(r.yearMonth.slice(0, 4));
    if (last && last.year === year && last.base === base && monthIndex(r.yearMonth) === monthIndex(last.end) + 1) {
      last.end = r.yearMonth;
      last.months += 1;
    } else {
      out.push({ year, start: r.yearMonth, end: r.yearMonth, months: 1, base });
    }
  }
  return out;
}

/**
 * The sheet rows and items ①②③ as of the ledger's date. A year's credit is split over its
 * segments (the last segment absorbs the cent the yearly rounding leaves); a year's interest
 * goes on its last segment, and interest of a year without contributions on the next row.
 * ① is the balance at the end of 1997, ② the balance at the end of the year before the
 * transfer less ①, ③ the credits of the transfer year.
 */
export function sheetRowsFromLedger(
  records: readonly ContributionRecord[],
  ledger: LedgerResult,
  o: { regionCode: string; regionName: string; creditRate: string; transferYear: number },
): { rows: LedgerRowInput[]; items: TransferAccountItems } {
  const segs = segments(records);
  const rows: LedgerRowInput[] = [];
  let carriedInterest = dec(0);
  for (const year of ledger.rows) {
    const yearSegs = segs.filter((s) => s.year === year.year);
    if (yearSegs.length === 0) {
      carriedInterest = carriedInterest.plus(year.interest);
      continue;
    }
    let creditedLeft = dec(year.credited);
    let balance = dec(year.opening);
    yearSegs.forEach((s, i) => {
      const lastOfYear = i === yearSegs.length - 1;
      const credited = lastOfYear ? creditedLeft : toCents(dec(s.base).times(s.months).times(o.creditRate));
      creditedLeft = creditedLeft.minus(credited);
      const interest = lastOfYear ? dec(year.interest).plus(carriedInterest) : dec(0);
      if (lastOfYear) carriedInterest = dec(0);
      balance = balance.plus(credited).plus(lastOfYear ? dec(year.interest) : 0);
      const closing = lastOfYear ? dec(year.closingBalance) : balance;
      rows.push({
        year: s.year,
        startYearMonth: s.start,
        endYearMonth: s.end,
        months: s.months,
        monthlyBase: s.base,
        creditedAmount: money(credited),
        creditedPersonal: money(credited),
        interest: money(interest),
        interestPersonal: money(interest),
        closingBalance: money(closing),
        closingPersonal: money(closing),
        regionCode: o.regionCode,
        regionName: o.regionName,
      });
    });
  }
  const closingAt = (y: number) => {
    const row = [...ledger.rows].reverse().find((r) => r.year <= y);
    return row ? dec(row.closingBalance) : dec(0);
  };
  const before1998 = closingAt(1997);
  const lastYearEnd = closingAt(o.transferYear - 1);
  const current = ledger.rows.find((r) => r.year === o.transferYear);
  return {
    rows,
    items: {
      before1998Personal: money(before1998),
      from1998ToLastYearEnd: money(lastYearEnd.minus(before1998)),
      currentYearPrincipal: money(current ? current.credited : 0),
    },
  };
}
