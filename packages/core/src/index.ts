export * from './cluster-dict';
