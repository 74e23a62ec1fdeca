module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'netns-harness',
  rootDir: __dirname,
};
