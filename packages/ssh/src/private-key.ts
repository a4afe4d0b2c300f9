import { readFile } from 'node:fs/promises';
import { utils } from 'ssh2';
import { SshConnectionError } from './ssh-connection-error';

/**
 * Reads and checks the cluster's private key. Errors name the file and the config key, never the
 * content: a path is safe to log, key material is not.
 */
export async function readPrivateKey(path: string): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SshConnectionError('error', `cannot read the private key ${path} (${code}): check user_key_private`);
  }
  const parsed = utils.parseKey(content);
  const problem = parsed instanceof Error ? ` (${parsed.message})` : parsed.isPrivateKey() ? null : ' (it is a public key)';
  if (problem !== null) {
    throw new SshConnectionError(
      'error',
      `${path} is not a usable private key${problem}: user_key_private must be an unencrypted OpenSSH or PEM private key`,
    );
  }
  return content;
}
