import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execOnNode } from '@elastiq/ssh';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// `elastiq start` and `elastiq setup` as a user runs them (the built CLI as a child process)
// against a real fleet: setup progress per node while it runs, per-node reasons at the end, and
// `elastiq setup NAME -- ARGS` reaching ansible-playbook.

describe('elastiq start / setup: the setup step on the command line', () => {
  const fleet = new FleetHarness();
  let configPath: string;

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 150_000 }, args);
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    const script = join(fleet.scratchDir, 'setup.sh');
    // The failing node takes a while on each of its 3 attempts: long enough to be seen in progress.
    await writeFile(script, 'if [ "$ELASTIQ_NODE" = compute002 ]; then sleep 1; echo "no scratch disk" >&2; exit 3; fi\necho done > ~/scripted\n');
    const playbook = join(fleet.scratchDir, 'label.yml');
    await writeFile(
      playbook,
      ['- hosts: all', '  gather_facts: false', '  tasks:', '    - ansible.builtin.copy: { dest: "~/label", content: "{{ run_label | default(\'none\') }}\\n" }', ''].join('\n'),
    );
    configPath = join(fleet.scratchDir, 'config');
    const login = ['image_user=elastiq', 'image_sudo=no', `user_key_name=elastiq-${fleet.prefix}`, `user_key_private=${fleet.keys.privateKeyPath}`, `user_key_public=${fleet.keys.publicKeyPath}`];
    const cluster = (setup: string, nodes: string) => ['cloud=sim', 'login=e2e', `setup=${setup}`, 'image_id=ami-sim', 'flavor=t3.micro', nodes, 'start_timeout=60'];
    await writeFile(
      configPath,
      [
        '[cloud/sim]',
        'provider=ec2_boto',
        `ec2_url=${fleet.sim.endpoint}`,
        `ec2_region=${fleet.sim.region}`,
        '[login/e2e]',
        ...login,
        '[setup/scripted]',
        'provider=script',
        `script_path=${script}`,
        'compute_groups=compute',
        '[setup/played]',
        `playbook_path=${playbook}`,
        'compute_groups=compute',
        '[cluster/scripted]',
        ...cluster('scripted', 'compute_nodes=3'),
        '[cluster/played]',
        ...cluster('played', 'compute_nodes=2'),
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fleet.stop());

  it('start shows the setup progress node by node, then exits 1 naming the node that failed and why', async () => {
    const result = await elastiq('start', 'scripted');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('configuring the cluster: running setup (script): 2/3 nodes ok');
    expect(result.stderr).toContain('error: cluster `scripted` is running but its setup failed: setup did not succeed on: compute002');
    const row = result.stdout.split('\n').find((line) => line.startsWith('compute002'));
    expect(row).toMatch(/up, setup failed .* setup failed after 3 attempts: script exited with code 3$/);
    expect(fleet.liveInstances('scripted')).toHaveLength(3);
  });

  it('setup NAME -- ARGS runs the playbook again with those arguments, and exits 0 when every node is configured', async () => {
    expect((await elastiq('start', 'played', '--no-setup')).code).toBe(0);

    const result = await elastiq('setup', 'played', '--', '-e', 'run_label=from-the-cli');

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('Your cluster `played` is ready!') });
    expect(result.stderr).toContain('Configuring cluster `played` ...');
    const cluster = (await fleet.repository.get('played'))!.value;
    for (const node of cluster.nodes.compute!) {
      const target = { host: node.preferredIp!, port: node.sshPort, username: node.imageUser, privateKeyPath: node.userKeyPrivate, timeoutMs: 10_000, pinnedHostKey: node.hostKey };
      expect((await execOnNode(target, 'cat ~/label', { timeoutMs: 10_000 })).stdout).toBe('from-the-cli\n');
    }
  });

  it('setup of a cluster that does not exist says so, without a stack trace', async () => {
    const result = await elastiq('setup', 'nowhere');

    expect(result.code).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: .*nowhere/)]);
  });
});
