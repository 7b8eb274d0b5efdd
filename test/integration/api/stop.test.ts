/**
 * Stopping insurance (S-1..S-4) end to end: HTTP API → Temporal dev server → worker → PostgreSQL.
 */
import { contributionRecords } from '../../../db/schema';
import { STOP_REASONS } from '../../../domain/stop';
import { asUser } from '../../helpers/auth';
import { chinaDateOf } from '../../../domain/working-days';
import { makeIdNumber, testEnv } from '../../helpers/env';
import {
  codesOf,
  countCasesOf,
  countPersons,
  get,
  post,
  relationDetailsOf,
  reviewer,
  seedPerson,
  seedRelation,
  stopBody,
} from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const STOPS = '/api/v1/stops';

/** Records a death in the death-registry simulator (data comparison, 10.2.2). */
async function registerDeath(idNumber: string, dateOfDeath: string): Promise<void> {
  const res = await fetch(`${testEnv.governmentUrl}/admin/death-registry/${idNumber}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dateOfDeath }),
  });
  if (!res.ok) throw new Error(`death registry: ${res.status}`);
}

describe('online stop: every S-1 reason for a contributing relation (S-1, S-3, S-4)', () => {
  // A death the registry confirms; a transfer out only through a transfer case (below).
  test.each(STOP_REASONS.filter((r) => r !== 'transferred_out').map((reason) => [reason]))(
    'a stop for reason "%s" is approved at once and stops the relation with that reason and date',
    async (reason) => {
      const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
      if (reason === 'death') await registerDeath(idNumber, '2025-06-30');
      const detail = reason === 'other' ? '人民法院宣告失踪' : undefined;
      const res = await post(h, STOPS, stopBody(idNumber, { reason, detail, effectiveDate: '2025-06-30' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        procedure: 'stop',
        status: 'closed',
        outcome: 'approved',
        stage: 'closed',
        waitingOn: null,
        channel: 'online',
      });
      expect(res.body.caseId).toMatch(/^stop-620102-\d{4}-\d{6}$/);
      expect(res.body.application).toMatchObject({ reason, effectiveDate: '2025-06-30' });
      expect(res.body.notices).toEqual([]);
      const stopped = res.body.events.find((e: { type: string }) => e.type === 'relation_stopped');
      expect(stopped).toMatchObject({
        clause: '7.2',
        detail: expect.objectContaining({ reason, effectiveDate: '2025-06-30', agencyCode: '620102' }),
      });
      expect(await relationDetailsOf(h, idNumber)).toEqual([
        {
          agencyCode: '620102',
          status: 'stopped',
          category: 'part_time',
          stopReason: reason,
          stopDetail: detail ?? null,
          since: '2025-06-30',
          lastCaseId: res.body.caseId,
        },
      ]);
    },
  );

  test('without an effective date the stop takes effect today (China date)', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'interrupted', category: null });
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'settled_abroad' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'approved' });
    const today = chinaDateOf(Date.now());
    expect(res.body.application.effectiveDate).toBe(today);
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'stopped', stopReason: 'settled_abroad', since: today }),
    ]);
  });
});

describe('online stop refused by the rules (S-4)', () => {
  test('a registered person without a live relation at this agency is refused with no_relation_here on one notice', async () => {
    const { idNumber } = await seedPerson(h);
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'voluntary' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'no_relation_here' });
    expect(res.body.notices).toHaveLength(1);
    expect(res.body.notices[0]).toMatchObject({ kind: 'refusal_reasons', round: 1 });
    expect(codesOf(res.body.notices[0].items)).toEqual(['no_relation_here']);
    expect(res.body.notices[0].text).toContain('一次性告知全部原因');
    expect(await relationDetailsOf(h, idNumber)).toEqual([]);
  });

  test('a stopped relation is not a relation to stop again: refused with no_relation_here', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'stopped' });
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'voluntary' }));
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'no_relation_here' });
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'stopped', stopReason: null, lastCaseId: null }),
    ]);
  });

  test('a relation held at another agency in the province is refused with relation_at_other_agency naming that agency', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620104', status: 'contributing' });
    const res = await post(h, STOPS, stopBody(idNumber, { agencyCode: '620102', reason: 'voluntary' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'relation_at_other_agency' });
    expect(codesOf(res.body.notices[0].items)).toEqual(['relation_at_other_agency']);
    expect(res.body.notices[0].items[0].text).toContain('620104');
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ agencyCode: '620104', status: 'contributing', lastCaseId: null }),
    ]);
  });

  test("a pensioner's relation stops on death", async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'receiving', category: null });
    await registerDeath(idNumber, '2025-11-02');
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'death', effectiveDate: '2025-11-02' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({
        status: 'stopped',
        stopReason: 'death',
        since: '2025-11-02',
        lastCaseId: res.body.caseId,
      }),
    ]);
  });

  test('a pensioner cannot stop voluntarily: refused with receiving_pension and the pension relation is untouched', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'receiving', category: null });
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'voluntary' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'receiving_pension' });
    expect(codesOf(res.body.notices[0].items)).toEqual(['receiving_pension']);
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'receiving', stopReason: null, lastCaseId: null }),
    ]);
  });
});

describe('offline stop confirmed by a reviewer (S-2)', () => {
  test('an offline stop waits for the reviewer; the relation stops only when the reviewer approves', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const created = await post(
      h,
      STOPS,
      stopBody(idNumber, { channel: 'offline', reason: 'voluntary', effectiveDate: '2025-12-01' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'open',
      stage: 'review',
      waitingOn: 'reviewer',
      outcome: null,
      channel: 'offline',
    });
    expect(await relationDetailsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'contributing' })]);

    const approved = await post(
      h,
      `/api/v1/cases/${created.body.caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(approved.body.decisions).toEqual([
      expect.objectContaining({ step: 'review', result: 'approve', actor: { id: 'reviewer-07', role: 'reviewer' } }),
    ]);
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({
        status: 'stopped',
        stopReason: 'voluntary',
        since: '2025-12-01',
        lastCaseId: created.body.caseId,
      }),
    ]);
  });

  test('an offline reviewer refusal with a reason closes the case refused, lists the reason on the notice and keeps the relation', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const created = await post(h, STOPS, stopBody(idNumber, { channel: 'offline', reason: 'settled_abroad' }));
    expect(created.body).toMatchObject({ status: 'open', waitingOn: 'reviewer' });
    const caseId = created.body.caseId as string;

    const noReason = await post(h, `/api/v1/cases/${caseId}/decisions`, { step: 'review', result: 'refuse' }, reviewer);
    expect(noReason.status).toBe(422);
    expect(noReason.body.error).toMatchObject({ code: 'decision.reasons_required', field: 'items' });

    const reason = '未提供定居国（境）外的证明';
    const refused = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'refuse', reason },
      reviewer,
    );
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'other' });
    expect(refused.body.notices).toHaveLength(1);
    expect(refused.body.notices[0]).toMatchObject({
      kind: 'refusal_reasons',
      channel: 'offline',
      items: [{ code: 'other', text: reason }],
    });
    expect(refused.body.notices[0].text).toContain(reason);
    expect(refused.body.decisions).toEqual([expect.objectContaining({ step: 'review', result: 'refuse', reason })]);
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'contributing', stopReason: null }),
    ]);
  });

  test('an offline reviewer cannot approve a stop the rules refuse', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'receiving', category: null });
    const created = await post(h, STOPS, stopBody(idNumber, { channel: 'offline', reason: 'voluntary' }));
    expect(created.body).toMatchObject({ status: 'open', waitingOn: 'reviewer' });
    const approve = await post(
      h,
      `/api/v1/cases/${created.body.caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    expect(approve.status).toBe(422);
    expect(approve.body.error.code).toBe('review.not_eligible');
    expect((await get(h, `/api/v1/cases/${created.body.caseId}`)).body).toMatchObject({
      status: 'open',
      waitingOn: 'reviewer',
    });
    expect(await relationDetailsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'receiving' })]);
  });
});

describe('stop requests refused before a case exists', () => {
  test('reason "other" without a detail is 400 naming the field detail, and no case is created', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    for (const detail of [undefined, '   ']) {
      const res = await post(h, STOPS, stopBody(idNumber, { reason: 'other', detail }));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation.detail_required', field: 'detail' });
    }
    expect(await countCasesOf(h, idNumber)).toBe(0);
    expect(await relationDetailsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'contributing' })]);
  });

  test('an effective date in the future is 400 naming effectiveDate, and no case is created', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const tomorrow = chinaDateOf(Date.now() + 36 * 3600 * 1000);
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'death', effectiveDate: tomorrow }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation.date_in_future', field: 'effectiveDate' });
    expect(await countCasesOf(h, idNumber)).toBe(0);
  });

  test('an unknown person is 422 person.not_registered, and neither a person nor a case is written', async () => {
    const idNumber = makeIdNumber();
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'death' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'person.not_registered', field: 'idNumber' });
    expect(await countPersons(h, idNumber)).toBe(0);
    expect(await countCasesOf(h, idNumber)).toBe(0);
  });
});

describe('risk controls of a stop (R-3, R-4)', () => {
  const acceptor = asUser({ user: 'clerk-31', role: 'acceptor', agencies: ['*'] });
  const member = (id: string) => asUser({ user: id, role: 'collective_reviewer', agencies: ['*'] });
  const scan = (kind: string, ref: string) => ({
    kind,
    ref,
    contentHash: 'a'.repeat(63) + ref.length,
    size: 120_000,
    type: 'application/pdf',
  });

  test('a transfer out is not a stop: 422 naming reason, and no case is created', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'transferred_out' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'stop.transferred_out_via_transfer', field: 'reason' });
    expect(await countCasesOf(h, idNumber)).toBe(0);
  });

  test('the death registry is compared: an online death it does not confirm is refused; a voluntary stop of someone it records as dead is refused', async () => {
    const unconfirmed = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const death = await post(
      h,
      STOPS,
      stopBody(unconfirmed.idNumber, { reason: 'death', effectiveDate: '2025-10-01' }),
    );
    expect(death.body).toMatchObject({ status: 'closed', outcome: 'refused', outcomeReason: 'death_not_confirmed' });
    const dead = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    await registerDeath(dead.idNumber, '2025-09-09');
    const voluntary = await post(h, STOPS, stopBody(dead.idNumber, { reason: 'voluntary' }));
    expect(voluntary.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'registry_recorded_death',
    });
    expect(voluntary.body.notices[0].text).toContain('2025-09-09');
    expect(voluntary.body.riskPoints).toEqual([expect.objectContaining({ key: 'stop.application', grade: 'low' })]);
  });

  test('a stop cannot take effect before a month already paid', async () => {
    const { idNumber, personId } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    await h.db.insert(contributionRecords).values({
      personId,
      agencyCode: '620102',
      yearMonth: '2025-11',
      base: '5000.00',
      amount: '1000.00',
      source: 'test',
    });
    const res = await post(h, STOPS, stopBody(idNumber, { reason: 'voluntary', effectiveDate: '2025-09-30' }));
    expect(res.body).toMatchObject({
      status: 'closed',
      outcome: 'refused',
      outcomeReason: 'effective_before_last_contribution',
    });
    expect(await relationDetailsOf(h, idNumber)).toEqual([expect.objectContaining({ status: 'contributing' })]);
  });

  test('at the counter an identity document is needed: without one, a one-time notice', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const res = await post(h, STOPS, { ...stopBody(idNumber, { channel: 'offline' }), materials: [] }, acceptor);
    expect(res.body).toMatchObject({ status: 'open', stage: 'awaiting_supplement', waitingOn: 'applicant' });
    expect(codesOf(res.body.notices[0].items)).toEqual(['identity_document']);
  });

  test('a death the registry does not confirm needs a death certificate, is high-risk: electronic copies first, then three members review it collectively', async () => {
    const { idNumber } = await seedRelation(h, { agencyCode: '620102', status: 'contributing' });
    const created = await post(
      h,
      STOPS,
      {
        ...stopBody(idNumber, { channel: 'offline', reason: 'death', effectiveDate: '2025-10-20' }),
        materials: [
          { kind: 'id_card', ref: 'scan-9' },
          { kind: 'death_certificate', ref: 'cert-9' },
        ],
      },
      acceptor,
    );
    expect(created.body).toMatchObject({ status: 'open', stage: 'review', waitingOn: 'reviewer' });
    expect(created.body.riskPoints).toEqual([
      expect.objectContaining({ key: 'stop.death_certificate', grade: 'high' }),
    ]);
    expect(created.body.riskGrade).toBe('high');
    const caseId = created.body.caseId as string;
    const reviewed = await post(
      h,
      `/api/v1/cases/${caseId}/decisions`,
      { step: 'review', result: 'approve' },
      reviewer,
    );
    // the scans are not on record yet: the counter uploads them first.
    expect(reviewed.body).toMatchObject({ status: 'open', stage: 'awaiting_e_materials', waitingOn: 'staff' });
    const described = await h.client.workflow.getHandle(caseId).describe();
    expect(described.searchAttributes).toMatchObject({ RiskGrade: ['high'] });
    const uploaded = await post(
      h,
      `/api/v1/cases/${caseId}/materials`,
      { materials: [scan('id_card', 'scan-9'), scan('death_certificate', 'cert-9')] },
      acceptor,
    );
    expect(uploaded.body).toMatchObject({ stage: 'collective_review', waitingOn: 'reviewer' });
    for (const [m, result] of [
      ['cr-31', 'approve'],
      ['cr-32', 'approve'],
      ['cr-33', 'refuse'],
    ] as const) {
      expect(
        (
          await post(
            h,
            `/api/v1/cases/${caseId}/decisions`,
            { step: 'collective_review', result, reason: '死亡证明与公安户籍注销信息核对' },
            member(m),
          )
        ).status,
      ).toBe(200);
    }
    const done = (await get(h, `/api/v1/cases/${caseId}`)).body;
    expect(done).toMatchObject({ status: 'closed', outcome: 'approved' });
    expect(
      done.materials
        .filter((m: { contentHash: string | null }) => m.contentHash !== null)
        .map((m: { kind: string }) => m.kind)
        .sort(),
    ).toEqual(['death_certificate', 'id_card']);
    expect(await relationDetailsOf(h, idNumber)).toEqual([
      expect.objectContaining({ status: 'stopped', stopReason: 'death', since: '2025-10-20' }),
    ]);
  });
});
