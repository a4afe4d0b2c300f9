module.exports = { displayName: 'client', preset: '@elastiq/jest-preset', rootDir: __dirname };
