import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generationKeys, QUEUE_NAMES, type QueueKind } from '@elastiq/queue';
import { type TrackedProcess, waitFor } from '@elastiq/testing';
import { Queue } from 'bullmq';
import { FleetHarness } from './fleet-harness';

// Workers on several machines, each with its own role: the fleet is one set of queues in Redis,
// and a machine serves the kinds it can. Three real elastiq-worker processes here:
// - control: coordinators, stops and setup, on a machine with ansible-playbook;
// - small:   every kind it can, concurrency 2, on a machine WITHOUT ansible-playbook;
// - big:     node starts and probes (and the probe watcher) only, concurrency 10.

describe('fleet: three workers with different roles and concurrency', () => {
  // Nodes take 1-3 s to boot, so each is probed several times: enough jobs to spread.
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:1s..3s' } });
  const workers: Record<string, TrackedProcess> = {};
  const queues: Partial<Record<QueueKind, Queue>> = {};

  function queue(kind: QueueKind): Queue {
    queues[kind] ??= new Queue(QUEUE_NAMES[kind], { connection: fleet.redisClient, prefix: fleet.prefix });
    return queues[kind];
  }

  /** Worker name → how many jobs of these kinds it processed (BullMQ's processedBy). */
  async function processedBy(kinds: QueueKind[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const kind of kinds) {
      for (const job of await queue(kind).getJobs(['completed', 'active', 'delayed', 'waiting', 'failed'])) {
        if (job?.processedBy) counts[job.processedBy] = (counts[job.processedBy] ?? 0) + 1;
      }
    }
    return counts;
  }

  beforeAll(async () => {
    await fleet.start();
    // A PATH with node and nothing else: this machine has no ansible-playbook.
    const bare = join(fleet.scratchDir, 'bare-bin');
    await mkdir(bare);
    await symlink(process.execPath, join(bare, 'node'));
    workers.control = await fleet.spawnWorker({ ELASTIQ_WORKER_NAME: 'control', ELASTIQ_WORKER_QUEUES: 'clusterCoordinator,clusterStop,clusterSetup,nodeStop' });
    workers.small = await fleet.spawnWorker({ ELASTIQ_WORKER_NAME: 'small', ELASTIQ_WORKER_CONCURRENCY: '2', PATH: bare });
    workers.big = await fleet.spawnWorker({ ELASTIQ_WORKER_NAME: 'big', ELASTIQ_WORKER_QUEUES: 'nodeStart,nodeProbe,probeWatch', ELASTIQ_WORKER_CONCURRENCY: '10' });
  });
  afterAll(async () => {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await fleet.stop();
  });

  it('lists each worker only on the queues it serves: setup only where ansible-playbook is', async () => {
    // BullMQ names a worker's Redis connection `<prefix>:<queue>:w:<worker name>` (CLIENT LIST).
    const names = async (kind: QueueKind) => (await queue(kind).getWorkers()).map((client) => String(client.rawname).split(':w:')[1]).sort();
    const served = async () => ({ nodeProbe: await names('nodeProbe'), clusterCoordinator: await names('clusterCoordinator'), clusterSetup: await names('clusterSetup') });
    // Each process connects its queues' workers on its own schedule: wait until all three did.
    await waitFor(async () => Object.values(await served()).flat().length === 5, { timeoutMs: 20_000, description: 'every worker connected' }).catch(() => undefined);
    expect(await served()).toEqual({ nodeProbe: ['big', 'small'], clusterCoordinator: ['control', 'small'], clusterSetup: ['control'] });
    expect(workers.small.output()).toMatch(/ansible-playbook is not on PATH: this worker takes no setup jobs/);
  });

  it('spreads a start over all three workers and runs its setup on the Ansible machine', async () => {
    const playbook = join(fleet.scratchDir, 'mark.yml');
    await writeFile(playbook, ['- hosts: all', '  gather_facts: false', '  tasks:', '    - ansible.builtin.command: "true"', ''].join('\n'));
    const setup = { name: 'roles', provider: 'ansible', playbook_path: playbook };
    const cluster = fleet.clusterDict('spread', { frontend: { count: 1 }, compute: { count: 11 } }, { setup, startTimeout: 90 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: true });
    const done = await fleet.producer.waitForCluster('spread', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 150_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });

    const nodeJobs = await processedBy(['nodeStart', 'nodeProbe']);
    expect(Object.keys(nodeJobs).sort()).toEqual(['big', 'small']);
    expect(Object.keys(await processedBy(['clusterSetup']))).toEqual(['control']);
    const all = await processedBy(['nodeStart', 'nodeProbe', 'clusterCoordinator', 'clusterSetup']);
    expect(Object.keys(all).sort()).toEqual(['big', 'control', 'small']);
  });

  it('finishes a ten-node start when the biggest worker is SIGKILLed mid-start, with exactly ten instances ever launched', async () => {
    // A slow RunInstances keeps the launch in flight: the kill lands while big holds node jobs.
    fleet.sim.setFaults({ latencyMs: { RunInstances: 1500 } });
    const cluster = fleet.clusterDict('survivor', { compute: { count: 10 } }, { startTimeout: 90 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const keys = generationKeys(fleet.prefix, 'survivor', 1);
    const bigHoldsAJob = async () => (await queue('nodeStart').getJobs(['active'])).some((job) => job?.processedBy === 'big' && job.data.cluster === 'survivor');
    await waitFor(async () => (await fleet.redisClient.hlen(keys.nodeBatch)) > 0 && (await bigHoldsAJob()), { timeoutMs: 30_000, description: 'a launch batch while big holds a node-start job' });
    expect(await workers.big.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const done = await fleet.producer.waitForCluster('survivor', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
    expect(done?.status).toBe('ready');
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes.every((node) => node.state === 'up')).toBe(true);
    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'survivor');
    expect(everLaunched).toHaveLength(10);
    expect(new Set(everLaunched.map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
  });
});
