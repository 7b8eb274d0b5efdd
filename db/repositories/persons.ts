/** Persons: look-up by ID number, and the pseudonymous key Temporal sees instead of it. */
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { persons, type Person } from '../schema';

/** HMAC-SHA256 of the normalised ID number under a secret: stable, not reversible without it. */
export function personKeyOf(secret: string, idNumber: string): string {
  return `P${createHmac('sha256', Buffer.from(secret, 'hex')).update(idNumber).digest('hex').slice(0, 24).toUpperCase()}`;
}

export async function findPersonByIdNumber(db: DbOrTx, idNumber: string): Promise<Person | undefined> {
  const [row] = await db.select().from(persons).where(eq(persons.idNumber, idNumber));
  return row;
}

export class NameMismatchError extends Error {}

/**
 * Returns the person with this ID number, registering them on first contact. A different name
 * for a known ID number is refused rather than silently overwritten.
 */
export async function upsertPerson(
  db: DbOrTx,
  p: { idNumber: string; name: string; sex: 'male' | 'female'; birthDate: string; phone?: string; personKey: string },
): Promise<Person> {
  const existing = await findPersonByIdNumber(db, p.idNumber);
  if (existing) {
    if (existing.name !== p.name) throw new NameMismatchError();
    if (p.phone && p.phone !== existing.phone) {
      await db.update(persons).set({ phone: p.phone, updatedAt: new Date() }).where(eq(persons.id, existing.id));
    }
    return existing;
  }
  const [row] = await db
    .insert(persons)
    .values({
      idNumber: p.idNumber,
      name: p.name,
      sex: p.sex,
      birthDate: p.birthDate,
      phone: p.phone ?? null,
      personKey: p.personKey,
    })
    // Any unique conflict (the ID number or the person key derived from it): a concurrent request
    // registered the same person first, so use that row.
    .onConflictDoNothing()
    .returning();
  return row ?? (await findPersonByIdNumber(db, p.idNumber))!;
}
