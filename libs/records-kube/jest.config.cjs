module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'records-kube',
  rootDir: __dirname,
};
