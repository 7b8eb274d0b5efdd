/**
 * A person and an open case written straight to the tables, with no workflow: for tests that
 * call activities or repositories on a case directly.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../../db/client';
import { cases, persons } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import { makeIdNumber } from './env';

export async function insertBareCase(
  db: Db,
  o: { procedure: 'enrollment' | 'stop'; agencyCode: string; channel?: 'online' | 'offline' },
): Promise<{ caseId: string; personId: string; idNumber: string }> {
  const idNumber = makeIdNumber();
  const check = validateIdNumber(idNumber, '2026-01-01');
  const [person] = await db
    .insert(persons)
    .values({
      idNumber,
      name: '测试人',
      sex: check.sex!,
      birthDate: check.birthDate!,
      personKey: `P${randomBytes(12).toString('hex').toUpperCase()}`,
    })
    .returning({ id: persons.id });
  const caseId = `${o.procedure}-${o.agencyCode}-2026-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  await db.insert(cases).values({
    id: caseId,
    procedure: o.procedure,
    agencyCode: o.agencyCode,
    channel: o.channel ?? 'offline',
    stage: 'review',
    personId: person.id,
    application: {},
    workflowId: caseId,
    receivedAt: new Date('2026-03-02T01:00:00Z'),
  });
  return { caseId, personId: person.id, idNumber };
}
