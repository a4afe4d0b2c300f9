module.exports = { displayName: 'redis', preset: '@elastiq/jest-preset', rootDir: __dirname };
