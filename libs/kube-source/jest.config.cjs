module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'kube-source',
  rootDir: __dirname,
};
