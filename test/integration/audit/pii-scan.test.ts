/**
 * Nothing in Temporal but encrypted payloads holds an ID number, a name or a phone number
 * (issue 5, "Done when"). A full set of cases runs end to end with known personal data — an
 * enrollment with a delegate, a stop, a benefit claim (file retrieval, review, award, its
 * certification watch) and a transfer between two provinces — then a client WITHOUT the codec
 * reads what Temporal keeps: every workflow ID, search attribute and memo from visibility, the
 * full raw history of every run (the proto as JSON, bytes as UTF-8 text so plaintext would show),
 * and every log line of the API and the workers (a collecting logger). None may contain the data,
 * in full or in ID shape (without the check digit, region + birth date, birth date + sequence).
 * The cases carry personal data in staff free text (a scan reference naming the ID number, a
 * review reason naming the claimant), which travels in workflow inputs and Update arguments: the
 * same histories decoded WITH the codec do contain it, so it is there, encrypted.
 */
import { randomInt } from 'node:crypto';
import type { Connection } from '@temporalio/client';
import { Connection as ClientConnection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { armDueRetirementWatches } from '../../../api/services/watches';
import { personKeyOf } from '../../../db/repositories/persons';
import { persons } from '../../../db/schema';
import { EncryptionCodec } from '../../../workers/payload-codec';
import { applicantOf, asUser } from '../../helpers/auth';
import {
  claimBody,
  localYearsFor,
  putPersonnelFile,
  recordsBefore,
  retiredMan,
  seedInsured,
} from '../../helpers/claims';
import { testPayloadKeys } from '../../helpers/codec';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { randomAgencies, startInstallation, type Installation } from '../../helpers/installation';
import { seedHistory, waitForCase } from '../../helpers/transfers';
import { birthDateAged } from '../../helpers/time';

jest.setTimeout(300_000);

// ---- Collected logs: the workers' (Temporal runtime: workflow, activity and core logs) and the APIs'.
const workerLines: string[] = [];
const apiLines: string[] = [];
const safeJson = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
let runtimeCollected = false;
try {
  // Before any helper installs the runtime: every worker of this file logs through it.
  Runtime.install({ logger: new DefaultLogger('DEBUG', (entry: LogEntry) => workerLines.push(safeJson(entry))) });
  runtimeCollected = true;
} catch {
  // Installed by an earlier test file in this jest worker: the log assertion fails below.
}
const apiLogger = { level: 'debug', stream: { write: (line: string) => void apiLines.push(line) } };

// ---- The personal data of the run, unique to it.
const rare = '瑾瑜珩琅瑄璟琮璋玥珏翊昶晟煜炜烨铎锴钊';
const surnames = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙'];
function uniqueName(): string {
  return `${surnames[randomInt(surnames.length)]}${rare[randomInt(rare.length)]}${rare[randomInt(rare.length)]}`;
}
function uniquePhone(): string {
  return `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

interface Someone {
  idNumber: string;
  name: string;
  phone?: string;
}
const enrolled: Someone = {
  idNumber: makeIdNumber({ birthDate: birthDateAged(43, { day: 17 }) }),
  name: uniqueName(),
  phone: uniquePhone(),
};
const delegate: Someone = { idNumber: makeIdNumber({ birthDate: birthDateAged(47, { day: 2 }) }), name: uniqueName() };
/** A man who reached his statutory retirement age two months ago. */
const claimantMan = retiredMan();
const claimant: Someone = { idNumber: claimantMan.idNumber, name: uniqueName(), phone: uniquePhone() };
/** A woman under 40 may transfer (T-2 a). */
const mover: Someone = {
  idNumber: makeIdNumber({ birthDate: birthDateAged(34, { day: 14 }), sex: 'female' }),
  name: uniqueName(),
};
const everyone = [enrolled, delegate, claimant, mover];

/** The strings that must not appear: each value in full and, for ID numbers, in ID shape. */
function forbidden(): Array<{ what: string; value: string }> {
  const out: Array<{ what: string; value: string }> = [];
  for (const p of everyone) {
    const id = p.idNumber;
    out.push({ what: 'ID number', value: id });
    if (id.toLowerCase() !== id) out.push({ what: 'ID number (lower-case x)', value: id.toLowerCase() });
    out.push({ what: 'ID number without check digit', value: id.slice(0, 17) });
    out.push({ what: 'region + birth date', value: id.slice(0, 14) });
    out.push({ what: 'birth date + sequence', value: id.slice(6, 17) });
    out.push({ what: 'name', value: p.name });
    if (p.phone) out.push({ what: 'phone', value: p.phone });
  }
  return out;
}

function leaks(where: string, text: string): string[] {
  return forbidden()
    .filter((f) => text.includes(f.value))
    .map((f) => `${where}: ${f.what}`);
}

// ---- Staff (different users for acceptance and review).
const acceptorHeaders = asUser({ user: 'clerk-pii-01', role: 'acceptor' });
const reviewerHeaders = asUser({ user: 'reviewer-pii-07', role: 'reviewer' });
/** Recognises deemed months in the personnel file; the claim review is someone else's (own work). */
const fileReviewerHeaders = asUser({ user: 'reviewer-pii-08', role: 'reviewer' });

let h: Harness;
let lanzhou: Installation;
let xian: Installation;
let connection: Connection;
const taskQueues: string[] = [];
const caseIds: string[] = [];

async function decide(caseId: string, body: object, headers: Record<string, string>) {
  const res = await post(h, `/api/v1/cases/${caseId}/decisions`, body, headers);
  expect({ caseId, status: res.status, error: res.body.error }).toEqual({ caseId, status: 200, error: undefined });
  return res.body;
}

beforeAll(async () => {
  h = await startHarness({ logger: apiLogger });
  taskQueues.push(h.taskQueue);
  const codes = randomAgencies();
  const directory = [codes.lanzhou, codes.xian];
  [lanzhou, xian] = await Promise.all([
    startInstallation({ name: 'pii_lanzhou', servedAgencies: [codes.lanzhou], directory, logger: apiLogger }),
    startInstallation({ name: 'pii_xian', servedAgencies: [codes.xian], directory, logger: apiLogger }),
  ]);
  taskQueues.push(lanzhou.taskQueue, xian.taskQueue);
  connection = await ClientConnection.connect({ address: testEnv.temporalAddress });

  // 1. Enrollment at the counter, by a delegate; accepted and approved.
  const enrollment = await post(
    h,
    '/api/v1/enrollments',
    // Staff write free text: here a scan reference that names the applicant's ID number (it travels in the workflow input).
    enrollmentBody({
      channel: 'offline',
      applicant: enrolled,
      delegate,
      materials: [
        { kind: 'id_card', ref: `scan-${enrolled.idNumber}` },
        { kind: 'delegator_id' },
        { kind: 'power_of_attorney' },
      ],
    }),
    asUser({ user: 'clerk-pii-01', role: 'acceptor' }),
  );
  expect(enrollment.status).toBe(201);
  caseIds.push(enrollment.body.caseId);
  await decide(enrollment.body.caseId, { step: 'acceptance', result: 'accept' }, acceptorHeaders);
  expect(await decide(enrollment.body.caseId, { step: 'review', result: 'approve' }, reviewerHeaders)).toMatchObject({
    outcome: 'approved',
  });
  // The person's retirement watch, started ahead of its time as the reconciler does near the pre-review date.
  expect(
    await armDueRetirementWatches({
      db: h.db,
      client: h.client,
      taskQueue: h.taskQueue,
      nowMs: Date.parse('2100-01-01T00:00:00Z'),
      personKey: personKeyOf(testEnv.personKeySecret, enrolled.idNumber),
    }),
  ).toBe(1);

  // 2. The same person stops at the counter; the reviewer approves.
  const stop = await post(
    h,
    '/api/v1/stops',
    {
      agencyCode: '620102',
      idNumber: enrolled.idNumber,
      reason: 'voluntary',
      channel: 'offline',
      effectiveDate: '2025-12-01',
      materials: [{ kind: 'id_card', ref: 'scan-stop-1' }],
    },
    asUser({ user: 'clerk-pii-01', role: 'acceptor' }),
  );
  expect(stop.status).toBe(201);
  caseIds.push(stop.body.caseId);
  expect(await decide(stop.body.caseId, { step: 'review', result: 'approve' }, reviewerHeaders)).toMatchObject({
    outcome: 'approved',
  });

  // 3. A benefit claim: file retrieved from the archive, recognised, reviewed, certified.
  const R = claimantMan.retirementYearMonth;
  const { personId } = await seedInsured(h, {
    idNumber: claimant.idNumber,
    records: recordsBefore(R, localYearsFor(R, { otherMonths: 160 })),
  });
  await h.db.update(persons).set({ name: claimant.name, phone: claimant.phone }).where(eq(persons.id, personId));
  await putPersonnelFile(claimant.idNumber, {
    birthDate: claimantMan.birthDate,
    workStartDate: `${Number(claimantMan.birthYearMonth.slice(0, 4)) + 20}-07-01`,
    deemedMonths: 160,
  });
  const claim = await post(
    h,
    '/api/v1/claims',
    claimBody(claimant.idNumber, { channel: 'offline', applicant: claimant }),
    asUser({ user: 'clerk-pii-01', role: 'acceptor' }),
  );
  expect(claim.status).toBe(201);
  caseIds.push(claim.body.caseId);
  await decide(claim.body.caseId, { step: 'acceptance', result: 'accept' }, acceptorHeaders);
  await decide(
    claim.body.caseId,
    {
      step: 'file_review',
      result: 'recognise',
      items: [{ code: 'deemed_months', note: '160' }],
      reason: `${claimant.name}档案记载视同缴费年限经核实`,
    },
    fileReviewerHeaders,
  );
  expect(await decide(claim.body.caseId, { step: 'review', result: 'approve' }, reviewerHeaders)).toMatchObject({
    outcome: 'approved',
  });

  // 4. A transfer from Lanzhou to Xi'an through the platform simulator.
  await seedHistory(lanzhou.db, {
    idNumber: mover.idNumber,
    name: mover.name,
    agencyCode: codes.lanzhou,
    periods: [{ from: '2022-01', to: '2025-12', base: '4000.00' }],
  });
  const applied = await xian.app.inject({
    method: 'POST',
    url: '/api/v1/transfers/in',
    headers: asUser(applicantOf(mover.idNumber)),
    payload: {
      agencyCode: codes.xian,
      channel: 'online',
      applicant: { idNumber: mover.idNumber, name: mover.name },
      fromAgencyCode: codes.lanzhou,
    },
  });
  expect(applied.statusCode).toBe(201);
  const transferCase = applied.json<{ caseId: string }>().caseId;
  caseIds.push(transferCase);
  expect(await waitForCase(xian.db, transferCase, (c) => c.status === 'closed', 90_000)).toMatchObject({
    outcome: 'approved',
  });
});

afterAll(async () => {
  await Promise.all([h?.stop(), lanzhou?.stop(), xian?.stop()]);
  await connection?.close();
});

type ExecutionInfo = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** Visibility as stored: every execution on this file's task queues (raw protos, nothing decoded). */
async function listRaw(): Promise<ExecutionInfo[]> {
  const query = taskQueues.map((q) => `TaskQueue = "${q}"`).join(' OR ');
  const out: ExecutionInfo[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listWorkflowExecutions({
      namespace: 'default',
      query,
      pageSize: 500,
      nextPageToken,
    });
    out.push(...(page.executions ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return out;
}

async function rawHistory(workflowId: string, runId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId, runId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/**
 * A proto tree as text with every byte field decoded as UTF-8, so a plaintext payload would be
 * readable. (Not JSON.stringify: protobufjs messages' toJSON would turn the bytes into base64.)
 */
function asText(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (v === null || v === undefined) return;
    if (v instanceof Uint8Array) parts.push(`${key}=${Buffer.from(v).toString('utf8')}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`));
    else if (typeof v === 'object') {
      // int64 fields are Long objects: their digits are all there is to see.
      if (typeof (v as { toNumber?: unknown }).toNumber === 'function')
        parts.push(`${key}=${(v as { toString(): string }).toString()}`);
      else for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`);
    } else if (typeof v === 'string') parts.push(`${key}=${v}`);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
      parts.push(`${key}=${v.toString()}`);
  };
  walk(value, '');
  return parts.join('\n');
}

