import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import pino from 'pino';
import { createRuntime, type InstanceRuntime, type SshEndpoint, type SshEndpointSpec } from '../src/runtime';

const execFileAsync = promisify(execFile);
const IMAGE_USER = 'elastiq-sim';

let root: TempDir;
let runtime: InstanceRuntime;

beforeAll(async () => {
  root = await makeTempDir('runtime-ansible');
  runtime = createRuntime({ mode: 'sshd', rootDir: root.path, logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await runtime.shutdown();
  await root.cleanup();
});

function knownHostsLine(endpoint: SshEndpoint): string {
  const host = endpoint.port === 22 ? endpoint.address : `[${endpoint.address}]:${endpoint.port}`;
  return `${host} ${endpoint.hostPublicKey}`;
}

describe('sshd runtime with Ansible', () => {
  it('is configured by ansible-playbook over SSH with strict host key checking, on two instances', async () => {
    const key = await generateSshKeyPair(root.path);
    const specs: SshEndpointSpec[] = ['i-ansible-a', 'i-ansible-b'].map((instanceId, index) => ({
      instanceId,
      address: `127.0.11.${index + 1}`,
      port: process.getuid?.() === 0 ? 22 : 0,
      username: IMAGE_USER,
      authorizedKeys: key.publicKey,
      stateDir: join(root.path, 'state', instanceId),
      homeDir: join(root.path, 'home', instanceId),
    }));
    const endpoints = await Promise.all(specs.map((spec) => runtime.start(spec)));

    const knownHosts = join(root.path, 'known_hosts');
    await writeFile(knownHosts, `${endpoints.map(knownHostsLine).join('\n')}\n`);
    const inventory = join(root.path, 'inventory.ini');
    await writeFile(
      inventory,
      [
        '[nodes]',
        ...endpoints.map(
          (endpoint, index) =>
            `${specs[index].instanceId} ansible_host=${endpoint.address} ansible_port=${endpoint.port} ansible_user=${IMAGE_USER} ansible_python_interpreter=/usr/bin/python3`,
        ),
        '',
      ].join('\n'),
    );
    const playbook = join(root.path, 'playbook.yml');
    // copy transfers a file (sftp), so this one task exercises exec, transfer and the per-instance ~.
    await writeFile(
      playbook,
      [
        '- hosts: nodes',
        '  gather_facts: false',
        '  tasks:',
        '    - ansible.builtin.copy:',
        '        content: "configured {{ inventory_hostname }}\\n"',
        '        dest: "~/configured"',
        '',
      ].join('\n'),
    );

    const { stdout } = await execFileAsync(
      'ansible-playbook',
      ['-i', inventory, '--private-key', key.privateKeyPath, playbook],
      {
        timeout: 90_000,
        env: {
          PATH: process.env.PATH,
          HOME: root.path,
          ANSIBLE_HOME: join(root.path, 'ansible-home'),
          ANSIBLE_LOCAL_TEMP: join(root.path, 'ansible-tmp'),
          ANSIBLE_PIPELINING: 'True',
          ANSIBLE_HOST_KEY_CHECKING: 'True',
          ANSIBLE_NOCOLOR: '1',
          // A short ControlPersist: the ssh masters must not outlive the test by a minute.
          ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=2s -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes`,
          ANSIBLE_SSH_CONTROL_PATH_DIR: join(root.path, 'cp'),
        },
      },
    );

    for (const spec of specs) {
      expect(stdout).toMatch(new RegExp(`${spec.instanceId}\\s*: ok=1\\s+changed=1\\s+unreachable=0\\s+failed=0`));
      expect(await readFile(join(spec.homeDir, 'configured'), 'utf8')).toBe(`configured ${spec.instanceId}\n`);
    }
  }, 120_000);
});
