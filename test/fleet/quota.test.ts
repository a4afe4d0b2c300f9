import { FleetHarness } from './fleet-harness';

describe('fleet: the account quota is reached', () => {
  const fleet = new FleetHarness({ sim: { faults: { instanceQuota: 2 } } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('fails fast, long before the start timeout, and leaves nothing running', async () => {
    const cluster = fleet.clusterDict('over-quota', { compute: { count: 4, min: 4 } }, { startTimeout: 120 });
    const startedAt = Date.now();
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const done = await fleet.producer.waitForCluster('over-quota', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    const tookMs = Date.now() - startedAt;
    expect(done?.status).toBe('failed');
    expect(done?.statusReason).toMatch(/InstanceLimitExceeded/);
    expect(tookMs).toBeLessThan(30_000); // the timeout is 120 s: the decision did not wait for it
    const deadline = Date.now() + 10_000;
    while (fleet.liveInstances('over-quota').length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fleet.liveInstances('over-quota')).toEqual([]);
  });

  it('can be started again once the quota allows it: a new generation, nothing of the failed one reused', async () => {
    fleet.sim.setFaults({ instanceQuota: null });
    const cluster = fleet.clusterDict('over-quota', { compute: { count: 4, min: 4 } }, { startTimeout: 60 });
    const again = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    expect(again.generation).toBe(2);
    const done = await fleet.producer.waitForCluster('over-quota', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('ready');
    const live = fleet.liveInstances('over-quota');
    expect(live).toHaveLength(4);
    expect(live.every((instance) => instance.tags['elastiq:generation'] === '2')).toBe(true);
  });
});
