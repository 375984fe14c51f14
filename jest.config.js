// ESM Jest: run through scripts/node24.mjs with --experimental-vm-modules (see `npm test`).
export default {
  clearMocks: true,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/', '/.node24/'],
  modulePathIgnorePatterns: ['<rootDir>/.node24/', '<rootDir>/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.dev.json' }]
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-totals-reporter.js'],
  verbose: true
}
