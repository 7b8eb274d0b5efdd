/**
 * The commands for existing data (scripts/watches.ts): `watches:arm` starts the retirement watch
 * of every insured person that has none, once; `watches:rules-changed` makes every watch compute
 * again. On the dev server and a database of the test's own (the commands cover every person).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { armAllRetirementWatches, signalAllRulesChanged } from '../../../api/services/watches';
import { personKeyOf } from '../../../db/repositories/persons';
import { retirementWatchId, retirementWatchQuery } from '../../../workflows/retirement-watch';
import { startPrivateHarness } from '../../helpers/benefits';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { seedRelation } from '../../helpers/fixtures';
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
    await expect(h.client.workflow.getHandle(retirementWatchId(keyOf(p))).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
  const handles = [contributing, interrupted].map((p) => h.client.workflow.getHandle(retirementWatchId(keyOf(p))));
  // Each waits for its pre-review: the first day three months before the retirement month.
  const plans = await Promise.all(handles.map((w) => eventually(() => w.query(retirementWatchQuery), (v) => v.phase === 'waiting_for_pre_review')));
  expect(plans.map((v) => v.plan && 'preReviewDate' in v.plan && v.plan.preReviewDate)).toEqual([later, sooner].map((r) => `${addMonths(r.retirementYearMonth, -3)}-01`));
  const runIds = await Promise.all(handles.map(async (w) => (await w.describe()).runId));

  expect(await signalAllRulesChanged({ ...deps, note: '甘人社通〔2026〕测试号：女性灵活就业人员原法定退休年龄', signer: testEnv.assertions })).toEqual({ signalled: 2 });
  for (const [i, w] of handles.entries()) {
    const runId = (await eventually(() => w.describe(), (d) => d.runId !== runIds[i])).runId;
    const view = await eventually(() => h.client.workflow.getHandle(w.workflowId, runId).query(retirementWatchQuery), (v) => v.phase === 'waiting_for_pre_review');
    expect(view).toMatchObject({ rearmed: 1, lastChange: { reason: 'rules_changed', note: '甘人社通〔2026〕测试号：女性灵活就业人员原法定退休年龄' } });
  }
  // Long-lived by design; this test's copies go now.
  for (const w of handles) await w.terminate('test finished');
});
