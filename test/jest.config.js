module.exports = { displayName: 'e2e', preset: '@elastiq/jest-preset', rootDir: __dirname, testTimeout: 180000 };
