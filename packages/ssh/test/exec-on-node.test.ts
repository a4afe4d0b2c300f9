import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@elastiq/testing';
import { execOnNode, probeNode, SshConnectionError } from '../src';
import { LOGIN_USER, startRealSshd } from './support/real-sshd';
import { useSshdNode } from './support/sshd-node';

const node = useSshdNode('ssh-exec');

describe('execOnNode', () => {
  it('runs a command as the image user and returns exit code, stdout and stderr', async () => {
    const result = await execOnNode(node.target, 'id -un; echo oops >&2; exit 3', { timeoutMs: 5000 });

    expect(result).toEqual({ code: 3, stdout: `${LOGIN_USER}\n`, stderr: 'oops\n' });
  });

  it('reports code null when the command is killed by a signal', async () => {
    const result = await execOnNode(node.target, 'echo before; kill -KILL $$', { timeoutMs: 5000 });

    expect(result).toEqual({ code: null, stdout: 'before\n', stderr: '' });
  });

  it('keeps at most maxOutputBytes of output per stream', async () => {
    const result = await execOnNode(node.target, 'yes | head -c 100000', { timeoutMs: 5000, maxOutputBytes: 1000 });

    expect(result.code).toBe(0);
    expect(result.stdout).toHaveLength(1000);
  });

  it('rejects with a timeout when the command outlives timeoutMs', async () => {
    await expect(execOnNode(node.target, 'sleep 5', { timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('refuses to run anything on a node whose host key is not the pinned one', async () => {
    const impostorDir = await makeTempDir('ssh-exec-impostor');
    const impostor = await startRealSshd(join(impostorDir.path, 'node'), node.clusterKey.publicKey);
    const pinned = await probeNode(node.target);
    if (!pinned.ok) throw new Error(pinned.reason);
    const marker = join('/tmp', `elastiq-exec-marker-${process.pid}-${Date.now()}`);
    try {
      const attempt = execOnNode(
        { ...node.target, port: impostor.port, pinnedHostKey: pinned.hostKey, nodeName: 'frontend001' },
        `touch ${marker}`,
        { timeoutMs: 5000 },
      );

      await expect(attempt).rejects.toBeInstanceOf(SshConnectionError);
      await expect(attempt).rejects.toMatchObject({ kind: 'host-key-mismatch', message: expect.stringContaining('frontend001') });
      await expect(access(marker)).rejects.toThrow();
    } finally {
      await impostor.stop();
      await impostorDir.cleanup();
    }
  });
});
