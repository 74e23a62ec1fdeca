module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'streams',
  rootDir: __dirname,
};
