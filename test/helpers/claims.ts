/** Test data for benefit claims: insured persons with contribution history, and personnel files in the archive simulator. */
import { createHash, randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { PersonnelFileContent } from '../../adapters/government/types';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import {
  accountEntries,
  contributionRecords,
  deemedPeriods,
  persons,
  relations,
  tasks,
  transferredPeriods,
} from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import { ParameterResolver } from '../../domain/parameter-resolver';
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { ACCEPTOR, asUser, REVIEWER } from './auth';
import { makeIdNumber, testEnv } from './env';
import type { Harness } from './harness';
import { birthMonthRetiringIn, monthRange, monthsAgo, monthsAhead, type Retirement, today } from './time';

const used = new Set<string>();

/** A fresh valid ID number for a birth month and sex (a random day, never one used in this process). */
export function claimantIdNumber(birthYearMonth: string, sex: 'male' | 'female'): string {
  for (;;) {
    const id = makeIdNumber({ birthDate: `${birthYearMonth}-${String(randomInt(1, 29)).padStart(2, '0')}`, sex });
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** The birth date an ID number records, 'YYYY-MM-DD'. */
export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/** A claimant: a fresh ID number for a birth month, and the statutory retirement that goes with it. */
export type Claimant = Retirement & { idNumber: string; birthDate: string };

function claimantOf(r: Retirement, sex: 'male' | 'female'): Claimant {
  const idNumber = claimantIdNumber(r.birthYearMonth, sex);
  return { ...r, idNumber, birthDate: birthDateOf(idNumber) };
}

/** A man whose statutory retirement month was `monthsAgo` months ago (default 2): he may claim now, on time. */
export function retiredMan(o: { monthsAgo?: number; nowMs?: number } = {}): Claimant {
  return claimantOf(birthMonthRetiringIn(monthsAgo(o.monthsAgo ?? 2, o.nowMs), 'male'), 'male');
}

/** A man whose statutory retirement month comes in about `monthsAhead` months (default 24). */
export function manRetiringLater(o: { monthsAhead?: number; nowMs?: number } = {}): Claimant {
  return claimantOf(birthMonthRetiringIn(monthsAhead(o.monthsAhead ?? 24, o.nowMs), 'male'), 'male');
}

/** The minimum contribution months for a monthly pension in `year`, from the parameter table (the seed). */
export function minimumMonthsIn(year: number): number {
  const row = new ParameterResolver(PARAMETER_SEED, '62').onDate<number>(
    'retirement.minimumContributionMonths',
    `${year}-01-01`,
  );
  if (!row) throw new Error(`no minimum contribution months for ${year} in the seed`);
  return row.value;
}

/**
 * Whole years of local records so that they, with `otherMonths` (deemed, transferred), reach the
 * minimum of the retirement year with `marginMonths` to spare; at least `atLeast` years.
 */
export function localYearsFor(
  retirementYearMonth: string,
  o: { otherMonths: number; marginMonths?: number; atLeast?: number },
): number {
  const minimum = minimumMonthsIn(Number(retirementYearMonth.slice(0, 4)));
  return Math.max(o.atLeast ?? 2, Math.ceil((minimum + (o.marginMonths ?? 6) - o.otherMonths) / 12));
}

/** One record a month at `base` for the `years` complete calendar years before the year of `yearMonth`. */
export function recordsBefore(
  yearMonth: string,
  years: number,
  base = '6000.00',
): Array<{ yearMonth: string; base: string }> {
  const year = Number(yearMonth.slice(0, 4));
  return monthRange(`${year - years}-01`, `${year - 1}-12`).map((m) => ({ yearMonth: m, base }));
}

/**
 * A man who reached his statutory retirement age two months ago, registered with local records
 * for enough complete years before his retirement year that `deemedMonths` recognised from his
 * file make him eligible (at least two years, 6000 a month).
 */
export async function seedRetiredMan(
  h: Harness,
  o: { deemedMonths: number; agencyCode?: string; base?: string },
): Promise<Claimant & { personId: string; records: Array<{ yearMonth: string; base: string }> }> {
  const man = retiredMan();
  const records = recordsBefore(
    man.retirementYearMonth,
    localYearsFor(man.retirementYearMonth, { otherMonths: o.deemedMonths }),
    o.base,
  );
  const { personId } = await seedInsured(h, { idNumber: man.idNumber, agencyCode: o.agencyCode, records });
  return { ...man, personId, records };
}

/** Every month from `from` to `to` inclusive, 'YYYY-MM'. */
export function months(from: string, to: string): string[] {
  const out: string[] = [];
  let i = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1;
  const last = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1;
  for (; i <= last; i++) out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  return out;
}

export interface InsuredSeed {
  idNumber: string;
  agencyCode?: string;
  relationStatus?: 'contributing' | 'interrupted' | 'stopped' | 'receiving';
  /** Local contribution records (base per month); paid in the month unless paidOn is given. */
  records?: Array<{ yearMonth: string; base: string; paidOn?: string }>;
  /** Periods taken over from another province (information-sheet rows). */
  transferred?: Array<{
    regionCode: string;
    year: number;
    start: string;
    end: string;
    months: number;
    monthlyBase: string;
  }>;
  /** Transfer-in postings to the individual account (information-sheet item ④). */
  transfersIn?: Array<{ amount: string; postedOn: string }>;
}

/** Registers a person with a relation, contribution records, transferred periods and account entries, directly in the database. */
export async function seedInsured(h: Harness, o: InsuredSeed): Promise<{ idNumber: string; personId: string }> {
  const check = validateIdNumber(o.idNumber, today());
  const agencyCode = o.agencyCode ?? '620102';
  const person = await upsertPerson(h.db, {
    idNumber: o.idNumber,
    name: '测试人',
    sex: check.sex!,
    birthDate: check.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, o.idNumber),
  });
  await h.db.insert(relations).values({
    personId: person.id,
    agencyCode,
    provinceCode: agencyCode.slice(0, 2),
    status: o.relationStatus ?? 'contributing',
    category: 'other_flexible',
    since: '2024-01-01',
  });
  if (o.records?.length) {
    await h.db.insert(contributionRecords).values(
      o.records.map((r) => ({
        personId: person.id,
        agencyCode,
        yearMonth: r.yearMonth,
        base: r.base,
        amount: (Number(r.base) * 0.2).toFixed(2),
        source: 'manual',
        paidOn: r.paidOn ?? `${r.yearMonth}-15`,
      })),
    );
  }
  const transferId = `test-transfer-${o.idNumber.slice(-8)}`;
  if (o.transferred?.length) {
    await h.db.insert(transferredPeriods).values(
      o.transferred.map((t) => ({
        personId: person.id,
        transferId,
        regionCode: t.regionCode,
        year: t.year,
        startYearMonth: t.start,
        endYearMonth: t.end,
        months: t.months,
        monthlyBase: t.monthlyBase,
        row: { ...t },
      })),
    );
  }
  for (const [i, e] of (o.transfersIn ?? []).entries()) {
    await h.db.insert(accountEntries).values({
      personId: person.id,
      agencyCode,
      kind: 'transfer_in',
      amount: e.amount,
      postedOn: e.postedOn,
      entryKey: `${transferId}:${i}`,
    });
  }
  return { idNumber: o.idNumber, personId: person.id };
}

async function simulator(path: string, method: string, body?: unknown): Promise<void> {
  const res = await fetch(`${testEnv.governmentUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** Puts the person's personnel file into the archive simulator (released: delivered on the next poll). */
export async function putPersonnelFile(idNumber: string, file: PersonnelFileContent, released = true): Promise<void> {
  await simulator(`/admin/archives/${idNumber}`, 'PUT', { file, released });
}

/** Releases a file held back by the archive simulator. */
export async function releasePersonnelFile(idNumber: string): Promise<void> {
  await simulator(`/admin/archives/${idNumber}/release`, 'POST');
}

/** How often the archive simulator was polled for a request. */
export async function archivePolls(requestRef: string): Promise<number | undefined> {
  const res = await fetch(`${testEnv.governmentUrl}/admin/archives/requests`);
  const list = (await res.json()) as Array<{ ref: string; polls: number }>;
  return list.find((r) => r.ref === requestRef)?.polls;
}

/** A material with its electronic copy on record: reference, SHA-256, size and media type. */
export function electronic(
  kind: string,
  ref: string,
): { kind: string; ref: string; contentHash: string; size: number; type: string } {
  return {
    kind,
    ref,
    contentHash: createHash('sha256').update(`${kind}:${ref}`).digest('hex'),
    size: 180_000 + ref.length,
    type: 'application/pdf',
  };
}

export interface ClaimBody {
  agencyCode: string;
  channel: 'online' | 'offline';
  applicant: { idNumber: string; name: string; phone?: string };
  materials: Array<{ kind: string; ref?: string; contentHash?: string; size?: number; type?: string }>;
  retireAt?: string;
  lumpSum?: boolean;
}

export function claimBody(idNumber: string, over: Partial<ClaimBody> = {}): ClaimBody {
  return {
    agencyCode: '620102',
    channel: 'online',
    applicant: { idNumber, name: '测试人' },
    // Uploaded as scans (电子要件): high-risk claims need them before the collective review.
    materials: [electronic('id_card', 'scan-1'), electronic('personnel_file', 'deposit-1')],
    ...over,
  };
}

export const acceptor = asUser(ACCEPTOR);
export const claimReviewer = asUser(REVIEWER);
/** A second reviewer: confirms the review after claimReviewer recognised the file (four eyes). */
export const claimConfirmer = asUser({ user: 'reviewer-09', role: 'reviewer', agencies: ['*'] });
export const member = (id: string) => asUser({ user: id, role: 'collective_reviewer', agencies: ['*'] });

export async function relationOf(h: Harness, personId: string) {
  const [row] = await h.db
    .select()
    .from(relations)
    .where(and(eq(relations.personId, personId), eq(relations.provinceCode, '62')));
  return row;
}

export async function deemedOf(h: Harness, caseId: string) {
  return h.db.select().from(deemedPeriods).where(eq(deemedPeriods.caseId, caseId));
}

export async function tasksOf(h: Harness, caseId: string) {
  return h.db.select().from(tasks).where(eq(tasks.caseId, caseId));
}

export async function personRow(h: Harness, personId: string) {
  const [row] = await h.db.select().from(persons).where(eq(persons.id, personId));
  return row;
}
