/**
 * The replay gate (CI): every committed history in test/histories, captured from real runs by
 * `npm run histories:capture`, must replay with the current workflow code (the run's bundle) and
 * the production payload codec under the TEST-ONLY key. A change that alters the decisions of
 * a workflow with cases in flight fails here, naming the histories it breaks.
 *
 * Proof that the gate trips: a deliberately changed copy of `stop` (an extra timer before its
 * first step) fails replay of a recorded stop with a DeterminismViolationError; the same change
 * guarded by patched() replays fine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import {
  eventTypeName,
  readHistoryFile,
  replayHistories,
  replayHistory,
  summarizeHistory,
  workflowIdOf,
  type History,
} from '../../../composition/replay-history';
import { testEnv } from '../../helpers/env';
import { HISTORIES_DIR, testDataConverter } from './capture-support';

jest.setTimeout(180_000);

/** Procedures and branches the committed histories must cover (file names without .json). */
const REQUIRED = [
  'enrollment-online-approved',
  'enrollment-online-approved-lean',
  'enrollment-online-refused',
  'enrollment-offline-accepted-reviewed',
  'enrollment-incomplete-supplemented',
  'enrollment-supplement-timeout-withdrawn',
  'stop-online-approved',
  'transfer-in-approved',
  'transfer-out-approved',
  'transfer-in-sheet-corrected',
  'transfer-out-sheet-corrected',
  'benefit-claim-collective-review-approved',
  'retirement-watch-armed',
  'retirement-watch-retirement-reached',
  'pre-review-acknowledged',
  'certification-watch-started',
  'certification-watch-certified',
  'payroll-run-month',
  'tax-feed-pull',
  'audit-anchor',
  'benefit-claim-awaiting-parameters',
  'parameters-published',
  'award-recalculation',
  'recovery-recovered',
  'self-inspection-round',
  'self-inspection-reported',
  'tip-off-audit-concluded',
];
/** Every workflow type the worker registers (the exports of workflows/index.ts) needs at least one history. */
function registeredWorkflowTypes(): string[] {
  const index = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'workflows', 'index.ts'), 'utf8');
  return [...index.matchAll(/^export \{ (\w+) \} from /gm)].map((m) => m[1]).sort();
}

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => process.stderr.write(`[bundle] ${message}\n`),
};

interface Committed {
  name: string;
  workflowId: string;
  history: History;
}

let committed: Committed[];
beforeAll(() => {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed by an earlier test file in this jest worker.
  }
  committed = fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = path.basename(f, '.json');
      const history = readHistoryFile(path.join(HISTORIES_DIR, f));
      return { name, workflowId: workflowIdOf(history, name), history };
    });
});

const historyNamed = (name: string): Committed => {
  const found = committed.find((c) => c.name === name);
  if (!found) throw new Error(`test/histories/${name}.json is missing: run npm run histories:capture`);
  return found;
};

test('the committed histories cover every procedure, its major branches and every registered workflow type', async () => {
  expect(committed.map((c) => c.name)).toEqual(expect.arrayContaining(REQUIRED));
  const captured = new Set(
    await Promise.all(committed.map(async (c) => (await summarizeHistory(c.history)).workflowType)),
  );
  const registered = registeredWorkflowTypes();
  expect(registered.length).toBeGreaterThanOrEqual(10);
  // A new workflow type needs a scenario in capture.test.ts and a recapture.
  expect(registered.filter((type) => !captured.has(type))).toEqual([]);
});

test('every committed history replays with the current workflow code', async () => {
  const results = await replayHistories(
    { workflowBundle: { codePath: testEnv.workflowBundlePath }, dataConverter: testDataConverter() },
    committed.map((c) => ({ workflowId: c.workflowId, history: c.history, label: c.name })),
  );
  expect(results).toHaveLength(committed.length);
  const broken = results
    .filter((r) => !r.reproduces)
    .map(
      (r) =>
        `${r.label}: ${r.error!.name}${r.divergedAt ? ` at event #${r.divergedAt.eventId} (${r.divergedAt.eventType})` : ''}: ${r.error!.message.slice(0, 400)}`,
    );
  // On failure this lists the histories that no longer replay; see docs/replay.md (patched()).
  expect(broken).toEqual([]);
});

describe('the gate trips on a nondeterministic change and passes the same change behind patched()', () => {
  const stopHistory = () => historyNamed('stop-online-approved');

  test('an extra timer before the first step of stop: DeterminismViolationError at the first recorded command', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/changed-stop'),
      failureConverterPath: testDataConverter().failureConverterPath,
      logger: quiet,
    });
    const { history, workflowId } = stopHistory();
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code }, dataConverter: testDataConverter() }, history, workflowId),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
    const outcome = await replayHistory(
      { workflowBundle: { code }, dataConverter: testDataConverter() },
      history,
      workflowId,
    );
    expect(outcome).toMatchObject({ reproduces: false, error: { nondeterminism: true } });
    // The changed code starts a timer where the recorded run issued its first command (after the
    // first workflow task: started, task scheduled, started, completed).
    const firstCommand = history.events!.find((e) => Number(e.eventId) === 5)!;
    expect(eventTypeName(firstCommand)).not.toBe('TIMER_STARTED');
    expect(outcome.divergedAt).toEqual({ eventId: 5, eventType: eventTypeName(firstCommand) });
  });

  test('the same change guarded by patched() replays the recorded stop', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/patched-stop'),
      failureConverterPath: testDataConverter().failureConverterPath,
      logger: quiet,
    });
    const { history, workflowId } = stopHistory();
    expect(
      await replayHistory({ workflowBundle: { code }, dataConverter: testDataConverter() }, history, workflowId),
    ).toEqual({ workflowId, reproduces: true });
  });
});
