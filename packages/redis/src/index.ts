export { connectRedis, describeRedis } from './connect-redis';
export { checkEvictionPolicy, type EvictionPolicyCheck, RedisEvictsKeys } from './eviction-policy';
export { redactRedisUrl } from './redact-redis-url';
export { COMMAND_RECONNECT_MS, createRedisConnection, dataNodes, type RedisConnection, type RedisPurpose } from './redis-connection';
export { scanKeys } from './scan-keys';
