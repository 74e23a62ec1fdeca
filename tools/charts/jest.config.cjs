module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'charts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // helm runs as a real program; a render of the umbrella takes a second or two on a busy machine.
  testTimeout: 120_000,
};
