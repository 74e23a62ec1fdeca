module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'charts-schema',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // helm runs as a real program; renders take a second or two on a busy machine.
  testTimeout: 120_000,
};
