import { FleetHarness } from './fleet-harness';

describe('fleet: stop when the cloud refuses to terminate', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('keeps the record and says why; --force forgets the cluster anyway', async () => {
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('stubborn', { compute: { count: 1 } }), cloud: fleet.cloud, runSetup: false });
    expect((await fleet.producer.waitForCluster('stubborn', (c) => c.status !== 'starting', { timeoutMs: 60_000 }))?.status).toBe('ready');
    fleet.sim.setFaults({ errorSequences: { TerminateInstances: Array(20).fill('UnauthorizedOperation') } });

    await fleet.producer.stopCluster('stubborn');
    const refused = await fleet.producer.waitForCluster('stubborn', (c) => /UnauthorizedOperation/.test(c.statusReason ?? ''), { timeoutMs: 30_000 });
    expect(refused?.status).toBe('stopping');
    expect(refused?.statusReason).toMatch(/^stop: UnauthorizedOperation: TerminateInstances failed/);

    await fleet.producer.stopCluster('stubborn', { force: true });
    expect(await fleet.producer.waitForCluster('stubborn', () => false, { timeoutMs: 30_000 })).toBeNull();
    // Forgotten, not terminated: the cloud refused, as the record said.
    expect(fleet.liveInstances('stubborn')).toHaveLength(1);
  });
});
