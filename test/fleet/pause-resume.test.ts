import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterDict, NodeDict } from '@elastiq/core';
import { clusterPauseJobId, clusterResumeJobId, nodeResumeJobId } from '@elastiq/queue';
import { execOnNode } from '@elastiq/ssh';
import { FleetHarness } from './fleet-harness';

// Pause stops every instance (StopInstances) and keeps the record; resume starts them again, reads
// the addresses the cloud gave them now, probes each against the host key pinned at the first
// start, and runs setup again only when an address changed. All on real workers, cloud-sim's
// sshd instances and ansible-playbook.

const PLAYBOOK = [
  '- hosts: all',
  '  gather_facts: false',
  '  tasks:',
  '    - name: Note the address this run configured',
  '      ansible.builtin.shell: echo "{{ ansible_host }}" >> ~/setup-runs',
  '',
].join('\n');

const nodesOf = (cluster: ClusterDict | null): NodeDict[] => Object.values(cluster?.nodes ?? {}).flat();
const settled = (cluster: ClusterDict) => !['starting', 'setting-up', 'pausing', 'resuming'].includes(cluster.status);

async function setupRunsOn(node: NodeDict): Promise<string[]> {
  const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
  return (await execOnNode(target, 'cat ~/setup-runs', { timeoutMs: 10_000 })).stdout.trim().split('\n');
}

