/**
 * Demo and benchmark data for the contribution intake: people with valid ID numbers (GB 11643
 * check digits), their monthly records as the tax department would send them, written as CSV
 * or JSON lines, and (optionally) the people registered with a contributing relation so the
 * records are accepted. Deterministic for a given seed. Used by scripts/generate-contributions.ts
 * and scripts/bench-import.ts; never by the running system.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { personKeyOf } from '../db/repositories/persons';
import type { Db } from '../db/client';
import { persons, relations } from '../db/schema';
import { CONTRIBUTION_COLUMNS } from '../domain/contribution-rows';
import { computeCheckDigit } from '../domain/id-number';
import { dec, toCents } from '../domain/money';
import { PARAMETER_SEED } from '../domain/parameter-seed';
import { PARAMETER_NAMES, pickParameter, type ParameterValue } from '../domain/parameters';
import { addMonths } from '../domain/year-month';
import type { TaxContributionRecord } from '../adapters/government/types';

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建文斌宇浩凯晨欣怡佳琳雪梅海峰波宁亮飞鑫婷丹蕾健俊';

export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
}

/** `count` people with distinct valid 18-digit ID numbers registered in `region` (6 digits). */
export function generatePeople(count: number, o: { region: string; seed: number }): DemoPerson[] {
  const random = prng(o.seed);
  const pick = (s: string) => s[Math.floor(random() * s.length)];
  const seen = new Set<string>();
  const people: DemoPerson[] = [];
  while (people.length < count) {
    const year = 1966 + Math.floor(random() * 36);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const seq = Math.floor(random() * 1000);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const first17 = `${o.region}${birth}${String(seq).padStart(3, '0')}`;
    const idNumber = first17 + computeCheckDigit(first17);
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '');
    people.push({
      idNumber,
      name,
      sex: seq % 2 === 1 ? 'male' : 'female',
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    });
  }
  return people;
}

/** Ratios of the average wage people choose their base from (60 %…300 %, 国办发〔2019〕13号). */
const TIERS = ['0.6', '0.8', '1.0', '1.5', '2.0', '3.0'];

function decimalOf(p: ParameterValue<unknown>): string {
  return String(p.value);
}

/**
 * A month's base for a tier: the tier × that year's average wage (the nearest year that has one),
 * in whole yuan, kept inside the year's floor and ceiling when the province publishes them.
 */
export function baseFor(
  parameters: readonly ParameterValue<unknown>[],
  region: string,
  yearMonth: string,
  tier: string,
): string {
  const year = Number(yearMonth.slice(0, 4));
  let wage: ParameterValue<unknown> | undefined;
  for (let d = 0; d < 30 && !wage; d += 1) {
    for (const y of [year - d, year + d]) {
      try {
        wage = pickParameter(parameters, PARAMETER_NAMES.averageWage, region, `${y}-06-01`);
        break;
      } catch {
        // no average wage for y
      }
    }
  }
  let base = dec(wage ? decimalOf(wage) : '7000')
    .times(tier)
    .ceil();
  const bound = (name: string) => {
    try {
      return dec(decimalOf(pickParameter(parameters, name, region, `${yearMonth}-01`)));
    } catch {
      return null;
    }
  };
  const floor = bound(PARAMETER_NAMES.baseFloor);
  const ceiling = bound(PARAMETER_NAMES.baseCeiling);
  if (floor && base.lt(floor)) base = floor;
  if (ceiling && base.gt(ceiling)) base = ceiling;
  return base.toFixed(2);
}

export interface RecordOptions {
  agencyCode: string;
  /** First month, YYYY-MM. */
  from: string;
  months: number;
  seed: number;
  /** Fraction of rows made invalid in assorted ways (demo of refusals); default 0. */
  badRatio?: number;
  parameters?: readonly ParameterValue<unknown>[];
}

