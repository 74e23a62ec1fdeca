module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'observability',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
};
