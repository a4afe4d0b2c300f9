// The preset's testTimeout (30 s) is a global option that jest ignores in multi-project runs; tests
// that start real servers on a shared 2-core machine need it, so it is set per test file here.
jest.setTimeout(30_000);
