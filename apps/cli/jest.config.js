module.exports = { displayName: 'cli', preset: '@elastiq/jest-preset', rootDir: __dirname };
