/**
 * The run command's record of the processes it started (DATA_DIR/run.json), and how to stop
 * them when the run command itself is gone:
 *  - `npm start` writes the record as it starts each child (embedded PostgreSQL, the Temporal dev
 *    server, the simulators) and removes it when it has stopped them;
 *  - a small reaper process (`node scripts/leftovers.cjs reap <run pid> <record>`, started
 *    detached by the run command) watches the run command and, if it dies without removing the
 *    record (kill -9, OOM kill), stops every child recorded — so nothing is left under PID 1;
 *  - the next `npm start` does the same first, in case the reaper was killed too.
 * A PID is only signalled while its command line still holds the marker recorded with it (the
 * data directory, the port), so a PID reused by another program is never touched.
 * Plain CommonJS with no dependencies: the reaper must start in milliseconds and outlive everything.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The process's command line ('' when it is gone or cannot be read). */
function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  }
}

function readRecord(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeRecord(file, record) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** True while `pid` runs and its command line holds `marker`. */
function isOurs(pid, marker) {
  return Number.isInteger(pid) && pid > 1 && alive(pid) && cmdline(pid).includes(marker);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops each recorded child still running: its stop signal (PostgreSQL: SIGINT, a fast
 * shutdown), then SIGKILL after `graceMs`. Returns the names of the processes stopped.
 */
async function stopChildren(children, graceMs = 5000, say = () => undefined) {
  const running = children.filter((c) => isOurs(c.pid, c.marker));
  for (const c of running) {
    say(`stopping ${c.name} left over from an earlier run (pid ${c.pid})`);
    try {
      process.kill(c.pid, c.signal || 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
  const deadline = Date.now() + graceMs;
  while (running.some((c) => isOurs(c.pid, c.marker)) && Date.now() < deadline) await sleep(100);
  for (const c of running.filter((x) => isOurs(x.pid, x.marker))) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  while (running.some((c) => alive(c.pid) && cmdline(c.pid).includes(c.marker)) && Date.now() < deadline + 3000)
    await sleep(100);
  return running.map((c) => c.name);
}

/**
 * Before a start: the run command of the record must be gone (else the system is running and
 * this start is refused with a sentence); every child it left is stopped; the record is removed.
 */
async function stopLeftovers(file, say = () => undefined) {
  const record = readRecord(file);
  if (!record) return [];
  if (record.runPid !== process.pid && isOurs(record.runPid, record.runMarker || 'scripts/run.ts')) {
    const err = new Error(
      `the system is already running from ${path.dirname(file)} (run command pid ${record.runPid}): stop it with Ctrl-C in its terminal, or \`kill ${record.runPid}\`, or use another DATA_DIR`,
    );
    err.code = 'ALREADY_RUNNING';
    throw err;
  }
  const stopped = await stopChildren(record.children || [], 5000, say);
  fs.rmSync(file, { force: true });
  return stopped;
}

/** The reaper: waits for the run command to die, then stops what its record still lists. */
async function reap(runPid, file) {
  for (;;) {
    if (!fs.existsSync(file)) return; // the run command stopped everything and removed the record
    if (!alive(runPid)) {
      const record = readRecord(file);
      if (record && record.runPid === runPid) {
        await stopChildren(record.children || [], 5000);
        fs.rmSync(file, { force: true });
      }
      return;
    }
    await sleep(500);
  }
}

module.exports = { alive, cmdline, readRecord, writeRecord, stopChildren, stopLeftovers, isOurs };

if (require.main === module && process.argv[2] === 'reap') {
  const runPid = Number(process.argv[3]);
  const file = process.argv[4];
  // Detached from the terminal: Ctrl-C in it must not reach the reaper.
  for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => undefined);
  reap(runPid, file).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
