/**
 * Enrollment (E-1..E-8) end to end: HTTP API → Temporal dev server → worker → PostgreSQL.
 */
import { startHarness, type Harness } from '../../helpers/harness';
import {
  codesOf,
  countCasesOf,
  enrollmentBody,
  post,
  relationsOf,
  reviewer,
  seedRelation,
  staff,
  get,
} from '../../helpers/fixtures';
import { makeIdNumber } from '../../helpers/env';
import { ITEM_TEXT } from '../../../domain/materials';

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
    expect(res.body).toMatchObject({
      procedure: 'enrollment',
      status: 'closed',
      outcome: 'approved',
      stage: 'closed',
      waitingOn: null,
    });
    expect(res.body.caseId).toMatch(/^enrollment-620102-\d{4}-\d{6}$/);
    expect(res.body.workflowId).toBe(res.body.caseId);
    expect(res.body.events.map((e: { clause: string }) => e.clause)).toContain('5.2.2.2 a');
    expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
      expect.objectContaining({
        agencyCode: '620102',
        status: 'contributing',
        category: 'part_time',
        lastCaseId: res.body.caseId,
      }),
    ]);
  });

  test('an already flexibly enrolled person is refused with a notice listing the reason', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620103', status: 'contributing', category: 'part_time' });
    const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'already_enrolled_flexible',
    });
    expect(res.body.notices).toHaveLength(1);
    expect(res.body.notices[0]).toMatchObject({
      kind: 'refusal_reasons',
      items: [expect.objectContaining({ code: 'already_enrolled_flexible' })],
    });
    expect(res.body.notices[0].text).toContain('一次性告知全部原因');
  });
});

describe('offline enrollment', () => {
  test('missing materials get one notice listing every item; the case completes after the supplement and both staff steps', async () => {
    const body = enrollmentBody({
      channel: 'offline',
      materials: [],
      delegate: { idNumber: makeIdNumber(), name: '代办人' },
    });
    const created = await post(h, '/api/v1/enrollments', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(created.body.notices).toHaveLength(1);
    expect(created.body.notices[0].items.map((i: { code: string }) => i.code)).toEqual([
      'identity_document',
      'delegator_id',
      'power_of_attorney',
    ]);
    expect(created.body.clock.state).toBe('paused');
    const caseId = created.body.caseId;

    const supplemented = await post(h, `/api/v1/cases/${caseId}/materials`, {
      materials: [{ kind: 'id_card' }, { kind: 'delegator_id' }, { kind: 'power_of_attorney' }],
    });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(supplemented.body.clock.state).toBe('running');

    const accepted = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      staff,
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });

    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
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

type Item = { code: string; text: string };

/** An offline case whose materials are complete, now waiting for the counter's acceptance check. */
async function offlineCaseAwaitingAcceptance(idNumber = makeIdNumber()): Promise<string> {
  const res = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ channel: 'offline', applicant: { idNumber, name: '测试人' } }),
  );
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
  return res.body.caseId as string;
}

