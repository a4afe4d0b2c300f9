import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import {
  type EC2Client,
  ImportKeyPairCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import { type InstanceView, type RunningCloudSim, startCloudSim } from '../src';
import { ec2ClientFor, waitFor } from './support/ec2-client';
import { sshRun } from './support/ssh-session';

jest.setTimeout(30_000);

// Real sshd per instance: what elastiq's probe, `ssh_to` and Ansible will talk to.
describe('instances as real SSH servers', () => {
  let sim: RunningCloudSim;
  let ec2: EC2Client;
  let keyDir: TempDir;
  let key: SshKeyPair;
  let privateKey: string;

  beforeAll(async () => {
    keyDir = await makeTempDir('cloud-sim-ssh');
    key = await generateSshKeyPair(keyDir.path);
    privateKey = readFileSync(key.privateKeyPath, 'utf8');
    sim = await startCloudSim({ bootDelay: 'uniform:100ms..300ms', transitionMs: 50, rateLimits: 'off' });
    ec2 = ec2ClientFor(sim);
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'cluster-key', PublicKeyMaterial: Buffer.from(key.publicKey) }));
  });
  afterAll(async () => {
    await sim?.stop();
    await keyDir?.cleanup();
  });

  const view = (instanceId: string): InstanceView => sim.instances().find((i) => i.instanceId === instanceId)!;
  const sshReady = (instanceId: string) => waitFor(`${instanceId} SSH-ready`, () => view(instanceId).ssh ?? undefined);

  async function launch(extra: object = {}): Promise<string> {
    const reservation = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, KeyName: 'cluster-key', ...extra }),
    );
    return reservation.Instances![0].InstanceId!;
  }

  it('runs a command as the image user, logged in with the imported key pair, on the instance address', async () => {
    const instanceId = await launch();
    const ssh = await sshReady(instanceId);
    expect(ssh.address).toBe(view(instanceId).privateIpAddress);
    const result = await sshRun(ssh, 'elastiq', privateKey, 'id -un');
    expect(result).toMatchObject({ code: 0, stdout: 'elastiq\n', hostKeyFingerprint: ssh.hostKeyFingerprint });
    expect(view(instanceId).state).toBe('running');
    expect(Date.parse(view(instanceId).sshReadyAt!)).toBeGreaterThanOrEqual(Date.parse(view(instanceId).runningAt!));
  });

  it('runs user data once at first boot, as the image user', async () => {
    const script = '#!/bin/sh\necho booted-by-user-data > "$HOME/user-data-ran"\n';
    const instanceId = await launch({ UserData: Buffer.from(script).toString('base64') });
    const ssh = await sshReady(instanceId);
    await waitFor('user data to finish', () => (view(instanceId).userDataExitCode === 0 ? true : undefined));
    const result = await sshRun(ssh, 'elastiq', privateKey, 'cat "$HOME/user-data-ran"');
    expect(result.stdout).toBe('booted-by-user-data\n');
  });

  it('keeps the host key across stop and start, and stops the SSH server while stopped', async () => {
    const instanceId = await launch();
    const before = await sshReady(instanceId);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor('stopped', () => (view(instanceId).state === 'stopped' ? true : undefined));
    expect(await acceptsTcp(before.address, before.port)).toBe(false);
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    const after = await sshReady(instanceId);
    const result = await sshRun(after, 'elastiq', privateKey, 'true');
    expect(result.hostKeyFingerprint).toBe(before.hostKeyFingerprint);
  });

  it('fault: an instance that never becomes SSH-ready is running but refuses connections', async () => {
    sim.setFaults({ neverSshReady: { count: 1 } });
    const instanceId = await launch();
    await waitFor('running', () => (view(instanceId).state === 'running' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(view(instanceId)).toMatchObject({ ssh: null, sshReadyAt: null, faults: { neverSshReady: true } });
    expect(await acceptsTcp(view(instanceId).privateIpAddress, 22)).toBe(false);
    sim.clearFaults();
  });

  it('fault: SSH that accepts TCP but never sends a banner', async () => {
    sim.setFaults({ noBanner: { count: 1 } });
    const instanceId = await launch();
    const ssh = await sshReady(instanceId);
    sim.clearFaults();
    expect(await firstBytesWithin(ssh.address, ssh.port, 1_000)).toBe('connected, no banner');
  });

  it('fault: an instance that dies later stops answering SSH while EC2 still says running', async () => {
    sim.setFaults({ dieAfter: { count: 1, afterMs: 200 } });
    const instanceId = await launch();
    const ssh = await sshReady(instanceId);
    sim.clearFaults();
    await waitFor('death', () => view(instanceId).diedAt ?? undefined);
    await waitFor('the SSH server to go', async () => ((await acceptsTcp(ssh.address, ssh.port)) ? undefined : true));
    expect(view(instanceId).state).toBe('running');
  });

  it('fault: killing an instance through the admin API with terminate ends it terminated', async () => {
    const instanceId = await launch();
    await sshReady(instanceId);
    const response = await fetch(`${sim.endpoint}/_sim/instances/${instanceId}/die`, {
      method: 'POST',
      body: JSON.stringify({ terminate: true }),
    });
    expect(response.status).toBe(200);
    await waitFor('terminated', () => (view(instanceId).state === 'terminated' ? true : undefined));
  });

  it('fault: a changed host key is what the instance presents from then on', async () => {
    const instanceId = await launch();
    const before = await sshReady(instanceId);
    const response = await fetch(`${sim.endpoint}/_sim/instances/${instanceId}/change-host-key`, { method: 'POST' });
    expect(response.status).toBe(200);
    const after = view(instanceId).ssh!;
    expect(after.hostKeyFingerprint).not.toBe(before.hostKeyFingerprint);
    const result = await sshRun(after, 'elastiq', privateKey, 'true');
    expect(result.hostKeyFingerprint).toBe(after.hostKeyFingerprint);
  });

  it('leaves no sshd behind when cloud-sim stops', async () => {
    const other = await startCloudSim({ bootDelay: 'fixed:50ms', rateLimits: 'off' });
    const client = ec2ClientFor(other);
    await client.send(new ImportKeyPairCommand({ KeyName: 'k', PublicKeyMaterial: Buffer.from(key.publicKey) }));
    await client.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 3, MaxCount: 3, KeyName: 'k' }));
    await waitFor('3 SSH servers', () => (other.instances().every((i) => i.ssh) ? true : undefined));
    const addresses = other.instances().map((i) => i.privateIpAddress);
    expect(sshdProcessesOn(addresses)).toHaveLength(3);
    await other.stop();
    expect(sshdProcessesOn(addresses)).toEqual([]);
  });
});

function sshdProcessesOn(addresses: readonly string[]): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('sshd') && addresses.some((address) => line.includes(`${address}:`)));
}

function acceptsTcp(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function firstBytesWithin(address: string, port: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('connected, no banner');
    }, ms);
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(`banner: ${data.toString('utf8').trim()}`);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(`error: ${error.message}`);
    });
  });
}
