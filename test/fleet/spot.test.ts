import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterDict } from '@elastiq/core';
import { generationKeys, unavailableOfferingPattern } from '@elastiq/queue';
import { waitFor } from '@elastiq/testing';
import { runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// Issue 11, spot: a kind with `price` launches one-time spot instances; `spot_fallback=on-demand`
// moves what spot cannot launch (no spot capacity, a price below the market's) to on-demand in
// the same start, with exactly one instance ever launched per node; `timeout` bounds how long
// spot is tried; an interruption of a running node is noticed by the workers and reported.

const NODES = 4;

function spotKind(fleet: FleetHarness, name: string, extra: Record<string, unknown>, startTimeout = 90, flavor = 't3.micro'): ClusterDict {
  const cluster = fleet.clusterDict(name, { compute: { count: NODES, flavor } }, { startTimeout });
  for (const node of cluster.nodes.compute) node.extra = { ...node.extra, price: 0.05, ...extra };
  return cluster;
}

function everLaunched(fleet: FleetHarness, cluster: string) {
  return fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === cluster);
}

const markets = (fleet: FleetHarness, cluster: string) => everLaunched(fleet, cluster).map((instance) => instance.market).sort();

async function startAndSettle(fleet: FleetHarness, cluster: ClusterDict, timeoutMs = 90_000): Promise<ClusterDict | null> {
  await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
  return fleet.producer.waitForCluster(cluster.name, (c) => c.status !== 'starting', { timeoutMs });
}

describe('fleet: spot kinds', () => {
  // The gc's listing every second notices a node the spot market took back.
  const fleet = new FleetHarness({ workerEnv: { ELASTIQ_GC_INTERVAL_MS: '1000', ELASTIQ_GC_OLDER_THAN_MS: '600000' } });
  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterEach(async () => {
    fleet.sim.clearFaults();
    // Each case meets the spot market afresh, not the offerings an earlier case found full.
    const cached = await fleet.redisClient.keys(unavailableOfferingPattern(fleet.prefix));
    if (cached.length > 0) await fleet.redisClient.del(...cached);
  });
  afterAll(() => fleet.stop());

  it('launches spot instances at the kind’s price, each node recording its market', async () => {
    const done = await startAndSettle(fleet, spotKind(fleet, 'cheap', {}));
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    expect(markets(fleet, 'cheap')).toEqual(['spot', 'spot', 'spot', 'spot']);
    expect(done?.nodes.compute.map((node) => node.extra.market)).toEqual(['spot', 'spot', 'spot', 'spot']);
  });

  it('falls back to on-demand for what the spot pool cannot hold (2 of 4), in the same start, one instance per node', async () => {
    fleet.sim.setFaults({ spotCapacity: [{ instanceType: 't3.nano', limit: 2 }] });
    const done = await startAndSettle(fleet, spotKind(fleet, 'fallback', { spot_fallback: 'on-demand' }, 90, 't3.nano'));
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    const launched = everLaunched(fleet, 'fallback');
    expect(launched).toHaveLength(NODES);
    expect(markets(fleet, 'fallback')).toEqual(['on-demand', 'on-demand', 'spot', 'spot']);
    const recorded = Object.fromEntries((done?.nodes.compute ?? []).map((node) => [node.instanceId, node.extra.market]));
    for (const instance of launched) expect(recorded[instance.instanceId]).toBe(instance.market);
    expect(new Set(done?.nodes.compute.map((node) => node.extra.offering))).toEqual(new Set(['t3.nano@any-zone/spot', 't3.nano@any-zone']));
  });

  it('falls back to on-demand when the kind’s price is below the spot price, and without a fallback fails fast saying so', async () => {
    fleet.sim.setFaults({ spotPrices: { 't3.micro': 0.2 } });
    const fellBack = await startAndSettle(fleet, spotKind(fleet, 'lowbid', { spot_fallback: 'on-demand' }));
    expect({ status: fellBack?.status, reason: fellBack?.statusReason }).toMatchObject({ status: 'ready' });
    expect(markets(fleet, 'lowbid')).toEqual(['on-demand', 'on-demand', 'on-demand', 'on-demand']);

    const began = Date.now();
    const failed = await startAndSettle(fleet, spotKind(fleet, 'lowbid-only', {}, 120));
    expect(failed?.status).toBe('failed');
    expect(Date.now() - began).toBeLessThan(60_000); // the deadline is 120 s away
    expect(failed?.statusReason).toMatch(/lower than the minimum required Spot request fulfillment price of 0\.2/);
    expect(failed?.nodes.compute.some((node) => /lower than the minimum required Spot/.test(node.lastError ?? ''))).toBe(true);
    expect(everLaunched(fleet, 'lowbid-only')).toHaveLength(0);
  });

  it('stops trying spot `timeout` seconds into the start: without a fallback the start fails with that reason, well before its deadline', async () => {
    fleet.sim.setFaults({ spotCapacity: [{ instanceType: 't3.micro', limit: 0 }] });
    const began = Date.now();
    const done = await startAndSettle(fleet, spotKind(fleet, 'patient', { timeout: 3 }, 120));
    expect(done?.status).toBe('failed');
    expect(Date.now() - began).toBeLessThan(60_000);
    expect(done?.statusReason).toContain('t3.micro@any-zone/spot: spot not fulfilled within timeout=3 s');
    expect(done?.nodes.compute.some((node) => (node.lastError ?? '').includes('spot not fulfilled within timeout=3 s'))).toBe(true);
    expect(everLaunched(fleet, 'patient')).toHaveLength(0);
  });

  it('reads price and spot_fallback from an ElastiCluster config (`elastiq start`), and list-nodes shows each node’s market', async () => {
    // A type of its own: the spot pool is not shared with the earlier cases' clusters.
    fleet.sim.setFaults({ spotCapacity: [{ instanceType: 't3.small', limit: 1 }] });
    const configPath = join(fleet.scratchDir, 'spot-config');
    await writeFile(join(fleet.scratchDir, 'setup.sh'), 'true\n');
    await writeFile(
      configPath,
      [
        ...fleet.configSections(),
        '[setup/none]', 'provider=script', `script_path=${join(fleet.scratchDir, 'setup.sh')}`,
        '[cluster/ini]', 'cloud=sim', 'login=e2e', 'setup=none', 'image_id=ami-sim', 'flavor=t3.small', 'compute_nodes=3', 'spot_fallback=on-demand',
        '[cluster/ini/compute]', 'price=0.05',
        '',
      ].join('\n'),
    );
    const elastiq = (...args: string[]) => runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 90_000 }, args);
    const started = await elastiq('start', 'ini');
    expect({ code: started.code, stderr: started.stderr }).toMatchObject({ code: 0 });
    expect(markets(fleet, 'ini')).toEqual(['on-demand', 'on-demand', 'spot']);
    const listed = await elastiq('list-nodes', 'ini');
    expect(listed.stdout).toMatch(/^NODE\s+KIND\s+OFFERING\s+MARKET\s+INSTANCE ID/m);
    expect(listed.stdout.match(/t3\.small@any-zone\/spot\s+spot\s/g)).toHaveLength(1);
    expect(listed.stdout.match(/t3\.small@any-zone\s+on-demand\s/g)).toHaveLength(2);
    expect((await elastiq('stop', '-y', '--wait', 'ini')).code).toBe(0);
  });

  it('notices a spot interruption of a running cluster’s node and reports it: the node is gone with the reason, the cluster degraded', async () => {
    const victim = fleet.liveInstances('cheap')[0];
    fleet.sim.interruptSpotInstance(victim.instanceId);
    const degraded = await fleet.producer.waitForCluster('cheap', (c) => c.status === 'degraded', { timeoutMs: 30_000 });
    expect(degraded?.statusReason).toMatch(/gone/);
    const node = degraded?.nodes.compute.find((candidate) => candidate.instanceId === victim.instanceId);
    expect({ state: node?.state, lastError: node?.lastError }).toEqual({
      state: 'gone',
      lastError: expect.stringMatching(new RegExp(`^instance ${victim.instanceId} was interrupted by the spot market \\(Server\\.SpotInstanceTermination\\)`)),
    });
    // Only the interrupted node: the others still run, and nothing was relaunched behind the user's back.
    expect(degraded?.nodes.compute.filter((candidate) => candidate.state === 'up')).toHaveLength(NODES - 1);
    expect(everLaunched(fleet, 'cheap')).toHaveLength(NODES);
  });
});

