import { join } from 'node:path';
import { EC2Client, RunInstancesCommand, type Tag } from '@aws-sdk/client-ec2';
import { FLEET_GC_SCHEDULER_ID, installationIdKey } from '@elastiq/queue';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// Garbage collection on a real fleet: worker processes, Redis, cloud-sim, and `elastiq gc` run as
// a user runs it. An orphan here is what a start leaves when its record is lost after its jobs
// were enqueued (the producer crashed, the store was lost or edited behind elastiq's back): the
// jobs stand down, the instances keep running, and only the cloud's tags still say whose they are.

/** An instance launched with the plain AWS SDK, as another tool (or another installation) would. */
async function launchBehindElastiq(fleet: FleetHarness, tags: Record<string, string>): Promise<string> {
  const client = new EC2Client({ endpoint: fleet.sim.endpoint, region: fleet.sim.region, credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-not-real' } });
  try {
    const Tags: Tag[] = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const answer = await client.send(
      new RunInstancesCommand({ ImageId: 'ami-sim', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...(Tags.length > 0 ? { TagSpecifications: [{ ResourceType: 'instance', Tags }] } : {}) }),
    );
    return answer.Instances?.[0]?.InstanceId as string;
  } finally {
    client.destroy();
  }
}

function stateOf(fleet: FleetHarness, instanceId: string): string | undefined {
  return fleet.sim.instances().find((instance) => instance.instanceId === instanceId)?.state;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts `name` and deletes its record as soon as the cloud has all its instances: the jobs then stand down. */
async function loseRecordAfterLaunch(fleet: FleetHarness, name: string, count: number): Promise<string[]> {
  await fleet.producer.startCluster({ cluster: fleet.clusterDict(name, { compute: { count } }), cloud: fleet.cloud, runSetup: false });
  await waitFor(`the instances of ${name}`, () => fleet.liveInstances(name).length === count);
  await fleet.repository.delete(name);
  return fleet.liveInstances(name).map((instance) => instance.instanceId).sort();
}

describe('elastiq gc: orphans of this installation, and nothing else', () => {
  const fleet = new FleetHarness({ workerEnv: { ELASTIQ_GC_INTERVAL_MS: '0' } });
  let lost: string[];
  let healthy: string[];
  let foreign: Record<string, string>;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath: join(fleet.scratchDir, 'no-config-needed'), home: fleet.scratchDir, timeoutMs: 60_000 }, args);
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('healthy', { compute: { count: 2 } }), cloud: fleet.cloud, runSetup: false });
    expect((await fleet.producer.waitForCluster('healthy', (c) => c.status !== 'starting', { timeoutMs: 60_000 }))?.status).toBe('ready');
    healthy = fleet.liveInstances('healthy').map((instance) => instance.instanceId);
    lost = await loseRecordAfterLaunch(fleet, 'lost', 2);
    // Same cluster name and generation as the orphans: only the installation tag tells them apart.
    foreign = {
      anotherInstallation: await launchBehindElastiq(fleet, { 'elastiq:installation': 'another-installation', 'elastiq:cluster': 'lost', 'elastiq:generation': '1' }),
      olderElastiq: await launchBehindElastiq(fleet, { 'elastiq:cluster': 'lost', 'elastiq:generation': '1' }),
      untagged: await launchBehindElastiq(fleet, {}),
    };
  });
  afterAll(() => fleet.stop());

  it('tags every launch with the installation id it created once in Redis', async () => {
    const id = await fleet.redisClient.get(installationIdKey(fleet.prefix));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const ours = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] !== undefined && instance.tags['elastiq:installation'] === id);
    expect(ours.map((instance) => instance.instanceId).sort()).toEqual([...healthy, ...lost].sort());
  });

  it('lists nothing launched more recently than --older-than', async () => {
    const result = await elastiq('gc', '--older-than', '1h');

    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/^No orphaned instances older than 1h for installation [0-9a-f-]{36} \(4 other tagged instance\(s\) spared: 4 younger-than-grace\)\.$/m);
  });

  it('without --yes lists the orphans of the lost record, and terminates nothing', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await elastiq('gc', '--older-than', '1s');

    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^INSTANCE\s+CLUSTER\s+GEN\s+STATE\s+LAUNCHED\s+CLOUD\s+REASON$/);
    expect(rows.slice(1).map((row) => row.split(/\s+/)[0]).sort()).toEqual(lost);
    for (const row of rows.slice(1)) expect(row).toMatch(/\s+lost\s+1\s+running\s+.*cluster `lost` has no record$/);
    expect(result.stderr).toContain('2 orphaned instance(s) older than 1s (2 other tagged instance(s) spared: 2 in-a-record); `elastiq gc --yes` terminates them.');
    expect([...lost, ...healthy].map((id) => stateOf(fleet, id))).toEqual(['running', 'running', 'running', 'running']);
  });

  it('with --yes terminates exactly the orphans: the healthy cluster, another installation’s and untagged instances keep running', async () => {
    const calls = (action: string) => fleet.sim.stats().byAction[action]?.calls ?? 0;
    const before = { describe: calls('DescribeInstances'), terminate: calls('TerminateInstances') };
    const result = await elastiq('gc', '--older-than', '1s', '--yes');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Terminated 2 of 2 orphaned instance(s) older than 1s');
    // One tag-filtered listing and one batched terminate for the whole installation.
    expect({ describe: calls('DescribeInstances') - before.describe, terminate: calls('TerminateInstances') - before.terminate }).toEqual({ describe: 1, terminate: 1 });
    await waitFor('the orphans to be terminated', () => lost.every((id) => stateOf(fleet, id) === 'terminated'));
    expect(healthy.map((id) => stateOf(fleet, id))).toEqual(['running', 'running']);
    expect(Object.values(foreign).map((id) => stateOf(fleet, id))).toEqual(['running', 'running', 'running']);
    expect((await fleet.repository.get('healthy'))?.value.status).toBe('ready');
  });

  it('run again finds nothing left to do (terminated instances are not listed again)', async () => {
    const result = await elastiq('gc', '--older-than', '1s', '--yes', '--json');

    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed).toMatchObject({ dryRun: false, olderThanMs: 1000, orphans: [], terminated: [], spared: { 'in-a-record': 2 } });
    expect(parsed.clouds).toEqual([{ ec2Url: fleet.sim.endpoint, ec2Region: fleet.sim.region, credentialSource: 'env', listed: 2, error: null }]);
  });
  it('never collects the instances of a record it cannot read (corrupt, or written by a newer elastiq)', async () => {
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('garbled', { compute: { count: 1 } }), cloud: fleet.cloud, runSetup: false });
    expect((await fleet.producer.waitForCluster('garbled', (c) => c.status !== 'starting', { timeoutMs: 60_000 }))?.status).toBe('ready');
    // As any writer would, a new stamp: workers holding the record re-read it only when it changes.
    await fleet.redisClient.hset(fleet.repository.recordKey('garbled'), 'header', '{"name": "garbled", "nodes": ', 'stamp', 'garbled-by-hand');
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const result = await elastiq('gc', '--older-than', '1s', '--yes', '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ orphans: [], terminated: [], spared: { 'in-a-record': 2, 'record-unreadable': 1 } });
    expect(fleet.liveInstances('garbled').map((instance) => instance.state)).toEqual(['running']);
  });
});

