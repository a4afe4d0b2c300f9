import type { ClusterDict } from '@elastiq/core';
import { clusterResumeJobId } from '@elastiq/queue';
import { FleetHarness } from './fleet-harness';

// BullMQ delivers at least once: a worker SIGKILLed inside StopInstances, inside StartInstances,
// and while the nodes are being probed, must leave a pause and a resume that still end with every
// node back on the same instances (nothing launched, nothing lost).

const settled = (cluster: ClusterDict) => !['starting', 'setting-up', 'pausing', 'resuming'].includes(cluster.status);

describe('fleet: a worker killed with SIGKILL in the middle of a pause and of a resume', () => {
  const fleet = new FleetHarness({ sim: { bootDelay: 'uniform:500ms..1500ms', faults: { latencyMs: { StopInstances: 1500, StartInstances: 1500 } } } });

  beforeAll(() => fleet.start());
  afterAll(() => fleet.stop());

  it('pauses, then brings every node back with its own instance, after the restarts', async () => {
    let worker = await fleet.spawnWorker();
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('killed-resume', { compute: { count: 4 } }), cloud: fleet.cloud, runSetup: false });
    const ready = await fleet.producer.waitForCluster('killed-resume', settled, { timeoutMs: 60_000 });
    expect(ready?.status).toBe('ready');
    // What the start called (a start job retried under load may re-issue its batch, same token).
    const launchCallsAtReady = fleet.sim.stats().byAction.RunInstances.ok;
    const pause = await fleet.producer.pauseCluster('killed-resume');
    // Kill 0: the pause job is inside StopInstances.
    await waitFor(async () => (await (await fleet.producer.queues.clusterPause.getJob(pause.jobId))?.getState()) === 'active');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await worker.stop('SIGKILL');
    worker = await fleet.spawnWorker();
    expect((await fleet.producer.waitForCluster('killed-resume', settled, { timeoutMs: 60_000 }))?.status).toBe('paused');

    const { jobId } = await fleet.producer.resumeCluster('killed-resume');
    // Kill 1: the resume job is inside StartInstances (the call takes 1.5 s to answer).
    await waitFor(async () => (await (await fleet.producer.queues.clusterResume.getJob(jobId))?.getState()) === 'active');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await worker.stop('SIGKILL');
    worker = await fleet.spawnWorker();
    // Kill 2: the node jobs are probing.
    await waitFor(async () => {
      const counts = await fleet.producer.queues.nodeResume.getJobCounts('active', 'delayed');
      return counts.active + counts.delayed > 0;
    });
    await worker.stop('SIGKILL');
    await fleet.spawnWorker();

    const back = await fleet.producer.waitForCluster('killed-resume', settled, { timeoutMs: 120_000 });
    expect({ status: back?.status, reason: back?.statusReason }).toEqual({ status: 'ready', reason: 'resumed: 4 of 4 nodes back' });
    const nodes = Object.values(back!.nodes).flat();
    expect(nodes.map((node) => node.state)).toEqual(['up', 'up', 'up', 'up']);
    expect(nodes.map((node) => node.instanceId)).toEqual(ready!.nodes.compute.map((node) => node.instanceId));
    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'killed-resume');
    expect(everLaunched.map((instance) => instance.state)).toEqual(['running', 'running', 'running', 'running']);
    // Neither the pause nor the resume launched anything, and the start made one reservation.
    expect(fleet.sim.stats().byAction.RunInstances.ok).toBe(launchCallsAtReady);
    expect(new Set(everLaunched.map((instance) => instance.clientToken)).size).toBe(1);
    // The resume job saves the record before it returns: wait for its end, not only the record's status.
    const resumeJob = () => fleet.producer.queues.clusterResume.getJob(clusterResumeJobId('killed-resume', back!.generation, 1));
    await waitFor(async () => (await resumeJob())?.returnvalue != null, 15_000).catch(() => undefined);
    const job = await resumeJob();
    expect(job?.returnvalue).toMatchObject({ back: ['compute001', 'compute002', 'compute003', 'compute004'], notBack: [] });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
