/**
 * Archives and timelines that outlive the engine: a closed case is filed with a content hash
 * look-ups are logged, and its timeline stays readable after Temporal's history is
 * gone, from the export.
 */
import { eq } from 'drizzle-orm';
import { exportCaseHistory } from '../../../api/services/history-export';
import { archiveLookups, archiveRecords, caseHistories } from '../../../db/schema';
import { withAuth } from '../../helpers/auth';
import { enrollmentBody, get, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { eventually } from '../../helpers/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function closedEnrollment(): Promise<string> {
  const res = await post(h, '/api/v1/enrollments', enrollmentBody());
  expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved' });
  return res.body.caseId as string;
}

test('a closed case is filed once, with its notices, decisions and events and a hash of the content', async () => {
  const caseId = await closedEnrollment();
  const [record] = await h.db.select().from(archiveRecords).where(eq(archiveRecords.caseId, caseId));
  expect(record).toMatchObject({ procedure: 'enrollment', agencyCode: '620102', retentionClass: 'permanent' });
  expect(record.contentHash).toMatch(/^[0-9a-f]{64}$/);
  const content = record.content as { status: string; outcome: string; events: Array<{ type: string }> };
  expect(content).toMatchObject({ status: 'closed', outcome: 'approved' });
  expect(content.events.map((e) => e.type)).toContain('relation_created');
});

test('an archive look-up returns the record, says whether it is intact, and is logged with who and why', async () => {
  const caseId = await closedEnrollment();
  const res = await h.app.inject({
    method: 'GET',
    url: `/api/v1/archives/${caseId}?purpose=${encodeURIComponent('审计抽查')}`,
    headers: withAuth('GET', '/api/v1/archives'),
  });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ caseId, intact: true, procedure: 'enrollment' });
  const log = await h.db.select().from(archiveLookups).where(eq(archiveLookups.caseId, caseId));
  expect(log).toHaveLength(1);
  expect(log[0].purpose).toBe('审计抽查');
  const open = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline' }));
  const missing = await h.app.inject({
    method: 'GET',
    url: `/api/v1/archives/${open.body.caseId as string}`,
    headers: withAuth('GET', '/api/v1/archives'),
  });
  expect(missing.statusCode).toBe(404);
  expect(missing.json().error.code).toBe('archive.not_found');
});

test('the timeline merges audit events and the Temporal history, and stays readable from the export after the history is deleted', async () => {
  const caseId = await closedEnrollment();
  const live = await get(h, `/api/v1/cases/${caseId}/timeline`);
  expect(live.status).toBe(200);
  expect(live.body.historySource).toBe('live');
  const kinds = (live.body.entries as Array<{ source: string; kind: string }>).map((e) => `${e.source}:${e.kind}`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      'audit:application_received',
      'audit:relation_created',
      'temporal:workflow_started',
      'temporal:activity_scheduled',
      'temporal:workflow_completed',
    ]),
  );
  const times = (live.body.entries as Array<{ at: string }>).map((e) => e.at);
  expect([...times].sort()).toEqual(times);

  expect(await exportCaseHistory(h.client, h.db, caseId)).toBe(true);
  const [exported] = await h.db.select().from(caseHistories).where(eq(caseHistories.caseId, caseId));
  expect(exported.eventCount).toBeGreaterThan(5);
  expect(exported.historyHash).toMatch(/^[0-9a-f]{64}$/);

  await h.client.workflowService.deleteWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: caseId },
  });
  await eventually(
    () =>
      h.client.workflow
        .getHandle(caseId)
        .describe()
        .then(
          () => false,
          () => true,
        ),
    (gone) => gone,
    // Deletion runs as a background task on the server; under a loaded test run it takes a while.
    120_000,
    500,
  );
  const later = await get(h, `/api/v1/cases/${caseId}/timeline`);
  expect(later.body.historySource).toBe('export');
  const laterKinds = (later.body.entries as Array<{ source: string; kind: string }>).map(
    (e) => `${e.source}:${e.kind}`,
  );
  expect(laterKinds).toEqual(kinds);
});
