/**
 * The last step of `npm run build`: bundles the workflow code (workflows/index, as tsc compiled
 * it) with the SDK's webpack set-up into dist/workflow-bundle.js. The production worker loads it
 * when WORKFLOW_BUNDLE names it, so it starts without running webpack. A bundle only works with
 * the @temporalio/worker version that built it: build it in the same install that runs it (the
 * Dockerfile does). Usage: node dist/workers/build-bundle.js [output path]
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from './payload-codec';

export const DEFAULT_BUNDLE_PATH = path.join('dist', 'workflow-bundle.js');

async function main(): Promise<void> {
  const output = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
  const workflowsPath = require.resolve('../workflows');
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath: FAILURE_CONVERTER_PATH });
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, code);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `[build] workflow bundle of ${workflowsPath}: ${output} (${Math.round(code.length / 1024)} KiB, ${seconds} s)\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`[build] bundling the workflows failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
