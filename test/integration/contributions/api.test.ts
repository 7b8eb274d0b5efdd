/**
 * GET /api/v1/persons/{personKey}/contributions: the months recorded for a person by year, with
 * bases and the batches they came from, addressed by the pseudonymous key (never the ID number),
 * and matching the schema the OpenAPI document publishes.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { importContributionFile } from '../../../db/contribution-file';
import { contributionRecords } from '../../../db/schema';
import { csvLine, freshAgency, rec, registerPerson, writeTestFile } from '../../helpers/contributions';
import { get } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function documentedSchema(status: string) {
  const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const op = doc.paths['/api/v1/persons/{personKey}/contributions'].get;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...op.responses[status].content['application/json'].schema, components: doc.components });
}

test('months by year with bases and the batches they came from; the response matches the documented schema', async () => {
  const agency = await freshAgency(h.db);
  const p = await registerPerson(h.db, { agencyCode: agency });
  await h.db.insert(contributionRecords).values({
    personId: p.personId,
    agencyCode: agency,
    yearMonth: '2024-12',
    base: '4800.00',
    amount: '960.00',
    source: 'manual',
  });
  const first = writeTestFile('first.csv', [
    csvLine(rec(p, agency, '2025-01', '5000')),
    csvLine(rec(p, agency, '2025-02', '5000')),
  ]);
  const second = writeTestFile('second.jsonl', [
    JSON.stringify(rec(p, agency, '2025-03', '6000', { paidOn: '2025-04-15' })),
    JSON.stringify(rec(p, agency, '2025-01', '5000')),
  ]);
  const b1 = await importContributionFile(h.db, { file: first });
  const b2 = await importContributionFile(h.db, { file: second });

  const res = await get(h, `/api/v1/persons/${p.personKey}/contributions`);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    personKey: p.personKey,
    totalMonths: 4,
    years: [
      {
        year: 2024,
        months: 1,
        records: [
          {
            yearMonth: '2024-12',
            base: '4800.00',
            amount: '960.00',
            agencyCode: agency,
            source: 'manual',
            paidOn: null,
            batchId: null,
          },
        ],
      },
      {
        year: 2025,
        months: 3,
        records: [
          {
            yearMonth: '2025-01',
            base: '5000.00',
            amount: '1000.00',
            agencyCode: agency,
            source: 'batch_import',
            paidOn: '2025-12-01',
            batchId: b1.batchId,
          },
          {
            yearMonth: '2025-02',
            base: '5000.00',
            amount: '1000.00',
            agencyCode: agency,
            source: 'batch_import',
            paidOn: '2025-12-01',
            batchId: b1.batchId,
          },
          {
            yearMonth: '2025-03',
            base: '6000.00',
            amount: '1200.00',
            agencyCode: agency,
            source: 'batch_import',
            paidOn: '2025-04-15',
            batchId: b2.batchId,
          },
        ],
      },
    ],
    batches: [
      {
        batchId: b1.batchId,
        source: 'file',
        reference: b1.reference,
        receivedAt: expect.any(String),
        finishedAt: expect.any(String),
        months: 2,
      },
      {
        batchId: b2.batchId,
        source: 'file',
        reference: b2.reference,
        receivedAt: expect.any(String),
        finishedAt: expect.any(String),
        months: 1,
      },
    ],
  });
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(p.idNumber);
  expect(text).not.toContain(p.name);
  const validate = await documentedSchema('200');
  expect({ valid: validate(res.body), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
});

test('a person without records has an empty history; an unknown key is 404; a malformed key is 400', async () => {
  const agency = await freshAgency(h.db);
  const p = await registerPerson(h.db, { agencyCode: agency });
  expect((await get(h, `/api/v1/persons/${p.personKey}/contributions`)).body).toEqual({
    personKey: p.personKey,
    totalMonths: 0,
    years: [],
    batches: [],
  });

  const unknown = await get(h, `/api/v1/persons/P${'0'.repeat(24)}/contributions`);
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('person.not_found');
  expect((await documentedSchema('404'))(unknown.body)).toBe(true);

  // An ID number is not a person key: the route never looks people up by it.
  const byId = await get(h, `/api/v1/persons/${p.idNumber}/contributions`);
  expect(byId.status).toBe(400);
  expect(byId.body.error).toMatchObject({ code: 'validation.pattern', field: 'params.personKey' });
  expect((await documentedSchema('400'))(byId.body)).toBe(true);
});
