/**
 * `npm start`: runs scripts/run.ts in its own process group, so that Ctrl-C in the terminal
 * reaches only the run command (which then stops the API, the worker, the Temporal dev server
 * and PostgreSQL in order) instead of every child at once. If this launcher dies, the run
 * command notices the closed IPC channel and shuts down too.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { checkNodeVersion } = require('./node-version.cjs');

checkNodeVersion('run');

const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run.ts')], {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const now = Date.now();
    if (firstSignalAt === 0) {
      firstSignalAt = now;
      child.kill('SIGTERM');
    } else if (now - firstSignalAt > 3000) {
      // A second Ctrl-C well after the first forces the issue. (npm relays the terminal's
      // SIGINT too, so signals within the first seconds are one and the same request.)
      child.kill('SIGKILL');
    }
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
