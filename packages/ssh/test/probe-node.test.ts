import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir, waitFor } from '@elastiq/testing';
import { type HostKey, type ProbeTarget, probeNode } from '../src';
import { LOGIN_USER, type RealSshd, startRealSshd } from './support/real-sshd';
import { startSilentServer } from './support/silent-server';

let temp: TempDir;
let clusterKey: SshKeyPair;
let otherKey: SshKeyPair;
let server: RealSshd;

beforeAll(async () => {
  temp = await makeTempDir('ssh-probe');
  clusterKey = await generateSshKeyPair(temp.path, 'ed25519');
  otherKey = await generateSshKeyPair(temp.path, 'ed25519');
  server = await startRealSshd(join(temp.path, 'node'), clusterKey.publicKey);
});

afterAll(async () => {
  await server?.stop();
  await temp?.cleanup();
});

function targetFor(overrides: Partial<ProbeTarget> = {}): ProbeTarget {
  return {
    host: server.host,
    port: server.port,
    username: LOGIN_USER,
    privateKeyPath: clusterKey.privateKeyPath,
    timeoutMs: 5000,
    ...overrides,
  };
}

function serverHostKey(): HostKey {
  return { type: server.hostKeyType, base64: server.hostKeyBase64, fingerprint: 'not compared' };
}

