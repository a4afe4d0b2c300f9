module.exports = { displayName: 'core', preset: '@elastiq/jest-preset', rootDir: __dirname };
