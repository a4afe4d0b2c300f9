import { chmod, chown, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SshEndpointSpec } from './contract';
import type { LoginUser } from './login-user';

export interface InstanceFiles {
  authorizedKeysPath: string;
}

/**
 * Lays out an instance's directories: stateDir (root-owned: host key, sshd config,
 * authorized_keys) and homeDir (owned by the login user: what it sees as ~).
 */
export async function prepareInstanceDirs(spec: SshEndpointSpec, user: LoginUser): Promise<InstanceFiles> {
  await mkdir(spec.stateDir, { recursive: true, mode: 0o755 });
  await mkdir(spec.homeDir, { recursive: true, mode: 0o700 });
  await chown(spec.homeDir, user.uid, user.gid);
  const authorizedKeysPath = join(spec.stateDir, 'authorized_keys');
  await writeFile(authorizedKeysPath, spec.authorizedKeys.endsWith('\n') ? spec.authorizedKeys : `${spec.authorizedKeys}\n`, {
    mode: 0o644,
  });
  // Rewritten at every start, so make the mode stick even if the file already existed.
  await chmod(authorizedKeysPath, 0o644);
  if (user.uid !== process.getuid?.()) {
    // sshd reads authorized_keys with the login user's identity, and that user's shell must be
    // able to enter its home: both fail when a parent (e.g. a 0700 mkdtemp dir) is not searchable.
    await makeAncestorsSearchable(spec.stateDir);
    await makeAncestorsSearchable(dirname(spec.homeDir));
  }
  return { authorizedKeysPath };
}

/** Adds only the "search" bit (o+x, never read) to each ancestor that lacks it. */
async function makeAncestorsSearchable(path: string): Promise<void> {
  for (let dir = path; ; dir = dirname(dir)) {
    const info = await stat(dir);
    if ((info.mode & 0o001) === 0) await chmod(dir, (info.mode & 0o7777) | 0o001);
    if (dirname(dir) === dir) return;
  }
}
