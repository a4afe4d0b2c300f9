import { FleetHarness } from './fleet-harness';

describe('fleet: stop while a start is in progress', () => {
  const fleet = new FleetHarness({ sim: { bootDelay: 'fixed:4s' } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('terminates every instance, including launches in flight, then deletes the record; stopping twice just works', async () => {
    const cluster = fleet.clusterDict('stopped-early', { frontend: { count: 1 }, compute: { count: 6 } }, { startTimeout: 60 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const deadline = Date.now() + 15_000;
    while (fleet.liveInstances('stopped-early').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fleet.liveInstances('stopped-early').length).toBeGreaterThan(0);

    const first = await fleet.producer.stopCluster('stopped-early');
    const second = await fleet.producer.stopCluster('stopped-early');
    expect(second.jobId).toBe(first.jobId);

    const gone = await fleet.producer.waitForCluster('stopped-early', () => false, { timeoutMs: 60_000 });
    expect(gone).toBeNull();
    expect(fleet.liveInstances('stopped-early')).toEqual([]);
  });
});
