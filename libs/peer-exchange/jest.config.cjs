module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'peer-exchange',
  rootDir: __dirname,
};
