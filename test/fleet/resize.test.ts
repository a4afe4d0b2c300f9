import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterDict, NodeDict } from '@elastiq/core';
import { execOnNode } from '@elastiq/ssh';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// `elastiq resize` and `elastiq remove-node` as a user runs them, against a real fleet. One
// cluster lives through the whole spec (2-5 nodes): a hole is made, a growth whose nodes never
// boot is rolled back, a growth fills the hole, a shrink spares the ssh_to node.

describe('elastiq resize / remove-node: a running cluster grows and shrinks', () => {
  const fleet = new FleetHarness();
  let configPath: string;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 150_000 }, args);
  }
  const record = async (name = 'demo') => (await fleet.repository.get(name))!.value;
  const nodes = (cluster: ClusterDict) => Object.values(cluster.nodes).flat();
  const byName = (cluster: ClusterDict) => Object.fromEntries(nodes(cluster).map((node) => [node.name, node.instanceId]));
  const setupRuns = async (node: NodeDict) => (await execOnNode(targetOf(node), 'cat ~/setup-runs', { timeoutMs: 10_000 })).stdout.trim().split('\n').length;

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    const script = join(fleet.scratchDir, 'setup.sh');
    // Every run leaves a line on every node it configured: a re-run on the whole cluster is visible.
    await writeFile(script, 'echo run >> ~/setup-runs\n');
    configPath = join(fleet.scratchDir, 'config');
    await writeFile(
      configPath,
      [
        ...fleet.configSections(),
        '[setup/scripted]',
        'provider=script',
        `script_path=${script}`,
        '[cluster/demo]',
        'cloud=sim',
        'login=e2e',
        'setup=scripted',
        'image_id=ami-sim',
        'flavor=t3.micro',
        'frontend_nodes=1',
        'compute_nodes=3',
        'compute_nodes_min=1',
        'ssh_to=compute',
        // The deadline of a growth too: the never-booting nodes are given up after it.
        'start_timeout=15',
        // Only a source for a kind `demo` does not have (`resize -t gpus`).
        '[cluster/gpus]',
        'cloud=sim',
        'login=e2e',
        'setup=scripted',
        'image_id=ami-sim',
        'flavor=m5.large',
        'gpu_nodes=1',
        '',
      ].join('\n'),
    );
    expect((await elastiq('start', 'demo')).code).toBe(0);
  });
  afterAll(() => fleet.stop());

  it('remove-node terminates that node only, frees its name and runs setup again', async () => {
    const before = await record();
    const removedInstance = byName(before).compute002;

    const result = await elastiq('remove-node', 'demo', 'compute002', '-y');

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('Your cluster `demo` is ready!') });
    const after = await record();
    expect(Object.keys(byName(after)).sort()).toEqual(['compute001', 'compute003', 'frontend001']);
    const running = fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'demo' && ['pending', 'running'].includes(instance.state));
    expect(running.map((instance) => instance.instanceId).sort()).toEqual(Object.values(byName(after)).sort());
    // TerminateInstances was sent; the cloud takes a moment (shutting-down) before it says terminated.
    await waitFor(() => fleet.sim.instances().find((instance) => instance.instanceId === removedInstance)?.state === 'terminated', 20_000);
    expect(await setupRuns(after.nodes.frontend[0])).toBe(2);
  });

  it('refuses with one line and its exit code: the last frontend (min_nodes), an unknown node, an unknown cluster', async () => {
    const lastFrontend = await elastiq('remove-node', 'demo', 'frontend001', '-y');
    const unknownNode = await elastiq('remove-node', 'demo', 'compute042', '-y');
    const unknownCluster = await elastiq('resize', 'nowhere', '-a', '1:compute');

    expect(lastFrontend.code).toBe(64);
    expect(lastFrontend.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: removing frontend001 leaves 0 `frontend` node\(s\), below its min_nodes 1 \(pass --force/)]);
    expect(unknownNode.code).toBe(66);
    expect(unknownNode.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: cluster `demo` has no node `compute042`/)]);
    expect(unknownCluster.code).toBe(66);
    expect(unknownCluster.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: cluster `nowhere` not found/)]);
  });

  it('rolls back a growth whose nodes never answer SSH: their instances terminated, names freed, the other nodes untouched and reachable', async () => {
    const before = await record();
    fleet.sim.setFaults({ neverSshReady: { count: 2 } });

    const result = await elastiq('resize', 'demo', '-a', '2:compute');

    fleet.sim.setFaults({ neverSshReady: { count: 0 } });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 1, stderr: expect.stringContaining('was rolled back, the other nodes were not touched') });
    expect(result.stderr).toContain('adding compute002, compute004');
    const after = await record();
    expect({ status: after.status, nodes: byName(after) }).toEqual({ status: 'ready', nodes: byName(before) });
    expect(after.generation).toBeGreaterThan(before.generation);
    const ofResize = () => fleet.sim.instances().filter((i) => i.tags['elastiq:cluster'] === 'demo' && i.tags['elastiq:generation'] === String(after.generation));
    expect(ofResize()).toHaveLength(2);
    await waitFor(() => ofResize().every((instance) => instance.state === 'terminated'), 20_000);
    expect(fleet.liveInstances('demo')).toHaveLength(3);
    for (const node of nodes(after)) expect((await execOnNode(targetOf(node), 'echo still here', { timeoutMs: 10_000 })).stdout).toBe('still here\n');
  });

  it('grows by filling the hole first, keeps the existing instances and runs setup on the whole cluster', async () => {
    const before = await record();

    const result = await elastiq('resize', 'demo', '-a', '2:compute');

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('Your cluster `demo` is ready!') });
    const after = await record();
    expect(Object.keys(byName(after)).sort()).toEqual(['compute001', 'compute002', 'compute003', 'compute004', 'frontend001']);
    expect(byName(after)).toMatchObject(byName(before));
    const added = nodes(after).filter((node) => !(node.name in byName(before)));
    expect(added.map((node) => [node.name, node.generation, node.state])).toEqual([
      ['compute002', after.generation, 'up'],
      ['compute004', after.generation, 'up'],
    ]);
    expect(nodes(after).filter((node) => node.name in byName(before)).every((node) => node.generation! < after.generation)).toBe(true);
    expect(await setupRuns(after.nodes.frontend[0])).toBe(3);
    expect(await setupRuns(added[0])).toBe(1);
  });

  it('shrinks by the highest-indexed nodes in one TerminateInstances call, never the ssh_to node', async () => {
    const tooMany = await elastiq('resize', 'demo', '-r', '4:compute', '-y');
    expect(tooMany.code).toBe(64);
    expect(tooMany.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('only 3 can be removed (compute001 is the ssh_to node')]);
    const terminateCalls = () => fleet.sim.stats().byAction.TerminateInstances?.ok ?? 0;
    const callsBefore = terminateCalls();

    const result = await elastiq('resize', 'demo', '-r', '3:compute', '-y', '--no-setup');

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('terminating compute004, compute003, compute002');
    expect(terminateCalls() - callsBefore).toBe(1);
    const after = await record();
    expect({ status: after.status, nodes: Object.keys(byName(after)).sort() }).toEqual({ status: 'ready', nodes: ['compute001', 'frontend001'] });
    await waitFor(() => fleet.liveInstances('demo').length === 2, 10_000);
  });

  it('launches a kind the cluster does not have from -t TEMPLATE, and refuses it without one', async () => {
    const withoutTemplate = await elastiq('resize', 'demo', '-a', '1:gpu');
    expect(withoutTemplate.code).toBe(64);
    expect(withoutTemplate.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('has no node of kind `gpu` to copy, and its template does not define one')]);

    const result = await elastiq('resize', 'demo', '-a', '1:gpu', '-t', 'gpus', '--no-setup');

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('adding gpu001') });
    expect((await record()).nodes.gpu?.map((node) => [node.name, node.flavor, node.state])).toEqual([['gpu001', 'm5.large', 'up']]);
  });

  it('is stopped whole by a stop during a growth: every instance of every generation terminated, the record deleted', async () => {
    expect((await elastiq('resize', 'demo', '-a', '2:compute', '--no-wait')).code).toBe(0);

    const result = await elastiq('stop', 'demo', '-y', '--wait');

    expect(result.code).toBe(0);
    expect(await fleet.repository.get('demo')).toBeNull();
    await waitFor(() => fleet.liveInstances('demo').length === 0, 20_000);
  });

  it('refuses to resize a cluster whose start is in progress, in one line with exit code 75', async () => {
    // A slow RunInstances keeps the start `starting` whatever the speed of the machine.
    fleet.sim.setFaults({ latencyMs: { RunInstances: 5000 } });
    expect((await elastiq('start', 'demo', '-n', 'busy', '--no-wait')).code).toBe(0);

    const result = await elastiq('resize', 'busy', '-a', '1:compute');
    fleet.sim.setFaults({ latencyMs: {} });

    expect(result.code).toBe(75);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: cluster `busy` is starting: it cannot be resized now/)]);
    expect((await elastiq('stop', 'busy', '-y', '--wait')).code).toBe(0);
  });

  it.each(['resize', 'remove-node'])('%s --help says how to use it', async (command) => {
    const result = await elastiq(command, '--help');
    expect({ code: result.code, usage: result.stdout }).toEqual({ code: 0, usage: expect.stringContaining(`Usage: elastiq ${command} [options] <cluster>`) });
  });
});

function targetOf(node: NodeDict) {
  return { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
