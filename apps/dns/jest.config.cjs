module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dns',
  rootDir: __dirname,
};
