/**
 * The commands for existing data (scripts/watches.ts): `watches:arm` starts the retirement watch
 * of every insured person that has none, once; `watches:rules-changed` makes every watch compute
 * again. And the reconciler's arming of the watches whose pre-review date comes near. On the dev
 * server and a database of the test's own (the commands cover every person).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { armAllRetirementWatches, armDueRetirementWatches, signalAllRulesChanged } from '../../../api/services/watches';
import { personKeyOf } from '../../../db/repositories/persons';
import { persons } from '../../../db/schema';
import { retirementWatchId, retirementWatchQuery } from '../../../workflows/retirement-watch';
import { startPrivateHarness } from '../../helpers/benefits';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, post, seedRelation } from '../../helpers/fixtures';
import type { Harness } from '../../helpers/harness';
import { addMonths, birthDateAged, birthMonthRetiringIn, monthsAhead } from '../../helpers/time';
import { eventually } from '../../helpers/wait';

let h: Harness;
beforeAll(async () => {
  h = await startPrivateHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('arming starts one watch per insured person (contributing or interrupted) and none twice; a rules change re-arms each', async () => {
  const seed = (status: 'contributing' | 'interrupted' | 'stopped' | 'receiving', birthDate: string) =>
    seedRelation(h, { agencyCode: '620102', status, idNumber: makeIdNumber({ birthDate, sex: 'male' }) });
  // Two men whose pre-reviews lie ahead: retiring in about seven and about three years (from
  // 2026-12: born 1972-02, d = 85 → 22 months → 2033-12; born 1968-09, d = 44 → 12 months → 2029-09).
  const later = birthMonthRetiringIn(monthsAhead(84), 'male');
  const sooner = birthMonthRetiringIn(monthsAhead(33), 'male');
  const contributing = await seed('contributing', `${later.birthYearMonth}-10`);
  const interrupted = await seed('interrupted', `${sooner.birthYearMonth}-01`);
  const stopped = await seed('stopped', birthDateAged(55, { day: 1 }));
  const receiving = await seed('receiving', birthDateAged(66, { day: 1 }));
  const keyOf = (p: { idNumber: string }) => personKeyOf(testEnv.personKeySecret, p.idNumber);
  const deps = { db: h.db, client: h.client, taskQueue: h.taskQueue };

  expect(await armAllRetirementWatches(deps)).toEqual({ persons: 2, started: 2 });
  expect(await armAllRetirementWatches(deps)).toEqual({ persons: 2, started: 0 });
  for (const p of [stopped, receiving]) {
    await expect(h.client.workflow.getHandle(retirementWatchId(keyOf(p))).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  }
  const handles = [contributing, interrupted].map((p) => h.client.workflow.getHandle(retirementWatchId(keyOf(p))));
  // Each waits for its pre-review: the first day three months before the retirement month.
  const plans = await Promise.all(
    handles.map((w) =>
      eventually(
        () => w.query(retirementWatchQuery),
        (v) => v.phase === 'waiting_for_pre_review',
      ),
    ),
  );
  expect(plans.map((v) => v.plan && 'preReviewDate' in v.plan && v.plan.preReviewDate)).toEqual(
    [later, sooner].map((r) => `${addMonths(r.retirementYearMonth, -3)}-01`),
  );
  const runIds = await Promise.all(handles.map(async (w) => (await w.describe()).runId));

  expect(
    await signalAllRulesChanged({
      ...deps,
      note: '甘人社通〔2026〕测试号：女性灵活就业人员原法定退休年龄',
      signer: testEnv.assertions,
    }),
  ).toEqual({ signalled: 2, noted: 0 });
  for (const [i, w] of handles.entries()) {
    const runId = (
      await eventually(
        () => w.describe(),
        (d) => d.runId !== runIds[i],
      )
    ).runId;
    const view = await eventually(
      () => h.client.workflow.getHandle(w.workflowId, runId).query(retirementWatchQuery),
      (v) => v.phase === 'waiting_for_pre_review',
    );
    expect(view).toMatchObject({
      rearmed: 1,
      lastChange: { reason: 'rules_changed', note: '甘人社通〔2026〕测试号：女性灵活就业人员原法定退休年龄' },
    });
  }
  // Long-lived by design; this test's copies go now.
  for (const w of handles) await w.terminate('test finished');
});

test('an enrollment starts no watch; the reconciler starts it once the pre-review date is within the horizon, and only once', async () => {
  // A man born 1972-02-10: retirement 2033-12, pre-review 2033-09-01 (as above).
  const idNumber = makeIdNumber({ birthDate: '1972-02-10', sex: 'male' });
  const res = await post(h, '/api/v1/enrollments', enrollmentBody({ applicant: { idNumber, name: '守候测试' } }));
  // An online enrollment answers when its workflow has closed it.
  expect(res).toMatchObject({ status: 201, body: { status: 'closed', outcome: 'approved' } });
  const personKey = personKeyOf(testEnv.personKeySecret, idNumber);
  const [person] = await h.db
    .select({ preReviewOn: persons.preReviewOn, armedFor: persons.retirementWatchArmedFor })
    .from(persons)
    .where(eq(persons.personKey, personKey));
  expect(person).toEqual({ preReviewOn: '2033-09-01', armedFor: null });
  const watch = h.client.workflow.getHandle(retirementWatchId(personKey));
  const deps = { db: h.db, client: h.client, taskQueue: h.taskQueue };

  expect(await armDueRetirementWatches({ ...deps, nowMs: Date.now() })).toBe(0);
  expect(await armDueRetirementWatches({ ...deps, nowMs: Date.parse('2033-07-31T12:00:00+08:00') })).toBe(0);
  await expect(watch.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  // A rules change starts no watch for a person whose pre-review is years ahead: it computes the
  // date on the person again (here, a date lost from the row comes back).
  await h.db.update(persons).set({ preReviewOn: null }).where(eq(persons.personKey, personKey));
  const changed = await signalAllRulesChanged({ ...deps, note: '测试：规则变化', signer: testEnv.assertions });
  expect(changed.signalled).toBe(0);
  expect(changed.noted).toBeGreaterThanOrEqual(1);
  await expect(watch.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const [renoted] = await h.db
    .select({ preReviewOn: persons.preReviewOn, armedFor: persons.retirementWatchArmedFor })
    .from(persons)
    .where(eq(persons.personKey, personKey));
  expect(renoted).toEqual({ preReviewOn: '2033-09-01', armedFor: null });
  // 31 days before the date: the watch starts, and sleeps until 00:00 of it.
  expect(await armDueRetirementWatches({ ...deps, nowMs: Date.parse('2033-08-01T12:00:00+08:00') })).toBe(1);
  const view = await eventually(
    () => watch.query(retirementWatchQuery),
    (v) => v.phase === 'waiting_for_pre_review',
  );
  expect(view.plan).toMatchObject({ status: 'watching', preReviewDate: '2033-09-01' });
  expect(await armDueRetirementWatches({ ...deps, nowMs: Date.parse('2033-08-01T12:00:00+08:00') })).toBe(0);
  const [after] = await h.db
    .select({ armedFor: persons.retirementWatchArmedFor })
    .from(persons)
    .where(eq(persons.personKey, personKey));
  expect(after.armedFor).toBe('2033-09-01');
  await watch.terminate('test finished');
});
