import { ALL_QUEUE_KINDS, generationKeys, nodeProbeJobId, probeWatchJobId } from '@elastiq/queue';
import { waitFor } from '@elastiq/testing';
import { FleetHarness } from './fleet-harness';

// A probe whose instance is still pending parks itself (15 s) instead of looking at every
// snapshot; the generation's probe watcher promotes it when the cloud reports the instance
// running. Both halves are checked: the watcher really wakes every parked probe, and a fleet
// where no worker serves the watcher's queue still gets ready through the probes' late look.
// Once every instance runs, the shared snapshot is refreshed less often; a node whose instance
// dies while it is probed must still fail with the cloud's word, not wait for the deadline.

const NODES = ['compute001', 'compute002', 'compute003', 'compute004'];

describe('fleet: the probe watcher', () => {
  // Running after 35-65% of the boot: every probe's first look (200 ms after its launch) sees it pending.
  const fleet = new FleetHarness({ sim: { bootDelay: 'fixed:4s' } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('wakes every probe that parked while its instance was pending, and leaves none listed', async () => {
    const worker = await fleet.spawnWorker();
    try {
      const cluster = fleet.clusterDict('watched', { compute: { count: NODES.length } }, { startTimeout: 120 });
      const { generation } = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
      const done = await fleet.producer.waitForCluster('watched', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
      expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });

      const { queues } = fleet.producer;
      let parked = 0;
      for (const node of NODES) {
        const { logs } = await queues.nodeProbe.getJobLogs(nodeProbeJobId('watched', generation, node));
        const waits = logs.filter((line) => /: waiting: instance i-\S+ is (pending|not listed by the cloud yet); next look in \d+ ms$/.test(line));
        // A pending instance costs one round, not one per snapshot.
        expect(waits.length).toBeLessThanOrEqual(1);
        parked += waits.length;
        expect(logs.at(-1)).toMatch(/→ up$/);
      }
      expect(parked).toBeGreaterThan(0);
      // Nodes up before any late look: every parked probe was promoted by the watcher.
      // It ends at its first round after the decision.
      const watch = await waitFor(
        async () => {
          const id = probeWatchJobId('watched', generation);
          // Read again once completed: a job read before it finished has no return value.
          return (await queues.probeWatch.getJobState(id)) === 'completed' ? queues.probeWatch.getJob(id) : undefined;
        },
        { timeoutMs: 10_000, description: 'the probe watcher to complete' },
      );
      expect(watch?.returnvalue).toEqual({ done: 'the start is decided', woken: parked });
      expect(await fleet.redisClient.hlen(generationKeys(fleet.prefix, 'watched', generation).awaitingRunning)).toBe(0);

      await fleet.producer.stopCluster('watched');
      expect(await fleet.producer.waitForCluster('watched', () => false, { timeoutMs: 60_000 })).toBeNull();
    } finally {
      await worker.stop();
    }
  });

  it('gets ready without a watcher too: a parked probe looks again by itself', async () => {
    const withoutWatcher = ALL_QUEUE_KINDS.filter((kind) => kind !== 'probeWatch').join(',');
    const worker = await fleet.spawnWorker({ ELASTIQ_WORKER_QUEUES: withoutWatcher });
    try {
      const cluster = fleet.clusterDict('unwatched', { compute: { count: 2 } }, { startTimeout: 120 });
      const { generation } = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
      const done = await fleet.producer.waitForCluster('unwatched', (c) => c.status !== 'starting', { timeoutMs: 120_000 });
      expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
      const watch = await fleet.producer.queues.probeWatch.getJob(probeWatchJobId('unwatched', generation));
      // Asked for, never run: the probes came back on their own.
      expect(['delayed', 'waiting']).toContain(await watch?.getState());
      await fleet.producer.stopCluster('unwatched');
      expect(await fleet.producer.waitForCluster('unwatched', () => false, { timeoutMs: 60_000 })).toBeNull();
      // The stop removed the watcher nobody ran.
      expect(await fleet.producer.queues.probeWatch.getJob(probeWatchJobId('unwatched', generation))).toBeUndefined();
    } finally {
      await worker.stop();
    }
  });

  it('fails a node whose instance is terminated while it is probed with the cloud\'s reason (the settled snapshot still sees it), and keeps the others', async () => {
    const worker = await fleet.spawnWorker();
    fleet.sim.setFaults({ neverSshReady: { count: 1 } });
    try {
      const cluster = fleet.clusterDict('dying', { compute: { count: 3, min: 2 } }, { startTimeout: 300 });
      const { generation } = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
      const { queues } = fleet.producer;
      const logsOf = async (node: string) => (await queues.nodeProbe.getJobLogs(nodeProbeJobId('dying', generation, node))).logs;
      // Two nodes up, the third refused at least twice: every instance runs, the snapshot is settled.
      const broken = await waitFor(
        async () => {
          const logs = await Promise.all(NODES.slice(0, 3).map(async (node) => ({ node, logs: await logsOf(node) })));
          // A healthy node may be refused too while its sshd starts: the broken one is the node not up.
          const up = logs.filter((entry) => entry.logs.at(-1)?.endsWith('→ up'));
          const refused = logs.filter((entry) => !up.includes(entry) && entry.logs.filter((line) => line.includes('→ refused')).length >= 2);
          return up.length === 2 && refused.length === 1 ? refused[0]!.node : undefined;
        },
        { timeoutMs: 120_000, description: 'two nodes up and the third refused twice' },
      );
      const record = await fleet.producer.waitForCluster('dying', () => true, { timeoutMs: 1000 });
      const instanceId = Object.values(record!.nodes).flat().find((node) => node.name === broken)?.instanceId;
      expect(instanceId).toMatch(/^i-/);
      fleet.sim.killInstance(instanceId!, { terminate: true });

      const done = await fleet.producer.waitForCluster('dying', (c) => c.status !== 'starting', { timeoutMs: 300_000 });
      expect({ status: done?.status }).toEqual({ status: 'degraded' });
      expect(Object.values(done!.nodes).flat().map((node) => node.name).sort()).toEqual(NODES.slice(0, 3).filter((node) => node !== broken));
      const probe = await queues.nodeProbe.getJob(nodeProbeJobId('dying', generation, broken));
      expect(probe?.returnvalue).toEqual({ failed: expect.stringMatching(new RegExp(`^instance ${instanceId} is terminated \\(`)) });
      expect((await logsOf(broken)).at(-1)).toMatch(/: failed: instance i-\S+ is terminated \(/);

      await fleet.producer.stopCluster('dying');
      expect(await fleet.producer.waitForCluster('dying', () => false, { timeoutMs: 60_000 })).toBeNull();
    } finally {
      fleet.sim.setFaults({ neverSshReady: { count: 0 } });
      await worker.stop();
    }
  });
});
