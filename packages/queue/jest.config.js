module.exports = { displayName: 'queue', preset: '@elastiq/jest-preset', rootDir: __dirname };
