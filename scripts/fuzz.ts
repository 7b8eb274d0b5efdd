/**
 * `npm run fuzz`: schemathesis (PyPI) against the OpenAPI document of a running system, for every
 * operation, once per role and once without a token. A run passes when no request is answered
 * 5xx and every answer is documented (status code, content type, schema). Bounded: FUZZ_SECONDS
 * per role (default 20), about four minutes in all on a 2-core machine.
 *
 * It starts its own system exactly as `npm start` does (scripts/start.cjs), on free ports with a
 * temporary data directory, and stops it afterwards. schemathesis is installed once, pinned, into
 * a virtual environment under $XDG_CACHE_HOME/flex-pension/schemathesis/<version> (Python 3.9+).
 * Extra arguments go to schemathesis (e.g. `npm run fuzz -- --seed 42`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROLES, signToken, type Role } from '../api/auth/tokens';
import { freePort } from '../composition/local/ports';

const SCHEMATHESIS_VERSION = '4.32.5';
const ROOT = path.join(__dirname, '..');

function say(line: string): void {
  process.stdout.write(`[fuzz] ${line}\n`);
}

/** The pinned schemathesis in its own virtual environment (made on first use). */
function ensureSchemathesis(): string {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const venv = path.join(cache, 'flex-pension', 'schemathesis', SCHEMATHESIS_VERSION);
  const bin = path.join(venv, 'bin', 'schemathesis');
  if (fs.existsSync(bin)) return bin;
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('npm run fuzz needs Python 3.9 or newer (python3) to install schemathesis from PyPI');
  say(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${venv}`);
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], {
    stdio: 'inherit',
  });
  return bin;
}

async function main(): Promise<number> {
  const schemathesis = ensureSchemathesis();
  const seconds = Number(process.env.FUZZ_SECONDS ?? 20);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flex-pension-fuzz-'));
  fs.chmodSync(dataDir, 0o755);
  const apiPort = await freePort();
  const authKey = randomBytes(32).toString('hex');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    PLATFORM_SIMULATOR_PORT: String(await freePort()),
    GOVERNMENT_SIMULATOR_PORT: String(await freePort()),
    AUTH_SIGNING_KEY: authKey,
    // Fuzzing sends thousands of requests a minute from one address.
    RATE_LIMIT_PER_TOKEN: '1000000',
    RATE_LIMIT_ANONYMOUS: '1000000',
    LOG_LEVEL: 'error',
  };
  say(`starting the system (data in ${dataDir})`);
  const run = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.cjs')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  run.stdout.on('data', (c: Buffer) => (output += c.toString()));
  run.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (run.exitCode !== null) return;
    run.kill('SIGINT');
    await new Promise((resolve) => run.once('exit', resolve));
  };
  let keepReports = false;
  try {
    const started = Date.now();
    while (!output.includes('[run] ready')) {
      if (run.exitCode !== null || Date.now() - started > 180_000)
        throw new Error(`the system did not start:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const base = `http://127.0.0.1:${apiPort}`;
    const auth = {
      key: Buffer.from(authKey, 'hex'),
      issuer: process.env.AUTH_ISSUER ?? 'flex-pension',
      audience: process.env.AUTH_AUDIENCE ?? 'flex-pension-api',
    };
    const callers: Array<{ name: string; header?: string }> = [
      { name: 'no token' },
      ...ROLES.map((role: Role) => ({
        name: role,
        header: `Bearer ${signToken(auth, { sub: `fuzz-${role}`, role, agencies: role === 'applicant' ? ['620102'] : ['*'], personKey: role === 'applicant' ? `P${'0'.repeat(24)}` : undefined, ttlSeconds: 3600 })}`,
      })),
    ];
    const failed: string[] = [];
    for (const caller of callers) {
      say(`${caller.name}: every operation, ${seconds} s`);
      const args = [
        'run',
        `${base}/openapi.json`,
        '--checks',
        'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
        '--max-time',
        String(seconds),
        // One worker: hypothesis's source inspection is not thread-safe on every Python ("AST
        // constructor recursion depth mismatch" with several).
        '--workers',
        '1',
        '--request-timeout',
        '15',
        '--generation-allow-x00',
        'true',
        '--suppress-health-check',
        'all',
        '--no-color',
        '--report',
        'junit',
        '--report-junit-path',
        path.join(dataDir, `fuzz-${caller.name.replace(/\W+/g, '-')}.xml`),
        ...(caller.header ? ['--header', `Authorization: ${caller.header}`] : []),
        ...process.argv.slice(2),
      ];
      const result = spawnSync(schemathesis, args, {
        stdio: 'inherit',
        env: { ...process.env, SCHEMATHESIS_HOOKS: '' },
      });
      if (result.status !== 0) failed.push(caller.name);
    }
    if (failed.length > 0) {
      keepReports = true;
      say(`failures as: ${failed.join(', ')} (reports in ${dataDir})`);
      return 1;
    }
    say('no 5xx, every answer as documented, for every operation and caller');
    return 0;
  } finally {
    await stop();
    // The data only once the system is stopped (it runs from there); the reports stay on failure.
    if (!keepReports) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[fuzz] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
