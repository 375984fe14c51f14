// ESM Jest: run through scripts/node24.mjs with --experimental-vm-modules (see the test scripts in
// package.json). Three lanes, each a Jest project: `npm test` runs them all, `npm run test:<lane>` one.
//   fast     unit and in-process tests: no global setup, no process started per test
//   action   the bundled action (dist/index.js) run as the runner runs it, against the simulator
//   command  the packed command installed as a user installs it, on Node 22 and 24
// Both end-to-end lanes first make sure dist/ is what the source builds (__tests__/setup/fresh-dist.mjs).
const shared = {
  clearMocks: true,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/dist/', '/node_modules/', '/\\.node/'],
  modulePathIgnorePatterns: ['<rootDir>/\\.node/', '<rootDir>/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.dev.json' }]
  }
}

const lane = (name, testMatch, setup = {}) => ({
  ...shared,
  displayName: name,
  testMatch: testMatch.map(pattern => `<rootDir>/__tests__/${pattern}`),
  ...setup
})

export default {
  projects: [
    lane('fast', [
      'unit/**/*.test.ts',
      'engine/**/*.test.ts',
      '{artifact-service,harness,lanes,layout,links,options,readme-examples}.test.ts',
      '{simulator,simulator-scan-config,veracode-simulator,workflows}.test.ts'
    ]),
    lane('action', ['e2e/**/*.test.ts', 'demo.test.ts'], {
      globalSetup: '<rootDir>/__tests__/setup/action-lane.mjs'
    }),
    lane('command', ['cli/**/*.test.ts', 'ci-docs.test.ts', 'bench.test.ts'], {
      globalSetup: '<rootDir>/__tests__/setup/command-lane.mjs',
      globalTeardown: '<rootDir>/__tests__/setup/teardown.mjs'
    })
  ],
  // An end-to-end test spends most of its time waiting for the simulated scan (its polls, its running
  // seconds), not computing: more workers than the 2 cores of CI keep both cores busy.
  maxWorkers: 4,
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-totals-reporter.js'],
  verbose: true
}
