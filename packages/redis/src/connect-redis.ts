import type { RedisSettings } from '@elastiq/config';
import { EXIT_CODES, ElastiqError } from '@elastiq/core';
import { createRedisConnection, type RedisConnection, type RedisPurpose } from './redis-connection';
import { redactRedisUrl } from './redact-redis-url';

/** Where the settings point, for messages: no password. */
export function describeRedis(settings: RedisSettings): string {
  const url = redactRedisUrl(settings.url);
  const { topology } = settings;
  if (topology.mode === 'cluster') return `the Redis Cluster at ${[url, ...topology.seeds.map((seed) => `${seed.host}:${seed.port}`)].join(', ')}`;
  if (topology.mode === 'sentinel') {
    return `master ${topology.masterName} of the sentinels ${topology.sentinels.map((sentinel) => `${sentinel.host}:${sentinel.port}`).join(', ')}`;
  }
  return url;
}

/**
 * Makes the connection and waits until it is ready, or fails with one line naming the Redis
 * (without its password) and the first socket error (ECONNREFUSED, a TLS or AUTH error...).
 */
export async function connectRedis(
  settings: RedisSettings,
  purpose: Exclude<RedisPurpose, 'worker'>,
  { hint = 'start redis-server, or point ELASTIQ_REDIS_URL at the fleet\'s Redis' }: { hint?: string } = {},
): Promise<RedisConnection> {
  const connection = createRedisConnection(settings, purpose);
  let firstError: NodeJS.ErrnoException | undefined;
  // Also keeps ioredis from printing the error as unhandled; failures surface through connect().
  const remember = (error: NodeJS.ErrnoException) => {
    firstError ??= error;
  };
  connection.on('error', remember);
  try {
    await connection.connect();
    return connection;
  } catch (error) {
    // A connection that gave up has ended already; disconnect() would then arm ioredis's 2 s
    // "destroy the stream" timer on a closed stream and hold the process that long.
    if (connection.status !== 'end') connection.disconnect();
    const reason = firstError?.code ?? firstError?.message ?? (error as Error).message;
    throw new ElastiqError(`cannot reach Redis at ${describeRedis(settings)} (${reason})`, { hint, exitCode: EXIT_CODES.unavailable, cause: error });
  } finally {
    connection.off('error', remember);
    // A command's later failures reject its requests; the 'error' events would only be noise.
    if (purpose === 'command') connection.on('error', () => undefined);
  }
}
