/** The person's retirement schedule as the rules compute it from the database (B-7). */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { GANSU_REGION, PARAMETER_NAMES, pickParameter, type ParameterValue } from '../../domain/parameters';
import { retirementSchedule, type RetirementSchedule } from '../../domain/pre-review';
import { LIVE_RELATION_STATUSES } from '../../domain/relation-status';
import { chinaDateOf, startOfChinaDay } from '../../domain/working-days';
import type { DbOrTx } from '../client';
import { loadParameters } from '../parameters-store';
import { cases, persons, relations, type Person } from '../schema';

/** What the watch knows about a person: dates and ages, never the birth date itself. */
export type RetirementWatchPlan =
  | { status: 'no_person' | 'not_insured' | 'receiving' }
  | {
      status: 'watching' | 'retirement_reached';
      agencyCode: string;
      retirementYearMonth: string;
      statutoryAge: { years: number; months: number };
      preReviewDate: string;
      /** 00:00 China time of the pre-review date: the watch wakes then. */
      preReviewAtMs: number;
      /** 00:00 China time of the first day of the retirement month. */
      retireAtMs: number;
      birthDateSource: RetirementSchedule['birthDateSource'];
      originalAgeSource: RetirementSchedule['originalAgeSource'];
      /** A pre-review case exists already for this retirement month. */
      reviewed: boolean;
    };

export async function preReviewCaseFor(tx: DbOrTx, personId: string, retirementYearMonth: string) {
  const [row] = await tx
    .select({
      id: cases.id,
      status: cases.status,
      agencyCode: cases.agencyCode,
      receivedAt: cases.receivedAt,
      application: cases.application,
    })
    .from(cases)
    .where(
      and(
        eq(cases.personId, personId),
        eq(cases.procedure, 'pre_review'),
        sql`${cases.application}->>'retirementYearMonth' = ${retirementYearMonth}`,
      ),
    );
  return row;
}

/** The person's plan on `nowMs`: when the pre-review is due, and whether it was done for that month. */
export async function planOf(tx: DbOrTx, person: Person, nowMs: number): Promise<RetirementWatchPlan> {
  const relation = await liveRelation(tx, person.id);
  if (!relation) return { status: 'not_insured' };
  if (relation.status === 'receiving') return { status: 'receiving' };
  const schedule = scheduleOf(person, relation.agencyCode, await loadParameters(tx), chinaDateOf(nowMs));
  const retireAtMs = startOfChinaDay(schedule.retirementDate);
  const ym = schedule.statutory.retirementYearMonth;
  return {
    status: nowMs >= retireAtMs ? 'retirement_reached' : 'watching',
    agencyCode: relation.agencyCode,
    retirementYearMonth: ym,
    statutoryAge: schedule.statutory.statutoryAge,
    preReviewDate: schedule.preReviewDate,
    preReviewAtMs: startOfChinaDay(schedule.preReviewDate),
    retireAtMs,
    birthDateSource: schedule.birthDateSource,
    originalAgeSource: schedule.originalAgeSource,
    reviewed: (await preReviewCaseFor(tx, person.id, ym)) !== undefined,
  };
}

/**
 * Notes the plan's pre-review date on the person (null when no pre-review is ahead); `armed`:
 * a retirement watch runs for it (the watch itself planned), so none needs starting.
 */
export async function notePreReviewDate(
  tx: DbOrTx,
  personId: string,
  plan: RetirementWatchPlan,
  o: { armed: boolean },
): Promise<void> {
  const preReviewOn = plan.status === 'watching' ? plan.preReviewDate : null;
  await tx
    .update(persons)
    .set({ preReviewOn, ...(o.armed ? { retirementWatchArmedFor: preReviewOn } : {}) })
    .where(
      and(
        eq(persons.id, personId),
        sql`(${persons.preReviewOn} is distinct from ${preReviewOn}${o.armed ? sql` or ${persons.retirementWatchArmedFor} is distinct from ${preReviewOn}` : sql``})`,
      ),
    );
}

/** Persons whose pre-review falls on or before `cutoff` and for whose date no watch was started yet. */
export async function retirementWatchesDue(
  db: DbOrTx,
  o: { cutoff: string; limit: number; personKey?: string },
): Promise<Array<{ personKey: string; preReviewOn: string }>> {
  const rows = await db
    .select({ personKey: persons.personKey, preReviewOn: persons.preReviewOn })
    .from(persons)
    .where(
      and(
        sql`${persons.preReviewOn} <= ${o.cutoff}`,
        sql`${persons.preReviewOn} is not null and ${persons.retirementWatchArmedFor} is distinct from ${persons.preReviewOn}`,
        ...(o.personKey ? [eq(persons.personKey, o.personKey)] : []),
      ),
    )
    .orderBy(persons.preReviewOn)
    .limit(o.limit);
  return rows.map((r) => ({ personKey: r.personKey, preReviewOn: r.preReviewOn! }));
}

/** Notes that a watch was started for the person's pre-review date (unless the date moved meanwhile). */
export async function noteRetirementWatchArmed(db: DbOrTx, personKey: string, preReviewOn: string): Promise<void> {
  await db
    .update(persons)
    .set({ retirementWatchArmedFor: preReviewOn })
    .where(and(eq(persons.personKey, personKey), eq(persons.preReviewOn, preReviewOn)));
}

/** The relation a retirement watch follows: one still contributing or interrupted, else a receiving one. */
export async function liveRelation(
  tx: DbOrTx,
  personId: string,
): Promise<{ agencyCode: string; status: string } | undefined> {
  const rows = await tx
    .select({ agencyCode: relations.agencyCode, status: relations.status })
    .from(relations)
    .where(and(eq(relations.personId, personId), inArray(relations.status, [...LIVE_RELATION_STATUSES])))
    .orderBy(desc(relations.updatedAt));
  return rows.find((r) => r.status !== 'receiving') ?? rows[0];
}

/**
 * The statutory retirement month and the pre-review date; the original age of a woman is
 * recorded on the person or else the parameter in force for her agency (or Gansu) on `today`.
 */
export function scheduleOf(
  person: Person,
  agencyCode: string | undefined,
  params: readonly ParameterValue<unknown>[],
  today: string,
): RetirementSchedule {
  const femaleDefault = pickParameter(
    params,
    PARAMETER_NAMES.femaleFlexibleOriginalAge,
    agencyCode ?? GANSU_REGION,
    today,
  ).value;
  return retirementSchedule({
    sex: person.sex,
    idBirthDate: person.birthDate,
    fileBirthDate: person.fileBirthDate,
    originalRetirementAge: person.originalRetirementAge,
    femaleDefaultOriginalAge: Number(femaleDefault),
  });
}
