/**
 * The public side of supervision through the API, on a database of the test's own: the service
 * guide without a token (JSON and printable HTML), suggestions and complaints with their reply
 * clock, and the policy changes — a parameter publication and a calendar publication — with the
 * cases and guide entries each affects.
 */
import { desc, eq } from 'drizzle-orm';
import { calendarVersions, cases, feedback, parameterProposals } from '../../../db/schema';
import { CLAIM_BUDGET_WORKING_DAYS } from '../../../domain/claim';
import { asUser } from '../../helpers/auth';
import { startPrivateHarness } from '../../helpers/benefits';
import { chinaDate, workingDaysAfter } from '../../helpers/china-calendar';
import { get, post } from '../../helpers/fixtures';
import { addAgencies } from '../../helpers/installation';
import type { Harness } from '../../helpers/harness';
import { randomAgency, seedCase } from '../../helpers/supervision';

let h: Harness;
const A = randomAgency();
const sup = asUser({ user: 'sup-v2', role: 'supervisor', agencies: [A] });
const auditor = asUser({ user: 'aud-v2', role: 'auditor', agencies: [A] });
beforeAll(async () => {
  h = await startPrivateHarness();
  await addAgencies(h.db, [A]);
});
afterAll(async () => {
  await h?.stop();
});

const publicGet = (url: string) => h.app.inject({ method: 'GET', url });
const publicPost = (url: string, payload: object, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url, payload, headers }).then((r) => ({ status: r.statusCode, body: r.json() }));

describe('the service guide (办事指南), public', () => {
  test('JSON without a token: five procedures with conditions, materials, channels, limits, clauses and the help-line', async () => {
    const res = await publicGet('/api/v1/service-guide');
    expect(res.statusCode).toBe(200);
    const guide = res.json();
    expect(guide).toMatchObject({ helpline: '12333', clause: '10.2.4', asOf: chinaDate(Date.now()) });
    expect(guide.procedures.map((p: { procedure: string }) => p.procedure)).toEqual([
      'enrollment',
      'stop',
      'benefit_claim',
      'transfer_in',
      'transfer_out',
    ]);
    const claim = guide.procedures[2];
    expect(claim).toMatchObject({
      name: '基本养老金申领',
      timeLimit: { workingDays: CLAIM_BUDGET_WORKING_DAYS, clause: '8.1.3', sameDay: false },
      materials: { required: [{ code: 'id_card', text: '有效居民身份证' }] },
      supplement: { workingDays: 10, clause: '8.2.2' },
      helpline: '12333',
    });
    expect(claim.conditions[1].text).toMatch(
      new RegExp(`^累计缴费年限（含视同缴费年限）达到最低缴费年限：${chinaDate(Date.now()).slice(0, 4)}年为15年`),
    );
    expect(guide.procedures[0].timeLimit).toMatchObject({ workingDays: 0, text: '即时办结', clause: '5.1.4' });
  });

  test('the printable page, at /service-guide.html and with ?format=html; an unknown format is 400', async () => {
    for (const url of ['/service-guide.html', '/api/v1/service-guide?format=html']) {
      const page = await publicGet(url);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('灵活就业人员基本养老保险经办服务办事指南');
      expect(page.body).toContain('咨询电话：12333');
      expect(page.body).not.toMatch(/<script/i);
    }
    const bad = await publicGet('/api/v1/service-guide?format=xml');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('querystring.format');
  });
});

