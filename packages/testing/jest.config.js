module.exports = { displayName: 'testing', preset: '@elastiq/jest-preset', rootDir: __dirname };
