import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { createRuntime, type SshEndpoint } from '../src/runtime';
import { fingerprintOf } from '../src/runtime/host-key';
import type { SshdRuntime } from '../src/runtime/sshd-runtime';
import { useRuntime } from './support/runtime-fixture';
import { listenWithoutSpeaking } from './support/silent-connection';
import { isAlive, sshExec as sshExecAs, startSleepingSession } from './runtime-ssh-client';

// A dedicated image user: its shell is /bin/sh (root's profile is slow), and as root the
// runtime creates it when missing.
const IMAGE_USER = 'elastiq-sim';

const fx = useRuntime({ mode: 'sshd', imageUser: IMAGE_USER, port: process.getuid?.() === 0 ? 22 : 0 });

function sshExec(endpoint: SshEndpoint, command: string, privateKeyPath = fx.key.privateKeyPath) {
  return sshExecAs(endpoint, command, { username: IMAGE_USER, privateKeyPath });
}

describe('sshd runtime (as root: one sshd per instance on port 22, homes isolated by mount namespaces)', () => {
  it('starts a real sshd on the instance address that runs commands as the image user with the imported key', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-exec', '127.0.10.1'));
    const result = await sshExec(endpoint, 'id -un; echo "$ELASTIQ_INSTANCE_ID"');
    expect(result).toMatchObject({ code: 0, stdout: `${IMAGE_USER}\ni-exec\n` });
    expect(endpoint.hostKeyType).toBe('ssh-ed25519');
    expect(endpoint.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fingerprintOf(result.hostKey)).toBe(endpoint.hostKeyFingerprint);
  });

  it('refuses a key pair that was not imported for the instance', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-wrong-key', '127.0.10.2'));
    await expect(sshExec(endpoint, 'true', fx.otherKey.privateKeyPath)).rejects.toThrow(/authentication methods failed/);
  });

  it('keeps the host key across stop and start, and presents a new one after changeHostKey', async () => {
    const spec = fx.specFor('i-rekey', '127.0.10.3');
    const first = await fx.runtime.start(spec);
    await fx.runtime.stop(spec.instanceId);
    const restarted = await fx.runtime.start(spec);
    expect(fingerprintOf((await sshExec(restarted, 'true')).hostKey)).toBe(first.hostKeyFingerprint);

    await fx.runtime.changeHostKey(spec.instanceId);
    const presented = fingerprintOf((await sshExec(restarted, 'true')).hostKey);
    expect(presented).not.toBe(first.hostKeyFingerprint);
    await fx.runtime.stop(spec.instanceId);
    expect((await fx.runtime.start(spec)).hostKeyFingerprint).toBe(presented);
  });

  it('mounts each instance home over the shared account home: ~, ~user, cd and the login directory show its own files', async () => {
    const specA = fx.specFor('i-home-a', '127.0.10.4');
    const specB = fx.specFor('i-home-b', '127.0.10.5');
    const [a, b] = await Promise.all([fx.runtime.start(specA), fx.runtime.start(specB)]);
    const accountHome = passwdHomeOf(IMAGE_USER);
    const whereAmI = `pwd; echo ~; echo ~${IMAGE_USER}; cd; pwd`;
    expect((await sshExec(a, `${whereAmI}; echo from-a > note`)).stdout).toBe(`${accountHome}\n`.repeat(4));
    expect((await sshExec(b, whereAmI)).stdout).toBe(`${accountHome}\n`.repeat(4));
    expect((await sshExec(b, 'ls -A ~')).stdout).toBe('');
    expect(await readFile(join(specA.homeDir, 'note'), 'utf8')).toBe('from-a\n');
    expect((await sshExec(a, 'cat ~/note')).stdout).toBe('from-a\n');
  });

  it('runs user data as the login user in the instance home, with its output captured', async () => {
    const spec = fx.specFor('i-user-data', '127.0.10.6');
    const endpoint = await fx.runtime.start(spec);
    const accountHome = passwdHomeOf(IMAGE_USER);
    const plain = await endpoint.runAsUser('id -un\necho "$ELASTIQ_INSTANCE_ID" > ~/booted\necho oops >&2\nexit 3\n');
    expect(plain).toEqual({ code: 3, output: `${IMAGE_USER}\noops\n` });
    const withInterpreter = await endpoint.runAsUser('#!/usr/bin/env python3\nimport os; print(os.getcwd())\n');
    expect(withInterpreter).toEqual({ code: 0, output: `${accountHome}\n` });
    expect(await readFile(join(spec.homeDir, 'booted'), 'utf8')).toBe('i-user-data\n');
    expect((await sshExec(endpoint, 'cat booted')).stdout).toBe('i-user-data\n');
  });

  it('with the noBanner fault accepts TCP connections but never sends the SSH banner', async () => {
    const endpoint = await fx.runtime.start(fx.specFor('i-no-banner', '127.0.10.7', { noBanner: true }));
    const { bytesReceived, stillOpen } = await listenWithoutSpeaking(endpoint, 2_000);
    expect(bytesReceived).toBe(0);
    expect(stillOpen).toBe(true);
  });

  it('refuses an address outside loopback before starting anything', async () => {
    await expect(fx.runtime.start(fx.specFor('i-outside', '10.0.0.5'))).rejects.toThrow(/address: must be a loopback address/);
  });

  it('starts one sshd when an instance is started twice at once, and none survives a shutdown during starts', async () => {
    const ownRuntime = createRuntime({ mode: 'sshd', rootDir: fx.root.path, logger: pino({ level: 'silent' }) });
    const specs = [1, 2, 3, 4].map((n) => fx.specFor(`i-in-flight-${n}`, `127.0.10.${40 + n}`));
    try {
      const twice = await Promise.all([ownRuntime.start(specs[0]), ownRuntime.start(specs[0])]);
      expect(twice[1]).toBe(twice[0]);
      expect(sshdPidsServing(specs[0].stateDir)).toHaveLength(1);

      const inFlight = specs.slice(1).map((spec) => ownRuntime.start(spec));
      await ownRuntime.shutdown();
      await Promise.allSettled(inFlight);
      expect(specs.flatMap((spec) => sshdPidsServing(spec.stateDir))).toEqual([]);
    } finally {
      await ownRuntime.shutdown();
    }
  });

  it('kills the sshd and its running sessions on stop and on shutdown, by pid', async () => {
    const ownRuntime = createRuntime({ mode: 'sshd', rootDir: fx.root.path, logger: pino({ level: 'silent' }) }) as SshdRuntime;
    try {
      const stopped = await ownRuntime.start(fx.specFor('i-stop', '127.0.10.8'));
      const shutDown = await ownRuntime.start(fx.specFor('i-shutdown', '127.0.10.9'));
      const listeners = [ownRuntime.sshdPidOf('i-stop')!, ownRuntime.sshdPidOf('i-shutdown')!];
      const sessions = await Promise.all([stopped, shutDown].map((endpoint) => startSleepingSession(endpoint, { username: IMAGE_USER, privateKeyPath: fx.key.privateKeyPath })));
      expect([...listeners, ...sessions.map((session) => session.pid)].every(isAlive)).toBe(true);

      await ownRuntime.stop('i-stop');
      await ownRuntime.stop('i-stop'); // idempotent
      expect([isAlive(listeners[0]), isAlive(sessions[0].pid)]).toEqual([false, false]);
      expect(isAlive(listeners[1])).toBe(true);

      await ownRuntime.shutdown();
      expect([isAlive(listeners[1]), isAlive(sessions[1].pid)]).toEqual([false, false]);
      for (const session of sessions) session.client.end();
    } finally {
      await ownRuntime.shutdown();
    }
  });
});

