module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dns-server',
  rootDir: __dirname,
};
