import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterDict, NodeDict } from '@elastiq/core';
import { clusterSetupJobId } from '@elastiq/queue';
import { execOnNode } from '@elastiq/ssh';
import { FleetHarness } from './fleet-harness';

// The setup issue's first "done means": kinds mapped to different Ansible groups get exactly
// their groups' plays, and `elastiq setup NAME -- ARGS` re-runs the setup idempotently.

const PLAYBOOK = [
  '- hosts: head',
  '  gather_facts: false',
  '  tasks:',
  '    - ansible.builtin.copy: { dest: "~/head-play", content: "{{ inventory_hostname }}\\n" }',
  '- hosts: workers',
  '  gather_facts: false',
  '  tasks:',
  '    - ansible.builtin.copy: { dest: "~/worker-play", content: "{{ inventory_hostname }} {{ run_label | default(\'first run\') }}\\n" }',
  '',
].join('\n');

async function onNode(node: NodeDict, command: string): Promise<string> {
  const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
  return (await execOnNode(target, command, { timeoutMs: 10_000 })).stdout;
}

/** Which of the plays' marks exist in the node's home. */
function marksOn(node: NodeDict): Promise<string> {
  return onNode(node, 'for mark in head-play worker-play; do test -e ~/$mark && echo $mark; done; true');
}

describe('fleet: an Ansible setup with kinds in different groups', () => {
  const fleet = new FleetHarness();
  let cluster: ClusterDict;

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  const settle = () => fleet.producer.waitForCluster('grouped', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 150_000 });

  it('runs each play on exactly the nodes of its group, and the cluster is ready', async () => {
    const playbook = join(fleet.scratchDir, 'groups.yml');
    await writeFile(playbook, PLAYBOOK);
    const setup = { name: 'groups', provider: 'ansible', playbook_path: playbook };
    const template = fleet.clusterDict('grouped', { frontend: { count: 1 }, compute: { count: 2 } }, { setup });
    // As the CLI records `frontend_groups=head` and `compute_groups=workers`.
    for (const node of template.nodes.frontend ?? []) node.extra = { groups: ['head'] };
    for (const node of template.nodes.compute ?? []) node.extra = { groups: ['workers'] };
    await fleet.producer.startCluster({ cluster: template, cloud: fleet.cloud, runSetup: true });

    cluster = (await settle())!;
    expect({ status: cluster.status, reason: cluster.statusReason }).toMatchObject({ status: 'ready' });
    const nodes = Object.values(cluster.nodes).flat();
    expect(nodes.map((node) => [node.name, node.setupStatus])).toEqual([
      ['frontend001', 'ok'],
      ['compute001', 'ok'],
      ['compute002', 'ok'],
    ]);
    for (const node of nodes) expect([node.name, await marksOn(node)]).toEqual([node.name, node.kind === 'frontend' ? 'head-play\n' : 'worker-play\n']);
  });

  it('records per-node counts in the setup job, which is what `elastiq start` shows while it runs', async () => {
    const job = await fleet.producer.queues.clusterSetup.getJob(clusterSetupJobId('grouped', cluster.generation));
    expect(job?.progress).toMatchObject({ step: 'running setup', provider: 'ansible', nodes: { total: 3, ok: 3, failed: 0, skipped: 0 } });
    expect(job?.returnvalue).toMatchObject({ status: 'ready', nodes: { compute001: { ok: true, status: 'ok', attempts: 1 } } });
  });

  it('re-runs on a ready cluster with extra ansible-playbook arguments for that run only, and again without: ready both times', async () => {
    await fleet.producer.setupCluster('grouped', { extraArgs: ['-e', 'run_label=second-run'] });
    const second = (await settle())!;
    expect({ status: second.status, setup: Object.values(second.nodes).flat().map((node) => node.setupStatus) }).toEqual({ status: 'ready', setup: ['ok', 'ok', 'ok'] });
    const compute = second.nodes.compute!;
    expect(await onNode(compute[0]!, 'cat ~/worker-play')).toBe('compute001 second-run\n');

    await fleet.producer.setupCluster('grouped');
    const third = (await settle())!;
    expect({ status: third.status, setup: Object.values(third.nodes).flat().map((node) => node.setupStatus) }).toEqual({ status: 'ready', setup: ['ok', 'ok', 'ok'] });
    expect(await onNode(compute[1]!, 'cat ~/worker-play')).toBe('compute002 first run\n');
    expect(await marksOn(third.nodes.frontend![0]!)).toBe('head-play\n');
    expect(fleet.liveInstances('grouped')).toHaveLength(3);
  });

  it('refuses extra arguments that are not words before touching the cluster', async () => {
    await expect(fleet.producer.setupCluster('grouped', { extraArgs: ['-v', ''] })).rejects.toThrow('argument 2: must not be an empty argument');
    expect((await fleet.repository.get('grouped'))?.value.status).toBe('ready');
  });
});
