import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';

/**
 * A real redis-server for the file's specs and two connections to it, as two worker processes
 * would hold: the specs of shared state (token buckets, the installation id) race them. Read
 * `clients` inside a spec (they are opened in beforeAll).
 */
export function useTwoWorkerConnections(): { clients: Redis[] } {
  const shared = { clients: [] as Redis[] };
  let redis: RunningRedis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    shared.clients = [new Redis(redis.url), new Redis(redis.url)];
  });
  afterAll(async () => {
    for (const client of shared.clients) client.disconnect();
    await redis?.stop();
  });
  return shared;
}
