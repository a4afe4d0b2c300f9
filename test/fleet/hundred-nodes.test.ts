import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetHarness } from './fleet-harness';

describe('fleet: a 100-node start and stop', () => {
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:500ms..3s' } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('coalesces launches and shares DescribeInstances instead of calling per node', async () => {
    const cluster = fleet.clusterDict('hundred', { frontend: { count: 1 }, compute: { count: 99 } }, { startTimeout: 150 });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const startedAt = Date.now();
    const done = await fleet.producer.waitForCluster('hundred', (c) => c.status !== 'starting', { timeoutMs: 170_000 });
    const startMs = Date.now() - startedAt;
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    const afterStart = fleet.sim.stats();

    const stopAt = Date.now();
    const { jobId } = await fleet.producer.stopCluster('hundred');
    expect(await fleet.producer.waitForCluster('hundred', () => false, { timeoutMs: 60_000 })).toBeNull();
    const stopMs = Date.now() - stopAt;
    process.stdout.write(`stop job log:\n${(await fleet.producer.queues.clusterStop.getJobLogs(jobId)).logs.join('\n')}\n`);
    expect(fleet.liveInstances('hundred')).toEqual([]);
    const afterStop = fleet.sim.stats();

    const calls = (stats: typeof afterStop) => Object.fromEntries(Object.entries(stats.byAction).map(([action, s]) => [action, s.calls]));
    const report = { startMs, stopMs, start: calls(afterStart), startAndStop: calls(afterStop), throttled: afterStop.throttled };
    // Kept for the report and for comparing designs; the assertions below are the contract.
    const artifacts = join(__dirname, '..', '..', 'test-artifacts');
    await mkdir(artifacts, { recursive: true });
    await writeFile(join(artifacts, 'hundred-nodes-ec2-calls.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`100-node EC2 calls: ${JSON.stringify(report)}\n`);

    // One RunInstances per kind and worker at most (two workers, two kinds), not one per node.
    expect(afterStart.byAction.RunInstances.calls).toBeLessThanOrEqual(8);
    // One CreateTags per node (the Name tag is per instance) plus nothing else per node.
    expect(afterStart.byAction.CreateTags.calls).toBeLessThanOrEqual(110);
    // The shared snapshot: far fewer DescribeInstances than nodes × probe rounds.
    expect(afterStart.byAction.DescribeInstances.calls).toBeLessThan(100);
    expect(afterStop.throttled).toBe(0);
  });
});
