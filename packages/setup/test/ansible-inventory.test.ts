import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@elastiq/testing';
import { buildInventory } from '../src/ansible-inventory';
import type { SetupNode } from '../src/contracts';

const execFileAsync = promisify(execFile);

function node(name: string, kind: string, overrides: Partial<SetupNode> = {}): SetupNode {
  return { name, kind, host: '127.0.1.1', port: 22, imageUser: 'elastiq', vars: {}, ...overrides };
}

describe('buildInventory', () => {
  it('writes one block per group in order of first use, each after a blank line, and a line per node and group', () => {
    const inventory = buildInventory({
      nodes: [
        node('frontend001', 'frontend', { host: '127.0.1.1' }),
        node('compute001', 'compute', { host: '127.0.1.2' }),
        node('compute002', 'compute', { host: '127.0.1.3' }),
      ],
      groups: { frontend: ['slurm_master', 'nfs-server'], compute: ['slurm_worker', 'nfs-server'] },
      ansibleOptions: {},
    });
    expect(inventory.text).toBe(
      [
        '',
        '[slurm_master]',
        'frontend001 ansible_host=127.0.1.1 ansible_user=elastiq',
        '',
        '[nfs-server]',
        'frontend001 ansible_host=127.0.1.1 ansible_user=elastiq',
        'compute001 ansible_host=127.0.1.2 ansible_user=elastiq',
        'compute002 ansible_host=127.0.1.3 ansible_user=elastiq',
        '',
        '[slurm_worker]',
        'compute001 ansible_host=127.0.1.2 ansible_user=elastiq',
        'compute002 ansible_host=127.0.1.3 ansible_user=elastiq',
        '',
      ].join('\n'),
    );
    expect(inventory.hosts).toEqual(['frontend001', 'compute001', 'compute002']);
  });

  it('adds ansible_port only when it is not 22, then the ansible_* options, then the node variables', () => {
    const inventory = buildInventory({
      nodes: [node('frontend001', 'frontend', { port: 2222, vars: { x: "it's", n: 3 } })],
      groups: { frontend: ['all_nodes'] },
      ansibleOptions: { ansible_python_interpreter: '/usr/bin/python3' },
    });
    expect(inventory.text.split('\n')[2]).toBe(
      `frontend001 ansible_host=127.0.1.1 ansible_user=elastiq ansible_port=2222 ansible_python_interpreter='/usr/bin/python3' x="it's" n='3'`,
    );
  });

  it('leaves out nodes without an address (failed) and nodes whose kind has no groups (skipped)', () => {
    const inventory = buildInventory({
      nodes: [node('frontend001', 'frontend', { host: '' }), node('login001', 'login')],
      groups: { frontend: ['master'] },
      ansibleOptions: {},
    });
    expect(inventory.hosts).toEqual([]);
    expect(inventory.text).toBe('');
    expect(inventory.leftOut).toEqual({
      frontend001: { status: 'failed', reason: 'node has no IP address' },
      login001: { status: 'skipped', reason: 'kind `login` has no Ansible groups' },
    });
  });

  it('is read back by the real Ansible with every value intact', async () => {
    const dir = await makeTempDir('setup-inventory');
    try {
      const inventory = buildInventory({
        nodes: [
          node('frontend001', 'frontend', {
            port: 2200,
            vars: { motd: 'hello "world" # not a comment', quote: "it's", ips: ['127.0.1.1'], count: 2, flags: { a: true } },
          }),
        ],
        groups: { frontend: ['frontend'] },
        ansibleOptions: { ansible_ssh_common_args: '-o ConnectTimeout=5' },
      });
      const path = join(dir.path, 'test.inventory');
      await writeFile(path, inventory.text);
      const { stdout } = await execFileAsync('ansible-inventory', ['-i', path, '--list'], {
        env: { PATH: '/usr/bin:/bin', HOME: dir.path, ANSIBLE_LOCAL_TEMP: dir.path },
      });
      const hostVars = JSON.parse(stdout)._meta.hostvars.frontend001;
      expect(hostVars).toEqual({
        ansible_host: '127.0.1.1',
        ansible_user: 'elastiq',
        ansible_port: 2200,
        ansible_ssh_common_args: '-o ConnectTimeout=5',
        motd: 'hello "world" # not a comment',
        quote: "it's",
        ips: ['127.0.1.1'],
        count: 2,
        flags: { a: true },
      });
    } finally {
      await dir.cleanup();
    }
  });
});
