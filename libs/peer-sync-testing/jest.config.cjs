module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'peer-sync-testing',
  rootDir: __dirname,
};
