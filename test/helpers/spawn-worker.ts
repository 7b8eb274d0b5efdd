/**
 * Starts test/helpers/worker-process.ts as a child OS process (node --import tsx), so a test can
 * kill a worker with SIGKILL as a crash or an OOM kill would, and start another. Every process
 * started here is tracked; killAllWorkerProcesses() is for afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEnv } from './env';

export interface WorkerProcess {
  pid: number;
  identity: string;
  /** Where the process's stdout and stderr go. */
  logFile: string;
  /** SIGKILL, then waits until the process is gone. */
  kill9(): Promise<void>;
  readonly exited: boolean;
}

const ENTRY = path.join(__dirname, 'worker-process.ts');
const ROOT = path.join(__dirname, '..', '..');
const started = new Set<ChildProcess>();

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** True while a process with this PID exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function spawnWorkerProcess(o: {
  databaseUrl: string;
  taskQueue: string;
  identity: string;
  startTimeoutMs?: number;
}): Promise<WorkerProcess> {
  const logDir = process.env.TEST_ROOT ?? os.tmpdir();
  const logFile = path.join(logDir, `${o.identity}.log`);
  const args = [
    '--import',
    'tsx',
    ENTRY,
    '--database-url',
    o.databaseUrl,
    '--temporal-address',
    testEnv.temporalAddress,
    '--task-queue',
    o.taskQueue,
    '--workflow-bundle',
    testEnv.workflowBundlePath,
    '--platform-url',
    testEnv.platformUrl,
    '--government-url',
    testEnv.governmentUrl,
    '--identity',
    o.identity,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  child.stderr.pipe(log);
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`worker process ${o.identity} did not start within ${o.startTimeoutMs ?? 60_000} ms; see ${logFile}`),
      );
    }, o.startTimeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes(`worker running ${o.identity}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker process ${o.identity} exited with ${code ?? signal} before it ran; see ${logFile}`));
    });
  });
  child.stdout.pipe(log);
  return {
    pid: child.pid!,
    identity: o.identity,
    logFile,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exitOf(child);
    },
  };
}

/** SIGKILLs every worker process still running and waits for each to be gone; returns their PIDs. */
export async function killAllWorkerProcesses(): Promise<number[]> {
  const children = [...started];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map(exitOf));
  return children.map((c) => c.pid!);
}
