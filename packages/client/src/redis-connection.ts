import type { RuntimeSettings } from '@elastiq/config';
import { checkEvictionPolicy, connectRedis, type RedisConnection } from '@elastiq/redis';

/**
 * Connects once, without ioredis's endless reconnect loop: a CLI should say at once that Redis is
 * not there instead of hanging. A Redis that may evict keys is refused before any command uses it.
 */
export async function connectFleetRedis(settings: RuntimeSettings, warn: (message: string) => void): Promise<RedisConnection> {
  const redis = await connectRedis(settings.redis, 'command', {
    hint: 'start redis-server, or point ELASTIQ_REDIS_URL at the fleet\'s Redis (`-s DIR` reads a storage directory instead)',
  });
  try {
    const check = await checkEvictionPolicy(redis);
    if (!check.ok) warn(`warning: ${check.warning}`);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
