module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'witness-quorum',
  rootDir: __dirname,
};
