/**
 * The layer rule of eslint.config.mjs (domain ← db, adapters ← activities ← workflows ←
 * workers, api ← composition ← scripts) run on small sources: an import that climbs a layer up is
 * a lint error, one that goes down is not. The sources are linted as if they were files of each
 * folder (lintText with a filePath), so nothing is written.
 * ESLint runs in a child process: it loads its ES-module config with import(), which jest's
 * module sandbox refuses without --experimental-vm-modules.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.join(__dirname, '..', '..');

/** Lints each { filePath, code } with `new ESLint({ cwd })`; prints the no-restricted-imports messages of each. */
const LINT = `
const { ESLint } = require('eslint');
(async () => {
  const sources = JSON.parse(process.argv[1]);
  // Only the import rule runs, which needs no type information: the parser skips the TypeScript project.
  const eslint = new ESLint({
    cwd: process.cwd(),
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: false } } },
  });
  const out = [];
  for (const { filePath, code } of sources) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => m.ruleId === null ? 'fatal: ' + m.message : m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
`;

const sources: Array<{ filePath: string; code: string }> = [];
let messages: string[][] | undefined;

/** Registers a source to lint; the returned function gives its messages once linted. */
function lint(filePath: string, code: string): () => string[] {
  const i = sources.push({ filePath, code }) - 1;
  return () => messages![i];
}

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', LINT, JSON.stringify(sources)], {
    cwd: root,
    maxBuffer: 1 << 24,
  });
  messages = JSON.parse(stdout) as string[][];
}, 120_000);

const domainUp = lint('domain/money.ts', "import { createDb } from '../db/client';\nexport const open = createDb;\n");
const domainWithin = lint(
  'domain/money.ts',
  "import { addMonths } from './retirement-age';\nexport const next = addMonths;\n",
);
const dbUp = lint(
  'db/repositories/case-steps.ts',
  "import type { StaffDecision } from '../../workflows/shared/types';\nexport type D = StaffDecision;\n",
);
const dbDown = lint(
  'db/repositories/case-steps.ts',
  "import type { StepRecord } from '../../domain/case-records';\nexport type R = StepRecord;\n",
);
const activitiesUp = lint(
  'activities/cases.ts',
  "import type { CaseView } from '../workflows/shared/types';\nexport type V = CaseView;\n",
);
const activitiesDown = lint(
  'activities/cases.ts',
  "import { createDb } from '../db/client';\nimport type { GovernmentSystems } from '../adapters/government/types';\nexport type G = GovernmentSystems;\nexport const open = createDb;\n",
);
const workflowActivityValue = lint(
  'workflows/stop.ts',
  "import { createActivities } from '../activities';\nexport const make = createActivities;\n",
);
const workflowActivityType = lint(
  'workflows/stop.ts',
  "import type { Activities } from '../activities';\nexport type A = Activities;\n",
);
const workflowComposition = lint(
  'workflows/stop.ts',
  "import { ensureSchedule } from '../composition/schedules';\nexport const e = ensureSchedule;\n",
);
const startSystem = "import { startSystem } from '../composition/system';\nexport const start = startSystem;\n";
const apiComposition = lint('api/app.ts', startSystem);
const apiEntryComposition = lint('api/server.ts', startSystem);
const compositionScripts = lint(
  'composition/system.ts',
  "import { progressReporter } from '../scripts/import-contributions';\nexport const p = progressReporter;\n",
);
const workflowBuiltin = lint('workflows/stop.ts', "import fs from 'node:fs';\nexport const read = fs.readFileSync;\n");
const domainIo = lint('domain/money.ts', "import { Pool } from 'pg';\nexport const P = Pool;\n");

describe('the layer rule', () => {
  test('domain/ importing the database is an error; domain/ importing domain/ is not', () => {
    expect(domainUp()).toEqual([
      expect.stringMatching(/^'\.\.\/db\/client' import is restricted .*Layers: domain\/ may import only domain\//),
    ]);
    expect(domainWithin()).toEqual([]);
  });

  test('db/ importing workflows/ is an error even for a type; db/ importing domain/ is not', () => {
    expect(dbUp()).toEqual([expect.stringMatching(/Layers: db\/ may import only domain\/, db\//)]);
    expect(dbDown()).toEqual([]);
  });

  test('activities/ importing workflows/ is an error; activities/ importing db/ and adapters/ is not', () => {
    expect(activitiesUp()).toEqual([expect.stringMatching(/Layers: activities\//)]);
    expect(activitiesDown()).toEqual([]);
  });

  test('workflows/ import activities/ only as types, and never the composition', () => {
    expect(workflowActivityValue()).toEqual([expect.stringMatching(/Import activities only as types/)]);
    expect(workflowActivityType()).toEqual([]);
    expect(workflowComposition()).toEqual([expect.stringMatching(/Layers: workflows\//)]);
  });

  test('api/ does not import the composition, its entry point api/server.ts does; the composition does not import scripts/', () => {
    expect(apiComposition()).toEqual([expect.stringMatching(/Layers: api\//)]);
    expect(apiEntryComposition()).toEqual([]);
    expect(compositionScripts()).toEqual([expect.stringMatching(/Layers: composition\/ and the entry points/)]);
  });

  test('the determinism rules still hold in workflow and domain code beside the layer rule', () => {
    expect(workflowBuiltin()).toEqual([expect.stringMatching(/Node builtins/)]);
    expect(domainIo()).toEqual([expect.stringMatching(/No I\/O libraries/)]);
  });
});
