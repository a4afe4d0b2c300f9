import { readFileSync } from 'node:fs';
import { ImportKeyPairCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { type InstanceView, type RunningCloudSim, startCloudSim } from '../src';
import { ec2ClientFor, waitFor } from './support/ec2-client';
import { sshRun } from './support/ssh-session';

jest.setTimeout(30_000);

// The light runtime (an in-process SSH server per instance) behind the same EC2 side.
describe('instances on the light runtime', () => {
  let sim: RunningCloudSim;
  let keyDir: TempDir;

  beforeAll(async () => {
    keyDir = await makeTempDir('cloud-sim-light');
    sim = await startCloudSim({ runtime: 'light', bootDelay: 'fixed:100ms', transitionMs: 20, rateLimits: 'off' });
  });
  afterAll(async () => {
    await sim?.stop();
    await keyDir?.cleanup();
  });

  it('answers SSH as the image user with the imported key, and keeps its host key across stop/start', async () => {
    const key = await generateSshKeyPair(keyDir.path);
    const ec2 = ec2ClientFor(sim);
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'light', PublicKeyMaterial: Buffer.from(key.publicKey) }));
    const reservation = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, KeyName: 'light' }),
    );
    const instanceId = reservation.Instances![0].InstanceId!;
    const view = (): InstanceView => sim.instances().find((i) => i.instanceId === instanceId)!;
    const before = await waitFor('SSH-ready', () => view().ssh ?? undefined);
    const privateKey = readFileSync(key.privateKeyPath, 'utf8');
    const result = await sshRun(before, 'elastiq', privateKey, 'echo hello');
    expect(result).toMatchObject({ code: 0, stdout: 'hello\n', hostKeyFingerprint: before.hostKeyFingerprint });

    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor('stopped', () => (view().state === 'stopped' ? true : undefined));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    const after = await waitFor('SSH-ready again', () => view().ssh ?? undefined);
    expect(after.hostKeyFingerprint).toBe(before.hostKeyFingerprint);
  });

  it('with newAddressOnStart, comes back from a stop at a new address that answers SSH with the same host key', async () => {
    const key = await generateSshKeyPair(keyDir.path);
    const ec2 = ec2ClientFor(sim);
    await ec2.send(new ImportKeyPairCommand({ KeyName: 'moving', PublicKeyMaterial: Buffer.from(key.publicKey) }));
    const reservation = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, KeyName: 'moving' }));
    const instanceId = reservation.Instances![0].InstanceId!;
    const view = (): InstanceView => sim.instances().find((i) => i.instanceId === instanceId)!;
    const before = await waitFor('SSH-ready', () => view().ssh ?? undefined);
    sim.setFaults({ newAddressOnStart: true });
    try {
      await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
      await waitFor('stopped', () => (view().state === 'stopped' ? true : undefined));
      await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
      const after = await waitFor('SSH-ready again', () => view().ssh ?? undefined);
      expect(after.address).not.toBe(before.address);
      expect(view().privateIpAddress).toBe(after.address);
      const result = await sshRun(after, 'elastiq', readFileSync(key.privateKeyPath, 'utf8'), 'echo moved');
      expect(result).toMatchObject({ code: 0, stdout: 'moved\n', hostKeyFingerprint: before.hostKeyFingerprint });
    } finally {
      sim.clearFaults();
    }
  });
});
