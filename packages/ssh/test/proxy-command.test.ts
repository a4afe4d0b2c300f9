import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir, waitFor } from '@elastiq/testing';
import { execOnNode, expandProxyCommand, type ProbeTarget, probeNode } from '../src';
import { LOGIN_USER, type RealSshd, startRealSshd } from './support/real-sshd';

const RELAY = `${process.execPath} ${join(__dirname, 'support', 'tcp-relay.js')}`;

let temp: TempDir;
let clusterKey: SshKeyPair;
let server: RealSshd;
let target: ProbeTarget;

beforeAll(async () => {
  temp = await makeTempDir('ssh-proxy');
  clusterKey = await generateSshKeyPair(temp.path, 'ed25519');
  server = await startRealSshd(join(temp.path, 'node'), clusterKey.publicKey);
  target = { host: server.host, port: server.port, username: LOGIN_USER, privateKeyPath: clusterKey.privateKeyPath, timeoutMs: 5000 };
});

afterAll(async () => {
  await server?.stop();
  await temp?.cleanup();
});

describe('expandProxyCommand', () => {
  it('replaces %h, %p, %r and %% in one pass', () => {
    expect(expandProxyCommand('ssh -W %h:%p -l %r bastion # 100%% %%h', { host: '127.0.1.5', port: 2222, username: 'centos' })).toBe(
      'ssh -W 127.0.1.5:2222 -l centos bastion # 100% %h',
    );
  });

  it('refuses an unknown token, naming ssh_proxy_command', () => {
    expect(() => expandProxyCommand('nc %x %p', { host: 'h', port: 22, username: 'u' })).toThrow(/ssh_proxy_command.*%x/);
  });
});

describe('probeNode with ssh_proxy_command', () => {
  it('reaches the node through the proxy and sees the same host key as a direct probe', async () => {
    const direct = await probeNode(target);

    const proxied = await probeNode({ ...target, proxyCommand: `${RELAY} %h %p` });

    expect(proxied).toMatchObject({ ok: true });
    expect(direct.ok && proxied.ok && proxied.hostKey).toEqual(direct.ok && direct.hostKey);
  });

  it('reports a proxy that cannot reach the node as not up yet, quoting what the proxy said', async () => {
    const closedPort = await freePort();

    const result = await probeNode({ ...target, port: closedPort, proxyCommand: `${RELAY} %h %p` });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    if (!result.ok) expect(result.reason).toMatch(/ssh_proxy_command.*ECONNREFUSED/);
  });

  it('ends the proxy process when the probe is done, so thousands of probes leave nothing behind', async () => {
    const pidFile = join(temp.path, 'proxy.pid');

    const result = await probeNode({ ...target, proxyCommand: `echo $$ > ${pidFile}; exec ${RELAY} %h %p` });

    expect(result.ok).toBe(true);
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !alive(), { timeoutMs: 5000, description: `proxy process ${pid} exits` });
  });

  it('runs commands through the proxy as well', async () => {
    const result = await execOnNode({ ...target, proxyCommand: `${RELAY} %h %p` }, 'echo via-proxy', { timeoutMs: 5000 });

    expect(result).toEqual({ code: 0, stdout: 'via-proxy\n', stderr: '' });
  });

  it('enforces the pinned host key through the proxy too', async () => {
    const result = await probeNode({
      ...target,
      proxyCommand: `${RELAY} %h %p`,
      pinnedHostKey: { type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIOther', fingerprint: 'SHA256:other' },
    });

    expect(result).toMatchObject({ ok: false, kind: 'host-key-mismatch' });
  });
});
