/**
 * A computation that may need parameters nobody has published yet (rates, the risk register,
 * quorums): while it answers AwaitingParameters, the case waits visibly for a supervisor to
 * publish them, and computes again when a publication is signalled.
 */
import { condition } from '@temporalio/workflow';
import {
  describeMissing,
  isAwaitingParameters,
  type AwaitingParameters,
  type MissingParameter,
} from '../../domain/parameter-resolver';
import type { CaseRuntime } from './case-runtime';
import type { CaseTexts } from './case-texts';

export const PARAMETERS_TEXTS = {
  stages: { awaiting_parameters: '等待发布参数' },
  steps: { publish_parameters: '发布缺失的参数（须两名主管：一人提出、另一人批准）' },
} as const satisfies CaseTexts;

export class ParametersWait {
  /** Parameter publications signalled since the case started. */
  private publications = 0;
  /** What the case waits for now (none: empty). */
  missing: MissingParameter[] = [];

  constructor(private readonly rt: CaseRuntime) {}

  /** A publication was signalled (parametersPublished). */
  published(): void {
    this.publications += 1;
  }

  /**
   * Runs `compute` until it answers with a result. While it answers {@link AwaitingParameters},
   * the case waits visibly — stage awaiting_parameters, waiting on a supervisor, a
   * `publish_parameters` task naming every missing value, the case's current details listing
   * them — until a publication is signalled. The statutory clock keeps running: the delay is the
   * agency's, not the applicant's.
   */
  async withParameters<T extends object>(clause: string, compute: () => Promise<T | AwaitingParameters>): Promise<T> {
    const rt = this.rt;
    for (;;) {
      const seen = this.publications;
      const result = await compute();
      if (!isAwaitingParameters(result)) return result;
      const resume = { stage: rt.stage, waitingOn: rt.waitingOn };
      this.missing = result.awaitingParameters;
      const taskKey = `${rt.start.caseId}:publish_parameters:${rt.seq + 1}`;
      await rt.record({
        type: 'parameters_missing',
        clause,
        stage: 'awaiting_parameters',
        waitingOn: 'supervisor',
        detail: { missing: this.missing },
        task: {
          open: {
            key: taskKey,
            step: 'publish_parameters',
            role: 'supervisor',
            title: `${rt.texts.steps.publish_parameters}：${this.missing.map(describeMissing).join('；')}`,
            clause,
            dueAt: rt.clock.snapshot().dueAt,
          },
        },
      });
      // A publication between the computation and now counts: compute again at once.
      await rt.idle(() => condition(() => this.publications > seen));
      this.missing = [];
      await rt.record({
        type: 'parameters_published',
        clause,
        stage: resume.stage,
        waitingOn: resume.waitingOn,
        task: { close: { key: taskKey } },
        detail: {},
      });
    }
  }
}
