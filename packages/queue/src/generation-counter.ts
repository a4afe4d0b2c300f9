import type { RedisConnection } from '@elastiq/redis';
import { generationCounterKey } from './fleet-keys';

/**
 * The next generation of a cluster name (a start or a resize). Generations never repeat for a
 * name, even after its record was deleted: they are part of job ids (which deduplicate) and of
 * cloud tags (which rollback filters on).
 */
export async function nextGeneration(redis: RedisConnection, prefix: string, name: string, recorded: number): Promise<number> {
  const key = generationCounterKey(prefix, name);
  const next = await redis.incr(key);
  if (next > recorded) return next;
  await redis.set(key, String(recorded + 1));
  return recorded + 1;
}
