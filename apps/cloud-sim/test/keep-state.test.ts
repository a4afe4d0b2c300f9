import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  ImportKeyPairCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { z } from 'zod';
import { startCloudSim } from '../src';
import { waitFor } from './support/ec2-client';

// --keep-state: a cloud-sim SIGKILLed at any moment and started again on the same root dir is
// the same account: same instances, addresses and host keys, and a repeated RunInstances with an
// old ClientToken launches nothing. The command runs from source so SIGKILL hits cloud-sim itself.

jest.setTimeout(60_000);

const MAIN = join(__dirname, '..', 'src', 'main.ts');
const instancesSchema = z.array(
  z.object({
    instanceId: z.string(),
    state: z.string(),
    privateIpAddress: z.string(),
    ssh: z.object({ port: z.number(), hostKeyFingerprint: z.string() }).nullable(),
    tags: z.record(z.string(), z.string()),
  }),
);

class SimProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(rootDir: string, port: number): Promise<SimProcess> {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', MAIN, '--port', String(port), '--root-dir', rootDir, '--keep-state', '--boot-delay', 'fixed:100ms', '--log-level', 'error'],
      { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const endpoint = await waitFor('the ready line', () => {
      if (child.exitCode !== null) throw new Error(`cloud-sim exited ${child.exitCode}: ${output}`);
      return /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    }, 20_000);
    return new SimProcess(child, endpoint);
  }

  ec2(): EC2Client {
    return new EC2Client({ endpoint: this.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDKEEP', secretAccessKey: 'x' }, maxAttempts: 1 });
  }

  async instances() {
    const response = await fetch(`${this.endpoint}/_sim/instances`);
    return instancesSchema.parse(await response.json());
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}

describe('cloud-sim --keep-state', () => {
  let dir: TempDir;
  let sim: SimProcess | undefined;

  beforeEach(async () => {
    dir = await makeTempDir('cloud-sim-keep');
  });
  afterEach(async () => {
    await sim?.kill();
    sim = undefined;
    await dir.cleanup();
  });

  it('comes back after SIGKILL with the same instances, addresses and host keys, and honours old ClientTokens', async () => {
    const rootDir = join(dir.path, 'root');
    sim = await SimProcess.start(rootDir, 0);
    const port = Number(new URL(sim.endpoint).port);
    let ec2 = sim.ec2();
    const key = await generateSshKeyPair(dir.path);
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'keep', PublicKeyMaterial: Buffer.from(key.publicKey) }));
    const launch = new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 2, MaxCount: 2, KeyName: 'keep', ClientToken: 'keep-1' });
    const first = await ec2.send(launch);
    const ids = first.Instances!.map((instance) => instance.InstanceId!).sort();
    await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'cluster', Value: 'kept' }] }));
    const before = await waitFor('both instances to answer SSH', async () => {
      const instances = await sim!.instances();
      return instances.every((instance) => instance.ssh) ? instances : undefined;
    }, 20_000);

    await sim.kill();
    sim = await SimProcess.start(rootDir, port);
    ec2 = sim.ec2();

    const after = await waitFor('the restored instances to answer SSH again', async () => {
      const instances = await sim!.instances();
      return instances.length === 2 && instances.every((instance) => instance.ssh) ? instances : undefined;
    }, 20_000);
    const summary = (list: typeof before) =>
      list.map(({ instanceId, state, privateIpAddress, ssh, tags }) => ({ instanceId, state, privateIpAddress, fingerprint: ssh?.hostKeyFingerprint, tags }));
    expect(summary(after)).toEqual(summary(before));

    const again = await ec2.send(launch);
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(await sim.instances()).toHaveLength(2);

    // The restored account goes on: a new launch gets a fresh address, a terminate ends them.
    const third = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, KeyName: 'keep' }));
    expect(third.Instances![0].PrivateIpAddress).not.toBe(before[0].privateIpAddress);
    expect(third.Instances![0].PrivateIpAddress).not.toBe(before[1].privateIpAddress);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [...ids, third.Instances![0].InstanceId!] }));
    await sim.kill();
    sim = await SimProcess.start(rootDir, port);
    const described = await sim.ec2().send(new DescribeInstancesCommand({}));
    const states = described.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.State!.Name));
    expect(states).toEqual(['terminated', 'terminated', 'terminated']);
  });

  it('refuses a damaged account file in one line naming it, and needs a root dir', async () => {
    const rootDir = dir.path;
    const sim1 = await startCloudSim({ runtime: 'none', rootDir, keepState: true });
    await sim1.stop();
    const file = join(rootDir, 'account.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    saved.instances = [{ instanceId: 'not-an-id' }];
    writeFileSync(file, JSON.stringify(saved));
    await expect(startCloudSim({ runtime: 'none', rootDir, keepState: true })).rejects.toThrow(
      `the kept account ${file} is damaged at instances.0.instanceId`,
    );
    writeFileSync(file, '{"version": 1, "addr');
    await expect(startCloudSim({ runtime: 'none', rootDir, keepState: true })).rejects.toThrow(/is not JSON/);
    await expect(startCloudSim({ runtime: 'none', keepState: true })).rejects.toThrow('keepState: needs rootDir (--root-dir)');
  });
});
