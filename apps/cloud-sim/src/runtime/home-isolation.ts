/**
 * How an instance's login user gets a home of its own, although all instances of one image
 * share one local account (and so one passwd home directory).
 *
 * - `mount-namespace` (root only): the instance's processes run in a private mount namespace
 *   in which the account's passwd home is a bind mount of the instance's homeDir. `~`, `~user`,
 *   the login directory and everything Ansible derives from them are the instance's own.
 * - `set-env`: sshd sets HOME to the homeDir and a ForceCommand wrapper starts sessions there.
 *   `~` and `cd` are right, but `~user` (which Ansible uses to expand `~` in module arguments
 *   and remote_tmp) still resolves to the shared passwd home.
 */
export type HomeIsolation = 'mount-namespace' | 'set-env';

/** Command prefix that runs `command...` with `target` showing the contents of `source`. */
export function bindHomeCommand(source: string, target: string): string[] {
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    'mount --bind "$1" "$2" && shift 2 && exec "$@"',
    'bind-instance-home',
    source,
    target,
  ];
}
