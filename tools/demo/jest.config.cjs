module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
};
