module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'witness',
  rootDir: __dirname,
};
