module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'meridianctl',
  rootDir: __dirname,
};
