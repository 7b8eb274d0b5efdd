/**
 * The benchmark's baseline (`npm run bench`): a workflow that does nothing but call a no-op
 * activity as many times as an online enrollment calls activities (7), with the same activity
 * options as the case steps. Bundled and run by the benchmark only, on a task queue of its own.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { NoopActivities } from './noop-activities';

const { noop } = proxyActivities<NoopActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function benchNoop(input: { id: string; activities: number }): Promise<{ id: string; steps: number }> {
  let steps = 0;
  for (let i = 0; i < input.activities; i += 1) steps = (await noop({ id: input.id, step: i })).step + 1;
  return { id: input.id, steps };
}