describe('online enrollment with incomplete materials (E-5, E-6)', () => {
  test('an online application missing materials gets one notice listing every missing item, and the supplement completes it automatically', async () => {
    const body = enrollmentBody({ materials: [], delegate: { idNumber: makeIdNumber(), name: '代办人' } });
    const created = await post(h, '/api/v1/enrollments', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'open',
      stage: 'awaiting_supplement',
      waitingOn: 'applicant',
      outcome: null,
    });
    expect(created.body.clock.state).toBe('paused');
    expect(created.body.notices).toHaveLength(1);
    const notice = created.body.notices[0];
    expect(notice).toMatchObject({ kind: 'missing_materials', round: 1, channel: 'online' });
    expect(codesOf(notice.items)).toEqual(['identity_document', 'delegator_id', 'power_of_attorney']);
    for (const code of ['identity_document', 'delegator_id', 'power_of_attorney'])
      expect(notice.text).toContain(ITEM_TEXT[code]);
    expect(notice.replyDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await relationsOf(h, body.applicant.idNumber)).toEqual([]);

    const supplemented = await post(h, `/api/v1/cases/${created.body.caseId}/materials`, {
      materials: [
        { kind: 'social_security_card', ref: 'up-1' },
        { kind: 'delegator_id' },
        { kind: 'power_of_attorney' },
      ],
    });
    expect(supplemented.status).toBe(200);
    expect(supplemented.body).toMatchObject({ status: 'closed', outcome: 'approved', waitingOn: null });
    expect(supplemented.body.notices).toHaveLength(1);
    expect(
      supplemented.body.materials
        .filter((m: { round: number }) => m.round === 1)
        .map((m: { kind: string }) => m.kind)
        .sort(),
    ).toEqual(['delegator_id', 'power_of_attorney', 'social_security_card']);
    expect(supplemented.body.decisions).toEqual([]);
    expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
      expect.objectContaining({ agencyCode: '620102', status: 'contributing', lastCaseId: created.body.caseId }),
    ]);
  });
});

describe('offline enrollment: supplements and the counter check (E-5, E-6)', () => {
  test('a partial supplement keeps the case waiting on the applicant with the clock paused and issues no second notice; the rest completes it', async () => {
    const body = enrollmentBody({
      channel: 'offline',
      materials: [],
      delegate: { idNumber: makeIdNumber(), name: '代办人' },
    });
    const created = await post(h, '/api/v1/enrollments', body);
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;

    const partial = await post(h, `/api/v1/cases/${caseId}/materials`, {
      materials: [{ kind: 'id_card', ref: 'scan-2' }],
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(partial.body.clock.state).toBe('paused');
    expect(partial.body.dueAt).toBeNull();
    expect(partial.body.notices).toHaveLength(1);
    const supplementEvent = partial.body.events.filter((e: { type: string }) => e.type === 'materials_supplemented');
    expect(supplementEvent).toHaveLength(1);
    expect(supplementEvent[0].detail.outstanding).toEqual(['delegator_id', 'power_of_attorney']);

    const rest = await post(h, `/api/v1/cases/${caseId}/materials`, {
      materials: [{ kind: 'delegator_id' }, { kind: 'power_of_attorney' }],
    });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ status: 'open', stage: 'acceptance', waitingOn: 'staff' });
    expect(rest.body.clock.state).toBe('running');
    expect(rest.body.dueAt).not.toBeNull();
    expect(rest.body.notices).toHaveLength(1);
    expect(rest.body.materials.map((m: { kind: string; round: number }) => [m.round, m.kind])).toEqual([
      [1, 'id_card'],
      [2, 'delegator_id'],
      [2, 'power_of_attorney'],
    ]);

    const accepted = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      staff,
    );
    expect(accepted.status).toBe(200);
    const approved = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(approved.body.notices).toHaveLength(1);
    expect(await relationsOf(h, body.applicant.idNumber)).toEqual([
      expect.objectContaining({ status: 'contributing', agencyCode: '620102' }),
    ]);
  });

  test('after a supplement the counter may only name items that supplement touched: another item is 422, a touched item gets a round-2 notice', async () => {
    const created = await post(h, '/api/v1/enrollments', enrollmentBody({ channel: 'offline', materials: [] }));
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    expect(codesOf(created.body.notices[0].items)).toEqual(['identity_document']);

    const supplemented = await post(h, `/api/v1/cases/${caseId}/materials`, {
      materials: [{ kind: 'id_card', ref: 'scan-3' }],
    });
    expect(supplemented.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });

    const untouched = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'incomplete', items: [{ code: 'household_register' }] },
      staff,
    );
    expect(untouched.status).toBe(422);
    expect(untouched.body.error).toMatchObject({ code: 'notice.item_not_touched', field: 'items' });
    const unchanged = await get(h, `/api/v1/cases/${caseId}`);
    expect(unchanged.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(unchanged.body.notices).toHaveLength(1);
    expect(unchanged.body.decisions).toEqual([]);

    const touched = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'incomplete', items: [{ code: 'id_card', note: '复印件不清晰' }] },
      staff,
    );
    expect(touched.status).toBe(200);
    expect(touched.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(touched.body.clock.state).toBe('paused');
    expect(touched.body.notices).toHaveLength(2);
    const second = touched.body.notices[1];
    expect(second).toMatchObject({
      kind: 'missing_materials',
      round: 2,
      items: [{ code: 'id_card', text: `${ITEM_TEXT.id_card}（复印件不清晰）` }],
    });
    expect(second.text).toContain('第2次');
    expect(touched.body.decisions).toEqual([
      expect.objectContaining({
        step: 'acceptance',
        result: 'incomplete',
        actor: { id: 'clerk-01', role: 'acceptor' },
      }),
    ]);
  });
});

