module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'grpc-kit',
  rootDir: __dirname,
};
