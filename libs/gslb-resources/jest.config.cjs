module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'gslb-resources',
  rootDir: __dirname,
};
