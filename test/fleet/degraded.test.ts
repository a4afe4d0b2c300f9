import { FleetHarness } from './fleet-harness';

describe('fleet: a degraded start', () => {
  const fleet = new FleetHarness({ sim: { faults: { neverSshReady: { count: 1 } } } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('keeps the nodes that came up, terminates the one that did not and frees its name', async () => {
    const cluster = fleet.clusterDict('degraded1', { compute: { count: 4, min: 2 } }, { startTimeout: 15 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    const done = await fleet.producer.waitForCluster('degraded1', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'degraded' });
    const kept = Object.values(done!.nodes).flat();
    expect(kept).toHaveLength(3);
    expect(kept.every((node) => node.state === 'up')).toBe(true);
    const deadline = Date.now() + 10_000;
    while (fleet.liveInstances('degraded1').length !== 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const live = fleet.liveInstances('degraded1');
    expect(new Set(live.map((instance) => instance.instanceId))).toEqual(new Set(kept.map((node) => node.instanceId)));
  });
});
