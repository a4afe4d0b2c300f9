import { FleetHarness } from './fleet-harness';

// The fleet behind Redis Sentinel: workers and the producer are given only the sentinel's
// address and the master's name (ELASTIQ_REDIS_SENTINELS, ELASTIQ_REDIS_SENTINEL_MASTER) and ask
// the sentinel where the master is.

describe('fleet: on a Redis found through Sentinel', () => {
  const fleet = new FleetHarness({ redis: 'sentinel' });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('starts three nodes to ready and stops them without leaks', async () => {
    expect(fleet.redisEnv.ELASTIQ_REDIS_URL).toBeUndefined();
    expect(await fleet.redisClient.config('GET', 'port')).toEqual(['port', String(fleet.redis.port)]);
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('watched', { compute: { count: 3 } }), cloud: fleet.cloud, runSetup: false });
    expect((await fleet.producer.waitForCluster('watched', (c) => c.status !== 'starting', { timeoutMs: 90_000 }))?.status).toBe('ready');
    expect(fleet.liveInstances('watched')).toHaveLength(3);
    await fleet.producer.stopCluster('watched');
    expect(await fleet.producer.waitForCluster('watched', () => false, { timeoutMs: 60_000 })).toBeNull();
    expect(fleet.liveInstances('watched')).toHaveLength(0);
  });
});
