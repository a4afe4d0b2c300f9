import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SshEndpoint } from '../src/runtime';
import { fingerprintOf } from '../src/runtime/host-key';
import { useRuntime } from './support/runtime-fixture';
import { listenWithoutSpeaking } from './support/silent-connection';
import { isAlive, sshExec, startSleepingSession } from './runtime-ssh-client';

const execFileAsync = promisify(execFile);
// In light mode the login name is only checked, never switched to: any name works.
const IMAGE_USER = 'ubuntu';

const fx = useRuntime({ mode: 'light', imageUser: IMAGE_USER, port: 0 });

const asImageUser = () => ({ username: IMAGE_USER, privateKeyPath: fx.key.privateKeyPath });

async function refusesConnections(endpoint: SshEndpoint): Promise<boolean> {
  const socket = connect(endpoint.port, endpoint.address);
  try {
    await once(socket, 'connect');
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  } finally {
    socket.destroy();
  }
}

describe('light runtime (ssh2 server inside cloud-sim: probes and exec only)', () => {
  it('says what it supports', () => {
    expect(fx.runtime.mode).toBe('light');
    expect(fx.runtime.capabilities).toEqual({ exec: true, sftp: false, ansible: false, portForwarding: false });
  });

  it('runs commands with /bin/sh in the instance home, passing stdin, stderr and the exit code', async () => {
    const spec = fx.specFor('i-light-exec', '127.0.12.1');
    const endpoint = await fx.runtime.start(spec);
    const result = await sshExec(endpoint, 'pwd; echo "$HOME $ELASTIQ_INSTANCE_ID"; cat; echo oops >&2; exit 7', {
      ...asImageUser(),
      stdin: 'from stdin\n',
    });
    expect(result).toMatchObject({
      code: 7,
      stdout: `${spec.homeDir}\n${spec.homeDir} i-light-exec\nfrom stdin\n`,
      stderr: 'oops\n',
    });
    expect(fingerprintOf(result.hostKey)).toBe(endpoint.hostKeyFingerprint);
  });

  it('accepts only the imported key, and only for the image user', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-light-auth', '127.0.12.2'));
    const refused = /authentication methods failed/;
    await expect(sshExec(endpoint, 'true', { username: IMAGE_USER, privateKeyPath: fx.otherKey.privateKeyPath })).rejects.toThrow(refused);
    await expect(sshExec(endpoint, 'true', { username: 'root', privateKeyPath: fx.key.privateKeyPath })).rejects.toThrow(refused);
  });

  it('answers the OpenSSH client with strict host key checking', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-light-openssh', '127.0.12.3'));
    const knownHosts = join(fx.root.path, 'known_hosts_light');
    await writeFile(knownHosts, `[${endpoint.address}]:${endpoint.port} ${endpoint.hostPublicKey}\n`);
    const { stdout } = await execFileAsync(
      'ssh',
      [
        ...['-F', '/dev/null', '-i', fx.key.privateKeyPath, '-p', String(endpoint.port)],
        ...['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`],
        `${IMAGE_USER}@${endpoint.address}`,
        'echo "$ELASTIQ_INSTANCE_ID"',
      ],
      { timeout: 20_000 },
    );
    expect(stdout).toBe('i-light-openssh\n');
  });

  it('keeps the host key across stop and start, and presents a new one after changeHostKey', async () => {
    const spec = fx.specFor('i-light-rekey', '127.0.12.4');
    const first = await fx.runtime.start(spec);
    await fx.runtime.stop(spec.instanceId);
    const restarted = await fx.runtime.start(spec);
    expect(fingerprintOf((await sshExec(restarted, 'true', asImageUser())).hostKey)).toBe(first.hostKeyFingerprint);
    await fx.runtime.changeHostKey(spec.instanceId);
    expect(fingerprintOf((await sshExec(restarted, 'true', asImageUser())).hostKey)).not.toBe(first.hostKeyFingerprint);
  });

  it('runs user data in the instance home', async () => {
    const spec = fx.specFor('i-light-user-data', '127.0.12.5');
    const endpoint = await fx.runtime.start(spec);
    expect(await endpoint.runAsUser('echo booted > booted; echo "$HOME"')).toEqual({ code: 0, output: `${spec.homeDir}\n` });
    expect((await sshExec(endpoint, 'cat ~/booted', asImageUser())).stdout).toBe('booted\n');
  });

  it('with the noBanner fault accepts TCP connections but never sends the SSH banner', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-light-no-banner', '127.0.12.6', { noBanner: true }));
    expect((await listenWithoutSpeaking(endpoint, 2_000)).bytesReceived).toBe(0);
  });

  it('on stop closes the port and kills the commands still running', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-light-stop', '127.0.12.7'));
    const session = await startSleepingSession(endpoint, asImageUser());
    expect(isAlive(session.pid)).toBe(true);
    await fx.runtime.stop('i-light-stop');
    await fx.runtime.stop('i-light-stop');
    expect(await refusesConnections(endpoint)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isAlive(session.pid)).toBe(false);
    session.client.end();
  });
});
