export * from './free-port';
export * from './redis-ping';
export * from './spawn-tracked';
export * from './ssh-key-pair';
export * from './start-redis';
export * from './temp-dir';
export * from './wait-for';
export * from './process-alive';
export { trackedPids } from './process-registry';