/** Kinds of damage a bad row gets, in turn. */
const DAMAGE: ReadonlyArray<(r: TaxContributionRecord) => TaxContributionRecord> = [
  (r) => ({ ...r, amount: toCents(dec(r.amount).plus('0.01')).toFixed(2) }),
  (r) => ({ ...r, idNumber: r.idNumber.slice(0, 17) + (r.idNumber[17] === '0' ? '1' : '0') }),
  (r) => ({ ...r, name: '' }),
  (r) => ({ ...r, yearMonth: `${r.yearMonth.slice(0, 4)}-13` }),
  (r) => ({ ...r, base: '-1', amount: '0.00' }),
  (r) => ({ ...r, agencyCode: r.agencyCode.slice(0, 4) }),
];

/** The records of every person for every month, person by person, as the tax feed sends them. */
export function* generateRecords(people: readonly DemoPerson[], o: RecordOptions): Generator<TaxContributionRecord> {
  const parameters = o.parameters ?? PARAMETER_SEED;
  const random = prng(o.seed ^ 0x5bd1e995);
  const badRatio = o.badRatio ?? 0;
  let serial = 0;
  let damage = 0;
  const bases = new Map<string, string>();
  for (const [p, person] of people.entries()) {
    const tier = TIERS[Math.floor(random() * TIERS.length)];
    for (let m = 0; m < o.months; m += 1) {
      const yearMonth = addMonths(o.from, m);
      const key = `${yearMonth.slice(0, 4)}|${tier}`;
      let base = bases.get(key);
      if (!base) {
        base = baseFor(parameters, o.agencyCode, yearMonth, tier);
        bases.set(key, base);
      }
      const rate = pickParameter(parameters, PARAMETER_NAMES.contributionRate, o.agencyCode, `${yearMonth}-01`);
      serial += 1;
      let record: TaxContributionRecord = {
        recordId: `SW${String(o.seed).padStart(4, '0')}${String(serial).padStart(9, '0')}`,
        idNumber: person.idNumber,
        name: person.name,
        agencyCode: o.agencyCode,
        yearMonth,
        base,
        amount: toCents(dec(base).times(decimalOf(rate))).toFixed(2),
        paidOn: `${addMonths(yearMonth, 1)}-${String(1 + ((p + m) % 15)).padStart(2, '0')}`,
      };
      if (badRatio > 0 && random() < badRatio) {
        record = DAMAGE[damage % DAMAGE.length](record);
        damage += 1;
      }
      yield record;
    }
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (no newline) in the documented column order. */
export function csvLine(r: TaxContributionRecord): string {
  return CONTRIBUTION_COLUMNS.map((c) => csvField(String(r[c] ?? ''))).join(',');
}

/** Writes records to a file (CSV with a header line, or JSON lines), streamed. Returns the row count. */
export async function writeRecords(
  file: string,
  format: 'csv' | 'jsonl',
  records: Iterable<TaxContributionRecord>,
): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  let count = 0;
  if (format === 'csv') await write(CONTRIBUTION_COLUMNS.join(','));
  for (const r of records) {
    await write(format === 'csv' ? csvLine(r) : JSON.stringify(r));
    count += 1;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

/**
 * Registers the people (if not yet registered) with a contributing relation at the agency (if
 * they have no live relation in the province), 1000 at a time. Existing people and relations are
 * left as they are.
 */
export async function registerPeople(
  db: Db,
  people: readonly DemoPerson[],
  o: { agencyCode: string; personKeySecret: string; since?: string },
): Promise<void> {
  for (let i = 0; i < people.length; i += 1000) {
    const slice = people.slice(i, i + 1000);
    const rows = await db
      .insert(persons)
      .values(
        slice.map((p) => ({
          idNumber: p.idNumber,
          name: p.name,
          sex: p.sex,
          birthDate: p.birthDate,
          personKey: personKeyOf(o.personKeySecret, p.idNumber),
        })),
      )
      .onConflictDoNothing({ target: persons.idNumber })
      .returning({ id: persons.id });
    if (rows.length === 0) continue;
    await db
      .insert(relations)
      .values(
        rows.map((r) => ({
          personId: r.id,
          agencyCode: o.agencyCode,
          provinceCode: o.agencyCode.slice(0, 2),
          status: 'contributing' as const,
          category: 'other_flexible' as const,
          since: o.since ?? '2020-01-01',
        })),
      )
      .onConflictDoNothing();
  }
}
