// ESM Jest: run through scripts/node24.mjs with --experimental-vm-modules (see `npm test`).
export default {
  clearMocks: true,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/', '/\\.node/'],
  modulePathIgnorePatterns: ['<rootDir>/\\.node/', '<rootDir>/dist/'],
  // Once per run: Node 22 and 24 ready, the repository packed and installed as a user installs it
  // (__tests__/cli/harness.ts runs that installation).
  globalSetup: '<rootDir>/__tests__/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/global-teardown.mjs',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.dev.json' }]
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-totals-reporter.js'],
  verbose: true
}
