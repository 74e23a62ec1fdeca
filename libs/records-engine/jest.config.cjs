module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'records-engine',
  rootDir: __dirname,
};
