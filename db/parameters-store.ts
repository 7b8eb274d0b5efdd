/** Dated rule parameters from the database, in the shape the pure rules take. */
import { sql } from 'drizzle-orm';
import type { ParameterValue } from '../domain/parameters';
import type { DbOrTx } from './client';
import { ruleParameters } from './schema';

export async function loadParameters(db: DbOrTx): Promise<ParameterValue<unknown>[]> {
  const rows = await db
    .select({
      name: ruleParameters.name,
      region: ruleParameters.region,
      validFrom: ruleParameters.validFrom,
      validTo: ruleParameters.validTo,
      // Read as text and parse once: drizzle parses jsonb a second time, which turns the
      // decimal string "0.08" into the binary number 0.08.
      value: sql<string>`${ruleParameters.value}::text`,
      source: ruleParameters.source,
      note: ruleParameters.note,
    })
    .from(ruleParameters);
  return rows.map((r) => ({
    name: r.name,
    region: r.region,
    validFrom: r.validFrom,
    validTo: r.validTo ?? undefined,
    value: JSON.parse(r.value) as unknown,
    source: r.source,
    note: r.note ?? undefined,
  }));
}
