module.exports = { displayName: 'cloud', preset: '@elastiq/jest-preset', rootDir: __dirname };
