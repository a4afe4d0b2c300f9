import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { freePort, generateSshKeyPair, isProcessAlive, makeTempDir, spawnTracked, trackedPids, waitFor } from '../src';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

const execFileAsync = promisify(execFile);

describe('freePort', () => {
  it('returns a loopback port that can be bound right away', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });
});

describe('makeTempDir', () => {
  it('creates a fresh directory that cleanup() removes', async () => {
    const first = await makeTempDir('spec dir/with:odd chars');
    const second = await makeTempDir('spec dir/with:odd chars');
    expect(first.path).not.toBe(second.path);
    expect(first.path).toMatch(/elastiq-spec-dir-with-odd-chars-/);
    expect((await stat(first.path)).isDirectory()).toBe(true);
    await first.cleanup();
    await second.cleanup();
    await second.cleanup(); // idempotent
    expect(existsSync(first.path)).toBe(false);
    expect(existsSync(second.path)).toBe(false);
  });
});

describe('generateSshKeyPair', () => {
  it.each(['ed25519', 'rsa'] as const)('writes a passphrase-less %s pair whose public key matches the private key', async (type) => {
    const dir = await makeTempDir('keys');
    try {
      const pair = await generateSshKeyPair(dir.path, type);
      expect(pair.publicKey).toMatch(type === 'rsa' ? /^ssh-rsa AAAA/ : /^ssh-ed25519 AAAA/);
      expect(pair.publicKeyPath).toBe(`${pair.privateKeyPath}.pub`);
      expect((await stat(pair.privateKeyPath)).mode & 0o077).toBe(0); // ssh refuses group/world-readable keys
      // -y derives the public key from the private one; it fails if a passphrase were set.
      const { stdout } = await execFileAsync('ssh-keygen', ['-y', '-P', '', '-f', pair.privateKeyPath]);
      expect(pair.publicKey.startsWith(stdout.trim())).toBe(true);
    } finally {
      await dir.cleanup();
    }
  });

  it('never overwrites an existing pair in the same directory', async () => {
    const dir = await makeTempDir('keys');
    try {
      const first = await generateSshKeyPair(dir.path);
      const second = await generateSshKeyPair(dir.path);
      expect(second.privateKeyPath).not.toBe(first.privateKeyPath);
      expect(second.publicKey).not.toBe(first.publicKey);
    } finally {
      await dir.cleanup();
    }
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value of the predicate', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : null), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('times out naming what it waited for and the last error of the predicate', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { timeoutMs: 50, intervalMs: 5, description: 'the node to answer SSH' },
      ),
    ).rejects.toThrow('timed out after 50 ms waiting for the node to answer SSH (last error: connection refused)');
  });
});

describe('spawnTracked', () => {
  it('registers the process for kill-on-exit until it has exited', async () => {
    const sleeper = await spawnTracked('sleep', ['30']);
    expect(trackedPids()).toContain(sleeper.pid);
    expect(await sleeper.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isProcessAlive(sleeper.pid)).toBe(false);
    expect(trackedPids()).not.toContain(sleeper.pid);
  });

  it('escalates to SIGKILL when the process ignores the polite signal', async () => {
    const stubborn = await spawnTracked('sh', ['-c', "trap '' TERM; echo ready; exec sleep 30"]);
    await waitFor(() => stubborn.output().includes('ready'), { description: 'the trap to be set' });
    expect(await stubborn.stop('SIGTERM', 100)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(isProcessAlive(stubborn.pid)).toBe(false);
  });

  it('keeps the output for error messages', async () => {
    const talker = await spawnTracked('sh', ['-c', 'echo out; echo err >&2']);
    expect(await talker.exited).toEqual({ code: 0, signal: null });
    // 'exit' can fire before the last bytes of the pipes are read.
    await waitFor(() => talker.output().includes('out') && talker.output().includes('err'), { description: 'both streams' });
  });

  it('rejects with the command name when the program does not exist', async () => {
    await expect(spawnTracked('elastiq-no-such-program', [])).rejects.toThrow('could not start elastiq-no-such-program');
  });
});