describe('fleet: a worker SIGKILLed during the fallback to on-demand', () => {
  // RunInstances answers slowly, so the kill lands while the on-demand batch is in flight.
  const fleet = new FleetHarness({ sim: { faults: { latencyMs: { RunInstances: 1500 }, spotCapacity: [{ instanceType: 't3.micro', limit: 0 }] } } });
  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('still launches exactly one instance per node, all on demand', async () => {
    const worker = await fleet.spawnWorker();
    await fleet.producer.startCluster({ cluster: spotKind(fleet, 'killed', { spot_fallback: 'on-demand' }), cloud: fleet.cloud, runSetup: false });
    const keys = generationKeys(fleet.prefix, 'killed', 1);
    // Spot was refused and recorded; the on-demand batch is written ahead and in flight.
    await waitFor(async () => (await fleet.redisClient.hlen(keys.offeringRefusals('compute'))) > 0 && (await fleet.redisClient.hlen(keys.nodeBatch)) > 0, {
      timeoutMs: 60_000,
      description: 'spot refused and the on-demand batch written ahead',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop('SIGKILL');
    await fleet.spawnWorker();

    const done = await fleet.producer.waitForCluster('killed', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    expect(markets(fleet, 'killed')).toEqual(Array(NODES).fill('on-demand'));
    expect(new Set(everLaunched(fleet, 'killed').map((instance) => instance.instanceId))).toEqual(new Set(done?.nodes.compute.map((node) => node.instanceId)));
    expect(done?.nodes.compute.map((node) => node.extra.market)).toEqual(Array(NODES).fill('on-demand'));
    // The kill landed inside the on-demand launch: its batch was re-issued with the same ClientToken.
    const tokens = new Set(everLaunched(fleet, 'killed').map((instance) => instance.clientToken));
    expect(fleet.sim.stats().byAction.RunInstances.ok).toBeGreaterThan(tokens.size);
  });
});

