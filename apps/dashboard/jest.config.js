module.exports = { displayName: 'dashboard', preset: '@elastiq/jest-preset', rootDir: __dirname };