describe('enrollment review against existing relations (E-7, E-8)', () => {
  test('a relation interrupted at another agency in the province is resumed at the new agency and contributes again', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620103', status: 'interrupted', category: null });
    const res = await post(
      h,
      '/api/v1/enrollments',
      enrollmentBody({ applicant: { idNumber, name: '测试人' }, category: 'individual_business' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved', followUp: null });
    const resumed = res.body.events.find((e: { type: string }) => e.type === 'relation_resumed');
    expect(resumed).toMatchObject({
      clause: '5.2.2.2 a',
      detail: expect.objectContaining({ action: 'resume', previousAgency: '620103' }),
    });
    expect(res.body.events.some((e: { type: string }) => e.type === 'relation_created')).toBe(false);
    expect(await relationsOf(h, idNumber)).toEqual([
      expect.objectContaining({
        agencyCode: '620102',
        status: 'contributing',
        category: 'individual_business',
        lastCaseId: res.body.caseId,
      }),
    ]);
  });

  test('a live relation in another province does not prevent enrollment: the relation is created here and a transfer-in must follow', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '610102', status: 'contributing', category: null });
    const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved', followUp: 'transfer_in_required' });
    const created = res.body.events.find((e: { type: string }) => e.type === 'relation_created');
    expect(created.detail).toMatchObject({ action: 'create', transferInFrom: '610102', transferClause: '5.2.2.1 c' });
    const rows = await relationsOf(h, idNumber);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agencyCode: '610102', status: 'contributing', category: null }),
        expect.objectContaining({
          agencyCode: '620102',
          status: 'contributing',
          category: 'part_time',
          lastCaseId: res.body.caseId,
        }),
      ]),
    );
  });

  test('a person receiving a pension in the province is refused with already_receiving and the relation is left alone', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'receiving', category: null });
    const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'already_receiving' });
    expect(res.body.notices).toEqual([expect.objectContaining({ kind: 'refusal_reasons', round: 1 })]);
    expect(codesOf(res.body.notices[0].items)).toEqual(['already_receiving']);
    expect(await relationsOf(h, idNumber)).toEqual([
      expect.objectContaining({ agencyCode: '620102', status: 'receiving', lastCaseId: null }),
    ]);
  });

  test('a person still contributing through an employer in the province is refused with relation_not_interrupted', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620105', status: 'contributing', category: null });
    const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '测试人' } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'relation_not_interrupted' });
    expect(codesOf(res.body.notices[0].items)).toEqual(['relation_not_interrupted']);
    expect(res.body.notices[0].items[0].text).toContain('620105');
    expect(await relationsOf(h, idNumber)).toEqual([
      expect.objectContaining({ agencyCode: '620105', status: 'contributing', category: null }),
    ]);
  });
});