describe('suggestions and complaints (V-2)', () => {
  test('anyone may send one; the reply is due in 15 working days; the same request again is the same record', async () => {
    const body = {
      kind: 'suggestion',
      text: '建议在窗口增加灵活就业人员参保的办事指南纸质版',
      agencyCode: A,
      procedure: 'enrollment',
      contact: '13800000000',
    };
    const sent = await publicPost('/api/v1/feedback', body, { 'idempotency-key': `fb-${A}` });
    const due = workingDaysAfter(chinaDate(Date.now()), 15);
    expect(sent).toMatchObject({ status: 201, body: { kind: 'suggestion', replyDueDate: due, replyWorkingDays: 15 } });
    expect(sent.body.message).toContain(due);
    expect(await publicPost('/api/v1/feedback', body, { 'idempotency-key': `fb-${A}` })).toMatchObject({
      status: 200,
      body: { feedbackId: sent.body.feedbackId },
    });
    expect(
      await publicPost('/api/v1/feedback', { ...body, text: '另一条' }, { 'idempotency-key': `fb-${A}` }),
    ).toMatchObject({ status: 422, body: { error: { code: 'idempotency.mismatch' } } });
    expect(await publicPost('/api/v1/feedback', { ...body, agencyCode: '629999' })).toMatchObject({
      status: 422,
      body: { error: { code: 'feedback.unknown_agency', field: 'agencyCode' } },
    });
    expect(await publicPost('/api/v1/feedback', { kind: 'praise', text: 'x' })).toMatchObject({
      status: 400,
      body: { error: { field: 'kind' } },
    });
    expect(await publicPost('/api/v1/feedback', { kind: 'complaint', text: '   ' })).toMatchObject({
      status: 422,
      body: { error: { field: 'text' } },
    });
    expect(await h.db.select().from(feedback).where(eq(feedback.agencyCode, A))).toHaveLength(1);
  });

  test('supervisors list it with its clock and the sender’s contact (auditors without it) and reply once; a late reply is marked late', async () => {
    const complaint = await publicPost('/api/v1/feedback', {
      kind: 'complaint',
      text: '窗口工作人员未一次性告知所需材料',
      agencyCode: A,
      contact: '0931-0000000',
    });
    // The suggestion's reply date has passed (moved into the past): it is overdue while unanswered.
    const [suggestion] = await h.db.select().from(feedback).where(eq(feedback.kind, 'suggestion'));
    await h.db
      .update(feedback)
      .set({ replyDueAt: new Date(Date.now() - 60_000) })
      .where(eq(feedback.id, suggestion.id));
    const listed = await get(h, `/api/v1/feedback?agencyCode=${A}`, sup);
    expect(listed.body.total).toBe(2);
    expect(listed.body.items[0]).toMatchObject({
      feedbackId: suggestion.id,
      status: 'open',
      overdue: true,
      contact: '13800000000',
    });
    expect((await get(h, `/api/v1/feedback?agencyCode=${A}`, auditor)).body.items[0].contact).toBeNull();
    expect(
      (await get(h, `/api/v1/feedback?agencyCode=${A}&overdue=true`, sup)).body.items.map(
        (i: { feedbackId: string }) => i.feedbackId,
      ),
    ).toEqual([suggestion.id]);
    // A supervisor whose token names no agency sees none of an agency's feedback (and no error).
    const none = await get(h, '/api/v1/feedback', asUser({ user: 'sup-none', role: 'supervisor', agencies: [] }));
    expect(none.status).toBe(200);
    expect(none.body.items.filter((i: { agencyCode: string | null }) => i.agencyCode !== null)).toEqual([]);

    const url = `/api/v1/feedback/${complaint.body.feedbackId}/reply`;
    const replied = await post(h, url, { reply: '已核实并对相关人员进行培训，感谢您的监督' }, sup);
    expect(replied).toMatchObject({ status: 200, body: { status: 'replied', repliedBy: 'sup-v2', overdue: false } });
    expect((await post(h, url, { reply: '已核实并对相关人员进行培训，感谢您的监督' }, sup)).status).toBe(200);
    expect(await post(h, url, { reply: '另一答复' }, sup)).toMatchObject({
      status: 409,
      body: { error: { code: 'feedback.replied' } },
    });
    const late = await post(h, `/api/v1/feedback/${suggestion.id}/reply`, { reply: '已采纳' }, sup);
    expect(late.body).toMatchObject({ status: 'replied', overdue: true });
    expect(await post(h, url, { reply: '' }, sup)).toMatchObject({ status: 400, body: { error: { field: 'reply' } } });
    expect(
      await post(h, url, { reply: 'x' }, asUser({ user: 'sup-other', role: 'supervisor', agencies: ['620999'] })),
    ).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden_agency' } } });
  });
});

