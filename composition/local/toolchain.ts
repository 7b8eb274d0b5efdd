/**
 * Fetches and caches the Temporal binaries this project needs, outside the checkout:
 *  - the Temporal CLI (dev server + Web UI), built from the Go module proxy because this
 *    machine cannot reach temporal.download or GitHub release downloads;
 *  - the official Java time-skipping test server from Maven Central, with a wrapper script
 *    that `exec`s java so the SDK's kill reaches the JVM.
 * Nothing here is ever committed; `npm run setup` (scripts/toolchain.ts) runs it by hand, `npm start`
 * and the test set-up call it on demand. Long steps print progress to stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'flex-pension');
}

function log(message: string): void {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Runs a long command, relaying its output line by line with elapsed seconds. */
function runWithProgress(command: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        lines += 1;
        // Go prints one line per module downloaded; show every 20th so the console stays readable.
        if (lines % 20 === 1) log(`${label} (${Math.round((Date.now() - started) / 1000)} s): ${line.trim()}`);
      }
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    const timer = setInterval(
      () => log(`${label}: still working, ${Math.round((Date.now() - started) / 1000)} s`),
      30_000,
    );
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) {
        log(`${label}: done in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve();
      } else reject(new Error(`${label} failed with exit code ${code}`));
    });
  });
}

/**
 * Path of a working Temporal CLI: $TEMPORAL_CLI, else `temporal` on PATH, else the cached
 * build, else build it now with `go install` (minutes on a cold machine), else download the
 * release from temporal.download where there is internet but no Go.
 */
export async function ensureTemporalCli(): Promise<string> {
  if (process.env.TEMPORAL_CLI) {
    if (!fs.existsSync(process.env.TEMPORAL_CLI))
      throw new Error(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} does not exist`);
    return process.env.TEMPORAL_CLI;
  }
  const onPath = which('temporal');
  if (onPath) return onPath;
  const binDir = path.join(cacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION);
  const cached = path.join(binDir, 'temporal');
  if (fs.existsSync(cached)) return cached;
  fs.mkdirSync(binDir, { recursive: true });
  const go = which('go');
  if (go) {
    log(
      `building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${binDir} (a cold build takes several minutes)`,
    );
    await runWithProgress(
      go,
      ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
      { ...process.env, GOBIN: binDir, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
      'go install temporal',
    );
  } else {
    await downloadCliRelease(binDir);
  }
  if (!fs.existsSync(cached)) throw new Error(`the Temporal CLI was not produced at ${cached}`);
  return cached;
}

async function downloadCliRelease(binDir: string): Promise<void> {
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const platform = process.platform === 'darwin' ? 'darwin' : 'linux';
  const version = TEMPORAL_CLI_VERSION.slice(1);
  const url = `https://temporal.download/cli/archive/v${version}?platform=${platform}&arch=${arch}`;
  log(`no Go toolchain: downloading the Temporal CLI from ${url}`);
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`download of the Temporal CLI failed: HTTP ${response.status}. Install Go or set TEMPORAL_CLI.`);
  const archive = path.join(binDir, 'temporal.tar.gz');
  fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  execFileSync('tar', ['-xzf', archive, '-C', binDir, 'temporal']);
  fs.rmSync(archive);
}

export interface TestServerExecutable {
  /** A script that takes `<port>` and `exec`s the JVM test server. */
  wrapper: string;
}

/**
 * Path of the time-skipping test server wrapper. Resolves io.temporal:temporal-test-server
 * and its dependencies with Maven into the cache on first use.
 */
export async function ensureTestServer(): Promise<TestServerExecutable> {
  if (process.env.TEMPORAL_TEST_SERVER) {
    if (!fs.existsSync(process.env.TEMPORAL_TEST_SERVER))
      throw new Error(`TEMPORAL_TEST_SERVER=${process.env.TEMPORAL_TEST_SERVER} does not exist`);
    return { wrapper: process.env.TEMPORAL_TEST_SERVER };
  }
  const dir = path.join(cacheDir(), 'test-server', TEST_SERVER_VERSION);
  const libDir = path.join(dir, 'lib');
  const wrapper = path.join(dir, 'temporal-test-server');
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    const mvn = which('mvn');
    const java = which('java');
    if (!mvn || !java)
      throw new Error(
        'Java and Maven are needed for the time-skipping test server (or set TEMPORAL_TEST_SERVER to a wrapper)',
      );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.flex-pension</groupId><artifactId>test-server-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
    );
    log(`fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central into ${libDir}`);
    await runWithProgress(
      mvn,
      ['-B', '-f', path.join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`],
      process.env,
      'mvn copy-dependencies',
    );
    fs.writeFileSync(marker, new Date().toISOString());
  }
  // exec, so that the SIGKILL the SDK sends to its child reaches the JVM itself; the JVM flags
  // keep start-up near one second on two cores (the SDK allows five). With FLEX_TEST_SERVER_PIDS
  // set (the test set-up), the JVM's PID is noted there so the teardown can stop a server the
  // SDK gave up waiting for.
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nif [ -n "$FLEX_TEST_SERVER_PIDS" ]; then echo $$ >> "$FLEX_TEST_SERVER_PIDS"; fi\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -Xmx512m -cp "${libDir}/*" io.temporal.testserver.TestServer "$@"\n`,
    { mode: 0o755 },
  );
  return { wrapper };
}
