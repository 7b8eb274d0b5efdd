/**
 * Both procedures as operations staff find them in Temporal (dev server): filtered by the custom
 * search attributes, with a Chinese summary — and never with the applicant's ID number or name
 * in a workflow ID, a search attribute, the memo, the user metadata or the server's log. The ID
 * number may travel inside payloads (encrypted in production), which are not scanned here.
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../../api/app';
import { personKeyOf } from '../../../db/repositories/persons';
import { saCaseStage, saDueAt, saWaitingOn } from '../../../workflows/shared/search-attributes';
import { withAuth } from '../../helpers/auth';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A fresh agency in Gansu (62xxxx), so the visibility queries see only this test's workflows. */
function randomAgencyCode(): string {
  return `62${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

/** A distinctive Chinese name, so finding it anywhere cannot be a coincidence. */
function randomName(): string {
  const pick = (chars: string) => chars[randomInt(0, chars.length)];
  return `${pick('欧司上诸')}${pick('阳马官葛')}${pick('晓梓浩宇芷沐')}${pick('涵轩霖瑶翊辰')}`;
}

async function idsFor(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of h.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

function decodePayload(p: temporal.api.common.v1.IPayload | null | undefined): string {
  return p?.data ? Buffer.from(p.data).toString('utf8') : '';
}

/** Every non-payload place Temporal shows about a workflow, as text to scan. */
async function visibleText(handle: WorkflowHandle): Promise<string[]> {
  const d = await handle.describe();
  const texts = [
    d.workflowId,
    JSON.stringify(d.memo ?? {}),
    (await d.staticSummary()) ?? '',
    (await d.staticDetails()) ?? '',
  ];
  for (const { value } of d.typedSearchAttributes.getAll())
    texts.push(value instanceof Date ? value.toISOString() : String(value));
  const indexed = d.raw.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
  for (const [name, payload] of Object.entries(indexed)) texts.push(`${name}=${decodePayload(payload)}`);
  const memo = d.raw.workflowExecutionInfo?.memo?.fields ?? {};
  for (const [name, payload] of Object.entries(memo)) texts.push(`${name}=${decodePayload(payload)}`);
  // Current details (the UI's "current details") and the summaries of timers and activities.
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  texts.push(metadata.currentDetails ?? '');
  const history = await handle.fetchHistory();
  for (const event of history.events ?? []) {
    texts.push(decodePayload(event.userMetadata?.summary), decodePayload(event.userMetadata?.details));
  }
  return texts.filter((t) => t.length > 0);
}

test('enrollments and stops are found in Temporal by procedure, status, agency and stage, and none shows the applicant’s ID number or name', async () => {
  const agency = randomAgencyCode();
  const online = enrollmentBody({
    agencyCode: agency,
    channel: 'online',
    applicant: { idNumber: makeIdNumber(), name: randomName() },
  });
  const offline = enrollmentBody({
    agencyCode: agency,
    channel: 'offline',
    applicant: { idNumber: makeIdNumber(), name: randomName() },
    materials: [{ kind: 'id_card', ref: 'scan-1' }],
  });

  const onlineCase = await post(h, '/api/v1/enrollments', online);
  expect(onlineCase.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  const offlineCase = await post(h, '/api/v1/enrollments', offline);
  expect(offlineCase.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  // The online applicant, now enrolled at this agency, stops insurance again (online, decided by the rule).
  const stopCase = await post(h, '/api/v1/stops', {
    agencyCode: agency,
    idNumber: online.applicant.idNumber,
    reason: 'voluntary',
  });
  expect(stopCase.status).toBe(201);
  expect(stopCase.body).toMatchObject({ procedure: 'stop', status: 'closed', outcome: 'approved' });
  const [enrolledId, openId, stopId] = [
    onlineCase.body.caseId as string,
    offlineCase.body.caseId as string,
    stopCase.body.caseId as string,
  ];

  const expectations: Array<[string, string[]]> = [
    [`CaseProcedure = 'enrollment' AND CaseStatus = 'open' AND AgencyCode = '${agency}'`, [openId]],
    [`CaseProcedure = 'enrollment' AND CaseStatus = 'closed' AND AgencyCode = '${agency}'`, [enrolledId]],
    [`CaseProcedure = 'stop' AND CaseStatus = 'closed' AND AgencyCode = '${agency}'`, [stopId]],
    [`CaseProcedure = 'stop' AND CaseStatus = 'open' AND AgencyCode = '${agency}'`, []],
    [
      `AgencyCode = '${agency}' AND WaitingOn = 'staff' AND CaseStage = 'acceptance' AND ClockState = 'running'`,
      [openId],
    ],
    [`AgencyCode = '${agency}' AND CaseOutcome = 'approved'`, [enrolledId, stopId].sort()],
    [`PersonKey = '${personKeyOf(testEnv.personKeySecret, online.applicant.idNumber)}'`, [enrolledId, stopId].sort()],
    [`AgencyCode = '${agency}'`, [enrolledId, openId, stopId].sort()],
  ];
  // Visibility is eventually consistent on the dev server: poll each query briefly.
  for (const [query, expected] of expectations) {
    const found = await eventually(
      () => idsFor(query),
      (ids) => JSON.stringify(ids) === JSON.stringify(expected),
    );
    expect({ query, found }).toEqual({ query, found: expected });
  }

  const openHandle = h.client.workflow.getHandle(openId);
  const openAttributes = (await openHandle.describe()).typedSearchAttributes;
  expect(openAttributes.get(saCaseStage)).toBe('acceptance');
  expect(openAttributes.get(saWaitingOn)).toBe('staff');
  expect(openAttributes.get(saDueAt)?.toISOString()).toBe(offlineCase.body.clock.dueAt);

  const summaries = await Promise.all(
    [enrolledId, openId, stopId].map(async (id) => (await h.client.workflow.getHandle(id).describe()).staticSummary()),
  );
  expect(summaries).toEqual([
    `灵活就业人员参保登记 · 经办机构 ${agency} · 网上受理`,
    `灵活就业人员参保登记 · 经办机构 ${agency} · 窗口受理`,
    `停止参保 · 经办机构 ${agency} · 网上受理`,
  ]);

  const secrets = [
    online.applicant.idNumber,
    online.applicant.name,
    offline.applicant.idNumber,
    offline.applicant.name,
  ];
  for (const id of [enrolledId, openId, stopId]) {
    const texts = await visibleText(h.client.workflow.getHandle(id));
    expect(texts.length).toBeGreaterThan(5);
    const leaks = texts.filter((t) => secrets.some((s) => t.toUpperCase().includes(s.toUpperCase())));
    expect({ workflowId: id, leaks }).toEqual({ workflowId: id, leaks: [] });
  }

  // The dev server's log (written by the global set-up) must not carry them either.
  const log = path.join(process.env.TEST_ROOT ?? '', 'temporal.log');
  if (fs.existsSync(log)) {
    const text = fs.readFileSync(log, 'utf8');
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
  }
});

test('a database failure while receiving an application is logged without the applicant’s ID number or name', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  // The production logger (server.ts logs at info level), writing into `lines`.
  const logger = { level: 'info', stream } as unknown as { level: string };
  const app = await buildApp({
    db: h.db,
    temporal: h.client,
    taskQueue: h.taskQueue,
    personKeySecret: testEnv.personKeySecret,
    auth: testEnv.auth,
    assertions: testEnv.assertions,
    supplementWorkingDays: 10,
    logger,
  });
  const body = enrollmentBody({
    agencyCode: randomAgencyCode(),
    applicant: { idNumber: makeIdNumber(), name: randomName() },
  });
  // Registering exactly this person fails in the database, as an outage mid-request would.
  const fn = `test_fail_${randomBytes(4).toString('hex')}`;
  await h.db.execute(
    sql.raw(
      `create function ${fn}() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end; $$`,
    ),
  );
  await h.db.execute(
    sql.raw(
      `create trigger ${fn} before insert on persons for each row when (new.id_number = '${body.applicant.idNumber}') execute function ${fn}()`,
    ),
  );
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: body,
      headers: withAuth('POST', '/api/v1/enrollments', body),
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: expect.any(String) } });
  } finally {
    await h.db.execute(sql.raw(`drop trigger if exists ${fn} on persons`));
    await h.db.execute(sql.raw(`drop function if exists ${fn}()`));
    await app.close();
  }
  const log = lines.join('');
  expect(log).toContain('unhandled error');
  expect(log).toContain('injected failure');
  expect([body.applicant.idNumber, body.applicant.name].filter((secret) => log.includes(secret))).toEqual([]);
});
