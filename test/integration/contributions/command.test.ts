/**
 * `npm run contributions:import` as staff run it: a child process on a small file, its exit
 * code and summary; usage errors (exit 2) and I/O or database failures (exit 1). Its output
 * never contains an ID number or a name.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CONTRIBUTION_COLUMNS } from '../../../domain/contribution-rows';
import { createDb, type DbHandle } from '../../../db/client';
import { csvLine, freshAgency, monthsOf, rec, registerPerson, writeTestFile } from '../../helpers/contributions';
import { makeIdNumber, testEnv } from '../../helpers/env';

const SCRIPT = path.join(__dirname, '..', '..', '..', 'scripts', 'import-contributions.ts');

let database: DbHandle;
beforeAll(() => {
  database = createDb(testEnv.databaseUrl, { max: 2 });
});
afterAll(async () => {
  await database?.close();
});

function runImport(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      cwd: path.join(__dirname, '..', '..', '..'),
      env: { ...process.env, DATABASE_URL: testEnv.databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('imports a small file: exit 0 with refused rows, a summary with counts and the refusals grouped by code with their lines', async () => {
  const agency = await freshAgency(database.db);
  const p = await registerPerson(database.db, { agencyCode: agency });
  const q = await registerPerson(database.db, { agencyCode: agency });
  const stranger = { idNumber: makeIdNumber(), name: '陌生人' };
  const file = writeTestFile('small.csv', [
    CONTRIBUTION_COLUMNS.join(','),
    csvLine(rec(p, agency, '2025-01', '5000')),
    csvLine(rec(p, agency, '2025-02', '5000')),
    csvLine(rec(p, agency, '2025-02', '5000')),
    csvLine(rec(q, agency, '2025-01', '5000', { amount: '1.00' })),
    csvLine(rec(q, agency, '2025-02', '5000', { amount: '2.00' })),
    csvLine(rec(stranger, agency, '2025-01', '5000')),
    csvLine(rec(q, agency, '2025-03', '5000')),
  ]);
  const run = await runImport(['--file', file]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const out = run.stdout;
  expect(out).toContain(`contribution records imported: ${path.basename(file)}`);
  expect(out).toMatch(/rows\s+7 /);
  expect(out).toMatch(/accepted\s+3 /);
  expect(out).toMatch(/duplicate\s+1 /);
  expect(out).toMatch(/refused\s+3 /);
  expect(out).toMatch(/amount\.mismatch\s+2\s+缴费金额与缴费基数×缴费费率不符; lines 5, 6\n/);
  expect(out).toMatch(/person\.not_registered\s+1\s+该人员未在本系统登记; lines 7\n/);
  for (const secret of [p.idNumber, q.idNumber, stranger.idNumber, p.name, q.name, stranger.name])
    expect(out).not.toContain(secret);
  expect(await monthsOf(database.db, p.personId)).toEqual(['2025-01 5000.00', '2025-02 5000.00']);
  expect(await monthsOf(database.db, q.personId)).toEqual(['2025-03 5000.00']);

  // Run again: all duplicates, still exit 0.
  const again = await runImport(['--file', file]);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/accepted\s+0 /);
  expect(again.stdout).toMatch(/duplicate\s+4 /);
});

test('--format jsonl reads a file whatever its name', async () => {
  const agency = await freshAgency(database.db);
  const p = await registerPerson(database.db, { agencyCode: agency });
  const file = writeTestFile('export.txt', [JSON.stringify(rec(p, agency, '2025-05', '5000'))]);
  const unknown = await runImport(['--file', file]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('pass --format csv or --format jsonl');
  const run = await runImport(['--file', file, '--format', 'jsonl']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/accepted\s+1 /);
});

test('usage errors exit 2; a missing file or an unreachable database exit 1', async () => {
  const noFile = await runImport([]);
  expect(noFile.code).toBe(2);
  expect(noFile.stderr).toContain('--file is required');
  expect(noFile.stderr).toContain('usage: npm run contributions:import');
  expect((await runImport(['--file', 'x.csv', '--format', 'xml'])).code).toBe(2);
  expect((await runImport(['--file', 'x.csv'], { DATABASE_URL: '' })).stderr).toContain('DATABASE_URL must be set');

  const missing = await runImport([
    '--file',
    path.join(path.dirname(writeTestFile('dir.csv', [])), 'does-not-exist.csv'),
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('ENOENT');

  const file = writeTestFile('unreachable.csv', ['x']);
  const down = await runImport(['--file', file], { DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:9/nowhere' });
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(/\[import\] failed: .*ECONNREFUSED/);
});
