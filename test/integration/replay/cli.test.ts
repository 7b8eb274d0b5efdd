/**
 * `npm run replay` as an auditor runs it (scripts/replay.ts in a child process): from a live run
 * on the Temporal dev server (--workflow-id, keys from PAYLOAD_KEYS/PAYLOAD_KEY_ID) and from an
 * exported file (--file, the committed test key); exit 0 "reproduces" with the decisions listed,
 * exit 1 naming the event where a changed workflow diverged; never a personal datum printed.
 */
import type * as TemporalClient from '@temporalio/client';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { asUser } from '../../helpers/auth';
import { makeIdNumber, testEnv } from '../../helpers/env';
import { enrollmentBody, post } from '../../helpers/fixtures';
import { startHarness, type Harness } from '../../helpers/harness';
import { TEST_PAYLOAD_KEY_ID, TEST_PAYLOAD_KEYS } from '../../histories/test-key';
import { HISTORIES_DIR, testDataConverter } from './capture-support';
import type * as CaptureSupport from './capture-support';

// The run's clients and workers use the production codec with the TEST-ONLY key, as in capture.test.ts.
jest.mock('@temporalio/client', () => {
  const actual = jest.requireActual<typeof TemporalClient>('@temporalio/client');
  const { testDataConverter: converter } = jest.requireActual<typeof CaptureSupport>('./capture-support');
  class Client extends actual.Client {
    constructor(options: ConstructorParameters<typeof actual.Client>[0]) {
      super({ ...options, dataConverter: converter() });
    }
  }
  return { ...actual, Client };
});

jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function replay(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['scripts/replay.ts', ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PAYLOAD_KEYS: '',
          PAYLOAD_KEY_ID: '',
          TEMPORAL_ADDRESS: '',
          DATA_DIR: path.join(ROOT, 'data-none'),
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** An 18-character ID number anywhere in the output. */
const ID_LIKE = /\d{17}[\dXx]/;

let h: Harness;
let idNumbers: string[];
beforeAll(async () => {
  const create = Worker.create.bind(Worker);
  jest
    .spyOn(Worker, 'create')
    .mockImplementation((options) => create({ ...options, dataConverter: testDataConverter() }));
  h = await startHarness();
  idNumbers = [];
});
afterAll(async () => {
  await h?.stop();
});

test('--workflow-id: an offline enrollment fetched from the server reproduces; the accepted Updates are listed without personal data', async () => {
  const idNumber = makeIdNumber();
  idNumbers.push(idNumber);
  const staff = (user: string, role: 'acceptor' | 'reviewer') => asUser({ user, role });
  const created = await post(
    h,
    '/api/v1/enrollments',
    enrollmentBody({ channel: 'offline', applicant: { idNumber, name: '测试回放' } }),
    staff('clerk-01', 'acceptor'),
  );
  const caseId = created.body.caseId as string;
  await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'acceptance', result: 'accept' },
    staff('clerk-01', 'acceptor'),
  );
  const approved = await post(
    h,
    `/api/v1/cases/${caseId}/decisions`,
    { step: 'review', result: 'approve' },
    staff('reviewer-07', 'reviewer'),
  );
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'approved' });

  const run = await replay(['--workflow-id', caseId, '--bundle', testEnv.workflowBundlePath], {
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    PAYLOAD_KEY_ID: TEST_PAYLOAD_KEY_ID,
  });
  expect(run).toMatchObject({ code: 0 });
  expect(run.stdout).toContain(`Workflow enrollment · ID ${caseId}`);
  expect(run.stdout).toContain('Payload key: PAYLOAD_KEYS');
  expect(run.stdout).toMatch(/update "\w+" accepted/);
  expect(run.stdout).toMatch(/update "\w+" completed → \{[^}]*status=closed[^}]*outcome=approved/);
  expect(run.stdout).toMatch(/run completed → \{[^}]*outcome=approved/);
  expect(run.stdout).toContain('REPRODUCES');
  expect(run.stdout).not.toContain(idNumber);
  expect(run.stdout).not.toContain('测试回放');
  expect(run.stdout).not.toMatch(ID_LIKE);
});

test('--workflow-id of an unknown workflow: exit 2 with the reason', async () => {
  const run = await replay(['--workflow-id', 'enrollment-620102-2099-999999', '--bundle', testEnv.workflowBundlePath], {
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('cannot fetch the history of enrollment-620102-2099-999999');
});

test('--file: a committed history reproduces with --test-key; with a changed workflow it exits 1 naming the event where it diverged', async () => {
  const file = path.join(HISTORIES_DIR, 'stop-online-approved.json');
  const ok = await replay(['--file', file, '--test-key', '--bundle', testEnv.workflowBundlePath]);
  expect(ok).toMatchObject({ code: 0 });
  expect(ok.stdout).toContain('Workflow stop');
  expect(ok.stdout).toContain('TEST-ONLY key');
  expect(ok.stdout).toContain('REPRODUCES');
  expect(ok.stdout).not.toMatch(ID_LIKE);

  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./fixtures/changed-stop'),
    failureConverterPath: testDataConverter().failureConverterPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const changed = path.join(process.env.TEST_ROOT ?? fs.mkdtempSync('/tmp/replay-'), 'changed-stop-bundle.js');
  fs.writeFileSync(changed, code);
  const bad = await replay(['--file', file, '--test-key', '--bundle', changed]);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toContain('DOES NOT REPRODUCE');
  expect(bad.stdout).toContain('DeterminismViolationError');
  expect(bad.stdout).toMatch(/Diverged at event #5 \([A-Z_]+\)/);
  expect(bad.stdout).not.toMatch(ID_LIKE);
});

test('a history that is not a workflow history, or no arguments: exit 2 with the usage', async () => {
  expect((await replay([])).code).toBe(2);
  const notHistory = path.join(process.env.TEST_ROOT ?? '/tmp', 'not-a-history.json');
  fs.writeFileSync(notHistory, JSON.stringify({ hello: 'world' }));
  const run = await replay(['--file', notHistory, '--test-key']);
  expect(run.code).not.toBe(0);
});
