import { FleetHarness } from './fleet-harness';

describe('fleet: throttling and capacity errors injected by the cloud', () => {
  const fleet = new FleetHarness({
    sim: {
      faults: {
        // Every API call may be throttled; the first launches are refused outright.
        errorRates: { '*': { rate: 0.2, code: 'RequestLimitExceeded' } },
        errorSequences: { RunInstances: ['RequestLimitExceeded', 'InsufficientInstanceCapacity'] },
        // The zone has room for 3 t3.micro only, until the test frees capacity.
        capacity: [{ instanceType: 't3.micro', limit: 3 }],
      },
    },
  });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('survives them: the start waits for capacity until the deadline and ends ready with one instance per node', async () => {
    const cluster = fleet.clusterDict('weathered', { compute: { count: 6 } }, { startTimeout: 90 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const deadline = Date.now() + 30_000;
    while (fleet.liveInstances('weathered').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(fleet.liveInstances('weathered')).toHaveLength(3); // capacity-bound, still waiting
    fleet.sim.setFaults({ capacity: [] });

    const done = await fleet.producer.waitForCluster('weathered', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    const launched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'weathered');
    expect(launched).toHaveLength(6);
    const stats = fleet.sim.stats();
    expect(stats.byAction.RunInstances.errors.InsufficientInstanceCapacity).toBeGreaterThanOrEqual(1);
    expect(stats.throttled).toBeGreaterThan(0);
  });
});
