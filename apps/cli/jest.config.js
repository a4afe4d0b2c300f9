// Every test runs the built CLI as a child process (~0.5-2 s each on a busy 2-core machine).
module.exports = { displayName: 'cli', preset: '@elastiq/jest-preset', rootDir: __dirname, testTimeout: 120000 };
