/**
 * The run command (`npm start`, i.e. scripts/start.cjs) and the dependency processes of
 * test/helpers/dependency-process.ts, as child processes of a test, with what they print.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export { freePort } from '../../composition/local/ports';
export { processAlive as alive } from './spawn-worker';

/** PIDs of processes whose command line holds `text`. */
export function processesWith(text: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return (
          fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(text) &&
          Number(pid) !== process.pid
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Launched {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited(): Promise<number | null>;
}

function launch(args: string[], env: NodeJS.ProcessEnv, logFile: string): Launched {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    });
  }
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      let match: RegExpMatchArray | null = null;
      await until(
        () => (match = pattern.exec(output)) !== null || child.exitCode !== null,
        timeoutMs,
        `waiting for ${String(pattern)}`,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; output:\n${output.slice(-3000)}`);
      });
      if (!match)
        throw new Error(`exited (${child.exitCode}) before ${String(pattern)}; output:\n${output.slice(-3000)}`);
      return match;
    },
    exited: () => exit,
  };
}

/** `npm start` as the README runs it: node scripts/start.cjs, with the given environment. */
export function startRunCommand(env: NodeJS.ProcessEnv, logFile: string): Launched {
  return launch([path.join(ROOT, 'scripts', 'start.cjs')], env, logFile);
}

/** A PostgreSQL or Temporal dev server of the test's own (test/helpers/dependency-process.ts). */
export async function startDependency(
  kind: 'postgres' | 'temporal',
  location: string,
  port: number,
  logFile: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ launched: Launched; address: string; serverPid: number }> {
  const launched = launch(
    ['--import', 'tsx', path.join(__dirname, 'dependency-process.ts'), kind, location, String(port)],
    env,
    logFile,
  );
  const [, address, pid] = await launched.waitFor(/ready (\S+) (\d+)/, 90_000);
  return { launched, address, serverPid: Number(pid) };
}