describe('offline review by staff (E-7, E-8)', () => {
  test('a reviewer who refuses gives every reason at once and they appear on one refusal notice', async () => {
    const idNumber = makeIdNumber();
    const caseId = await offlineCaseAwaitingAcceptance(idNumber);
    const accepted = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'acceptance', result: 'accept' },
      staff,
    );
    expect(accepted.body).toMatchObject({ stage: 'review', waitingOn: 'reviewer' });

    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      {
        step: 'review',
        result: 'refuse',
        reason: '经核查不符合条件',
        items: [{ code: 'category_not_eligible' }, { code: 'materials_invalid', note: '营业执照显示有雇工' }],
      },
      reviewer,
    );
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'category_not_eligible,materials_invalid',
    });
    expect(refused.body.notices).toHaveLength(1);
    const notice = refused.body.notices[0];
    expect(notice).toMatchObject({ kind: 'refusal_reasons', round: 1, channel: 'offline' });
    expect(notice.items as Item[]).toEqual([
      { code: 'category_not_eligible', text: '经审核，申请人不符合灵活就业人员参保条件' },
      { code: 'materials_invalid', text: '营业执照显示有雇工' },
    ]);
    expect(notice.text).toContain('营业执照显示有雇工');
    expect(refused.body.decisions.map((d: { step: string; result: string }) => [d.step, d.result])).toEqual([
      ['acceptance', 'accept'],
      ['review', 'refuse'],
    ]);
    expect(await relationsOf(h, idNumber)).toEqual([]);
  });

  test('a reviewer\'s refusal names only known reasons: an unknown code or "other" without its text is 422, a known code without a note gets its standard text', async () => {
    const idNumber = makeIdNumber();
    const caseId = await offlineCaseAwaitingAcceptance(idNumber);
    await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);

    const unknown = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'refuse', items: [{ code: 'looks_suspicious' }] },
      reviewer,
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'decision.unknown_item', field: 'items' });
    const bareOther = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'refuse', items: [{ code: 'other' }] },
      reviewer,
    );
    expect(bareOther.status).toBe(422);
    expect(bareOther.body.error).toMatchObject({ code: 'decision.note_required', field: 'items' });
    expect((await get(h, `/api/v1/cases/${caseId}`)).body).toMatchObject({ status: 'open', waitingOn: 'reviewer' });

    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'refuse', items: [{ code: 'materials_invalid' }] },
      reviewer,
    );
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'materials_invalid' });
    const items = refused.body.notices[0].items as Item[];
    expect(codesOf(items)).toEqual(['materials_invalid']);
    expect(items[0].text).not.toBe('materials_invalid');
    expect(items[0].text).toMatch(/[\u4e00-\u9fff]/);
    expect(refused.body.notices[0].text).not.toContain('materials_invalid');
  });

  test('a reviewer cannot approve a case the rules refuse (422 review.not_eligible), and can still refuse it', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'receiving', category: null });
    const caseId = await offlineCaseAwaitingAcceptance(idNumber);
    await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);

    const approve = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
    expect(approve.status).toBe(422);
    expect(approve.body.error).toMatchObject({ code: 'review.not_eligible', field: 'result' });
    expect(approve.body.error.message).toContain('已按月领取基本养老金');
    const still = await get(h, `/api/v1/cases/${caseId}`);
    expect(still.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
    expect(still.body.decisions).toHaveLength(1);

    const refuse = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'refuse' }, reviewer);
    expect(refuse.status).toBe(200);
    expect(refuse.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'already_receiving' });
    expect(codesOf(refuse.body.notices[0].items)).toEqual(['already_receiving']);
    expect(await relationsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'receiving' })]);
  });
});

