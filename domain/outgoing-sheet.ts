/**
 * The information sheet the sending side prepares (T-6 a) from the person's whole record in the
 * province (domain/contribution-summary.ts), its rows and account items (domain/sheet-rows.ts)
 * and staff corrections, with the basis stored beside it (what it rests on). Pure and deterministic.
 */
import type { ProvincialRecord, ProvincialSummary } from './contribution-summary';
import { buildInformationSheet, type AgencyRef, type InformationSheet } from './information-sheet';
import { money } from './money';
import { sheetRowsFromRecord } from './sheet-rows';

/** Staff corrections of a sheet: person fields, and months to leave out (comma-separated `excludeMonths`). */
export type SheetCorrections = Record<string, string>;

/**
 * The record the sheet is made from: staff may exclude months the receiving side found paid
 * twice (they are refunded locally).
 */
export function sheetRecord(
  record: ProvincialRecord,
  corrections: SheetCorrections | undefined,
): { kept: ProvincialRecord; excluded: string[] } {
  const excluded = new Set(
    (corrections?.excludeMonths ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
  );
  return {
    kept: { ...record, records: record.records.filter((r) => !excluded.has(r.yearMonth)) },
    excluded: [...excluded],
  };
}

/** The agency codes whose names the sheet's rows show. */
export function sheetPlaces(kept: ProvincialRecord, hereCode: string): string[] {
  return [...new Set([...kept.records.map((r) => r.agencyCode), hereCode].filter((c): c is string => Boolean(c)))];
}

/** The sheet and its basis (parameter versions, provisional stand-ins, the record it rests on). */
export function outgoingInformationSheet(o: {
  kept: ProvincialRecord;
  excluded: readonly string[];
  summary: ProvincialSummary;
  placeNames: ReadonlyMap<string, string>;
  here: AgencyRef;
  there: AgencyRef;
  person: { name: string; idNumber: string; birthDate: string; workStartDate: string | null };
  corrections: SheetCorrections | undefined;
  asOf: string;
  sheetVersion: number;
  parameterSetVersion: number;
}): { sheet: InformationSheet; basis: Record<string, unknown> } {
  const { kept, summary, here } = o;
  const { rows: sheetRows, items } = sheetRowsFromRecord(summary, {
    placeNames: o.placeNames,
    agency: { code: here.code, name: here.name },
    creditRateByYear: summary.creditRateByYear,
    transfersIn: kept.transfersIn,
    transferYear: Number(o.asOf.slice(0, 4)),
  });
  const first = sheetRows[0].startYearMonth;
  const last = sheetRows[sheetRows.length - 1].endYearMonth;
  const c = o.corrections ?? {};
  const sheet = buildInformationSheet({
    person: {
      name: c.name ?? o.person.name,
      idNumber: o.person.idNumber,
      birthDate: c.birthDate ?? o.person.birthDate,
      workStartDate: c.workStartDate ?? o.person.workStartDate ?? undefined,
      firstInsuredDate: `${first}-01`,
      accountOpenedDate: `${kept.records[0]?.yearMonth ?? first}-01`,
      localStart: first,
      localEnd: last,
      transferDate: o.asOf,
      fromAgency: { code: here.code, name: here.name },
      toAgency: { code: o.there.code, name: o.there.name },
    },
    rows: sheetRows,
    account: items,
    sheetVersion: o.sheetVersion,
  });
  const basis = {
    asOf: o.asOf,
    parameterSetVersion: o.parameterSetVersion,
    provisional: summary.provisional,
    parametersUsed: summary.parametersUsed,
    record: {
      localMonths: summary.localMonths,
      transferredMonths: summary.transferredMonths,
      overlapMonths: summary.overlapMonths,
      agencies: [...new Set(kept.records.map((r) => r.agencyCode))],
      transferredPeriods: kept.transferred.length,
      transfersIn: kept.transfersIn.map((t) => ({ amount: money(t.amount), postedOn: t.postedOn })),
      excludedMonths: [...o.excluded],
    },
    working: summary.working,
  };
  return { sheet, basis };
}