describe('fleet: pause and resume', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  async function startReady(name: string, kinds: Parameters<FleetHarness['clusterDict']>[1], options: Parameters<FleetHarness['clusterDict']>[2] = {}) {
    await fleet.producer.startCluster({ cluster: fleet.clusterDict(name, kinds, options), cloud: fleet.cloud, runSetup: options.setup !== undefined });
    const ready = await fleet.producer.waitForCluster(name, settled, { timeoutMs: 150_000 });
    expect(ready?.status).toBe('ready');
    return ready!;
  }

  async function pause(name: string): Promise<ClusterDict> {
    await fleet.producer.pauseCluster(name);
    const paused = await fleet.producer.waitForCluster(name, settled, { timeoutMs: 60_000 });
    expect({ status: paused?.status, reason: paused?.statusReason }).toMatchObject({ status: 'paused' });
    return paused!;
  }

  async function resume(name: string): Promise<ClusterDict> {
    await fleet.producer.resumeCluster(name);
    return (await fleet.producer.waitForCluster(name, settled, { timeoutMs: 150_000 }))!;
  }

  it('comes back at new addresses with the pinned host keys and runs setup again; a resume at the same addresses does not', async () => {
    const playbook = join(fleet.scratchDir, 'note-address.yml');
    await writeFile(playbook, PLAYBOOK);
    const before = await startReady('moving', { frontend: { count: 1 }, compute: { count: 2 } }, { setup: { name: 'e2e', provider: 'ansible', playbook_path: playbook } });

    const paused = await pause('moving');
    expect(nodesOf(paused).map((node) => node.state)).toEqual(['paused', 'paused', 'paused']);
    expect(fleet.liveInstances('moving').map((instance) => instance.state)).toEqual(['stopped', 'stopped', 'stopped']);
    const pauseJob = await fleet.producer.queues.clusterPause.getJob(clusterPauseJobId('moving', before.generation, 1));
    expect(pauseJob?.name).toBe('pause moving');
    expect(pauseJob?.progress).toMatchObject({ step: 'paused', cluster: 'moving', stopped: 3, of: 3 });

    fleet.sim.setFaults({ newAddressOnStart: true });
    const back = await resume('moving');
    fleet.sim.clearFaults();

    expect({ status: back.status, reason: back.statusReason }).toMatchObject({ status: 'ready' });
    for (const [old, now] of nodesOf(before).map((node, index) => [node, nodesOf(back)[index]])) {
      expect(now.state).toBe('up');
      expect(now.instanceId).toBe(old.instanceId);
      expect(now.preferredIp).not.toBe(old.preferredIp);
      expect(now.hostKey).toEqual(old.hostKey);
      expect(now.setupStatus).toBe('ok');
      // The playbook ran twice on every node: once at the first start, once at the new address.
      expect(await setupRunsOn(now)).toEqual([old.preferredIp, now.preferredIp]);
    }
    const probeJob = await fleet.producer.queues.nodeResume.getJob(nodeResumeJobId('moving', back.generation, 1, 'compute001'));
    expect(probeJob?.name).toBe('resume moving/compute001');
    expect(probeJob?.returnvalue).toEqual({ up: nodesOf(back)[1].preferredIp });

    await pause('moving');
    const again = await resume('moving');
    expect({ status: again.status, reason: again.statusReason }).toMatchObject({ status: 'ready', reason: 'resumed: 3 of 3 nodes back' });
    for (const node of nodesOf(again)) expect(await setupRunsOn(node)).toHaveLength(2);
    expect(nodesOf(again).map((node) => node.preferredIp)).toEqual(nodesOf(back).map((node) => node.preferredIp));
  });

  it('refuses a node whose host key changed while it was paused, naming it; the other nodes are back', async () => {
    const before = await startReady('rekeyed-pause', { compute: { count: 2 } });
    await pause('rekeyed-pause');
    const [first, second] = nodesOf(before);
    await fleet.sim.changeHostKey(first.instanceId!);

    const back = await resume('rekeyed-pause');
    expect(back.status).toBe('degraded');
    expect(back.statusReason).toMatch(/not back: compute001: host key of node `compute001` changed: expected SHA256:/);
    const [firstAfter, secondAfter] = nodesOf(back);
    expect(firstAfter).toMatchObject({ state: 'failed', hostKey: first.hostKey });
    expect(firstAfter.lastError).toMatch(/^host key of node `compute001` changed/);
    expect(secondAfter).toMatchObject({ state: 'up', lastError: null, hostKey: second.hostKey });
  });

  it('reports a node that does not come back within start_timeout by name and keeps the others running', async () => {
    const before = await startReady('half-back', { compute: { count: 2 } }, { startTimeout: 12 });
    await pause('half-back');
    // The next instance StartInstances starts never gets its SSH server back.
    fleet.sim.setFaults({ neverSshReady: { count: 1 } });
    const back = await resume('half-back');
    fleet.sim.clearFaults();

    expect(back.status).toBe('degraded');
    const [firstAfter, secondAfter] = nodesOf(back);
    expect(firstAfter.state).toBe('down');
    // Its node job reports it at its last look before the deadline, or (a loaded machine) the
    // coordinator decides at the deadline first: either way it says start_timeout and why.
    expect(firstAfter.lastError).toMatch(/^not back within start_timeout (\(12 s\): .+|\(.+\))$/);
    expect(back.statusReason).toMatch(/not back: compute001: not back within start_timeout/);
    expect(secondAfter).toMatchObject({ state: 'up', preferredIp: nodesOf(before)[1].preferredIp });
    // Nothing was terminated: the node that is not back is the user's to look at.
    expect(fleet.liveInstances('half-back').map((instance) => instance.state)).toEqual(['running', 'running']);
    const coordinator = await fleet.producer.queues.clusterResume.getJob(clusterResumeJobId('half-back', back.generation, 1));
    expect(coordinator?.returnvalue).toMatchObject({ back: ['compute002'], notBack: [{ name: 'compute001' }] });
  });

  it('starts the nodes that have room when one has none (StartInstances is all or nothing), naming the one that did not start', async () => {
    await startReady('crowded', { compute: { count: 2, flavor: 'c5.large' } });
    await pause('crowded');
    // Only one c5.large (this cluster's alone) fits now: a batched StartInstances of both is refused as a whole.
    fleet.sim.setFaults({ capacity: [{ instanceType: 'c5.large', limit: 1 }] });
    const back = await resume('crowded');
    fleet.sim.clearFaults();

    expect(back.status).toBe('degraded');
    const [firstAfter, secondAfter] = nodesOf(back);
    expect(firstAfter.state).toBe('up');
    expect(secondAfter.state).toBe('failed');
    expect(secondAfter.lastError).toMatch(/^StartInstances: InsufficientInstanceCapacity: /);
    expect(fleet.liveInstances('crowded').map((instance) => instance.state)).toEqual(['running', 'stopped']);
  });

  it('stops a paused cluster like any other: every (stopped) instance terminated, the record deleted', async () => {
    await startReady('paused-then-stopped', { compute: { count: 2 } });
    await pause('paused-then-stopped');
    await fleet.producer.stopCluster('paused-then-stopped');
    expect(await fleet.producer.waitForCluster('paused-then-stopped', () => false, { timeoutMs: 60_000 })).toBeNull();
    expect(fleet.liveInstances('paused-then-stopped')).toEqual([]);
  });
});
