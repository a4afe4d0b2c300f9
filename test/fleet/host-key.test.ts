import { FleetHarness } from './fleet-harness';

describe('fleet: a host key that changes after it was pinned', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('fails the setup with an error naming the node, and leaves the other nodes alone', async () => {
    const cluster = fleet.clusterDict('rekeyed', { compute: { count: 2 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const ready = await fleet.producer.waitForCluster('rekeyed', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(ready?.status).toBe('ready');
    const [first, second] = ready!.nodes.compute;

    await fleet.sim.changeHostKey(first.instanceId!);
    await fleet.producer.setupCluster('rekeyed');
    const after = await fleet.producer.waitForCluster('rekeyed', (c) => c.status !== 'setting-up', { timeoutMs: 60_000 });

    expect(after?.status).toBe('setup-failed');
    expect(after?.statusReason).toMatch(/host key of node `compute001` changed/);
    const [firstAfter, secondAfter] = after!.nodes.compute;
    expect(firstAfter.lastError).toMatch(/host key of node `compute001` changed: expected SHA256:/);
    expect(firstAfter.hostKey).toEqual(first.hostKey); // the pinned key is kept, not replaced by the impostor's
    expect(secondAfter.lastError).toBeNull();
    expect(secondAfter.hostKey).toEqual(second.hostKey);
  });
});
