import type { SshEndpointSpec } from './contract';
import type { HomeIsolation } from './home-isolation';

export interface SshdConfigInput {
  spec: SshEndpointSpec;
  hostKeyPath: string;
  authorizedKeysPath: string;
  loginScriptPath: string;
  maxStartups: string;
  homeIsolation: HomeIsolation;
}

/**
 * The per-instance sshd_config. ListenAddress is deliberately absent: it is passed with
 * `-o ListenAddress=` on the command line, which *adds* to the file's addresses.
 */
export function renderSshdConfig({
  spec,
  hostKeyPath,
  authorizedKeysPath,
  loginScriptPath,
  maxStartups,
  homeIsolation,
}: SshdConfigInput): string {
  return [
    `# sshd for cloud-sim instance ${spec.instanceId}; written by the instance runtime at every start`,
    `HostKey "${hostKeyPath}"`,
    `AuthorizedKeysFile "${authorizedKeysPath}"`,
    // The state dir lives under cloud-sim's root dir, typically below /tmp (world-writable,
    // sticky), which StrictModes rejects as a parent of authorized_keys. The file is written
    // by the runtime itself and only read by this sshd, so the check protects nothing here.
    'StrictModes no',
    `AllowUsers ${spec.username}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // PAM would add a module stack per login (slower, motd, limits) for nothing we simulate.
    'UsePAM no',
    'UseDNS no',
    'PidFile none',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding yes',
    // Many probes may hit one instance at once; the default 10:30:100 would drop them.
    `MaxStartups ${maxStartups}`,
    // An external sftp-server (not internal-sftp): the set-env ForceCommand execs it by path.
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    ...(homeIsolation === 'set-env'
      ? [
          `SetEnv "HOME=${spec.homeDir}" "ELASTIQ_INSTANCE_ID=${spec.instanceId}"`,
          // sshd starts sessions in the passwd home regardless of HOME; see instance-login-script.ts.
          `ForceCommand '${loginScriptPath}'`,
        ]
      : [`SetEnv "ELASTIQ_INSTANCE_ID=${spec.instanceId}"`]),
    'LogLevel INFO',
    '',
  ].join('\n');
}
