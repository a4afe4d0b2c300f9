module.exports = { displayName: 'setup', preset: '@elastiq/jest-preset', rootDir: __dirname };
