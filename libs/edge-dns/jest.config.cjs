module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'edge-dns',
  rootDir: __dirname,
};