/** Every payload in a proto tree. */
function payloadsIn(value: unknown, out: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const o = value as Record<string, unknown>;
  if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') out.push(o);
  for (const child of Object.values(o)) payloadsIn(child, out);
  return out;
}

async function stableListing(): Promise<ExecutionInfo[]> {
  // Visibility follows the histories closely on the dev server; wait until every case is listed.
  for (let i = 0; ; i++) {
    const listed = await listRaw();
    const ids = new Set(listed.map((e) => e.execution?.workflowId));
    if (caseIds.every((id) => ids.has(id)) || i >= 50) return listed;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('after enrollment, stop, benefit claim and transfer cases ran end to end', () => {
  let listed: ExecutionInfo[];
  beforeAll(async () => {
    listed = await stableListing();
  });

  test('every case and the workflows they started are listed (the scan covers them)', () => {
    const ids = listed.map((e) => e.execution?.workflowId ?? '');
    expect(ids).toEqual(expect.arrayContaining(caseIds));
    expect(ids.some((id) => id.startsWith('retirement-watch-'))).toBe(true);
    expect(ids.some((id) => id.startsWith('certification-'))).toBe(true);
    expect(
      ids.some((id) => id.startsWith('transfer-out') || id.includes('transfer_out') || id.includes('transfer-out')),
    ).toBe(true);
  });

  test('no workflow ID, search attribute or memo in visibility holds personal data', () => {
    const found = listed.flatMap((e) => [
      ...leaks(`workflow ID ${e.execution?.workflowId}`, e.execution?.workflowId ?? ''),
      ...leaks(`search attributes of ${e.execution?.workflowId}`, asText(e.searchAttributes)),
      ...leaks(`memo of ${e.execution?.workflowId}`, asText(e.memo)),
      ...leaks(`listing of ${e.execution?.workflowId}`, asText(e)),
    ]);
    expect(found).toEqual([]);
  });

  test('no raw history holds personal data; decoded with the codec, the histories do', async () => {
    const codec = new EncryptionCodec(testPayloadKeys());
    const found: string[] = [];
    let decodedText = '';
    let encrypted = 0;
    for (const e of listed) {
      const { workflowId, runId } = e.execution ?? {};
      const events = await rawHistory(workflowId!, runId!);
      expect(events.length).toBeGreaterThan(0);
      found.push(...leaks(`history of ${workflowId}/${runId}`, asText(events)));
      for (const payload of payloadsIn(events)) {
        if (Buffer.from(payload.metadata?.encoding ?? []).toString() === 'binary/encrypted') encrypted += 1;
        const [plain] = await codec.decode([payload]);
        decodedText += `${Buffer.from(plain.data ?? []).toString('utf8')}\n`;
      }
    }
    expect(found).toEqual([]);
    expect(encrypted).toBeGreaterThan(0);
    // The positive control: the free texts above are in Temporal, encrypted — readable with the key.
    expect({ idNumber: decodedText.includes(enrolled.idNumber), name: decodedText.includes(claimant.name) }).toEqual({
      idNumber: true,
      name: true,
    });
  });

  test('no log line of the API or the workers holds personal data', () => {
    expect(runtimeCollected).toBe(true);
    expect(workerLines.length).toBeGreaterThan(0);
    expect(apiLines.length).toBeGreaterThan(0);
    const found = [
      ...workerLines.flatMap((l, i) => leaks(`worker log line ${i}`, l)),
      ...apiLines.flatMap((l, i) => leaks(`API log line ${i}`, l)),
    ];
    expect(found).toEqual([]);
  });
});
