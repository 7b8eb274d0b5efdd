/** Test data for the contribution intake: people with relations, agency codes of their own, files. */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { TaxContributionRecord } from '../../adapters/government/types';
import type { DbOrTx } from '../../db/client';
import { personKeyOf } from '../../db/repositories/persons';
import { contributionRecords, persons, relations, type RelationStatus } from '../../db/schema';
import { CONTRIBUTION_COLUMNS } from '../../domain/contribution-rows';
import { validateIdNumber } from '../../domain/id-number';
import { makeIdNumber, testEnv, uniqueName } from './env';
import { today } from './time';

/** A 62xxxx agency code no relation uses yet, so every count in it belongs to the test. */
export async function freshAgency(db: DbOrTx): Promise<string> {
  for (;;) {
    const code = `62${String(randomInt(1000, 10000))}`;
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(relations)
      .where(eq(relations.agencyCode, code));
    if (row.n === 0) return code;
  }
}

const NAME_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉';
export function chineseName(): string {
  return `测${NAME_CHARS[randomInt(0, NAME_CHARS.length)]}${NAME_CHARS[randomInt(0, NAME_CHARS.length)]}${NAME_CHARS[randomInt(0, NAME_CHARS.length)]}`;
}

export interface TestPerson {
  idNumber: string;
  name: string;
  personId: string;
  personKey: string;
  relationId: string | null;
}

/** Registers a person, with a relation at `agencyCode` in `status` unless status is null. */
export async function registerPerson(
  db: DbOrTx,
  o: { agencyCode: string; status?: RelationStatus | null; since?: string; name?: string; personKeySecret?: string },
): Promise<TestPerson> {
  const idNumber = makeIdNumber();
  const check = validateIdNumber(idNumber, today());
  const name = o.name ?? chineseName();
  const personKey = personKeyOf(o.personKeySecret ?? testEnv.personKeySecret, idNumber);
  const [person] = await db
    .insert(persons)
    .values({ idNumber, name, sex: check.sex!, birthDate: check.birthDate!, personKey })
    .returning({ id: persons.id });
  let relationId: string | null = null;
  if (o.status !== null) {
    const [rel] = await db
      .insert(relations)
      .values({
        personId: person.id,
        agencyCode: o.agencyCode,
        provinceCode: o.agencyCode.slice(0, 2),
        status: o.status ?? 'contributing',
        category: 'part_time',
        since: o.since ?? '2020-01-01',
      })
      .returning({ id: relations.id });
    relationId = rel.id;
  }
  return { idNumber, name, personId: person.id, personKey, relationId };
}

/** A record of a person for a month; the amount is 20 % of the base unless given. */
export function rec(
  p: { idNumber: string; name: string },
  agencyCode: string,
  yearMonth: string,
  base: string,
  over: Partial<TaxContributionRecord> = {},
): TaxContributionRecord {
  const cents = Math.round(Number(base) * 100 * 0.2);
  return {
    recordId: uniqueName('SW'),
    idNumber: p.idNumber,
    name: p.name,
    agencyCode,
    yearMonth,
    base,
    amount: (cents / 100).toFixed(2),
    paidOn: '2025-12-01',
    ...over,
  };
}

/** A CSV line of a record in the documented column order (no quoting needed for test data). */
export function csvLine(r: Partial<TaxContributionRecord>): string {
  return CONTRIBUTION_COLUMNS.map((c) => r[c] ?? '').join(',');
}

/** Writes a file under the test run's temporary directory. */
export function writeTestFile(name: string, lines: readonly string[]): string {
  const dir = path.join(process.env.TEST_ROOT ?? fs.mkdtempSync('/tmp/contributions-'), 'contribution-files');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${uniqueName(name.replace(/\..*$/, ''))}${path.extname(name)}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The person's recorded months as "YYYY-MM base". */
export async function monthsOf(db: DbOrTx, personId: string): Promise<string[]> {
  const rows = await db
    .select({ yearMonth: contributionRecords.yearMonth, base: contributionRecords.base })
    .from(contributionRecords)
    .where(eq(contributionRecords.personId, personId))
    .orderBy(contributionRecords.yearMonth);
  return rows.map((r) => `${r.yearMonth} ${r.base}`);
}

export async function relationOf(db: DbOrTx, relationId: string) {
  const [row] = await db
    .select({ status: relations.status, since: relations.since })
    .from(relations)
    .where(eq(relations.id, relationId));
  return row;
}
