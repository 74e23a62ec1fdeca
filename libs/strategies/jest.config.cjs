module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'strategies',
  rootDir: __dirname,
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/index.ts'],
  coverageDirectory: '<rootDir>/../../coverage/libs/strategies',
  coverageReporters: ['text', 'text-summary', 'lcov'],
  // The acceptance: every branch of the strategies is exercised by a test.
  coverageThreshold: {
    global: { branches: 100, functions: 100, lines: 100, statements: 100 },
  },
};
