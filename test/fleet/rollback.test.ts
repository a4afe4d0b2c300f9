import { FleetHarness } from './fleet-harness';

describe('fleet: a start where a kind falls below min_nodes', () => {
  // The next two instances launched never start an SSH server: compute can reach 2 of its min 3.
  const fleet = new FleetHarness({ sim: { faults: { neverSshReady: { count: 2 } } } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('rolls back at the deadline: every instance of the generation terminated, the record says why node by node', async () => {
    const cluster = fleet.clusterDict('below-min', { compute: { count: 4, min: 3 } }, { startTimeout: 15 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const done = await fleet.producer.waitForCluster('below-min', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('failed');
    expect(done?.statusReason).toMatch(/compute: 2 up of 4, min_nodes 3/);
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes).toHaveLength(4);
    for (const node of nodes) {
      expect(node.state).toBe('terminated');
      expect(node.lastError).toBeTruthy();
    }
    expect(nodes.filter((node) => /not up before the deadline/.test(node.lastError ?? ''))).toHaveLength(2);
    // The cloud's own inventory is the judge: nothing of this cluster is left running.
    await waitUntil(() => fleet.liveInstances('below-min').length === 0, 10_000);
  });

  it('stops a cluster whose start failed: the record is deleted and a second stop finds nothing', async () => {
    await fleet.producer.stopCluster('below-min');
    const gone = await fleet.producer.waitForCluster('below-min', () => false, { timeoutMs: 30_000 });
    expect(gone).toBeNull();
    await expect(fleet.producer.stopCluster('below-min')).rejects.toThrow(/not found/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
