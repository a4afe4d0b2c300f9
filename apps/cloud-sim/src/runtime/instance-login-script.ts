/**
 * The ForceCommand of every sshd instance. sshd sets $HOME from `SetEnv` but still starts
 * sessions in the account's passwd home, which all instances of one image share; this wrapper
 * starts them in the instance's own home instead, then runs what the client asked for (a
 * command, scp, sftp-server, or a login shell) with the account's shell, as sshd would have.
 */
export const INSTANCE_LOGIN_SCRIPT = `#!/bin/sh
# Written by the cloud-sim instance runtime: start every session in this instance's $HOME.
cd "$HOME" || exit 1
if [ -n "\${SSH_ORIGINAL_COMMAND+set}" ]; then
  exec "$SHELL" -c "$SSH_ORIGINAL_COMMAND"
fi
exec "$SHELL" -l
`;
