module.exports = { displayName: 'cloud-sim', preset: '@elastiq/jest-preset', rootDir: __dirname };
