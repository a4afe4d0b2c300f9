import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createAnsibleProvider, type NodeSetupResult } from '../src';
import { ansibleTestEnv, type SimCluster, startSimCluster } from './support/sim-cluster';

const execFileAsync = promisify(execFile);
const DEMO_PLAYBOOK = resolve(__dirname, '../../../examples/playbooks/site.yml');
const GROUPS = { frontend: ['frontend'], compute: ['compute'] };
const MEMBERS = [
  { name: 'frontend001', kind: 'frontend' },
  { name: 'compute001', kind: 'compute' },
  { name: 'compute002', kind: 'compute' },
];

function recorder() {
  const lines: string[] = [];
  const finished: Array<[string, NodeSetupResult]> = [];
  return {
    lines,
    finished,
    onLog: (line: string) => lines.push(line),
    onNodeResult: (node: string, result: NodeSetupResult) => finished.push([node, result]),
  };
}

describe('Ansible setup provider on real sshd instances', () => {
  let cluster: SimCluster | undefined;

  afterEach(async () => {
    await cluster?.shutdown();
    cluster = undefined;
  });

  it("runs the demo playbook: every node gets the hosts file, each play runs only on the groups its kind maps to", async () => {
    cluster = await startSimCluster('demo', 41, MEMBERS);
    const provider = createAnsibleProvider({ playbookPath: DEMO_PLAYBOOK, env: ansibleTestEnv(cluster.root.path) });
    await provider.checkPrerequisites();
    const log = recorder();

    const outcome = await provider.run(await cluster.context({ groups: GROUPS }), log);

    expect(outcome).toEqual({
      ok: true,
      nodes: {
        frontend001: { ok: true, status: 'ok', attempts: 1 },
        compute001: { ok: true, status: 'ok', attempts: 1 },
        compute002: { ok: true, status: 'ok', attempts: 1 },
      },
    });
    expect(log.finished.map(([node]) => node).sort()).toEqual(['compute001', 'compute002', 'frontend001']);
    expect(log.lines).toContain('TASK [Write the frontend marker]');
    expect(log.lines).toContain('PLAY RECAP');

    const hostsFile = ['# written by elastiq\'s demo playbook for cluster demo', '127.0.41.2\tcompute001', '127.0.41.3\tcompute002', '127.0.41.1\tfrontend001', ''].join('\n');
    for (const node of ['frontend001', 'compute001', 'compute002']) {
      expect(await cluster.readOnNode(node, '~/elastiq/hosts')).toBe(hostsFile);
    }
    expect(await cluster.readOnNode('frontend001', '~/elastiq/groups')).toBe('frontend\n');
    expect(await cluster.readOnNode('compute001', '~/elastiq/groups')).toBe('compute\n');
    expect(await cluster.readOnNode('frontend001', '~/elastiq/frontend-marker')).toBe('frontend of demo\n');
    expect(await cluster.readOnNode('compute001', '~/elastiq/frontend-marker')).toBeUndefined();
    expect(await cluster.readOnNode('compute002', '~/elastiq/frontend-marker')).toBeUndefined();
  }, 120_000);

  it('runs a node whose SSH broke again alone, reports it unreachable after its retries, and configures every other node', async () => {
    cluster = await startSimCluster('broken', 42, MEMBERS);
    await cluster.stopNode('compute002');
    const provider = createAnsibleProvider({ playbookPath: DEMO_PLAYBOOK, retries: 2, env: ansibleTestEnv(cluster.root.path) });
    const log = recorder();

    const outcome = await provider.run(await cluster.context({ groups: GROUPS }), log);

    expect(outcome.ok).toBe(false);
    expect(outcome.nodes.frontend001).toEqual({ ok: true, status: 'ok', attempts: 1 });
    expect(outcome.nodes.compute001).toEqual({ ok: true, status: 'ok', attempts: 1 });
    expect(outcome.nodes.compute002).toMatchObject({ ok: false, status: 'unreachable', attempts: 3 });
    expect(outcome.nodes.compute002?.reason).toMatch(/Connection refused/);
    expect(log.lines).toContain('elastiq: attempt 2 of 3: running ansible-playbook again on compute002');
    expect(log.lines).toContain('elastiq: attempt 3 of 3: running ansible-playbook again on compute002');
    // The retries ran on compute002 alone: the recap of the last run names no other host.
    const lastRecap = log.lines.lastIndexOf('PLAY RECAP');
    expect(log.lines.slice(lastRecap + 1).filter((line) => / : ok=/.test(line))).toEqual([
      expect.stringMatching(/^compute002 : ok=0 .*unreachable=1/),
    ]);
    expect(await cluster.readOnNode('compute001', '~/elastiq/groups')).toBe('compute\n');
    expect(await cluster.readOnNode('frontend001', '~/elastiq/frontend-marker')).toBe('frontend of broken\n');
  }, 120_000);

  it('reports a task failing on one host as failed while the other hosts finish the playbook', async () => {
    cluster = await startSimCluster('taskfail', 43, MEMBERS);
    const playbook = join(cluster.root.path, 'fails-on-compute001.yml');
    await writeFile(
      playbook,
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - name: Refuse compute001',
        '      ansible.builtin.fail:',
        '        msg: compute001 is not welcome',
        "      when: inventory_hostname == 'compute001'",
        '    - name: Mark the node done',
        '      ansible.builtin.copy:',
        '        dest: "~/done"',
        '        content: "{{ inventory_hostname }} {{ greeting }}\\n"',
        '',
      ].join('\n'),
    );
    const provider = createAnsibleProvider({ playbookPath: playbook, retries: 0, env: ansibleTestEnv(cluster.root.path) });
    const nodes = cluster.nodes.map((node) => ({ ...node, vars: { greeting: `hello ${node.kind}` } }));

    const outcome = await provider.run(await cluster.context({ groups: GROUPS, nodes }));

    expect(outcome.nodes.compute001).toEqual({
      ok: false,
      status: 'failed',
      reason: 'Refuse compute001: compute001 is not welcome',
      attempts: 1,
    });
    expect(outcome.nodes.frontend001).toEqual({ ok: true, status: 'ok', attempts: 1 });
    expect(await cluster.readOnNode('compute002', '~/done')).toBe('compute002 hello compute\n');
    expect(await cluster.readOnNode('frontend001', '~/done')).toBe('frontend001 hello frontend\n');
    expect(await cluster.readOnNode('compute001', '~/done')).toBeUndefined();
  }, 120_000);

  it('reaches every node through ssh_proxy_command (the frontend as a bastion), host keys still checked', async () => {
    cluster = await startSimCluster('proxied', 47, MEMBERS);
    const frontend = cluster.nodes[0];
    const proxyLog = join(cluster.root.path, 'proxy.log');
    // ElastiCluster's use: ssh -W through the frontend; the proxy notes each hop so the spec can see it was used.
    const jump =
      `ssh -i ${cluster.privateKeyPath} -o BatchMode=yes -o UserKnownHostsFile=${cluster.knownHostsPath} ` +
      `-o StrictHostKeyChecking=yes -W %h:%p elastiq@${frontend?.host}`;
    const sshProxyCommand = `sh -c 'echo %h >> ${proxyLog} && exec ${jump}'`;
    const provider = createAnsibleProvider({ playbookPath: DEMO_PLAYBOOK, retries: 0, env: ansibleTestEnv(cluster.root.path) });

    const outcome = await provider.run(await cluster.context({ groups: GROUPS, sshProxyCommand }));

    expect(outcome.ok).toBe(true);
    const hops = (await readFile(proxyLog, 'utf8')).trim().split('\n');
    expect(new Set(hops)).toEqual(new Set(['127.0.47.1', '127.0.47.2', '127.0.47.3']));
    expect(await cluster.readOnNode('compute002', '~/elastiq/groups')).toBe('compute\n');
  }, 120_000);

  it('stops ansible-playbook and every ssh it started when the run is aborted, and reports the hosts failed', async () => {
    cluster = await startSimCluster('aborted', 46, MEMBERS.slice(0, 2));
    const playbook = join(cluster.root.path, 'slow.yml');
    await writeFile(playbook, '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Take long\n      ansible.builtin.command: sleep 120\n');
    const provider = createAnsibleProvider({ playbookPath: playbook, env: ansibleTestEnv(cluster.root.path) });
    const abort = new AbortController();

    const outcome = await provider.run(await cluster.context({ groups: GROUPS }), {
      signal: abort.signal,
      onLog: (line) => {
        if (line === 'TASK [Take long]') setTimeout(() => abort.abort(), 500);
      },
    });

    expect(outcome.ok).toBe(false);
    for (const node of ['frontend001', 'compute001']) {
      expect(outcome.nodes[node]).toMatchObject({ ok: false, status: 'failed', attempts: 1 });
      expect(outcome.nodes[node]?.reason).toMatch(/^ansible-playbook (was killed by SIGTERM|exited with code \d+) before its recap/);
    }
    expect(await processesMentioning(cluster.root.path)).toEqual([]);
  }, 120_000);
});

/** Processes whose command line mentions the test's temp dir (ansible-playbook, its ssh): none may outlive a run. */
async function processesMentioning(text: string): Promise<string[]> {
  const { stdout } = await execFileAsync('ps', ['-eo', 'pid=,stat=,args=']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(text) && !/^\s*\d+\s+Z/.test(line) && !line.includes('sshd'));
}
