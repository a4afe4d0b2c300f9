import type { Job, Queue } from 'bullmq';
import { coordinatorJobId, nodeProbeJobId, nodeStartJobId } from '@elastiq/queue';
import { FleetHarness } from './fleet-harness';

// What a person sees in Bull Board for a start: readable job names, the node's kind, where each
// instance came from (the launch batch, matched against the cloud's own records) and every step.

const LAUNCH_LINE = /^launch batch (\S+): RunInstances MinCount=1 MaxCount=(\d+) token=(\S+) → instance (i-\w+) \(launch index (\d+)\)$/;

async function jobAndLogs(queue: Queue, jobId: string): Promise<{ job: Job; logs: string[] }> {
  const job = await queue.getJob(jobId);
  if (job === undefined) throw new Error(`no job ${jobId}`);
  return { job, logs: (await queue.getJobLogs(jobId)).logs };
}

describe('fleet: jobs a person can follow in the dashboard', () => {
  // The first instance never answers SSH: one node comes up, one is down at the deadline.
  const fleet = new FleetHarness({ sim: { faults: { neverSshReady: { count: 1 } } } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('names each job, logs its launch batch call and reports each step with cluster, node, kind and attempt', async () => {
    const cluster = fleet.clusterDict('visible', { compute: { count: 2, min: 1 } }, { startTimeout: 20 });
    const { generation } = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const done = await fleet.producer.waitForCluster('visible', (c) => c.status !== 'starting', { timeoutMs: 90_000 });
    expect(done?.status).toBe('degraded');
    const { queues } = fleet.producer;

    const nodeReports = [];
    for (const node of ['compute001', 'compute002']) {
      const start = await jobAndLogs(queues.nodeStart, nodeStartJobId('visible', generation, node));
      expect(start.job.name).toBe(`start visible/${node}`);
      expect(start.job.data).toMatchObject({ node, kind: 'compute' });
      const launch = start.logs.map((line) => LAUNCH_LINE.exec(line)).find((match) => match !== null);
      if (!launch) throw new Error(`no launch batch line in ${JSON.stringify(start.logs)}`);
      const [, batchId, maxCount, token, instanceId, launchIndex] = launch;
      // The line is the cloud's truth: same instance, token, batch tag and launch index.
      const instance = fleet.sim.instances().find((candidate) => candidate.instanceId === instanceId);
      expect(instance).toMatchObject({ clientToken: token, launchIndex: Number(launchIndex), tags: { 'elastiq:batch': batchId, Name: `visible-${node}` } });
      expect(Number(maxCount)).toBeGreaterThanOrEqual(1);
      expect(start.job.progress).toEqual({ step: 'launched', cluster: 'visible', node, kind: 'compute', attempt: 1, instanceId, batchId });

      const probe = await jobAndLogs(queues.nodeProbe, nodeProbeJobId('visible', generation, node));
      expect(probe.job.name).toBe(`probe visible/${node}`);
      expect(probe.job.data).toMatchObject({ node, kind: 'compute' });
      expect(probe.job.progress).toMatchObject({ cluster: 'visible', node, kind: 'compute', attempt: 1 });
      expect(probe.logs.every((line) => line.length < 300)).toBe(true);
      nodeReports.push({ instanceId, progress: probe.job.progress as Record<string, unknown>, logs: probe.logs });
    }

    const up = nodeReports.find((report) => report.progress.step === 'up');
    const down = nodeReports.find((report) => report.progress.step === 'down');
    expect(up?.logs.at(-1)).toMatch(/^round \d+: probe elastiq@127\.[\d.]+:\d+ → up$/);
    // The node that never answered says why, in its progress and as the last line of its log.
    expect(down?.progress.reason).toMatch(/^not up before the deadline: /);
    expect(down?.logs.at(-1)).toMatch(/^round \d+: down: not up before the deadline: /);
    // The probe attempts are logged when their outcome changes and every 10th round besides.
    expect(down?.logs.filter((line) => / → /.test(line)).length).toBeGreaterThan(1);

    const coordinator = await jobAndLogs(queues.clusterCoordinator, coordinatorJobId('visible', generation));
    expect(coordinator.job.name).toBe(`coordinate visible gen ${generation}`);
    expect(coordinator.job.progress).toMatchObject({ step: 'degraded', cluster: 'visible', decision: 'degraded', keep: 1, drop: 1 });
  });

  it('logs a refused launch with the cloud error code in each member job', async () => {
    fleet.sim.setFaults({ instanceQuota: 0 });
    const cluster = fleet.clusterDict('refused', { compute: { count: 2 } }, { startTimeout: 60 });
    const { generation } = await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: false });
    const done = await fleet.producer.waitForCluster('refused', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(done?.status).toBe('failed');
    for (const node of ['compute001', 'compute002']) {
      const start = await jobAndLogs(fleet.producer.queues.nodeStart, nodeStartJobId('refused', generation, node));
      expect(start.logs).toContainEqual(expect.stringMatching(/^launch batch \S+: RunInstances MinCount=1 MaxCount=\d token=\S+ → not launched: InstanceLimitExceeded: /));
      expect(start.job.progress).toMatchObject({ step: 'failed', cluster: 'refused', node, kind: 'compute', code: 'InstanceLimitExceeded' });
    }
  });
});
