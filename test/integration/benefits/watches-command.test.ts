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
  const contributing = await seed('contributing', '1972-02-10');
  const interrupted = await seed('interrupted', '1968-09-01');
  const stopped = await seed('stopped', '1971-01-01');
  const receiving = await seed('receiving', '1960-01-01');
  const keyOf = (p: { idNumber: string }) => personKeyOf(testEnv.personKeySecret, p.idNumber);
  const deps = { db: h.db, client: h.client, taskQueue: h.taskQueue };

  expect(await armAllRetirementWatches(deps)).toEqual({ persons: 2, started: 2 });
  expect(await armAllRetirementWatches(deps)).toEqual({ persons: 2, started: 0 });
  for (const p of [stopped, receiving]) {
    await expect(h.client.workflow.getHandle(retirementWatchId(keyOf(p))).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
  const handles = [contributing, interrupted].map((p) => h.client.workflow.getHandle(retirementWatchId(keyOf(p))));
  // Men born 1972-02 (d = 85 → 22 months → 2033-12) and 1968-09 (d = 44 → 12 months → 2029-09).
  const plans = await Promise.all(handles.map((w) => eventually(() => w.query(retirementWatchQuery), (v) => v.phase === 'waiting_for_pre_review')));
  expect(plans.map((v) => v.plan && 'preReviewDate' in v.plan && v.plan.preReviewDate)).toEqual(['2033-09-01', '2029-06-01']);
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
