export * from './cluster-dict';
export * from './errors';
export * from './node-naming-policy';
export * from './start-outcome';
