module.exports = { displayName: 'store', preset: '@elastiq/jest-preset', rootDir: __dirname };
