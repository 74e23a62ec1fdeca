module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'prober',
  rootDir: __dirname,
};
