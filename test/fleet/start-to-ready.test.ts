import { FleetHarness } from './fleet-harness';

describe('fleet: a start that succeeds', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('brings every node up over SSH and marks the cluster ready, with one instance per node', async () => {
    const cluster = fleet.clusterDict('ready1', { frontend: { count: 1 }, compute: { count: 4 } });
    const started = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    expect(started.generation).toBe(1);

    const done = await fleet.producer.waitForCluster('ready1', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('ready');
    // Decided when the last node came up (the coordinator was promoted), not at the 60 s deadline.
    expect(Date.now()).toBeLessThan(started.deadline - 30_000);
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes).toHaveLength(5);
    for (const node of nodes) {
      expect(node.state).toBe('up');
      expect(node.instanceId).toMatch(/^i-/);
      expect(node.hostKey?.fingerprint).toMatch(/^SHA256:/);
      expect(node.preferredIp).toMatch(/^127\./);
    }
    const live = fleet.liveInstances('ready1');
    expect(live).toHaveLength(5);
    expect(new Set(live.map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
    expect(new Set(live.map((instance) => instance.tags['elastiq:node']))).toEqual(new Set(nodes.map((node) => node.name)));
  });
});
