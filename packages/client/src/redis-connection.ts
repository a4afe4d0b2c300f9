import { EXIT_CODES, ElastiqError } from '@elastiq/core';
import { Redis } from 'ioredis';

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Connects once, without ioredis's endless reconnect loop: a CLI should say at once that Redis is
 * not there instead of hanging. BullMQ needs `maxRetriesPerRequest: null` on shared connections.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => null, connectTimeout: 5000 });
  // Without a listener ioredis prints unhandled 'error' events; failures surface through connect().
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new ElastiqError(`cannot reach Redis at ${redactRedisUrl(url)}: ${(error as Error).message}`, {
      hint: 'start redis-server, or point ELASTIQ_REDIS_URL at the fleet\'s Redis (`-s DIR` reads a storage directory instead)',
      exitCode: EXIT_CODES.unavailable,
      cause: error,
    });
  }
  return redis;
}
