module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'witness-observers',
  rootDir: __dirname,
};
