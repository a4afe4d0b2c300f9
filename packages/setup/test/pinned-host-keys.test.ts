import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type HostKey, knownHostsLine } from '@elastiq/ssh';
import { makeTempDir } from '@elastiq/testing';
import { pinnedHostKeyOf, readPinnedHostKeys } from '../src/pinned-host-keys';

// An ed25519 public key blob: uint32 length + "ssh-ed25519" + uint32 length + 32 key bytes.
function ed25519Blob(fill: number): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, fill);
  const header = (length: number) => Buffer.from([0, 0, 0, length]);
  return Buffer.concat([header(type.length), type, header(key.length), key]);
}

function hostKey(fill: number): HostKey {
  return { type: 'ssh-ed25519', base64: ed25519Blob(fill).toString('base64'), fingerprint: 'SHA256:unused' };
}

describe('readPinnedHostKeys (the script provider’s view of the cluster known_hosts)', () => {
  it('finds the key pinned for host:port, whether the port is 22 or not', async () => {
    const dir = await makeTempDir('setup-known-hosts');
    try {
      const path = join(dir.path, 'known_hosts');
      await writeFile(
        path,
        [
          knownHostsLine({ host: '127.0.1.1', port: 22, hostKey: hostKey(1) }),
          knownHostsLine({ host: '127.0.1.2', port: 2222, hostKey: hostKey(2) }),
          '# a comment',
          '|1|hashed|entry ssh-ed25519 AAAA',
          '',
        ].join('\n'),
      );
      const keys = await readPinnedHostKeys(path);
      expect(pinnedHostKeyOf(keys, '127.0.1.1', 22)?.base64).toBe(hostKey(1).base64);
      expect(pinnedHostKeyOf(keys, '127.0.1.2', 2222)?.base64).toBe(hostKey(2).base64);
      expect(pinnedHostKeyOf(keys, '127.0.1.2', 22)).toBeUndefined();
    } finally {
      await dir.cleanup();
    }
  });
});
