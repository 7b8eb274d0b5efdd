/**
 * The workflow bundle of a test run, made once: the first global set-up that needs it bundles
 * workflows/ (with the production failure converter) into its run directory and notes the path
 * in TEST_WORKFLOW_BUNDLE; a set-up running after it in the same jest run (the integration and
 * workflow projects both need one) reuses that file instead of bundling again. Global set-ups
 * run one after another in jest's main process, so the note is kept on its globalThis (an
 * inherited TEST_WORKFLOW_BUNDLE from a shell is never trusted).
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietBundleLogger } from '../../workers/bundle-logger';
import { FAILURE_CONVERTER_PATH } from '../../workers/payload-codec';

export async function ensureWorkflowBundle(dir: string): Promise<string> {
  const made = globalThis as { __workflowBundle?: string };
  if (made.__workflowBundle && fs.existsSync(made.__workflowBundle)) {
    process.env.TEST_WORKFLOW_BUNDLE = made.__workflowBundle;
    return made.__workflowBundle;
  }
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietBundleLogger,
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  made.__workflowBundle = bundlePath;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  return bundlePath;
}
