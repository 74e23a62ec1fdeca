module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'records',
  rootDir: __dirname,
};
