/**
 * CI runs the benchmark's quick mode (`npm run bench -- --quick`) as it is run by hand: its own
 * system process, its own Temporal dev server, a scratch database on the suite's PostgreSQL, and
 * the suite's workflow bundle. Only that it runs to the end and reports every row is checked —
 * never a figure: timings on a shared CI machine say nothing (docs/performance.md).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testEnv } from '../../helpers/env';

jest.setTimeout(300_000);

test('npm run bench -- --quick prints the table and writes the JSON with every row', async () => {
  const root = path.join(__dirname, '..', '..', '..');
  const json = path.join(process.env.TEST_ROOT ?? fs.mkdtempSync('/tmp/bench-'), 'bench-quick.json');
  const out: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'scripts', 'bench.ts'),
        '--quick',
        '--json',
        json,
        '--bundle',
        testEnv.workflowBundlePath,
      ],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: testEnv.databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const printed = out.join('');
  expect({ code, tail: printed.slice(-3000) }).toMatchObject({ code: 0 });

  // The table: every section and a row per concurrency level, reads at both sizes, every target.
  for (const heading of [
    'Comparison',
    'Open cases and the midnight burst',
    'Reads through the API',
    'API/worker process RSS',
    'Targets',
  ])
    expect(printed).toContain(heading);
  const result = JSON.parse(fs.readFileSync(json, 'utf8')) as {
    mode: string;
    comparison: Array<{
      concurrency: number;
      noop: { perSecond: number };
      enrollment: { perSecond: number; statementsPerCase: number };
      throughputRatio: number;
      p50Ratio: number;
    }>;
    burst: { deadlines: number; breached: number; drainSeconds: number; apiReads: { n: number } };
    openCases: { runningWorkflows: number; rssMiB: number };
    reads: Array<{
      openCases: number;
      inboxFirstPage: { n: number };
      inboxDeepPage: { n: number };
      caseList: { n: number };
      caseView: { n: number };
    }>;
    memory: { startMiB: number; peakMiB: number };
    targets: Array<{ target: string; measured: string; met: boolean | null }>;
  };
  expect(result.mode).toBe('quick');
  expect(result.comparison.map((r) => r.concurrency)).toEqual([1, 8]);
  for (const r of result.comparison) {
    expect(r.noop.perSecond).toBeGreaterThan(0);
    expect(r.enrollment.perSecond).toBeGreaterThan(0);
    expect(Number.isFinite(r.throughputRatio) && Number.isFinite(r.p50Ratio)).toBe(true);
    expect(r.enrollment.statementsPerCase).toBeGreaterThan(0);
  }
  // Every deadline of the burst was recorded, and the API answered meanwhile.
  expect(result.burst.breached).toBe(result.burst.deadlines);
  expect(result.burst.apiReads.n).toBeGreaterThan(0);
  expect(result.openCases.runningWorkflows).toBeGreaterThanOrEqual(result.burst.deadlines);
  expect(result.reads).toHaveLength(2);
  expect(result.reads[1].openCases).toBeGreaterThan(result.reads[0].openCases);
  for (const r of result.reads)
    for (const l of [r.inboxFirstPage, r.inboxDeepPage, r.caseList, r.caseView]) expect(l.n).toBeGreaterThan(0);
  expect(result.memory.peakMiB).toBeGreaterThan(0);
  expect(result.targets.map((t) => t.target)).toHaveLength(7);
});
