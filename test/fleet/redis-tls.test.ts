import { runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// The fleet on a TLS-only Redis (no plain port) with a throwaway CA and an ACL user, the default
// user switched off: workers, the test's producer and the CLI all connect with rediss://user:pw@
// and ELASTIQ_REDIS_TLS_CA_FILE, as a production deployment would.

describe('fleet: on a TLS Redis with an ACL user', () => {
  const fleet = new FleetHarness({ redis: 'tls' });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('starts three nodes to ready, lists the cluster from the CLI, and stops it without leaks', async () => {
    expect(fleet.redisEnv.ELASTIQ_REDIS_URL).toMatch(/^rediss:\/\/elastiq-e2e:e2e-redis-password@127\.0\.0\.1:\d+$/);
    expect(await fleet.redisClient.call('ACL', 'WHOAMI')).toBe('elastiq-e2e');

    await fleet.producer.startCluster({ cluster: fleet.clusterDict('secure', { compute: { count: 3 } }), cloud: fleet.cloud, runSetup: false });
    const ready = await fleet.producer.waitForCluster('secure', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
    expect(ready?.status).toBe('ready');
    expect(fleet.liveInstances('secure')).toHaveLength(3);

    const listed = await runElastiq(fleet, { configPath: 'examples/cloud-sim.conf', home: fleet.scratchDir, timeoutMs: 60_000 }, ['list']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/secure/);
    expect(listed.stdout).not.toMatch(/e2e-redis-password/);

    await fleet.producer.stopCluster('secure');
    expect(await fleet.producer.waitForCluster('secure', () => false, { timeoutMs: 60_000 })).toBeNull();
    expect(fleet.liveInstances('secure')).toHaveLength(0);
  });
});
