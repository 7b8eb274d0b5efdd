/**
 * Reference data the system needs to run: the working-day calendar, the dated rule parameters
 * and the agency directory. Idempotent: existing rows are never overwritten, so values staff
 * corrected or added stay as they are.
 */
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { bootstrapCalendar } from '../calendar-bootstrap';
import type { DbOrTx } from '../client';
import { agencies, ruleParameters } from '../schema';
import { SAMPLE_AGENCIES } from './agencies';

export async function bootstrapReferenceData(db: DbOrTx, o: { sampleAgencies?: boolean } = {}): Promise<void> {
  await bootstrapCalendar(db);
  await db
    .insert(ruleParameters)
    .values(
      PARAMETER_SEED.map((p) => ({
        name: p.name,
        region: p.region,
        validFrom: p.validFrom,
        validTo: p.validTo ?? null,
        value: p.value,
        source: p.source,
        note: p.note ?? null,
      })),
    )
    .onConflictDoNothing();
  if (o.sampleAgencies ?? true) await db.insert(agencies).values(SAMPLE_AGENCIES).onConflictDoNothing();
}
