import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ClusterDict, offeringLabel } from '@elastiq/core';
import { coordinatorJobId, generationKeys, listUnavailableOfferings } from '@elastiq/queue';
import { runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// Issue 11: a kind that lists alternatives (flavor_alternatives, availability_zones) comes up
// where there is capacity, with exactly one instance per node ever launched, and a start whose
// every offering is exhausted fails fast saying what each offering answered.

const ZONE_A = 'us-east-1a';
const ZONE_B = 'us-east-1b';

/** A compute kind of `count` nodes preferring c5.xlarge, then m5.xlarge, each in zone a then b. */
function withAlternatives(fleet: FleetHarness, name: string, count: number, startTimeout = 120): ClusterDict {
  const cluster = fleet.clusterDict(name, { compute: { count, flavor: 'c5.xlarge' } }, { startTimeout });
  for (const node of cluster.nodes.compute) {
    node.extra = { ...node.extra, flavor_alternatives: ['m5.xlarge'], availability_zones: [ZONE_A, ZONE_B] };
  }
  return cluster;
}

function everLaunched(fleet: FleetHarness, cluster: string) {
  return fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === cluster);
}

function placements(fleet: FleetHarness, cluster: string): string[] {
  return everLaunched(fleet, cluster)
    .map((instance) => offeringLabel({ flavor: instance.instanceType, availabilityZone: instance.availabilityZone }))
    .sort();
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('fleet: a kind without alternatives', () => {
  const fleet = new FleetHarness();
  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('makes the same EC2 calls as before capacity-aware launches existed (3-node start)', async () => {
    const cluster = fleet.clusterDict('plain', { compute: { count: 3 } });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const done = await fleet.producer.waitForCluster('plain', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('ready');
    // DescribeInstances depends on timing (the shared snapshot's refreshes); every other count is pinned.
    const { DescribeInstances: _timed, ...pinned } = fleet.sim.stats().byAction;
    expect(Object.fromEntries(Object.entries(pinned).map(([action, stats]) => [action, stats.calls]))).toEqual(PINNED_PLAIN_START_CALLS);
    expect(placements(fleet, 'plain')).toHaveLength(3);
    expect(await listUnavailableOfferings(fleet.redisClient, fleet.prefix)).toEqual([]);
  });
});

// The calls of a 3-node start of one kind, measured with the launch path as it was before issue 11.
const PINNED_PLAIN_START_CALLS = { CreateTags: 3, DescribeImages: 1, DescribeInstanceTypes: 1, DescribeKeyPairs: 2, DescribeSecurityGroups: 1, ImportKeyPair: 1, RunInstances: 1 };

describe('fleet: the preferred offering has no capacity', () => {
  const fleet = new FleetHarness();
  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('fails over within the same start: zone a is empty, zone b has room for 2, the rest take m5.xlarge in zone a', async () => {
    fleet.sim.setCapacity([
      { instanceType: 'c5.xlarge', availabilityZone: ZONE_A, limit: 0 },
      { instanceType: 'c5.xlarge', availabilityZone: ZONE_B, limit: 2 },
    ]);
    await fleet.producer.startCluster({ cluster: withAlternatives(fleet, 'tight', 5), cloud: fleet.cloud, runSetup: false });
    const done = await fleet.producer.waitForCluster('tight', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    expect(placements(fleet, 'tight')).toEqual(['c5.xlarge@us-east-1b', 'c5.xlarge@us-east-1b', 'm5.xlarge@us-east-1a', 'm5.xlarge@us-east-1a', 'm5.xlarge@us-east-1a']);
    expect(fleet.liveInstances('tight')).toHaveLength(5);
    const cached = await listUnavailableOfferings(fleet.redisClient, fleet.prefix);
    // How the 5 nodes split into batches depends on timing; which offerings ran out does not.
    expect(cached.map((entry) => [entry.offering, entry.code])).toEqual([
      ['c5.xlarge@us-east-1a', 'InsufficientInstanceCapacity'],
      ['c5.xlarge@us-east-1b', expect.stringMatching(/^InsufficientInstanceCapacity( \(partial: 2 of \d\))?$/)],
    ]);
    expect(cached.every((entry) => entry.expiresInMs > 0 && entry.cluster === 'tight')).toBe(true);
  });

  it('skips the offerings cached as unavailable in the next start (`elastiq start` of an INI kind), without calling them; `elastiq capacity` shows them', async () => {
    const configPath = join(fleet.scratchDir, 'config');
    await writeFile(
      configPath,
      [
        ...fleet.configSections(),
        '[setup/none]',
        'provider=script',
        `script_path=${join(fleet.scratchDir, 'setup.sh')}`,
        '[cluster/second]',
        'cloud=sim',
        'login=e2e',
        'setup=none',
        'image_id=ami-sim',
        'flavor=c5.xlarge',
        'compute_nodes=2',
        '[cluster/second/compute]',
        'flavor_alternatives=m5.xlarge',
        `availability_zones=${ZONE_A},${ZONE_B}`,
        '',
      ].join('\n'),
    );
    await writeFile(join(fleet.scratchDir, 'setup.sh'), 'true\n');
    const elastiq = (...args: string[]) => runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 90_000 }, args);
    const shown = await elastiq('capacity');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/c5\.xlarge@us-east-1a +InsufficientInstanceCapacity +tight\/compute/);
    expect(JSON.parse((await elastiq('capacity', '--json')).stdout).map((entry: { offering: string }) => entry.offering)).toEqual(['c5.xlarge@us-east-1a', 'c5.xlarge@us-east-1b']);

    // Capacity is back everywhere: only the cache keeps the next start off c5.xlarge.
    fleet.sim.setCapacity([]);
    const refusedBefore = fleet.sim.stats().byAction.RunInstances.errors.InsufficientInstanceCapacity ?? 0;
    const started = await elastiq('start', 'second', '--no-setup');
    expect({ code: started.code, stderr: started.stderr }).toMatchObject({ code: 0 });
    expect(placements(fleet, 'second')).toEqual(['m5.xlarge@us-east-1a', 'm5.xlarge@us-east-1a']);
    expect(fleet.sim.stats().byAction.RunInstances.errors.InsufficientInstanceCapacity ?? 0).toBe(refusedBefore);
    const listed = await elastiq('list-nodes', 'second');
    expect(listed.stdout).toMatch(/compute001 +compute +m5\.xlarge@us-east-1a +i-/);
  });
});

