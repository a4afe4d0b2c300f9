import { execFile } from 'node:child_process';
import { access, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnTracked, type TrackedProcess, waitFor } from '@elastiq/testing';

const execFileAsync = promisify(execFile);

/** The login user of the test servers: a shell of /bin/sh keeps every exec fast (toolchain notes). */
export const LOGIN_USER = 'elastiq';

export interface RealSshd {
  host: string;
  port: number;
  /** The server's host key as it appears in a .pub file: "ssh-ed25519 AAAA...". */
  hostKeyType: string;
  hostKeyBase64: string;
  /** sshd's log (LogLevel VERBOSE: one "Accepted publickey" line per successful login). */
  log(): string;
  stop(): Promise<void>;
}

function tcpAccepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real OpenSSH server on a free loopback port that lets LOGIN_USER in with `authorizedKey`.
 * Host keys live in `dir`, so a second server started on the same dir presents the same key.
 */
export async function startRealSshd(dir: string, authorizedKey: string): Promise<RealSshd> {
  await mkdir(dir, { recursive: true });
  // sshd reads authorized_keys as the login user, so the temp dirs (0700, root) must be traversable.
  await chmod(dirname(dir), 0o711);
  await chmod(dir, 0o755);
  await mkdir('/run/sshd', { recursive: true });
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const hasHostKey = await access(hostKeyPath).then(() => true, () => false);
  if (!hasHostKey) await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'host', '-f', hostKeyPath]);
  const [hostKeyType, hostKeyBase64] = (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim().split(/\s+/);
  await writeFile(join(dir, 'authorized_keys'), `${authorizedKey}\n`, { mode: 0o644 });
  const configPath = join(dir, 'sshd_config');
  await writeFile(
    configPath,
    [
      `HostKey ${hostKeyPath}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers ${LOGIN_USER}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PidFile none',
      'MaxStartups 1000:30:2000',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const host = '127.0.0.1';
  let server: TrackedProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !server; attempt += 1) {
    port = await freePort(host);
    const candidate = await spawnTracked('/usr/sbin/sshd', ['-D', '-e', '-f', configPath, '-o', `ListenAddress=${host}:${port}`]);
    const up = await waitFor(async () => (candidate.child.exitCode !== null ? 'exited' : (await tcpAccepts(host, port)) ? 'up' : false), {
      timeoutMs: 5000,
      description: 'sshd accepts TCP',
    });
    if (up === 'up') server = candidate;
    else await candidate.stop();
  }
  if (!server) throw new Error('could not start sshd on a free port');
  const running = server;
  return { host, port, hostKeyType, hostKeyBase64, log: () => running.output(), stop: async () => void (await running.stop()) };
}
