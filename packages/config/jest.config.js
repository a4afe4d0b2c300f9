module.exports = { displayName: 'config', preset: '@elastiq/jest-preset', rootDir: __dirname };
