import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import { type KnownHostsEntry, knownHostsLine, probeNode, writeKnownHosts } from '../src';
import { LOGIN_USER, type RealSshd, startRealSshd } from './support/real-sshd';

const execFileAsync = promisify(execFile);

let temp: TempDir;
let clusterKey: SshKeyPair;
let server: RealSshd;

beforeAll(async () => {
  temp = await makeTempDir('ssh-known-hosts');
  clusterKey = await generateSshKeyPair(temp.path, 'ed25519');
  server = await startRealSshd(join(temp.path, 'node'), clusterKey.publicKey);
});

afterAll(async () => {
  await server?.stop();
  await temp?.cleanup();
});

/** The user's `ssh` exactly as `elastiq ssh` runs it: nothing but our known_hosts is trusted. */
function opensshWith(knownHostsPath: string) {
  return execFileAsync(
    'ssh',
    [
      '-F', '/dev/null',
      '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${knownHostsPath}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'ConnectTimeout=5',
      '-i', clusterKey.privateKeyPath,
      '-p', String(server.port),
      `${LOGIN_USER}@${server.host}`,
      'echo connected',
    ],
    { timeout: 10_000 },
  );
}

async function probedEntry(): Promise<KnownHostsEntry> {
  const probe = await probeNode({
    host: server.host,
    port: server.port,
    username: LOGIN_USER,
    privateKeyPath: clusterKey.privateKeyPath,
    timeoutMs: 5000,
  });
  if (!probe.ok) throw new Error(probe.reason);
  return { host: server.host, port: server.port, hostKey: probe.hostKey };
}

describe('writeKnownHosts', () => {
  it('writes a file that OpenSSH ssh accepts with StrictHostKeyChecking=yes', async () => {
    const path = join(temp.path, 'accepted', 'cluster.known_hosts');
    await writeKnownHosts(path, [await probedEntry()]);

    const { stdout } = await opensshWith(path);

    expect(stdout).toBe('connected\n');
  });

  it('is accepted by Ansible with host key checking on', async () => {
    const path = join(temp.path, 'ansible', 'cluster.known_hosts');
    await writeKnownHosts(path, [await probedEntry()]);
    const inventory = join(temp.path, 'ansible', 'inventory');
    await writeFile(
      inventory,
      `node001 ansible_host=${server.host} ansible_port=${server.port} ansible_user=${LOGIN_USER} ` +
        `ansible_ssh_private_key_file=${clusterKey.privateKeyPath}\n`,
    );

    const { stdout } = await execFileAsync('ansible', ['all', '-i', inventory, '-m', 'raw', '-a', 'echo from-ansible'], {
      timeout: 60_000,
      env: {
        ...process.env,
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_SSH_ARGS: `-F /dev/null -o UserKnownHostsFile=${path} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ControlMaster=no`,
        ANSIBLE_LOCAL_TEMP: join(temp.path, 'ansible', 'tmp'),
        ANSIBLE_NOCOLOR: '1',
      },
    });

    expect(stdout).toMatch(/node001 \| CHANGED/);
    expect(stdout).toContain('from-ansible');
  });

  it('is what makes ssh trust the node: without the entry, strict ssh refuses', async () => {
    const path = join(temp.path, 'empty.known_hosts');
    await writeKnownHosts(path, []);

    await expect(opensshWith(path)).rejects.toMatchObject({ stderr: expect.stringContaining('Host key verification failed') });
  });

  it('makes strict ssh refuse a node whose recorded key is a different one', async () => {
    const entry = await probedEntry();
    const otherHostKey = (await generateSshKeyPair(temp.path, 'ed25519')).publicKey.split(' ');
    const path = join(temp.path, 'wrong.known_hosts');
    await writeKnownHosts(path, [{ ...entry, hostKey: { ...entry.hostKey, base64: otherHostKey[1] } }]);

    await expect(opensshWith(path)).rejects.toMatchObject({ stderr: expect.stringContaining('HOST IDENTIFICATION HAS CHANGED') });
  });

  it('writes a bare host for port 22 and [host]:port otherwise, once per distinct entry', async () => {
    const hostKey = { type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIExample', fingerprint: 'SHA256:x' };
    const path = join(temp.path, 'format.known_hosts');

    await writeKnownHosts(path, [
      { host: '127.0.1.1', port: 22, hostKey },
      { host: '127.0.1.2', port: 2222, hostKey },
      { host: '127.0.1.1', port: 22, hostKey },
    ]);

    expect(await readFile(path, 'utf8')).toBe(
      '127.0.1.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n[127.0.1.2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n',
    );
    expect(knownHostsLine({ host: '10.0.0.1', port: 22, hostKey })).toBe('10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample');
  });

  it('replaces the file atomically and leaves no temporary files behind', async () => {
    const dir = join(temp.path, 'atomic');
    const path = join(dir, 'cluster.known_hosts');
    const entry = await probedEntry();

    await Promise.all(Array.from({ length: 20 }, () => writeKnownHosts(path, [entry])));

    expect(await readdir(dir)).toEqual(['cluster.known_hosts']);
    expect(await readFile(path, 'utf8')).toBe(`${knownHostsLine(entry)}\n`);
  });
});
