module.exports = { displayName: 'ssh', preset: '@elastiq/jest-preset', rootDir: __dirname };
