module.exports = {
  displayName: 'cloud',
  preset: '@elastiq/jest-preset',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/test/jest-timeout.ts'],
};
