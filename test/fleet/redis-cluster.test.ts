import { waitFor } from '@elastiq/testing';
import { generationKeys } from '@elastiq/queue';
import { dataNodes, scanKeys } from '@elastiq/redis';
import { Cluster } from 'ioredis';
import { runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// The fleet on a real three-master Redis Cluster (redis-server --cluster-enabled yes, joined by
// redis-cli --cluster create): BullMQ's scripts and elastiq's own (records, launch batches,
// token buckets, decisions) must all find their keys in one slot, or Redis answers CROSSSLOT.

describe('fleet: on a Redis Cluster', () => {
  const fleet = new FleetHarness({ redis: 'cluster' });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('connects to every master through a cluster client', async () => {
    expect(fleet.redisClient).toBeInstanceOf(Cluster);
    expect((await dataNodes(fleet.redisClient)).map((node) => node.options.port).sort()).toEqual(fleet.redisCluster!.nodes.map((node) => node.port).sort());
  });

  it('starts ten nodes to ready and stops them, leaving no instance and no fleet state on any master', async () => {
    const cluster = fleet.clusterDict('slots', { frontend: { count: 1 }, compute: { count: 9 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const ready = await fleet.producer.waitForCluster('slots', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
    expect(ready?.status).toBe('ready');
    const nodes = Object.values(ready!.nodes).flat();
    expect(nodes).toHaveLength(10);
    expect(nodes.every((node) => node.state === 'up')).toBe(true);
    expect(fleet.liveInstances('slots')).toHaveLength(10);
    const listed = await runElastiq(fleet, { configPath: 'examples/cloud-sim.conf', home: fleet.scratchDir, timeoutMs: 60_000 }, ['list', '--json']);
    expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'slots', status: 'ready' })]);

    // Every key of the fleet is under the hash-tagged prefix, so one master holds them all.
    const slot = await fleet.redisClient.cluster('KEYSLOT', fleet.prefix);
    const keys: string[] = [];
    for await (const batch of scanKeys(fleet.redisClient, `${fleet.prefix}*`)) keys.push(...batch);
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys.slice(0, 50)) expect(await fleet.redisClient.cluster('KEYSLOT', key)).toBe(slot);

    await fleet.producer.stopCluster('slots');
    expect(await fleet.producer.waitForCluster('slots', () => false, { timeoutMs: 60_000 })).toBeNull();
    expect(fleet.liveInstances('slots')).toHaveLength(0);
    // The stop job deletes the record, then the generation's keys: wait for the job's end, not the record's.
    const left = async () => {
      const keys: string[] = [];
      for await (const batch of scanKeys(fleet.redisClient, generationKeys(fleet.prefix, 'slots', 1).pattern)) keys.push(...batch);
      return keys;
    };
    await waitFor(async () => (await left()).length === 0, { timeoutMs: 15_000, description: 'the fleet state deleted' }).catch(() => undefined);
    expect(await left()).toEqual([]);
  });

  it('refuses to start a worker whose prefix is not a hash tag, with one line naming the variable', async () => {
    const worker = await fleet.spawnWorker({ ELASTIQ_QUEUE_PREFIX: 'untagged' });
    expect(await worker.exited).toEqual({ code: 78, signal: null });
    expect(worker.output().trim()).toBe(
      "elastiq-worker: ELASTIQ_QUEUE_PREFIX: must be a hash tag such as {untagged} with ELASTIQ_REDIS_CLUSTER=true, so that every key of the fleet is in one cluster slot, got 'untagged'",
    );
  });
});
