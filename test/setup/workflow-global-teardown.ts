/** Stops any time-skipping server the workflow tests left behind and removes the run directory. */
import fs from 'node:fs';
import path from 'node:path';
import { stopStrayTestServers } from './global-teardown';

export interface WorkflowTestServers {
  root: string;
}

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { __workflowServers?: WorkflowTestServers }).__workflowServers;
  if (!servers) return;
  stopStrayTestServers(path.join(servers.root, 'test-server.pids'));
  fs.rmSync(servers.root, { recursive: true, force: true });
}
