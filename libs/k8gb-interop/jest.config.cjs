module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'k8gb-interop',
  rootDir: __dirname,
};
