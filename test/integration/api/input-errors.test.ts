/**
 * Bad input on the two case-creating endpoints: every bad request is a 4xx with a stable code
 * and the offending field, and nothing is written for it. Plus one open case per person and
 * procedure (409) and Idempotency-Key replays. No response in this file may be a 5xx.
 */
import { computeCheckDigit } from '../../../domain/id-number';
import { asUser, SUPERVISOR } from '../../helpers/auth';
import { makeIdNumber } from '../../helpers/env';
import {
  countCasesOf,
  get,
  countPersons,
  enrollmentBody,
  personOf,
  postRaw,
  relationDetailsOf,
  seedPerson,
  seedRelation,
  staff,
  stopBody,
  type EnrollmentBody,
  type StopBody,
} from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { currentYear } from '../../helpers/time';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const supervisor = asUser(SUPERVISOR);
const ENROLLMENTS = '/api/v1/enrollments';
const STOPS = '/api/v1/stops';

/** Every request in this file goes through here: a 5xx fails the test at once. */
async function send(url: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await postRaw(h, url, typeof payload === 'string' ? payload : JSON.stringify(payload), headers);
  if (res.status >= 500) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res as {
    status: number;
    body: { error: { code: string; message: string; field?: string; caseId?: string } } & Record<string, unknown>;
  };
}

/** The same ID number with a wrong check character. */
function withWrongChecksum(idNumber: string): string {
  const right = computeCheckDigit(idNumber.slice(0, 17));
  return idNumber.slice(0, 17) + (right === '1' ? '2' : '1');
}

interface BadInput<B> {
  what: string;
  /** Builds the request from a valid body for a fresh person; returns the payload (object or raw text). */
  make: (valid: B) => unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  field?: string;
}

