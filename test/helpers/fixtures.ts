/** Test data helpers that go through the real API and the real database. */
import { and, eq, sql } from 'drizzle-orm';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { cases, persons, relations } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import type { Harness } from './harness';
import { makeIdNumber, testEnv } from './env';

export interface EnrollmentBody {
  agencyCode: string;
  channel: 'online' | 'offline';
  category: string;
  applicant: { idNumber: string; name: string; phone?: string };
  materials: Array<{ kind: string; ref?: string }>;
  delegate?: { idNumber: string; name: string };
}

export function enrollmentBody(over: Partial<EnrollmentBody> = {}): EnrollmentBody {
  return {
    agencyCode: '620102',
    channel: 'online',
    category: 'part_time',
    applicant: { idNumber: makeIdNumber(), name: '测试人' },
    materials: [{ kind: 'id_card', ref: 'scan-1' }],
    ...over,
  };
}

export async function post(h: Harness, url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, payload: payload as object, headers });
  return { status: res.statusCode, body: res.json() };
}

export async function get(h: Harness, url: string) {
  const res = await h.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
}

export const staff = { 'x-actor-id': 'clerk-01', 'x-actor-role': 'acceptor' };
export const reviewer = { 'x-actor-id': 'reviewer-07', 'x-actor-role': 'reviewer' };

/** Registers a person with a relation in a given state directly in the database. */
export async function seedRelation(
  h: Harness,
  o: { agencyCode: string; status: 'contributing' | 'interrupted' | 'stopped' | 'receiving'; category?: 'part_time' | null; idNumber?: string; name?: string },
): Promise<{ idNumber: string; personId: string }> {
  const idNumber = o.idNumber ?? makeIdNumber();
  const check = validateIdNumber(idNumber, '2026-01-01');
  const person = await upsertPerson(h.db, {
    idNumber,
    name: o.name ?? '测试人',
    sex: check.sex!,
    birthDate: check.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  await h.db.insert(relations).values({
    personId: person.id,
    agencyCode: o.agencyCode,
    provinceCode: o.agencyCode.slice(0, 2),
    status: o.status,
    category: o.category === undefined ? 'part_time' : o.category,
    since: '2020-01-01',
  });
  return { idNumber, personId: person.id };
}

export async function relationsOf(h: Harness, idNumber: string) {
  return h.db
    .select({ agencyCode: relations.agencyCode, status: relations.status, category: relations.category, stopReason: relations.stopReason, since: relations.since, lastCaseId: relations.lastCaseId })
    .from(relations)
    .innerJoin(persons, eq(persons.id, relations.personId))
    .where(eq(persons.idNumber, idNumber));
}

export async function countCasesOf(h: Harness, idNumber: string): Promise<number> {
  const [row] = await h.db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .innerJoin(persons, eq(persons.id, cases.personId))
    .where(and(eq(persons.idNumber, idNumber)));
  return row.n;
}

export async function countPersons(h: Harness, idNumber: string): Promise<number> {
  const [row] = await h.db.select({ n: sql<number>`count(*)::int` }).from(persons).where(eq(persons.idNumber, idNumber));
  return row.n;
}