/** Running sshd processes whose config lives in the given state dir, found by their command line. */
function sshdPidsServing(stateDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // NUL-separated argv at first, then the title sshd sets: "sshd: /usr/sbin/sshd -D … [listener] …".
        const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return commandLine.includes(` -f ${join(stateDir, 'sshd_config')} `) && isAlive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

function passwdHomeOf(user: string): string {
  return execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).trim().split(':')[5];
}

describe('sshd runtime with set-env home isolation (what a non-root cloud-sim gets)', () => {
  it('sets HOME and starts every session in the instance home', async () => {
    const setEnvRuntime = createRuntime({
      mode: 'sshd',
      rootDir: fx.root.path,
      homeIsolation: 'set-env',
      logger: pino({ level: 'silent' }),
    });
    try {
      const specA = fx.specFor('i-setenv-a', '127.0.10.20');
      const specB = fx.specFor('i-setenv-b', '127.0.10.21');
      const [a, b] = await Promise.all([setEnvRuntime.start(specA), setEnvRuntime.start(specB)]);
      const whereAmI = 'pwd; echo ~; cd; pwd';
      expect((await sshExec(a, `${whereAmI}; echo from-a > note`)).stdout).toBe(`${specA.homeDir}\n`.repeat(3));
      expect((await sshExec(b, `${whereAmI}; ls -A`)).stdout).toBe(`${specB.homeDir}\n`.repeat(3));
      expect((await a.runAsUser('pwd; cat note')).output).toBe(`${specA.homeDir}\nfrom-a\n`);
    } finally {
      await setEnvRuntime.shutdown();
    }
  });
});

describe('image users as root', () => {
  const NEW_USER = 'elastiq-rt-new';
  const removeUser = () => execFileSync('sh', ['-c', `userdel -r ${NEW_USER} 2>/dev/null || true`]);

  beforeAll(removeUser);
  afterAll(removeUser);

  it('creates a missing image user once, as a system account with /bin/sh, and says so in the log', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const userRuntime = createRuntime({ mode: 'sshd', rootDir: fx.root.path, logger });
    try {
      const specs = [1, 2, 3].map((n) => fx.specFor(`i-new-user-${n}`, `127.0.10.${30 + n}`, { username: NEW_USER }));
      const endpoints = await Promise.all(specs.map((spec) => userRuntime.start(spec)));
      expect(execFileSync('getent', ['passwd', NEW_USER], { encoding: 'utf8' })).toMatch(/:\/bin\/sh\n$/);
      const whoami = await sshExecAs(endpoints[2], 'id -un', { username: NEW_USER, privateKeyPath: fx.key.privateKeyPath });
      expect(whoami.stdout).toBe(`${NEW_USER}\n`);
      const creations = lines.filter((line) => line.includes('useradd'));
      expect(creations).toHaveLength(1);
      expect(JSON.parse(creations[0])).toMatchObject({ user: NEW_USER, level: 40 });
    } finally {
      await userRuntime.shutdown();
    }
  });
});