describe('policy changes list the cases and guide entries they affect', () => {
  test('a parameter publication: the cases that waited for it, the guide entries computed from it', async () => {
    const waiting = await seedCase(h.db, {
      agencyCode: A,
      procedure: 'benefit_claim',
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      events: [
        {
          type: 'parameters_missing',
          at: new Date(Date.now() - 1_800_000).toISOString(),
          detail: { missing: [{ name: 'retirement.minimumContributionMonths', region: '62' }] },
        },
      ],
    });
    const other = await seedCase(h.db, {
      agencyCode: randomAgency(),
      procedure: 'benefit_claim',
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      events: [
        {
          type: 'parameters_missing',
          at: new Date(Date.now() - 1_800_000).toISOString(),
          detail: { missing: [{ name: 'retirement.minimumContributionMonths' }] },
        },
      ],
    });
    const sup2 = asUser({ user: 'sup-v2-b', role: 'supervisor', agencies: [A] });
    // Proposed straight into the table: POST /api/v1/parameters turns an integer value into a string
    // (its value schema is a union with coerceTypes on), so an integer parameter cannot be proposed
    // through the API today (reported; issue 9's route). The approval is the API's.
    const [proposal] = await h.db
      .insert(parameterProposals)
      .values({
        name: 'retirement.minimumContributionMonths',
        region: 'CN',
        validFrom: '2090-01-01',
        value: 240,
        source: 'test',
        verified: false,
        proposedBy: 'sup-v2',
      })
      .returning({ id: parameterProposals.id });
    const approved = await post(h, `/api/v1/parameters/proposals/${proposal.id}/approval`, {}, sup2);
    expect(approved.status).toBe(200);
    const res = await get(h, '/api/v1/policy-changes?kind=parameters&limit=1', sup);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'parameters',
        id: approved.body.publicationId,
        changes: [
          expect.objectContaining({
            name: 'retirement.minimumContributionMonths',
            region: 'CN',
            validFrom: '2090-01-01',
            version: 1,
          }),
        ],
        // Only the caller's agencies' cases: the other agency's waiting case is not listed.
        affectedCases: [
          { caseId: waiting, agencyCode: A, procedure: 'benefit_claim', status: 'open', why: '等待该参数发布的案件' },
        ],
        affectedGuideEntries: [
          {
            procedure: 'benefit_claim',
            name: '基本养老金申领',
            why: '办事指南使用参数 retirement.minimumContributionMonths',
          },
        ],
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(other);
  });

  test('a calendar publication: the open cases whose provisional deadlines it re-projects, and every guide entry (limits in working days)', async () => {
    const provisional = await seedCase(h.db, {
      agencyCode: A,
      procedure: 'transfer_in',
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const [row] = await h.db.select({ clock: cases.clock }).from(cases).where(eq(cases.id, provisional));
    await h.db
      .update(cases)
      .set({ clock: { ...row.clock!, provisional: true, calendarVersion: 1 } })
      .where(eq(cases.id, provisional));
    const [latest] = await h.db.select().from(calendarVersions).orderBy(desc(calendarVersions.version)).limit(1);
    const year = latest.lastYear + 1;
    const published = await post(
      h,
      '/api/v1/calendar/years',
      { year, holidays: [`${year}-01-01`], makeupWorkdays: [], source: 'test notice' },
      sup,
    );
    expect(published.status).toBe(201);
    const res = await get(h, '/api/v1/policy-changes?kind=calendar&limit=1', sup);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        kind: 'calendar',
        id: published.body.version,
        affectedCases: [
          {
            caseId: provisional,
            agencyCode: A,
            procedure: 'transfer_in',
            status: 'open',
            why: '法定时限仍为暂定，将按新日历重新计算',
          },
        ],
      }),
    ]);
    expect(res.body.items[0].affectedGuideEntries.map((e: { procedure: string }) => e.procedure)).toEqual([
      'enrollment',
      'stop',
      'benefit_claim',
      'transfer_in',
      'transfer_out',
    ]);
    expect(await get(h, '/api/v1/policy-changes?kind=laws', sup)).toMatchObject({
      status: 400,
      body: { error: { field: 'querystring.kind' } },
    });
  });
});
