import { FleetHarness } from './fleet-harness';

describe('fleet: a rollback while another launch is still in flight', () => {
  // Both kinds' RunInstances take 3 s; the first one to be answered is refused (quota), which
  // makes the start fail while the other launch has not returned yet.
  const fleet = new FleetHarness({
    sim: { faults: { latencyMs: { RunInstances: 3000 }, errorSequences: { RunInstances: ['InstanceLimitExceeded'] } } },
  });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('terminates the instances of the launch that finished after the decision', async () => {
    const cluster = fleet.clusterDict('late-launch', { frontend: { count: 1, flavor: 't3.small' }, compute: { count: 2 } }, { startTimeout: 120 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const done = await fleet.producer.waitForCluster('late-launch', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('failed');
    expect(done?.statusReason).toMatch(/InstanceLimitExceeded/);
    const deadline = Date.now() + 20_000;
    while (fleet.sim.instances().filter((i) => i.tags['elastiq:cluster'] === 'late-launch').length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    while (fleet.liveInstances('late-launch').length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Something was launched (the other kind), and none of it is left running.
    expect(fleet.sim.instances().filter((i) => i.tags['elastiq:cluster'] === 'late-launch').length).toBeGreaterThan(0);
    expect(fleet.liveInstances('late-launch')).toEqual([]);
  });
});
