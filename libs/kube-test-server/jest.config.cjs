module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'kube-test-server',
  rootDir: __dirname,
};
