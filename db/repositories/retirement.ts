/** The person's retirement schedule as the rules compute it from the database (B-7). */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { GANSU_REGION, PARAMETER_NAMES, pickParameter, type ParameterValue } from '../../domain/parameters';
import { retirementSchedule, type RetirementSchedule } from '../../domain/pre-review';
import type { DbOrTx } from '../client';
import { relations, type Person } from '../schema';

/** The relation a retirement watch follows: one still contributing or interrupted, else a receiving one. */
export async function liveRelation(tx: DbOrTx, personId: string): Promise<{ agencyCode: string; status: string } | undefined> {
  const rows = await tx
    .select({ agencyCode: relations.agencyCode, status: relations.status })
    .from(relations)
    .where(and(eq(relations.personId, personId), inArray(relations.status, ['contributing', 'interrupted', 'receiving'])))
    .orderBy(desc(relations.updatedAt));
  return rows.find((r) => r.status !== 'receiving') ?? rows[0];
}

/**
 * The statutory retirement month and the pre-review date; the original age of a woman is
 * recorded on the person or else the parameter in force for her agency (or Gansu) on `today`.
 */
export function scheduleOf(person: Person, agencyCode: string | undefined, params: readonly ParameterValue<unknown>[], today: string): RetirementSchedule {
  const femaleDefault = pickParameter(params, PARAMETER_NAMES.femaleFlexibleOriginalAge, agencyCode ?? GANSU_REGION, today).value;
  return retirementSchedule({
    sex: person.sex,
    idBirthDate: person.birthDate,
    fileBirthDate: person.fileBirthDate,
    originalRetirementAge: person.originalRetirementAge,
    femaleDefaultOriginalAge: Number(femaleDefault),
  });
}
