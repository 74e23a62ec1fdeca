module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'prober-health',
  rootDir: __dirname,
};
