import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { EC2Client, ImportKeyPairCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import type { InstanceView } from '../src';
import { waitFor } from './support/ec2-client';

jest.setTimeout(30_000);

const MAIN = join(__dirname, '..', 'src', 'main.ts');

/** The elastiq-cloud-sim command from source (tsx), one process so its pid is cloud-sim's. */
function startCommand(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', MAIN, ...args], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function readyLine(child: ChildProcess): Promise<string> {
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  return waitFor('the ready line', () => (stdout.includes('\n') ? stdout.split('\n')[0] : undefined), 20_000);
}

function sshdProcessesOn(addresses: readonly string[]): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('sshd') && addresses.some((address) => line.includes(`${address}:`)));
}

describe('elastiq-cloud-sim command', () => {
  let child: ChildProcess | undefined;
  let keyDir: TempDir;

  beforeAll(async () => {
    keyDir = await makeTempDir('cloud-sim-cli');
  });
  afterEach(() => {
    if (child?.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  });
  afterAll(() => keyDir?.cleanup());

  it('prints one ready line, serves the SDK, and on SIGTERM exits 0 leaving no sshd behind', async () => {
    child = startCommand(['--host', '127.0.0.1', '--port', '0', '--boot-delay', 'fixed:100ms', '--seed', '7']);
    const line = await readyLine(child);
    const endpoint = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    expect(endpoint).toBeDefined();

    const ec2 = new EC2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDCLI', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const key = await generateSshKeyPair(keyDir.path);
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'cli', PublicKeyMaterial: Buffer.from(key.publicKey) }));
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 2, MaxCount: 2, KeyName: 'cli' }));
    const instances = await waitFor('two SSH-ready instances', async () => {
      const listed = (await (await fetch(`${endpoint}/_sim/instances`)).json()) as InstanceView[];
      return listed.every((instance) => instance.ssh) ? listed : undefined;
    });
    const addresses = instances.map((instance) => instance.privateIpAddress);
    expect(sshdProcessesOn(addresses)).toHaveLength(2);
    ec2.destroy();

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(sshdProcessesOn(addresses)).toEqual([]);
  });

  it('answers a bad flag with one line naming it, exit code 2, and no stack trace', async () => {
    child = startCommand(['--boot-delay', 'gaussian:3s']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('gaussian');
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('refuses to listen on a non-loopback address', async () => {
    child = startCommand(['--host', '0.0.0.0']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('loopback');
  });
});
