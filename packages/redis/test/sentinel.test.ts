import { loadRuntimeSettings } from '@elastiq/config';
import { type RunningRedisSentinel, startRedisSentinel } from '@elastiq/testing';
import { checkEvictionPolicy, connectRedis, type RedisConnection } from '../src';

// A real sentinel (redis-server --sentinel) watching a real master: the client asks the
// sentinel where the master is, as it would again after a failover.
jest.setTimeout(60_000);

describe('connectRedis through Redis Sentinel', () => {
  let deployment: RunningRedisSentinel;
  let redis: RedisConnection | undefined;

  beforeAll(async () => {
    deployment = await startRedisSentinel();
  });
  afterAll(async () => {
    redis?.disconnect();
    await deployment?.stop();
  });

  it('finds the master from ELASTIQ_REDIS_SENTINELS and ELASTIQ_REDIS_SENTINEL_MASTER', async () => {
    const settings = loadRuntimeSettings({
      ELASTIQ_REDIS_SENTINELS: `127.0.0.1:${deployment.sentinel.port}`,
      ELASTIQ_REDIS_SENTINEL_MASTER: deployment.masterName,
    });
    redis = await connectRedis(settings.redis, 'command');
    expect(await redis.config('GET', 'port')).toEqual(['port', String(deployment.master.port)]);
    expect(await redis.set('via-sentinel', '1')).toBe('OK');
    expect(await checkEvictionPolicy(redis)).toEqual({ ok: true });
  });

  it('says which sentinels it asked when the master name is unknown', async () => {
    const settings = loadRuntimeSettings({ ELASTIQ_REDIS_SENTINELS: `127.0.0.1:${deployment.sentinel.port}`, ELASTIQ_REDIS_SENTINEL_MASTER: 'no-such-master' });
    await expect(connectRedis(settings.redis, 'command')).rejects.toThrow(
      new RegExp(`^cannot reach Redis at master no-such-master of the sentinels 127\\.0\\.0\\.1:${deployment.sentinel.port} \\(`),
    );
  });
});
