import { readFile, stat } from 'node:fs/promises';
import { utils } from 'ssh2';
import { SshConnectionError } from './ssh-connection-error';

// A worker probes thousands of nodes with one or two cluster keys: reading and parsing the file
// for every handshake was 4 % of what a worker allocated at 1,000 nodes. A key is read again
// when its file changes (size, mtime or inode), so a replaced key is used at once.
interface ReadKey {
  version: string;
  content: Buffer;
}
const readKeys = new Map<string, ReadKey>();
/** Distinct key paths remembered (a worker serves few clusters at a time). */
const REMEMBERED = 64;

function unreadable(path: string, error: unknown): SshConnectionError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
  return new SshConnectionError('error', `cannot read the private key ${path} (${code}): check user_key_private`);
}

/**
 * Reads and checks the cluster's private key. Errors name the file and the config key, never the
 * content: a path is safe to log, key material is not.
 */
export async function readPrivateKey(path: string): Promise<Buffer> {
  let version: string;
  try {
    const stats = await stat(path);
    version = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch (error) {
    throw unreadable(path, error);
  }
  const known = readKeys.get(path);
  if (known?.version === version) return known.content;

  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  const parsed = utils.parseKey(content);
  const problem = parsed instanceof Error ? ` (${parsed.message})` : parsed.isPrivateKey() ? null : ' (it is a public key)';
  if (problem !== null) {
    readKeys.delete(path);
    throw new SshConnectionError(
      'error',
      `${path} is not a usable private key${problem}: user_key_private must be an unencrypted OpenSSH or PEM private key`,
    );
  }
  if (readKeys.size >= REMEMBERED) readKeys.clear();
  readKeys.set(path, { version, content });
  return content;
}
