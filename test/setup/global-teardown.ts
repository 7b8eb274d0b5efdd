/** Stops what the global set-up started and removes its temporary directory. */
import fs from 'node:fs';
import path from 'node:path';
import type { TestServers } from './servers';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __servers?: TestServers }).__servers;
  if (!servers) return;
  await servers.simulator?.stop().catch(() => undefined);
  await servers.government?.stop().catch(() => undefined);
  await servers.temporal?.stop().catch(() => undefined);
  await servers.postgres?.stop().catch(() => undefined);
  stopStrayTestServers(path.join(servers.root, 'test-server.pids'));
  fs.rmSync(servers.root, { recursive: true, force: true });
}

/**
 * Time-skipping servers whose start the SDK gave up waiting for (it allows five seconds; a loaded
 * machine can take longer) keep running: stop every one still alive, so nothing outlives the suite.
 */
export function stopStrayTestServers(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  for (const pid of fs
    .readFileSync(pidFile, 'utf8')
    .split('\n')
    .map(Number)
    .filter((n) => n > 0)) {
    try {
      // Only a JVM test server: the PID may have been reused since.
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('io.temporal.testserver.TestServer')) continue;
      process.kill(pid, 'SIGKILL');
      process.stderr.write(`[global-teardown] stopped a stray time-skipping server (pid ${pid})\n`);
    } catch {
      // Already gone.
    }
  }
}
