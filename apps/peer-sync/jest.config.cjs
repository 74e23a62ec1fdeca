module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'peer-sync',
  rootDir: __dirname,
};
