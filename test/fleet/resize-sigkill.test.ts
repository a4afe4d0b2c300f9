import { Cluster, planGrowth } from '@elastiq/core';
import { generationKeys } from '@elastiq/queue';
import { FleetHarness } from './fleet-harness';

describe('fleet: a worker killed with SIGKILL in the middle of a resize', () => {
  // RunInstances answers slowly, so the kill lands while the growth's launch is in flight.
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:300ms..1s', faults: { latencyMs: { RunInstances: 1500 } } } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('ends with exactly one instance per added node, the existing nodes untouched', async () => {
    let worker = await fleet.spawnWorker();
    const cluster = fleet.clusterDict('grown', { frontend: { count: 1 }, compute: { count: 2 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const started = await fleet.producer.waitForCluster('grown', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(started?.status).toBe('ready');
    const existing = Object.fromEntries(Object.values(started!.nodes).flat().map((node) => [node.name, node.instanceId]));

    // What `elastiq resize grown -a 4:compute --no-setup` sends.
    const added = planGrowth(Cluster.fromDict(started), [{ kind: 'compute', count: 4 }], () => undefined);
    const resize = await fleet.producer.growCluster({ name: 'grown', add: added.map((node) => node.toDict()), min: { compute: 4 }, runSetup: false, summary: '+4 compute' });
    const keys = generationKeys(fleet.prefix, 'grown', resize.generation);
    await waitForAsync(async () => (await fleet.redisClient.hlen(keys.nodeBatch)) > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop('SIGKILL');
    worker = await fleet.spawnWorker();

    const done = await fleet.producer.waitForCluster('grown', (c) => c.status !== 'resizing', { timeoutMs: 120_000 });
    expect(done?.status).toBe('ready');
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes.map((node) => node.name).sort()).toEqual(['compute001', 'compute002', 'compute003', 'compute004', 'compute005', 'compute006', 'frontend001']);
    expect(nodes.every((node) => node.state === 'up')).toBe(true);
    expect(Object.fromEntries(nodes.filter((node) => node.name in existing).map((node) => [node.name, node.instanceId]))).toEqual(existing);

    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'grown');
    const ofResize = everLaunched.filter((instance) => instance.tags['elastiq:generation'] === String(resize.generation));
    expect({ all: everLaunched.length, resize: ofResize.length }).toEqual({ all: 7, resize: 4 });
    expect(fleet.liveInstances('grown')).toHaveLength(7);
    // The kill landed inside the growth's launch: its batch was re-issued with the same ClientToken.
    const tokens = new Set(everLaunched.map((instance) => instance.clientToken));
    expect(fleet.sim.stats().byAction.RunInstances.ok).toBeGreaterThan(tokens.size);
  });
});

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
