import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type SshKeyType = 'ed25519' | 'rsa';

export interface SshKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  /** The one-line OpenSSH public key (`ssh-ed25519 AAAA... comment`). */
  publicKey: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Generates a key pair without passphrase with the real `ssh-keygen`. Files are named
 * `id_<type>`, then `id_<type>_2`, ... so several pairs can share one directory.
 */
export async function generateSshKeyPair(dir: string, type: SshKeyType = 'ed25519'): Promise<SshKeyPair> {
  let privateKeyPath = join(dir, `id_${type}`);
  for (let n = 2; await exists(privateKeyPath); n += 1) privateKeyPath = join(dir, `id_${type}_${n}`);
  // 2048-bit RSA keeps test setup fast; it is still accepted by OpenSSH 9.
  const sizeArgs = type === 'rsa' ? ['-b', '2048'] : [];
  await execFileAsync('ssh-keygen', ['-q', '-t', type, ...sizeArgs, '-N', '', '-C', 'elastiq-test', '-f', privateKeyPath]);
  const publicKeyPath = `${privateKeyPath}.pub`;
  const publicKey = (await readFile(publicKeyPath, 'utf8')).trim();
  return { privateKeyPath, publicKeyPath, publicKey };
}
