module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'witness-engine',
  rootDir: __dirname,
};