describe('staff decisions that are refused', () => {
  test('a decision for a step the case is not waiting for is 409 case.wrong_step, a result its step does not take 422, a step or result no procedure has 400', async () => {
    const caseId = await offlineCaseAwaitingAcceptance();
    const refused = [
      {
        body: { step: 'review', result: 'approve' },
        by: reviewer,
        status: 409,
        error: { code: 'case.wrong_step', field: 'step' },
      },
      {
        body: { step: 'acceptance', result: 'approve' },
        by: staff,
        status: 422,
        error: { code: 'decision.invalid_result', field: 'result' },
      },
      // No procedure has these: the decision schema (built from the workflows' *_STEPS) refuses them.
      {
        body: { step: 'acceptence', result: 'accept' },
        by: staff,
        status: 400,
        error: { code: 'validation.const', field: 'step' },
      },
      {
        body: { step: 'acceptance', result: 'accepted' },
        by: staff,
        status: 400,
        error: { code: 'validation.const', field: 'result' },
      },
    ];
    for (const r of refused) {
      const res = await post(h, `/api/v1/cases/${caseId}/decisions`, r.body, r.by);
      expect({ body: r.body, status: res.status, error: res.body.error }).toMatchObject({
        body: r.body,
        status: r.status,
        error: r.error,
      });
    }
    const after = await get(h, `/api/v1/cases/${caseId}`);
    expect(after.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(after.body.decisions).toEqual([]);
  });

  test('a decision without a bearer token is 401 auth.missing_token (actor headers are no substitute) and changes nothing', async () => {
    const caseId = await offlineCaseAwaitingAcceptance();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/decisions`,
      payload: { step: 'acceptance', result: 'accept' },
      headers: { 'x-actor-id': 'clerk-01', 'x-actor-role': 'acceptor' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ code: 'auth.missing_token', field: 'Authorization' });
    const after = await get(h, `/api/v1/cases/${caseId}`);
    expect(after.body).toMatchObject({ stage: 'acceptance', waitingOn: 'staff' });
    expect(after.body.decisions).toEqual([]);
  });

  test('a decision or a supplement on a closed case is 409 case.closed', async () => {
    const done = await post(h, '/api/v1/enrollments', enrollmentBody());
    expect(done.body.status).toBe('closed');
    const caseId = done.body.caseId as string;
    const decision = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(decision.status).toBe(409);
    expect(decision.body.error).toMatchObject({ code: 'case.closed', caseId });
    const supplement = await post(h, `/api/v1/cases/${caseId}/materials`, { materials: [{ kind: 'id_card' }] });
    expect(supplement.status).toBe(409);
    expect(supplement.body.error.code).toBe('case.closed');
    const after = await get(h, `/api/v1/cases/${caseId}`);
    expect(after.body.decisions).toEqual([]);
    expect(after.body.materials).toHaveLength(1);
  });

  test('a supplement while the case waits on staff is 409 case.not_awaiting_supplement', async () => {
    const caseId = await offlineCaseAwaitingAcceptance();
    const res = await post(h, `/api/v1/cases/${caseId}/materials`, { materials: [{ kind: 'household_register' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('case.not_awaiting_supplement');
    expect((await get(h, `/api/v1/cases/${caseId}`)).body.materials).toHaveLength(1);
  });

  test('an unknown case is 404 case.not_found for reading, deciding and supplementing; a malformed case ID is 400', async () => {
    const caseId = 'enrollment-629999-2000-999999';
    const read = await get(h, `/api/v1/cases/${caseId}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('case.not_found');
    const decide = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
    expect(decide.status).toBe(404);
    expect(decide.body.error.code).toBe('case.not_found');
    const supplement = await post(h, `/api/v1/cases/${caseId}/materials`, { materials: [{ kind: 'id_card' }] });
    expect(supplement.status).toBe(404);
    expect(supplement.body.error.code).toBe('case.not_found');
    const malformed = await get(h, '/api/v1/cases/not-a-case-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('params.caseId');
  });

  test('a refused decision leaves the case waiting: after a wrong-step attempt the right steps still approve it, with one case for the person', async () => {
    const idNumber = makeIdNumber();
    const caseId = await offlineCaseAwaitingAcceptance(idNumber);
    await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
    await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'acceptance', result: 'accept' }, staff);
    await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'approve' }, reviewer);
    expect(await countCasesOf(h, idNumber)).toBe(1);
    expect(await relationsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'contributing', lastCaseId: caseId }),
    ]);
  });
});
