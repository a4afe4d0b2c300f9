module.exports = { displayName: 'worker', preset: '@elastiq/jest-preset', rootDir: __dirname };
