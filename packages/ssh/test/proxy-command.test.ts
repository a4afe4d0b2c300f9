import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from '@elastiq/testing';
import { execOnNode, expandProxyCommand, probeNode } from '../src';
import { useSshdNode } from './support/sshd-node';

const RELAY = `${process.execPath} ${join(__dirname, 'support', 'tcp-relay.js')}`;

const node = useSshdNode('ssh-proxy');

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
    const direct = await probeNode(node.target);

    const proxied = await probeNode({ ...node.target, proxyCommand: `${RELAY} %h %p` });

    expect(proxied).toMatchObject({ ok: true });
    expect(direct.ok && proxied.ok && proxied.hostKey).toEqual(direct.ok && direct.hostKey);
  });

  it('reports a proxy that cannot reach the node as not up yet, quoting what the proxy said', async () => {
    const closedPort = await freePort();

    const result = await probeNode({ ...node.target, port: closedPort, proxyCommand: `${RELAY} %h %p` });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    if (!result.ok) expect(result.reason).toMatch(/ssh_proxy_command.*ECONNREFUSED/);
  });

  it('ends the proxy process when the probe is done, so thousands of probes leave nothing behind', async () => {
    const pidFile = join(node.temp.path, 'proxy.pid');

    const result = await probeNode({ ...node.target, proxyCommand: `echo $$ > ${pidFile}; exec ${RELAY} %h %p` });

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
    const result = await execOnNode({ ...node.target, proxyCommand: `${RELAY} %h %p` }, 'echo via-proxy', { timeoutMs: 5000 });

    expect(result).toEqual({ code: 0, stdout: 'via-proxy\n', stderr: '' });
  });

  it('enforces the pinned host key through the proxy too', async () => {
    const result = await probeNode({
      ...node.target,
      proxyCommand: `${RELAY} %h %p`,
      pinnedHostKey: { type: 'ssh-ed25519', base64: 'AAAAC3NzaC1lZDI1NTE5AAAAIOther', fingerprint: 'SHA256:other' },
    });

    expect(result).toMatchObject({ ok: false, kind: 'host-key-mismatch' });
  });
});
