/**
 * Reference data the system needs to run: the working-day calendar, the dated rule parameters
 * and the agency directory. Idempotent: existing rows are never overwritten, so values staff
 * published or corrected stay as they are; seed rows new in this release are published once.
 */
import { PARAMETER_SEED } from '../../domain/parameter-seed';
import { bootstrapCalendar } from '../calendar-bootstrap';
import type { DbOrTx } from '../client';
import { publishSeed } from '../parameters-store';
import { agencies } from '../schema';
import { SAMPLE_AGENCIES } from './agencies';

export async function bootstrapReferenceData(db: DbOrTx, o: { sampleAgencies?: boolean } = {}): Promise<void> {
  await bootstrapCalendar(db);
  await publishSeed(db, PARAMETER_SEED);
  if (o.sampleAgencies ?? true) await db.insert(agencies).values(SAMPLE_AGENCIES).onConflictDoNothing();
}
