import { generationKeys } from '@elastiq/queue';
import { FleetHarness } from './fleet-harness';

describe('fleet: a worker killed with SIGKILL in the middle of a start', () => {
  // RunInstances answers slowly, so the first kill lands while launches are in flight: the
  // batch is recorded, the cloud has (or will have) the instances, the worker never hears back.
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:500ms..2s', faults: { latencyMs: { RunInstances: 1500 } } } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('completes a 20-node start after restarts, with exactly one instance per node and none leaked', async () => {
    const cluster = fleet.clusterDict('killed', { frontend: { count: 1 }, compute: { count: 19 } }, { startTimeout: 90 });
    let worker = await fleet.spawnWorker();
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });

    // Kill 1: inside RunInstances (the batch is written ahead, the call takes 1.5 s).
    // Kill 2: while nodes are being probed.
    const keys = generationKeys(fleet.prefix, 'killed', 1);
    await waitForAsync(async () => (await fleet.redisClient.hlen(keys.nodeBatch)) > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop('SIGKILL');
    worker = await fleet.spawnWorker();
    await waitFor(() => fleet.liveInstances('killed').length > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await worker.stop('SIGKILL');
    await fleet.spawnWorker();

    const done = await fleet.producer.waitForCluster('killed', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
    expect(done?.status).toBe('ready');
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes).toHaveLength(20);
    expect(nodes.every((node) => node.state === 'up')).toBe(true);

    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'killed');
    expect(everLaunched).toHaveLength(20);
    expect(fleet.liveInstances('killed')).toHaveLength(20);
    expect(new Set(everLaunched.map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
    // Proof that the kill landed inside a launch: a batch was re-issued with its ClientToken and
    // got the original reservation back (more RunInstances calls than reservations).
    const tokens = new Set(everLaunched.map((instance) => instance.clientToken));
    expect(fleet.sim.stats().byAction.RunInstances.ok).toBeGreaterThan(tokens.size);
  });
});

describe('fleet: workers killed with SIGKILL at random points', () => {
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:300ms..2s', faults: { latencyMs: { RunInstances: 400, DescribeInstances: 100 } } } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('still ends with exactly one instance per node, whichever line each kill interrupted', async () => {
    const cluster = fleet.clusterDict('random-kills', { frontend: { count: 1 }, compute: { count: 19 } }, { startTimeout: 120 });
    const workers = [await fleet.spawnWorker(), await fleet.spawnWorker()];
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const kills: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const after = Math.round(Math.random() * 2500);
      kills.push(after);
      await new Promise((resolve) => setTimeout(resolve, after));
      const victim = round % 2;
      await workers[victim].stop('SIGKILL');
      workers[victim] = await fleet.spawnWorker();
    }

    const done = await fleet.producer.waitForCluster('random-kills', (c) => c.status !== 'starting', { timeoutMs: 150_000 });
    expect({ status: done?.status, kills }).toEqual({ status: 'ready', kills });
    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'random-kills');
    expect({ instances: everLaunched.length, kills }).toEqual({ instances: 20, kills });
    const nodes = Object.values(done!.nodes).flat();
    expect(new Set(everLaunched.map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
