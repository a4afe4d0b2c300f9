import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { ClusterDict } from '@elastiq/core';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// `elastiq pause`, `resume`, `update` and `list-nodes -u` as a user runs them (the built CLI as a
// child process) against real workers and cloud-sim; the cloud is also changed behind elastiq's
// back with the AWS SDK, as another tool or a person in the console would.

const settled = (cluster: ClusterDict) => !['starting', 'setting-up', 'pausing', 'resuming'].includes(cluster.status);

describe('elastiq pause / resume / update on the command line', () => {
  const fleet = new FleetHarness({ sim: { images: [{ imageId: 'ami-sim', user: 'elastiq' }, { imageId: 'ami-nossh', user: 'elastiq', ssh: false }] } });
  let configPath: string;
  let ec2: EC2Client;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 150_000 }, args);
  }

  async function startReady(name: string, count: number): Promise<ClusterDict> {
    await fleet.producer.startCluster({ cluster: fleet.clusterDict(name, { compute: { count } }), cloud: fleet.cloud, runSetup: false });
    const ready = await fleet.producer.waitForCluster(name, settled, { timeoutMs: 60_000 });
    expect(ready?.status).toBe('ready');
    return ready!;
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    // These commands read no template: the configuration file is only there because -c is given.
    configPath = join(fleet.scratchDir, 'config');
    await writeFile(configPath, '');
    ec2 = new EC2Client({ endpoint: fleet.sim.endpoint, region: fleet.sim.region, credentials: { accessKeyId: 'AKIDBEHINDTHEBACK', secretAccessKey: 'not-real' } });
  });
  afterAll(async () => {
    ec2?.destroy();
    await fleet.stop();
  });

  it.each([['pause'], ['resume'], ['update'], ['list-nodes', '-u']])('`%s` of an unknown cluster prints one line and exits 66', async (...command) => {
    const result = await elastiq(...command, 'nosuchcluster');
    expect(result.code).toBe(66);
    expect(result.stderr.trim().split('\n')).toEqual(['error: cluster `nosuchcluster` not found (run `elastiq list` to see the clusters that exist)']);
  });

  it('refuses to pause a cluster that is still starting, in one line, exit 75', async () => {
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('booting', { compute: { count: 2, imageId: 'ami-nossh' } }), cloud: fleet.cloud, runSetup: false });
    const result = await elastiq('pause', 'booting');
    expect(result.code).toBe(75);
    expect(result.stderr.trim().split('\n')).toEqual([
      'error: cluster `booting` is starting: only a started cluster can be paused (wait until it is ready: `elastiq watch booting`)',
    ]);
    expect((await fleet.repository.get('booting'))?.value.status).toBe('starting');
    await fleet.producer.stopCluster('booting');
  });

  it('pauses and resumes; a resume where a host key changed exits 1 naming the node', async () => {
    const before = await startReady('cli-paused', 2);
    const paused = await elastiq('pause', 'cli-paused');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/compute001 +compute +i-\w+ +paused/);
    expect(paused.stderr).toContain('Cluster `cli-paused` is paused');
    expect((await elastiq('pause', 'cli-paused')).stderr).toContain('already paused');

    const resumed = await elastiq('resume', 'cli-paused');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('Your cluster `cli-paused` is back: resumed: 2 of 2 nodes back');

    expect((await elastiq('pause', 'cli-paused')).code).toBe(0);
    await fleet.sim.changeHostKey(before.nodes.compute[1].instanceId!);
    const refused = await elastiq('resume', 'cli-paused');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: 1 node\(s\) of `cli-paused` did not come back: compute002 \(host key of node `compute002` changed: expected SHA256:/);
  });

  it('update marks a node terminated behind elastiq\'s back `gone` with the reason, and lists a stray instance carrying the cluster\'s tag', async () => {
    const before = await startReady('drifted', 3);
    const victim = before.nodes.compute[1].instanceId!;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [victim] }));
    const stray = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-sim',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'elastiq:cluster', Value: 'drifted' }, { Key: 'elastiq:generation', Value: '99' }] }],
      }),
    );
    const strayId = stray.Instances![0].InstanceId!;
    const deadline = Date.now() + 10_000;
    while (fleet.sim.instances().find((instance) => instance.instanceId === victim)?.state !== 'terminated' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const updated = await elastiq('update', 'drifted');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('Listed 4 instance(s) tagged with cluster `drifted`.');
    expect(updated.stdout).toContain(`- compute002 is gone: instance ${victim} is terminated (Client.UserInitiatedShutdown): terminated outside elastiq`);
    expect(updated.stdout).toMatch(new RegExp(`- ${strayId} (pending|running) .*\\(generation 99\\)`));
    const record = (await fleet.repository.get('drifted'))!.value;
    expect(record.nodes.compute.map((node) => node.state)).toEqual(['up', 'gone', 'up']);
    expect(record.nodes.compute[1].lastError).toBe(`instance ${victim} is terminated (Client.UserInitiatedShutdown): terminated outside elastiq`);
    expect({ status: record.status, reason: record.statusReason }).toEqual({ status: 'degraded', reason: 'update: compute002 gone' });

    // list-nodes -u runs the same update first: nothing changed since, the stray is still listed.
    const listed = await elastiq('list-nodes', '-u', 'drifted');
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('The record already matched the cloud.');
    expect(listed.stderr).toContain(strayId);
    expect(listed.stdout).toMatch(/compute002 +compute +i-\w+ +gone +127\.[\d.]+ +instance .* terminated outside elastiq/);
  });

  it('prints --help for pause, resume and update', async () => {
    for (const command of ['pause', 'resume', 'update']) {
      const help = await elastiq(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: elastiq ${command} [options] <cluster>`);
    }
  });
});