const enrollmentCases: Array<BadInput<EnrollmentBody>> = [
  {
    what: 'an ID number with a wrong check digit',
    make: (b) => ({ ...b, applicant: { ...b.applicant, idNumber: withWrongChecksum(b.applicant.idNumber) } }),
    status: 400,
    code: 'id_number.checksum',
    field: 'applicant.idNumber',
  },
  {
    what: 'an ID number of the wrong length',
    make: (b) => ({ ...b, applicant: { ...b.applicant, idNumber: b.applicant.idNumber.slice(0, 17) } }),
    status: 400,
    code: 'id_number.length',
    field: 'applicant.idNumber',
  },
  {
    what: 'an ID number whose birth date is in the future',
    make: (b) => ({
      ...b,
      applicant: { ...b.applicant, idNumber: makeIdNumber({ birthDate: `${currentYear() + 1}-01-01` }) },
    }),
    status: 400,
    code: 'id_number.birth_date_future',
    field: 'applicant.idNumber',
  },
  {
    what: 'a missing category',
    make: ({ category: _c, ...rest }) => rest,
    status: 400,
    code: 'validation.required',
    field: 'category',
  },
  {
    what: 'a missing applicant name',
    make: (b) => ({ ...b, applicant: { idNumber: b.applicant.idNumber } }),
    status: 400,
    code: 'validation.required',
    field: 'applicant.name',
  },
  {
    what: 'a missing materials list',
    make: ({ materials: _m, ...rest }) => rest,
    status: 400,
    code: 'validation.required',
    field: 'materials',
  },
  {
    what: 'a category outside E-2',
    make: (b) => ({ ...b, category: 'employee' }),
    status: 400,
    code: 'validation.const',
    field: 'category',
  },
  {
    what: 'an unknown channel',
    make: (b) => ({ ...b, channel: 'fax' }),
    status: 400,
    code: 'validation.const',
    field: 'channel',
  },
  {
    what: 'an unknown material kind',
    make: (b) => ({ ...b, materials: [{ kind: 'passport' }] }),
    status: 400,
    code: 'validation.const',
    field: 'materials.0.kind',
  },
  {
    what: 'more than 20 materials',
    make: (b) => ({ ...b, materials: Array.from({ length: 21 }, () => ({ kind: 'id_card' })) }),
    status: 400,
    code: 'validation.maxItems',
    field: 'materials',
  },
  {
    what: 'an extra top-level property',
    make: (b) => ({ ...b, salary: 5000 }),
    status: 400,
    code: 'validation.additionalProperties',
    field: 'salary',
  },
  {
    what: 'an extra property on the applicant',
    make: (b) => ({ ...b, applicant: { ...b.applicant, email: 'a@b.cn' } }),
    status: 400,
    code: 'validation.additionalProperties',
    field: 'applicant.email',
  },
  {
    what: 'a five-digit agency code',
    make: (b) => ({ ...b, agencyCode: '62010' }),
    status: 400,
    code: 'validation.pattern',
    field: 'agencyCode',
  },
  {
    what: 'a non-numeric agency code',
    make: (b) => ({ ...b, agencyCode: '62O1O2' }),
    status: 400,
    code: 'validation.pattern',
    field: 'agencyCode',
  },
  {
    what: 'a blank applicant name',
    make: (b) => ({ ...b, applicant: { ...b.applicant, name: '   ' } }),
    status: 400,
    code: 'validation.blank',
    field: 'applicant.name',
  },
  {
    what: 'an empty applicant name',
    make: (b) => ({ ...b, applicant: { ...b.applicant, name: '' } }),
    status: 400,
    code: 'validation.minLength',
    field: 'applicant.name',
  },
  {
    what: 'a malformed phone number',
    make: (b) => ({ ...b, applicant: { ...b.applicant, phone: 'call me' } }),
    status: 400,
    code: 'validation.pattern',
    field: 'applicant.phone',
  },
  {
    what: 'a delegate who is the applicant',
    make: (b) => ({ ...b, delegate: { idNumber: b.applicant.idNumber, name: '代办人' } }),
    status: 400,
    code: 'validation.delegate_is_applicant',
    field: 'delegate.idNumber',
  },
  {
    what: 'a delegate with an invalid ID number',
    make: (b) => ({ ...b, delegate: { idNumber: withWrongChecksum(makeIdNumber()), name: '代办人' } }),
    status: 400,
    code: 'id_number.checksum',
    field: 'delegate.idNumber',
  },
  {
    what: 'a blank delegate name',
    make: (b) => ({ ...b, delegate: { idNumber: makeIdNumber(), name: ' ' } }),
    status: 400,
    code: 'validation.blank',
    field: 'delegate.name',
  },
  {
    what: 'a name containing a NUL character',
    make: (b) => ({ ...b, applicant: { ...b.applicant, name: '测试\u0000人' } }),
    status: 400,
    code: 'validation.nul_character',
    field: 'applicant.name',
  },
  {
    what: 'a material reference containing a NUL character',
    make: (b) => ({ ...b, materials: [{ kind: 'id_card', ref: 'scan\u0000' }] }),
    status: 400,
    code: 'validation.nul_character',
    field: 'materials.0.ref',
  },
  {
    what: 'malformed JSON',
    make: (b) => JSON.stringify(b).slice(0, -1),
    status: 400,
    code: 'request.malformed_json',
    field: 'body',
  },
  { what: 'a JSON array instead of an object', make: (b) => [b], status: 400, code: 'validation.type', field: 'body' },
  { what: 'a JSON null body', make: () => 'null', status: 400, code: 'validation.type', field: 'body' },
  {
    what: 'a __proto__ key (prototype poisoning)',
    make: (b) => JSON.stringify(b).replace(/^\{/, '{"__proto__":{"admin":true},'),
    status: 400,
    code: 'request.malformed_json',
    field: 'body',
  },
  {
    what: 'an Idempotency-Key with a space',
    make: (b) => b,
    headers: { 'idempotency-key': 'not a key' },
    status: 400,
    code: 'validation.idempotency_key',
    field: 'Idempotency-Key',
  },
  {
    what: 'an Idempotency-Key longer than 200 characters',
    make: (b) => b,
    headers: { 'idempotency-key': 'k'.repeat(201) },
    status: 400,
    code: 'validation.idempotency_key',
    field: 'Idempotency-Key',
  },
];

describe('POST /api/v1/enrollments with bad input', () => {
  test.each(enrollmentCases.map((c) => [c.what, c]))(
    '%s is refused with a stable code and field, and writes no person and no case',
    async (_what, c) => {
      const valid = enrollmentBody();
      const res = await send(ENROLLMENTS, c.make(valid), c.headers);
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
      if (c.field) expect(res.body.error.field).toBe(c.field);
      else expect(res.body.error.field).toBeUndefined();
      expect(typeof res.body.error.message).toBe('string');
      expect(await countPersons(h, valid.applicant.idNumber)).toBe(0);
      expect(await countCasesOf(h, valid.applicant.idNumber)).toBe(0);
    },
  );

  test('a body sent as text/plain is 400 (not an object) and an unsupported media type is 415; neither writes anything', async () => {
    const valid = enrollmentBody();
    const text = await send(ENROLLMENTS, JSON.stringify(valid), { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ code: 'validation.type', field: 'body' });
    const xml = await send(ENROLLMENTS, '<enrollment/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.error).toMatchObject({ code: 'request.unsupported_media_type', field: 'Content-Type' });
    expect(await countPersons(h, valid.applicant.idNumber)).toBe(0);
  });

  test('a body over the 1 MiB limit is 413 and writes nothing', async () => {
    const valid = enrollmentBody({ materials: [{ kind: 'id_card', ref: 'r'.repeat(1024 * 1024) }] });
    const res = await send(ENROLLMENTS, valid);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toMatch(/^request\./);
    expect(await countPersons(h, valid.applicant.idNumber)).toBe(0);
  });

  test('a name that differs from the one registered for a known ID number is 422 applicant.name_mismatch; the person and phone are unchanged and no case is written', async () => {
    const { idNumber } = await seedPerson(h, { name: '张三' });
    const res = await send(
      ENROLLMENTS,
      enrollmentBody({ applicant: { idNumber, name: '李四', phone: '13800000000' } }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'applicant.name_mismatch', field: 'applicant.name' });
    expect(await countPersons(h, idNumber)).toBe(1);
    expect(await personOf(h, idNumber)).toEqual({ name: '张三', phone: null });
    expect(await countCasesOf(h, idNumber)).toBe(0);
  });

  test('a 15-digit ID number is upgraded and registers the person under the 18-digit number', async () => {
    const eighteen = makeIdNumber({ birthDate: '1975-03-04' });
    const fifteen = eighteen.slice(0, 6) + eighteen.slice(8, 17);
    const upgraded =
      fifteen.slice(0, 6) + '19' + fifteen.slice(6) + computeCheckDigit(fifteen.slice(0, 6) + '19' + fifteen.slice(6));
    const res = await send(ENROLLMENTS, enrollmentBody({ applicant: { idNumber: fifteen, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(await countPersons(h, upgraded)).toBe(1);
    expect(await countCasesOf(h, upgraded)).toBe(1);
  });
});

const stopCases: Array<BadInput<StopBody>> = [
  {
    what: 'an ID number with a wrong check digit',
    make: (b) => ({ ...b, idNumber: withWrongChecksum(b.idNumber) }),
    status: 400,
    code: 'id_number.checksum',
    field: 'idNumber',
  },
  {
    what: 'an empty ID number',
    make: (b) => ({ ...b, idNumber: '' }),
    status: 400,
    code: 'validation.minLength',
    field: 'idNumber',
  },
  {
    what: 'a missing reason',
    make: ({ reason: _r, ...rest }) => rest,
    status: 400,
    code: 'validation.required',
    field: 'reason',
  },
  {
    what: 'a missing agency code',
    make: ({ agencyCode: _a, ...rest }) => rest,
    status: 400,
    code: 'validation.required',
    field: 'agencyCode',
  },
  {
    what: 'a reason outside S-1',
    make: (b) => ({ ...b, reason: 'retired' }),
    status: 400,
    code: 'validation.const',
    field: 'reason',
  },
  {
    what: 'an unknown channel',
    make: (b) => ({ ...b, channel: 'mail' }),
    status: 400,
    code: 'validation.const',
    field: 'channel',
  },
  {
    what: 'an extra property',
    make: (b) => ({ ...b, name: '测试人' }),
    status: 400,
    code: 'validation.additionalProperties',
    field: 'name',
  },
  {
    what: 'a bad agency code',
    make: (b) => ({ ...b, agencyCode: '6201021' }),
    status: 400,
    code: 'validation.pattern',
    field: 'agencyCode',
  },
  {
    what: 'reason "other" without a detail',
    make: (b) => ({ ...b, reason: 'other' }),
    status: 400,
    code: 'validation.detail_required',
    field: 'detail',
  },
  {
    what: 'a detail longer than 500 characters',
    make: (b) => ({ ...b, reason: 'other', detail: '因'.repeat(501) }),
    status: 400,
    code: 'validation.maxLength',
    field: 'detail',
  },
  {
    what: 'an effective date that is not YYYY-MM-DD',
    make: (b) => ({ ...b, effectiveDate: '2025/06/30' }),
    status: 400,
    code: 'validation.date',
    field: 'effectiveDate',
  },
  {
    what: 'an effective date that does not exist',
    make: (b) => ({ ...b, effectiveDate: '2025-02-30' }),
    status: 400,
    code: 'validation.date',
    field: 'effectiveDate',
  },
  {
    what: 'an effective date in the future',
    make: (b) => ({ ...b, effectiveDate: `${currentYear() + 1}-01-01` }),
    status: 400,
    code: 'validation.date_in_future',
    field: 'effectiveDate',
  },
  {
    what: 'a detail containing a NUL character',
    make: (b) => ({ ...b, reason: 'other', detail: '依据\u0000' }),
    status: 400,
    code: 'validation.nul_character',
    field: 'detail',
  },
  {
    what: 'malformed JSON',
    make: (b) => `${JSON.stringify(b)},`,
    status: 400,
    code: 'request.malformed_json',
    field: 'body',
  },
  {
    what: 'a bad Idempotency-Key',
    make: (b) => b,
    headers: { 'idempotency-key': 'a\tb' },
    status: 400,
    code: 'validation.idempotency_key',
    field: 'Idempotency-Key',
  },
];

describe('POST /api/v1/stops with bad input', () => {
  test.each(stopCases.map((c) => [c.what, c]))(
    '%s is refused with a stable code and field, writes no case and leaves the relation contributing',
    async (_what, c) => {
      const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
      const res = await send(STOPS, c.make(stopBody(idNumber)), c.headers);
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
      if (c.field) expect(res.body.error.field).toBe(c.field);
      else expect(res.body.error.field).toBeUndefined();
      expect(await countCasesOf(h, idNumber)).toBe(0);
      expect(await relationDetailsOf(h, idNumber)).toEqual([
        expect.objectContaining({ status: 'contributing', lastCaseId: null }),
      ]);
    },
  );
});

describe('one open case per person and procedure', () => {
  test('an enrollment while the same person has an open enrollment is 409 case.already_open naming the open case, and writes no second case', async () => {
    const idNumber = makeIdNumber();
    const first = await send(
      ENROLLMENTS,
      enrollmentBody({ channel: 'offline', applicant: { idNumber, name: '测试人' } }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'open', waitingOn: 'staff' });
    const openCaseId = first.body.caseId as string;

    for (const channel of ['online', 'offline'] as const) {
      const second = await send(ENROLLMENTS, enrollmentBody({ channel, applicant: { idNumber, name: '测试人' } }));
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: 'case.already_open', caseId: openCaseId });
      expect(second.body.error.message).toContain(openCaseId);
    }
    expect(await countCasesOf(h, idNumber)).toBe(1);
  });

  test('a stop while the same person has an open stop is 409 case.already_open naming it; an enrollment for them is a different procedure', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const first = await send(STOPS, stopBody(idNumber, { channel: 'offline' }));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'open', waitingOn: 'reviewer' });
    const second = await send(STOPS, stopBody(idNumber, { reason: 'death' }));
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'case.already_open', caseId: first.body.caseId });
    expect(await countCasesOf(h, idNumber)).toBe(1);
    expect(await relationDetailsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'contributing' })]);

    const enrollment = await send(ENROLLMENTS, enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(enrollment.status).toBe(201);
    expect(enrollment.body).toMatchObject({
      procedure: 'enrollment',
      outcome: 'refused',
      outcomeReason: 'already_enrolled_flexible',
    });
  });
});

