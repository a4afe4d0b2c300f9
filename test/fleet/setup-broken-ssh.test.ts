import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execOnNode } from '@elastiq/ssh';
import { FleetHarness } from './fleet-harness';

// A node whose SSH breaks after the start: the setup retries it, then gives up on it alone. The
// cluster is `setup-failed` with that node's reason, every other node is configured, and no
// instance is rolled back (a setup failure is the user's to fix, then `elastiq setup` again).

describe('fleet: a setup with one node whose SSH broke after the start', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('fails that node after its retries, configures the others, and keeps every instance running', async () => {
    const playbook = join(fleet.scratchDir, 'mark.yml');
    await writeFile(playbook, ['- hosts: all', '  gather_facts: false', '  tasks:', '    - ansible.builtin.copy: { dest: "~/configured", content: "yes\\n" }', ''].join('\n'));
    const setup = { name: 'mark', provider: 'ansible', playbook_path: playbook };
    await fleet.producer.startCluster({ cluster: fleet.clusterDict('brittle', { compute: { count: 3 } }, { setup }), cloud: fleet.cloud, runSetup: false });
    const started = await fleet.producer.waitForCluster('brittle', (c) => c.status !== 'starting', { timeoutMs: 60_000 });
    expect(started?.status).toBe('ready');

    // The instance stays `running` for the cloud; only its sshd is gone (connection refused).
    const broken = started!.nodes.compute![1]!;
    fleet.sim.killInstance(broken.instanceId!);
    await fleet.producer.setupCluster('brittle');
    const done = await fleet.producer.waitForCluster('brittle', (c) => c.status !== 'setting-up', { timeoutMs: 150_000 });

    expect(done?.status).toBe('setup-failed');
    expect(done?.statusReason).toBe('setup did not succeed on: compute002');
    const nodes = done!.nodes.compute!;
    expect(nodes.map((node) => [node.name, node.setupStatus])).toEqual([
      ['compute001', 'ok'],
      ['compute002', 'unreachable'],
      ['compute003', 'ok'],
    ]);
    // Ansible's default of 2 retries: three attempts, and why the last one failed.
    expect(nodes[1]!.lastError).toMatch(/^setup unreachable after 3 attempts: .*(refused|Connection)/);
    for (const node of [nodes[0]!, nodes[2]!]) {
      const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
      expect((await execOnNode(target, 'cat ~/configured', { timeoutMs: 10_000 })).stdout).toBe('yes\n');
    }
    expect(fleet.liveInstances('brittle').map((instance) => instance.state)).toEqual(['running', 'running', 'running']);
  });
});
