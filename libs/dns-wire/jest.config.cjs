module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dns-wire',
  rootDir: __dirname,
};
