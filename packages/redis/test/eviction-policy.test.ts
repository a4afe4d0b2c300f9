import { loadRuntimeSettings } from '@elastiq/config';
import { type RunningRedis, type RunningRedisCluster, startRedis, startRedisCluster } from '@elastiq/testing';
import { checkEvictionPolicy, connectRedis, type RedisConnection, RedisEvictsKeys } from '../src';

// BullMQ keeps jobs, locks and the stalled-job bookkeeping in ordinary keys: a Redis that evicts
// under memory pressure drops them without an error. elastiq refuses such a Redis up front.
jest.setTimeout(60_000);

describe('checkEvictionPolicy', () => {
  const servers: { stop(): Promise<void> }[] = [];
  const open: RedisConnection[] = [];

  async function connected(server: RunningRedis | RunningRedisCluster, env: Record<string, string> = {}): Promise<RedisConnection> {
    const connection = await connectRedis(loadRuntimeSettings({ ELASTIQ_REDIS_URL: server.url, ...env }).redis, 'command');
    open.push(connection);
    return connection;
  }

  afterAll(async () => {
    for (const connection of open) connection.disconnect();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('accepts a Redis that never evicts', async () => {
    const server = await startRedis();
    servers.push(server);
    expect(await checkEvictionPolicy(await connected(server))).toEqual({ ok: true });
  });

  it('refuses one that may evict keys, naming the policy and how to fix it', async () => {
    const server = await startRedis({ maxmemoryPolicy: 'allkeys-lru' });
    servers.push(server);
    const check = checkEvictionPolicy(await connected(server));
    await expect(check).rejects.toBeInstanceOf(RedisEvictsKeys);
    await expect(check).rejects.toThrow(`Redis at 127.0.0.1:${server.port} has maxmemory-policy allkeys-lru: it may evict the fleet's jobs and records`);
  });

  it('warns instead of refusing when the server will not say (INFO denied, as on some managed services)', async () => {
    const server = await startRedis({ user: { name: 'restricted', password: 'pw', rules: ['+@all', '-info', '-config'] } });
    servers.push(server);
    const redis = await connected(server);
    await expect(redis.info('memory')).rejects.toThrow(/NOPERM/);
    expect(await checkEvictionPolicy(redis)).toEqual({
      ok: false,
      warning: expect.stringMatching(/^cannot read maxmemory-policy of Redis 127\.0\.0\.1:\d+ \(NOPERM.*\): make sure it is noeviction, or BullMQ may lose jobs$/),
    });
  });

  it('checks every master of a Redis Cluster', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    servers.push(cluster);
    const redis = await connected(cluster, { ELASTIQ_REDIS_CLUSTER: 'true' });
    expect(await checkEvictionPolicy(redis)).toEqual({ ok: true });
    const last = cluster.nodes[2];
    await (await connected(last)).config('SET', 'maxmemory-policy', 'volatile-ttl');
    await expect(checkEvictionPolicy(redis)).rejects.toThrow(`Redis at 127.0.0.1:${last.port} has maxmemory-policy volatile-ttl`);
  });
});
