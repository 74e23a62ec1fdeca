module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'scenarios',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Each spec file builds its own fleet of namespaces and processes: one file at a time.
  maxWorkers: 1,
};
