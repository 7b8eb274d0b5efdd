/** Test data helpers that go through the real API and the real database. */
import { and, eq, sql } from 'drizzle-orm';
import { personKeyOf, upsertPerson } from '../../db/repositories/persons';
import { cases, persons, relations } from '../../db/schema';
import { validateIdNumber } from '../../domain/id-number';
import type { Harness } from './harness';
import { ACCEPTOR, asUser, REVIEWER, withAuth } from './auth';
import { makeIdNumber, testEnv } from './env';
import { today } from './time';

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

/** A POST as `headers` say (a bearer token from asUser), else as the default caller (test/helpers/auth.ts callerFor). */
export async function post(h: Harness, url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: withAuth('POST', url, payload, headers),
  });
  return { status: res.statusCode, body: res.json() };
}

/** A GET as `headers` say, else as a province-wide auditor. */
export async function get(h: Harness, url: string, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'GET', url, headers: withAuth('GET', url, undefined, headers) });
  return { status: res.statusCode, body: res.json() };
}

/** Bearer-token headers of the counter acceptor and of a reviewer (different people). */
export const staff = asUser(ACCEPTOR);
export const reviewer = asUser(REVIEWER);

/** Registers a person with a relation in a given state directly in the database. */
export async function seedRelation(
  h: Harness,
  o: {
    agencyCode: string;
    status: 'contributing' | 'interrupted' | 'stopped' | 'receiving';
    category?: 'part_time' | null;
    idNumber?: string;
    name?: string;
  },
): Promise<{ idNumber: string; personId: string }> {
  const idNumber = o.idNumber ?? makeIdNumber();
  const check = validateIdNumber(idNumber, today());
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
    .select({
      agencyCode: relations.agencyCode,
      status: relations.status,
      category: relations.category,
      stopReason: relations.stopReason,
      since: relations.since,
      lastCaseId: relations.lastCaseId,
    })
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
  const [row] = await h.db
    .select({ n: sql<number>`count(*)::int` })
    .from(persons)
    .where(eq(persons.idNumber, idNumber));
  return row.n;
}

// ---- Additions for the API end-to-end tests (enrollment, stop, input errors, OpenAPI) ----

export interface StopBody {
  agencyCode: string;
  idNumber: string;
  reason: string;
  detail?: string;
  channel?: 'online' | 'offline';
  effectiveDate?: string;
  materials?: Array<{ kind: string; ref?: string; contentHash?: string; size?: number; type?: string }>;
}

export function stopBody(idNumber: string, over: Partial<StopBody> = {}): StopBody {
  // At the counter the applicant shows an identity document (S-4); online the login is the identity.
  const materials = over.channel === 'offline' ? [{ kind: 'id_card', ref: 'scan-1' }] : undefined;
  return { agencyCode: '620102', idNumber, reason: 'voluntary', ...(materials ? { materials } : {}), ...over };
}

/** An injected request with a raw payload (malformed JSON, other content types). */
export async function postRaw(h: Harness, url: string, payload: string, headers: Record<string, string> = {}) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    parsed = undefined;
  }
  const res = await h.app.inject({
    method: 'POST',
    url,
    payload,
    headers: withAuth('POST', url, parsed, { 'content-type': 'application/json', ...headers }),
  });
  let body: { error?: { code: string; message: string; field?: string } } & Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

/** Registers a person (no relation) directly in the database. */
export async function seedPerson(
  h: Harness,
  o: { idNumber?: string; name?: string } = {},
): Promise<{ idNumber: string; personId: string }> {
  const idNumber = o.idNumber ?? makeIdNumber();
  const check = validateIdNumber(idNumber, today());
  const person = await upsertPerson(h.db, {
    idNumber,
    name: o.name ?? '测试人',
    sex: check.sex!,
    birthDate: check.birthDate!,
    personKey: personKeyOf(testEnv.personKeySecret, idNumber),
  });
  return { idNumber, personId: person.id };
}

/** The person's relations with the stop details. */
export async function relationDetailsOf(h: Harness, idNumber: string) {
  return h.db
    .select({
      agencyCode: relations.agencyCode,
      status: relations.status,
      category: relations.category,
      stopReason: relations.stopReason,
      stopDetail: relations.stopDetail,
      since: relations.since,
      lastCaseId: relations.lastCaseId,
    })
    .from(relations)
    .innerJoin(persons, eq(persons.id, relations.personId))
    .where(eq(persons.idNumber, idNumber));
}

/** The person as stored (name, phone). */
export async function personOf(h: Harness, idNumber: string) {
  const [row] = await h.db
    .select({ name: persons.name, phone: persons.phone })
    .from(persons)
    .where(eq(persons.idNumber, idNumber));
  return row;
}

/** Item codes of a notice, in order. */
export const codesOf = (items: ReadonlyArray<{ code: string }>): string[] => items.map((i) => i.code);
