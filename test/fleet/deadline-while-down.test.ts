import { FleetHarness } from './fleet-harness';

describe('fleet: the start deadline while every worker is down', () => {
  // No instance ever answers SSH: the start can only end at its deadline.
  const fleet = new FleetHarness({ sim: { faults: { neverSshReady: { rate: 1 } } } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('holds: a worker started after the deadline decides at once and rolls back', async () => {
    const worker = await fleet.spawnWorker();
    const cluster = fleet.clusterDict('unattended', { compute: { count: 3, min: 1 } }, { startTimeout: 6 });
    const started = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const launched = Date.now() + 30_000;
    while (fleet.liveInstances('unattended').length < 3 && Date.now() < launched) await new Promise((r) => setTimeout(r, 50));
    await worker.stop('SIGKILL');

    // Nobody is running while the deadline passes.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started.deadline - Date.now()) + 2000));
    expect((await fleet.repository.get('unattended'))?.value.status).toBe('starting');

    await fleet.spawnWorker();
    const done = await fleet.producer.waitForCluster('unattended', (c) => c.status !== 'starting', { timeoutMs: 30_000 });
    expect(done?.status).toBe('failed');
    const deadline = Date.now() + 15_000;
    while (fleet.liveInstances('unattended').length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fleet.liveInstances('unattended')).toEqual([]);
  });
});
