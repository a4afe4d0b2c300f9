import { FleetHarness } from './fleet-harness';

describe('fleet: a worker asked to stop with SIGTERM', () => {
  const fleet = new FleetHarness({ sim: { bootDelay: 'fixed:3s' } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('drains and exits 0 while nodes are booting; another worker finishes the start', async () => {
    const first = await fleet.spawnWorker();
    const cluster = fleet.clusterDict('drained', { compute: { count: 3 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const deadline = Date.now() + 30_000;
    while (fleet.liveInstances('drained').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    // The booting nodes are parked probe jobs, not sleeping handlers: the drain has nothing to wait for.
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    await fleet.spawnWorker();
    const done = await fleet.producer.waitForCluster('drained', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('ready');
    expect(fleet.liveInstances('drained')).toHaveLength(3);
  });
});