describe('fleet: every offering is exhausted', () => {
  const fleet = new FleetHarness();
  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('fails fast, long before the deadline, naming what each offering answered, with nothing left running', async () => {
    fleet.sim.setCapacity([
      { instanceType: 'c5.xlarge', limit: 1 },
      { instanceType: 'm5.xlarge', limit: 0 },
    ]);
    // The deadline is 10 minutes away: only failing fast ends this within the wait below.
    await fleet.producer.startCluster({ cluster: withAlternatives(fleet, 'none-left', 3, 600), cloud: fleet.cloud, runSetup: false });
    const done = await fleet.producer.waitForCluster('none-left', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('failed');
    expect(done?.statusReason).toMatch(/c5\.xlarge@us-east-1a: InsufficientInstanceCapacity/);
    expect(done?.statusReason).toMatch(/m5\.xlarge@us-east-1b: InsufficientInstanceCapacity/);
    const failed = done!.nodes.compute.filter((node) => node.lastError?.includes('no offering'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].lastError).toMatch(/c5\.xlarge@us-east-1b: InsufficientInstanceCapacity.*m5\.xlarge@us-east-1a: InsufficientInstanceCapacity/);
    const coordinatorLog = await fleet.producer.queues.clusterCoordinator.getJobLogs(coordinatorJobId('none-left', 1));
    expect(coordinatorLog.logs.join('\n')).toMatch(/c5\.xlarge@us-east-1a: InsufficientInstanceCapacity/);
    await until(() => fleet.liveInstances('none-left').length === 0, 20_000);
  });
});

describe('fleet: a worker SIGKILLed during the failover', () => {
  // RunInstances answers slowly, so the kill lands while the failover batch is in flight.
  const fleet = new FleetHarness({ sim: { faults: { latencyMs: { RunInstances: 1500 } } } });
  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('still launches exactly one instance per node, on the offering with capacity', async () => {
    fleet.sim.setCapacity([{ instanceType: 'c5.xlarge', availabilityZone: ZONE_A, limit: 0 }]);
    const worker = await fleet.spawnWorker();
    await fleet.producer.startCluster({ cluster: withAlternatives(fleet, 'killed', 6), cloud: fleet.cloud, runSetup: false });
    const keys = generationKeys(fleet.prefix, 'killed', 1);
    // The first offering was refused and recorded; the failover batch is written ahead and in flight.
    await until(async () => (await fleet.redisClient.hlen(keys.offeringRefusals('compute'))) > 0 && (await fleet.redisClient.hlen(keys.nodeBatch)) > 0, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop('SIGKILL');
    await fleet.spawnWorker();

    const done = await fleet.producer.waitForCluster('killed', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    expect(placements(fleet, 'killed')).toEqual(Array(6).fill('c5.xlarge@us-east-1b'));
    const nodes = done!.nodes.compute;
    expect(new Set(everLaunched(fleet, 'killed').map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
    // Proof that the kill landed inside the failover launch: its batch was re-issued with the same
    // ClientToken and got the original reservation back (more successful calls than reservations).
    const tokens = new Set(everLaunched(fleet, 'killed').map((instance) => instance.clientToken));
    expect(fleet.sim.stats().byAction.RunInstances.ok).toBeGreaterThan(tokens.size);
  });
});