describe('Idempotency-Key', () => {
  const key = () => `test-${Math.random().toString(36).slice(2)}-${Date.now()}`;

  test('repeating an online enrollment with the same key returns the same answer and writes no second case', async () => {
    const body = enrollmentBody();
    const headers = { 'idempotency-key': key() };
    const first = await send(ENROLLMENTS, body, headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const again = await send(ENROLLMENTS, body, headers);
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(await countCasesOf(h, body.applicant.idNumber)).toBe(1);
    expect(await relationDetailsOf(h, body.applicant.idNumber)).toHaveLength(1);
  });

  test('repeating an offline enrollment with the same key returns the open case instead of 409', async () => {
    const body = enrollmentBody({ channel: 'offline' });
    const headers = { 'idempotency-key': key() };
    const first = await send(ENROLLMENTS, body, headers);
    expect(first.body).toMatchObject({ status: 'open', waitingOn: 'staff' });
    const again = await send(ENROLLMENTS, body, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await countCasesOf(h, body.applicant.idNumber)).toBe(1);
  });

  test('the same key sent several times at once still yields one case and the same answer for every request', async () => {
    const body = enrollmentBody();
    const headers = { 'idempotency-key': key() };
    const answers = await Promise.all([1, 2, 3, 4].map(() => send(ENROLLMENTS, body, headers)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(answers[0].body).toMatchObject({ status: 'closed', outcome: 'approved' });
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(await countCasesOf(h, body.applicant.idNumber)).toBe(1);
  });

  test('repeating a stop with the same key returns the same answer and stops the relation once', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const headers = { 'idempotency-key': key() };
    const body = stopBody(idNumber, { reason: 'voluntary', effectiveDate: '2025-05-05' });
    const first = await send(STOPS, body, headers);
    expect(first.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    const again = await send(STOPS, body, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await countCasesOf(h, idNumber)).toBe(1);
  });

  test('repeating a staff decision with the same key while the case is open records it once and answers 200', async () => {
    const created = await send(ENROLLMENTS, enrollmentBody({ channel: 'offline' }));
    const caseId = created.body.caseId as string;
    const headers = { ...staff, 'idempotency-key': key() };
    const first = await send(`/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    const again = await send(`/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.body.decisions).toHaveLength(1);
  });

  test('repeating a deadline extension with the same key answers 200 again instead of 422 deadline.already_extended', async () => {
    const created = await send(ENROLLMENTS, enrollmentBody({ channel: 'offline' }));
    const caseId = created.body.caseId as string;
    const headers = { ...supervisor, 'idempotency-key': key() };
    const body = { workingDays: 2, reason: '需调取人事档案' };
    const first = await send(`/api/v1/cases/${caseId}/deadline-extension`, body, headers);
    expect(first.status).toBe(200);
    expect(first.body.clock).toMatchObject({ extensionWorkingDays: 2, extensionReason: '需调取人事档案' });
    const again = await send(`/api/v1/cases/${caseId}/deadline-extension`, body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((again.body.events as Array<{ type: string }>).filter((e) => e.type === 'deadline_extended')).toHaveLength(
      1,
    );
    const otherKey = await send(`/api/v1/cases/${caseId}/deadline-extension`, body, {
      ...supervisor,
      'idempotency-key': key(),
    });
    expect(otherKey.status).toBe(422);
    expect(otherKey.body.error.code).toBe('deadline.already_extended');
  });

  test('the same caller repeating a key with a different body is 422 idempotency.mismatch and writes nothing for the second request', async () => {
    // The counter clerk files both (offline): one caller, one key, two bodies.
    const headers = { ...staff, 'idempotency-key': key() };
    const first = await send(ENROLLMENTS, enrollmentBody({ channel: 'offline' }), headers);
    expect(first.status).toBe(201);
    const other = enrollmentBody({ channel: 'offline' });
    const reused = await send(ENROLLMENTS, other, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: 'idempotency.mismatch', field: 'Idempotency-Key' });
    expect(await countPersons(h, other.applicant.idNumber)).toBe(0);
    expect(await countCasesOf(h, other.applicant.idNumber)).toBe(0);
  });
});

describe('staff steps with bad input', () => {
  test('a decision whose note contains a NUL character is 400 and the case keeps waiting for a valid decision', async () => {
    const created = await send(ENROLLMENTS, enrollmentBody({ channel: 'offline' }));
    const caseId = created.body.caseId as string;
    const bad = await send(
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'incomplete', items: [{ code: 'id_card', note: '复印件\u0000' }] },
      staff,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation.nul_character', field: 'items.0.note' });
    const accepted = await send(`/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });
    expect((await get(h, `/api/v1/cases/${caseId}`)).body.decisions).toHaveLength(1);
  });

  test('a supplement whose reference contains a NUL character is 400 and the case keeps waiting for the supplement', async () => {
    const created = await send(ENROLLMENTS, enrollmentBody({ materials: [] }));
    expect(created.body).toMatchObject({ status: 'open', waitingOn: 'applicant' });
    const caseId = created.body.caseId as string;
    const bad = await send(`/api/v1/cases/${caseId}/materials`, { materials: [{ kind: 'id_card', ref: '\u0000' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation.nul_character', field: 'materials.0.ref' });
    const good = await send(`/api/v1/cases/${caseId}/materials`, { materials: [{ kind: 'id_card', ref: 'scan-9' }] });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  });
});