describe('the scheduled gc job', () => {
  // Every second, with a one-second grace period: it runs all the time while a start is going on.
  const fleet = new FleetHarness({ workerEnv: { ELASTIQ_GC_INTERVAL_MS: '1000', ELASTIQ_GC_OLDER_THAN_MS: '1000' } });

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('is one job scheduler however many workers upserted it', async () => {
    await waitFor('the job scheduler', async () => (await fleet.producer.queues.fleetGc.getJobSchedulersCount()) > 0);
    const schedulers = await fleet.producer.queues.fleetGc.getJobSchedulers();
    expect(schedulers.map((scheduler) => ({ key: scheduler.key, every: scheduler.every }))).toEqual([{ key: FLEET_GC_SCHEDULER_ID, every: 1000 }]);
  });

  it('terminates the orphans of a lost record by itself, while a start running next to it is never touched', async () => {
    const orphans = await loseRecordAfterLaunch(fleet, 'forgotten', 2);
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('busy', { compute: { count: 3 } }), cloud: fleet.cloud, runSetup: false });

    await waitFor('the scheduled gc to terminate the orphans', () => orphans.every((id) => stateOf(fleet, id) === 'terminated'));
    const busy = await fleet.producer.waitForCluster('busy', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(busy?.status).toBe('ready');
    // A few more sweeps over the ready cluster.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const everLaunched = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'busy');
    expect(everLaunched.map((instance) => instance.state)).toEqual(['running', 'running', 'running']);
    const completed = await fleet.producer.queues.fleetGc.getJobs(['completed']);
    expect(completed.length).toBeGreaterThan(1);
    expect(completed.every((job) => job.name === 'gc (scheduled)')).toBe(true);
  });
});

