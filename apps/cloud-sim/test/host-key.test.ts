import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { discardHostKey, ensureHostKey, wellFormedEd25519Key } from '../src/runtime/host-key';

const execFileAsync = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cloud-sim-host-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('host keys generated in-process', () => {
  // ssh2's generator makes about 1 malformed key in 256: 300 draws would meet one about 70% of
  // the time, and OpenSSH itself must read every key handed out (sshd loads them as host keys).
  it('hands out only keys OpenSSH reads, with the public key ssh2 reports', async () => {
    const checks = Array.from({ length: 300 }, async (_, index) => {
      const path = join(dir, `key-${index}`);
      await writeFile(path, wellFormedEd25519Key(`i-${index}`), { mode: 0o600 });
      const { stdout } = await execFileAsync('ssh-keygen', ['-y', '-f', path]);
      return stdout.trim().split(' ').slice(0, 2).join(' ');
    });
    const publicKeys = await Promise.all(checks);
    expect(new Set(publicKeys).size).toBe(300);
    for (const key of publicKeys) expect(key).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=*$/);
  });

  it('keeps an instance its key across boots, writes it owner-only, and draws a new one once discarded', async () => {
    const first = await ensureHostKey(dir, 'i-1');
    expect((await stat(first.privateKeyPath)).mode & 0o777).toBe(0o600);
    const { stdout } = await execFileAsync('ssh-keygen', ['-l', '-f', first.privateKeyPath]);
    expect(stdout).toContain(first.fingerprint);
    expect(await ensureHostKey(dir, 'i-1')).toEqual(first);
    await discardHostKey(dir);
    const second = await ensureHostKey(dir, 'i-1');
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(await readFile(second.privateKeyPath, 'utf8')).toBe(second.privateKey);
  });

  it('lets two boots of one instance racing for its first key agree on one', async () => {
    const keys = await Promise.all([ensureHostKey(dir, 'i-2'), ensureHostKey(dir, 'i-2'), ensureHostKey(dir, 'i-2')]);
    expect(new Set(keys.map((key) => key.fingerprint)).size).toBe(1);
  });
});
