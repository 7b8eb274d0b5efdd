/** Stops what the global set-up started and removes its temporary directory. */
import fs from 'node:fs';
import type { TestServers } from './servers';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __servers?: TestServers }).__servers;
  if (!servers) return;
  await servers.simulator?.stop().catch(() => undefined);
  await servers.government?.stop().catch(() => undefined);
  await servers.temporal?.stop().catch(() => undefined);
  await servers.postgres?.stop().catch(() => undefined);
  fs.rmSync(servers.root, { recursive: true, force: true });
}