describe('probeNode', () => {
  it('reports a node up when the image user logs in with the cluster key, and returns its host key', async () => {
    const result = await probeNode(targetFor());

    expect(result).toMatchObject({ ok: true, hostKey: { type: server.hostKeyType, base64: server.hostKeyBase64 } });
  });

  it('logs in with an RSA cluster key as well as ed25519', async () => {
    const rsaDir = await makeTempDir('ssh-probe-rsa');
    try {
      const rsaKey = await generateSshKeyPair(rsaDir.path, 'rsa');
      const rsaServer = await startRealSshd(join(rsaDir.path, 'node'), rsaKey.publicKey);
      try {
        const result = await probeNode({ ...targetFor(), port: rsaServer.port, privateKeyPath: rsaKey.privateKeyPath });
        expect(result.ok).toBe(true);
      } finally {
        await rsaServer.stop();
      }
    } finally {
      await rsaDir.cleanup();
    }
  });

  it('reports "refused" when nothing listens on the port (node still booting)', async () => {
    const closedPort = await freePort();

    const result = await probeNode(targetFor({ port: closedPort }));

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
  });

  it('reports "timeout" when the server accepts TCP but never sends the SSH banner', async () => {
    const silent = await startSilentServer();
    try {
      const result = await probeNode(targetFor({ port: silent.port, timeoutMs: 400 }));

      expect(result).toMatchObject({ ok: false, kind: 'timeout' });
      expect(result.elapsedMs).toBeGreaterThanOrEqual(390);
    } finally {
      await silent.stop();
    }
  });

  it('reports "auth" with the user and key path when the key is not authorized, without key material', async () => {
    const result = await probeNode(targetFor({ privateKeyPath: otherKey.privateKeyPath }));

    expect(result).toMatchObject({ ok: false, kind: 'auth' });
    if (result.ok) return;
    expect(result.reason).toContain(LOGIN_USER);
    expect(result.reason).toContain(otherKey.privateKeyPath);
    const privateKeyBody = (await readFile(otherKey.privateKeyPath, 'utf8')).split('\n')[1];
    expect(result.reason).not.toContain(privateKeyBody);
    expect(result.reason).not.toContain(otherKey.publicKey.split(' ')[1]);
  });

  it('reports an unreadable private key as an error naming the file and user_key_private', async () => {
    const missing = join(temp.path, 'no-such-key');

    const result = await probeNode(targetFor({ privateKeyPath: missing }));

    expect(result).toMatchObject({ ok: false, kind: 'error' });
    if (!result.ok) expect(result.reason).toMatch(new RegExp(`${missing}.*user_key_private`));
  });

  it('refuses a public key given as the private key, naming user_key_private', async () => {
    const result = await probeNode(targetFor({ privateKeyPath: clusterKey.publicKeyPath }));

    expect(result).toMatchObject({ ok: false, kind: 'error' });
    if (!result.ok) expect(result.reason).toContain('user_key_private');
  });

  it('uses a key file replaced at the same path at once (read keys are remembered only while the file is unchanged)', async () => {
    const path = join(temp.path, 'replaced-key');
    await copyFile(clusterKey.privateKeyPath, path);
    expect(await probeNode(targetFor({ privateKeyPath: path }))).toMatchObject({ ok: true });

    await copyFile(otherKey.privateKeyPath, `${path}.new`);
    await rename(`${path}.new`, path);
    expect(await probeNode(targetFor({ privateKeyPath: path }))).toMatchObject({ ok: false, kind: 'auth' });

    await rm(path);
    expect(await probeNode(targetFor({ privateKeyPath: path }))).toMatchObject({ ok: false, kind: 'error' });
    await copyFile(clusterKey.privateKeyPath, path);
    expect(await probeNode(targetFor({ privateKeyPath: path }))).toMatchObject({ ok: true });
  });

  it('names the bad field when the target is invalid', async () => {
    const result = await probeNode(targetFor({ host: '127.0.0.1; rm -rf /', timeoutMs: 0 }));

    expect(result).toMatchObject({ ok: false, kind: 'error' });
    if (!result.ok) expect(result.reason).toMatch(/host: .*timeoutMs: .*ssh_probe_timeout/);
  });

  describe('trust on first use', () => {
    it('accepts the node when it presents the pinned host key', async () => {
      const first = await probeNode(targetFor());
      if (!first.ok) throw new Error(first.reason);

      const second = await probeNode(targetFor({ pinnedHostKey: first.hostKey }));

      expect(second).toMatchObject({ ok: true, hostKey: first.hostKey });
    });

    it('refuses a node whose host key differs from the pinned one, naming the node and both fingerprints', async () => {
      const first = await probeNode(targetFor());
      if (!first.ok) throw new Error(first.reason);
      const impostorDir = await makeTempDir('ssh-impostor');
      const impostor = await startRealSshd(join(impostorDir.path, 'node'), clusterKey.publicKey);
      try {
        const result = await probeNode(
          targetFor({ port: impostor.port, pinnedHostKey: first.hostKey, nodeName: 'compute001' }),
        );

        expect(result).toMatchObject({ ok: false, kind: 'host-key-mismatch', hostKey: { base64: impostor.hostKeyBase64 } });
        if (result.ok) return;
        expect(result.reason).toContain('compute001');
        expect(result.reason).toContain(first.hostKey.fingerprint);
        expect(result.reason).toContain(result.hostKey?.fingerprint);
        expect(result.hostKey?.fingerprint).not.toBe(first.hostKey.fingerprint);
      } finally {
        await impostor.stop();
        await impostorDir.cleanup();
      }
    });

    it('aborts before authenticating, so an impostor never even sees a login attempt', async () => {
      const first = await probeNode(targetFor());
      if (!first.ok) throw new Error(first.reason);
      const impostorDir = await makeTempDir('ssh-impostor-log');
      const impostor = await startRealSshd(join(impostorDir.path, 'node'), clusterKey.publicKey);
      const attemptsSeen = () => (impostor.log().match(/publickey/g) ?? []).length;
      try {
        const unpinned = await probeNode(targetFor({ port: impostor.port }));
        expect(unpinned.ok).toBe(true);
        await waitFor(() => attemptsSeen() > 0, { description: 'sshd logs the unpinned login' });
        const seenBefore = attemptsSeen();

        const pinned = await probeNode(targetFor({ port: impostor.port, pinnedHostKey: first.hostKey }));
        await new Promise((resolve) => setTimeout(resolve, 200)); // let sshd flush its log lines

        expect(pinned).toMatchObject({ ok: false, kind: 'host-key-mismatch' });
        expect(attemptsSeen()).toBe(seenBefore);
      } finally {
        await impostor.stop();
        await impostorDir.cleanup();
      }
    });

    it('compares the key itself, not a fingerprint string that claims to match', async () => {
      const forged: HostKey = { ...serverHostKey(), base64: Buffer.from('forged').toString('base64') };
      const first = await probeNode(targetFor());
      if (!first.ok) throw new Error(first.reason);

      const result = await probeNode(targetFor({ pinnedHostKey: { ...forged, fingerprint: first.hostKey.fingerprint } }));

      expect(result).toMatchObject({ ok: false, kind: 'host-key-mismatch' });
    });
  });
});
