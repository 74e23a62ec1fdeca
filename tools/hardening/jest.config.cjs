module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'hardening',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // The soak and the chaos run each start two whole regions: one at a time on two cores.
  maxWorkers: 1,
};
