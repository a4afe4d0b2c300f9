import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { isAlive } from './runtime-ssh-client';

let root: TempDir;

beforeAll(async () => {
  root = await makeTempDir('runtime-lifetime');
});

afterAll(async () => {
  await root.cleanup();
});

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('lifetime of instance processes', () => {
  it('an sshd listener dies with the process that started it, even when that process is SIGKILLed', async () => {
    const key = await generateSshKeyPair(root.path);
    // A minimal cloud-sim stand-in: start one instance, print the sshd pid, then idle.
    const host = `
      const { createRuntime } = require(${JSON.stringify(resolve(__dirname, '../src/runtime'))});
      const pino = require('pino');
      const runtime = createRuntime({ mode: 'sshd', rootDir: ${JSON.stringify(root.path)}, logger: pino({ level: 'silent' }) });
      runtime.start({
        instanceId: 'i-orphan', address: '127.0.13.1', port: process.getuid() === 0 ? 22 : 0, username: 'elastiq-sim',
        authorizedKeys: ${JSON.stringify(key.publicKey)},
        stateDir: ${JSON.stringify(join(root.path, 'state'))}, homeDir: ${JSON.stringify(join(root.path, 'home'))},
      }).then(() => { console.log(runtime.sshdPidOf('i-orphan')); setInterval(() => undefined, 1000); });
    `;
    // tsx as a loader (not its CLI, which would add a parent process between us and the host).
    const hostProcess = spawn(process.execPath, ['--import', 'tsx', '-e', host], {
      cwd: resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const exitedEarly = once(hostProcess, 'exit').then(([code]) => {
        throw new Error(`host process exited (${code}) before starting the instance`);
      });
      const [firstLine] = (await Promise.race([once(hostProcess.stdout, 'data'), exitedEarly])) as [Buffer];
      const sshdPid = Number(firstLine.toString().trim());
      expect(isAlive(sshdPid)).toBe(true);
      hostProcess.kill('SIGKILL');
      expect(await waitUntilDead(sshdPid, 5_000)).toBe(true);
    } finally {
      hostProcess.kill('SIGKILL');
    }
  }, 60_000);
});
