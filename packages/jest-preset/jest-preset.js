// Shared jest settings for every elastiq package.
// Tests are transpiled by swc (fast on 2 cores); types are checked separately by `tsc --noEmit`.
// The "development" export condition makes `@elastiq/*` imports resolve to the sibling
// package's TypeScript sources, so unit tests never run against a stale dist/.
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['development', 'node', 'require', 'default'] },
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
