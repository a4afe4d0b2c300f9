import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execOnNode } from '@elastiq/ssh';
import { FleetHarness } from './fleet-harness';

describe('fleet: a start with an Ansible setup', () => {
  const fleet = new FleetHarness();

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
  });
  afterAll(() => fleet.stop());

  it('runs the playbook on every node with its kind variables, host keys checked, and ends ready', async () => {
    const playbook = join(fleet.scratchDir, 'site.yml');
    await writeFile(
      playbook,
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - name: Leave a mark',
        '      ansible.builtin.copy:',
        '        dest: "~/configured"',
        '        content: "{{ inventory_hostname }} {{ greeting }}\\n"',
        '',
      ].join('\n'),
    );
    // Per kind, as the configuration resolves `global_var_greeting=hello` + `frontend_var_greeting=welcome` and the CLI stores it.
    const setup = { name: 'e2e', provider: 'ansible', playbook_path: playbook, vars: { frontend: { greeting: 'welcome' }, compute: { greeting: 'hello' } } };
    const cluster = fleet.clusterDict('configured', { frontend: { count: 1 }, compute: { count: 2 } }, { setup });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: true });

    const done = await fleet.producer.waitForCluster('configured', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 150_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    const nodes = Object.values(done!.nodes).flat();
    expect(nodes.map((node) => node.setupStatus)).toEqual(['ok', 'ok', 'ok']);
    for (const node of nodes) {
      const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
      const result = await execOnNode(target, 'cat ~/configured', { timeoutMs: 10_000 });
      expect(result.stdout).toBe(`${node.name} ${node.kind === 'frontend' ? 'welcome' : 'hello'}\n`);
    }
  });

  it('gives the playbook ElastiCluster\'s variables: the demo playbook writes a hosts file that names the cluster and every node', async () => {
    const setup = { name: 'demo', provider: 'ansible', playbook_path: join(__dirname, '..', '..', 'examples', 'playbooks', 'site.yml') };
    const cluster = fleet.clusterDict('named', { frontend: { count: 1 }, compute: { count: 1 } }, { setup });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: true });

    const done = await fleet.producer.waitForCluster('named', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 150_000 });
    expect({ status: done?.status, reason: done?.statusReason }).toMatchObject({ status: 'ready' });
    const nodes = Object.values(done!.nodes).flat();
    const frontend = nodes.find((node) => node.kind === 'frontend')!;
    const target = { host: frontend.preferredIp!, port: frontend.sshPort, username: frontend.imageUser, privateKeyPath: frontend.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: frontend.hostKey };
    const hosts = await execOnNode(target, 'cat ~/elastiq/hosts', { timeoutMs: 10_000 });
    expect(hosts.stdout.split('\n')[0]).toBe("# written by elastiq's demo playbook for cluster named");
    for (const node of nodes) expect(hosts.stdout).toContain(`${node.preferredIp}\t${node.name}`);
    expect((await execOnNode(target, 'cat ~/elastiq/frontend-marker', { timeoutMs: 10_000 })).stdout).toBe('frontend of named\n');
  });

  it('marks the cluster setup-failed with the reason when the setup cannot even run (missing playbook)', async () => {
    const setup = { name: 'broken', provider: 'ansible', playbook_path: join(fleet.scratchDir, 'no-such-playbook.yml') };
    const cluster = fleet.clusterDict('unconfigurable', { compute: { count: 1 } }, { setup });
    await fleet.producer.startCluster({ cluster, cloud: fleet.cloud, runSetup: true });

    const done = await fleet.producer.waitForCluster('unconfigurable', (c) => !['starting', 'setting-up'].includes(c.status), { timeoutMs: 60_000 });
    expect(done?.status).toBe('setup-failed');
    expect(done?.statusReason).toMatch(/setup could not run: .*no-such-playbook\.yml/);
    // The nodes are up and kept: the user fixes the playbook and runs `elastiq setup` again.
    expect(fleet.liveInstances('unconfigurable')).toHaveLength(1);
  });
});
