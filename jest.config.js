/** Three projects: pure unit tests need no servers; workflow tests run the workflows with mocked
 * activities on one time-skipping test server started once per run by
 * test/setup/workflow-global-setup.ts; the integration tests share one PostgreSQL and one Temporal
 * dev server started once per run by test/setup/global-setup.ts. `npm run test:fast` runs the
 * first two. */
const transform = { '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
// Jest's module loader requires ES modules natively only on Node >= 24.9 *and* with
// --experimental-vm-modules (vm.SourceTextModule); without that flag, on Node 24 too, these
// ESM-only dependencies are compiled to CommonJS like our own files.
const esmOnly = ['content-disposition', 'cookie', 'jose', '@noble'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];
module.exports = {
  // Jest reads the timeout only at the top level, not per project.
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'workflow',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/workflow-global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/workflow-global-teardown.ts',
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
