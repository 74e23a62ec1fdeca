module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'scenarios',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
};
