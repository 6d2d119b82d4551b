// Unit tests (src, *.spec.ts) and e2e tests (test, *.e2e-spec.ts). Run through scripts/test.mjs,
// which runs the suite on the embedded database and on PostgreSQL (TEST_DB).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/restore-nock.ts'],
  // One database per run: suites take turns rather than truncate under each other.
  maxWorkers: 1,
  testTimeout: 30000,
};
