/**
 * `npm run setup`: fetches and caches the Temporal CLI and the time-skipping test server ahead of
 * time (composition/local/toolchain.ts; `npm start` and the test set-up fetch them on demand).
 */
import { execFileSync } from 'node:child_process';
import { ensureTemporalCli, ensureTestServer } from '../composition/local/toolchain';

function log(message: string): void {
  process.stderr.write(`[toolchain] ${message}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const cli = await ensureTemporalCli();
  const version = execFileSync(cli, ['--version']).toString().trim();
  log(`Temporal CLI: ${cli} (${version})`);
  const testServer = await ensureTestServer();
  log(`time-skipping test server: ${testServer.wrapper}`);
  log(`toolchain ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
