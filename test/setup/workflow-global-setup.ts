/**
 * Once per run of the `workflow` project (test/workflow): the workflow bundle (shared with the
 * integration project when both run) and the time-skipping server's JVM wrapper (fetched once
 * into ~/.cache/flex-pension by composition/local/toolchain.ts). Tests find them through
 * TEST_WORKFLOW_BUNDLE and TEST_TIME_SKIPPING_SERVER; each test file starts its own server from
 * the wrapper, and each test runs its own worker on its own task queue with mocked activities
 * (test/workflow/helpers/env.ts).
 *
 * Why a server per file and not one for the run (tried first). The server skips time only while
 * its time lock is released. `env.sleep(d)` releases it and takes it back when exactly `d` has
 * passed; awaiting a result with the SDK's time-skipping client releases it until the result is
 * in, and in that window the clock runs on through every timer the server still holds, closed
 * workflows' too (a leap of 3,650 days was seen). With results awaited through a plain client
 * and one file at a time (a mutex), the files passed alone but the file run after another hung
 * in its first `sleep`, for a reason not found in the time there was. A fresh server per file
 * (about a second on two cores) keeps the files apart; within a file, time passes only in sleep().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTestServer } from '../../composition/local/toolchain';
import { ensureWorkflowBundle } from './workflow-bundle';
import globalTeardown, { type WorkflowTestServers } from './workflow-global-teardown';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flex-pension-wf-test-'));
  const servers: WorkflowTestServers = { root };
  (globalThis as { __workflowServers?: WorkflowTestServers }).__workflowServers = servers;
  try {
    const [{ wrapper }, bundlePath] = await Promise.all([ensureTestServer(), ensureWorkflowBundle(root)]);
    process.env.TEST_TIME_SKIPPING_SERVER = wrapper;
    process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
    // Every time-skipping server started notes its PID here (composition/local/toolchain.ts wrapper), for the teardown.
    process.env.FLEX_TEST_SERVER_PIDS ??= path.join(root, 'test-server.pids');
  } catch (err) {
    await globalTeardown();
    throw err;
  }
  process.stderr.write(`\n[workflow-global-setup] bundle ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
