module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'prober',
  rootDir: __dirname,
  // The process tests start the built app and wait for health to move; their own waits are shorter.
  testTimeout: 20000,
};
