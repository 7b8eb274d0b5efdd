/**
 * Enrollment (E-1..E-8) end to end: HTTP API → Temporal dev server → worker → PostgreSQL.
 */
import { startHarness, type Harness } from '../../helpers/harness';
import { enrollmentBody, post, relationsOf, reviewer, seedRelation, staff, get } from '../../helpers/fixtures';
import { makeIdNumber } from '../../helpers/env';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('online enrollment', () => {
  test('a complete online application returns the final outcome in the same call and creates the relation', async () => {
    const body = enrollmentBody();
    const res = await post(h, '/api/v1/enrollments', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ procedure: 'enrollment', status: 'closed', outcome: 'approved', stage: 'closed', waitingOn: null });
    expect(res.body.caseId).toMatch(/^enrollment-620102-\d{4}-\d{6}$/);
    expect(res.body.workflowId).toBe(res.body.caseId);
    expect(res.body.events.map((e: { clause: string }) => e.clause)).toContain('5.2.2.2 a');
    expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
      expect.objectContaining({ agencyCode: '620102', status: 'contributing', category: 'part_time', lastCaseId: res.body.caseId }),
    ]);
  });

  test('an already flexibly enrolled person is refused with a notice listing the reason', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620103', status: 'contributing', category: 'part_time' });
    const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'already_enrolled_flexible' });
    expect(res.body.notices).toHaveLength(1);
    expect(res.body.notices[0]).toMatchObject({ kind: 'refusal_reasons', items: [expect.objectContaining({ code: 'already_enrolled_flexible' })] });
    expect(res.body.notices[0].text).toContain('一次性告知全部原因');
  });
});

describe('offline enrollment', () => {
  test('missing materials get one notice listing every item; the case completes after the supplement and both staff steps', async () => {
    const body = enrollmentBody({ channel: 'offline', materials: [], delegate: { idNumber: makeIdNumber(), name: '代办人' } });
    const created = await post(h, '/api/v1/enrollments', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(created.body.notices).toHaveLength(1);
    expect(created.body.notices[0].items.map((i: { code: string }) => i.code)).toEqual(['identity_document', 'delegator_id', 'power_of_attorney']);
    expect(created.body.clock.state).toBe('paused');
    const caseId = created.body.caseId;

    const supplemented = await post(h, `/api/v1/cases/${caseId}/materials`, {
      materials: [{ kind: 'id_card' }, { kind: 'delegator_id' }, { kind: 'power_of_attorney' }],
    });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(supplemented.body.clock.state).toBe('running');

    const accepted = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });

    const approved = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(approved.body.decisions.map((d: { step: string; actor: { id: string } }) => [d.step, d.actor.id])).toEqual([
      ['acceptance', 'clerk-01'],
      ['review', 'reviewer-07'],
    ]);
    const fetched = await get(h, `/api/v1/cases/${caseId}`);
    expect(fetched.body.notices).toHaveLength(1);
  });
});