describe('elastiq gc after a rollback that could not finish', () => {
  // Both instances never answer SSH, so the start fails at its deadline; the cloud then refuses
  // every TerminateInstances until the test lifts the fault.
  const fleet = new FleetHarness({ sim: { faults: { neverSshReady: { count: 2 } } }, workerEnv: { ELASTIQ_GC_INTERVAL_MS: '0' } });

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath: join(fleet.scratchDir, 'no-config-needed'), home: fleet.scratchDir, timeoutMs: 60_000 }, args);
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('collects the instances the failed record marks terminated once the cloud lets it', async () => {
    fleet.sim.setFaults({ errorSequences: { TerminateInstances: Array(50).fill('UnauthorizedOperation') } });
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('stuck', { compute: { count: 2 } }, { startTimeout: 8 }), cloud: fleet.cloud, runSetup: false });
    const failed = await fleet.producer.waitForCluster('stuck', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(failed?.statusReason).toMatch(/terminating its instances failed too/);
    const stuck = fleet.liveInstances('stuck').map((instance) => instance.instanceId).sort();
    expect(stuck).toHaveLength(2);

    // Until the decision is older than the grace period it is spared (its record save may be under way).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const listed = JSON.parse((await elastiq('gc', '--older-than', '1s', '--json')).stdout);
    expect(listed.orphans.map((orphan: { instanceId: string }) => orphan.instanceId).sort()).toEqual(stuck);
    expect(listed.orphans[0].reason).toBe('not in the record of `stuck` (generation 1, decided)');

    const refused = await elastiq('gc', '--older-than', '1s', '--yes');
    expect(refused.code).toBe(69);
    expect(refused.stderr).toMatch(/^error: http:\/\/127\.0\.0\.1:\d+ \(.*, credentials env\): terminating: UnauthorizedOperation/m);

    fleet.sim.clearFaults();
    const collected = await elastiq('gc', '--older-than', '1s', '--yes');
    expect(collected.code).toBe(0);
    expect(collected.stderr).toContain('Terminated 2 of 2 orphaned instance(s) older than 1s');
    await waitFor('the orphans to be terminated', () => fleet.liveInstances('stuck').length === 0);
  });
});

describe('elastiq gc while its worker is killed', () => {
  // TerminateInstances answers slowly, so the kill lands while the gc job is inside it.
  const fleet = new FleetHarness({ sim: { faults: { latencyMs: { TerminateInstances: 3000 } } }, workerEnv: { ELASTIQ_GC_INTERVAL_MS: '0' } });

  beforeAll(async () => {
    await fleet.start();
  });
  afterAll(() => fleet.stop());

  it('is finished by another worker: the CLI still gets the result and the orphans are terminated', async () => {
    const worker = await fleet.spawnWorker();
    const orphans = await loseRecordAfterLaunch(fleet, 'abandoned', 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const gc = runElastiq(fleet, { configPath: join(fleet.scratchDir, 'no-config-needed'), home: fleet.scratchDir, timeoutMs: 90_000 }, ['gc', '--older-than', '1s', '--yes']);
    await waitFor('the gc job inside TerminateInstances', async () => {
      const [job] = await fleet.producer.queues.fleetGc.getJobs(['active']);
      return (job?.progress as { step?: string } | undefined)?.step === 'terminating';
    });
    await worker.stop('SIGKILL');
    await fleet.spawnWorker();
    const result = await gc;

    expect(result.code).toBe(0);
    await waitFor('the orphans to be terminated', () => orphans.every((id) => stateOf(fleet, id) === 'terminated'));
    const completed = await fleet.producer.queues.fleetGc.getJobs(['completed']);
    expect({ completed: completed.length, failed: await fleet.producer.queues.fleetGc.getFailedCount() }).toEqual({ completed: 1, failed: 0 });
    // Proof that the kill landed inside the job: it was taken up again after its worker died.
    expect(completed[0].stalledCounter + completed[0].attemptsStarted).toBeGreaterThan(1);
  });
});
