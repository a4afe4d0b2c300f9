import {
  DescribeInstancesCommand,
  type EC2Client,
  type InstanceStateName,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type RunningCloudSim, startCloudSim } from '../src';
import { ec2ClientFor, errorCodeOf, waitFor } from './support/ec2-client';

describe('instance state machine', () => {
  let sim: RunningCloudSim;
  let ec2: EC2Client;

  beforeAll(async () => {
    sim = await startCloudSim({
      runtime: 'none',
      bootDelay: 'fixed:200ms',
      transitionMs: 100,
      terminatedRetentionMs: 1500,
      rateLimits: 'off',
    });
    ec2 = ec2ClientFor(sim);
  });
  afterAll(() => sim?.stop());

  async function stateOf(instanceId: string): Promise<string | undefined> {
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return described.Reservations?.[0].Instances?.[0].State?.Name;
  }
  const reaches = (instanceId: string, state: InstanceStateName) =>
    waitFor(`${instanceId} ${state}`, async () => (await stateOf(instanceId)) === state || undefined);

  async function launchOne(): Promise<string> {
    const reservation = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));
    return reservation.Instances![0].InstanceId!;
  }

  it('goes pending → running, with the private address known at launch and the public one once running', async () => {
    const reservation = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));
    const launched = reservation.Instances![0];
    expect(launched.State).toEqual({ Code: 0, Name: 'pending' });
    expect(launched.PrivateIpAddress).toMatch(/^127\.(?!0\.)\d+\.\d+\.\d+$/);
    expect(launched.PublicIpAddress).toBeUndefined();
    await reaches(launched.InstanceId!, 'running');
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }));
    const running = described.Reservations![0].Instances![0];
    expect(running.State).toEqual({ Code: 16, Name: 'running' });
    expect(running.PublicIpAddress).toBe(launched.PrivateIpAddress);
    const view = sim.instances().find((instance) => instance.instanceId === launched.InstanceId)!;
    expect(Date.parse(view.runningAt!)).toBeGreaterThan(Date.parse(view.launchedAt));
  });

  it('gives every instance its own loopback address, never 127.0.0.1', async () => {
    const reservation = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 20, MaxCount: 20 }));
    const addresses = reservation.Instances!.map((instance) => instance.PrivateIpAddress);
    expect(new Set(addresses).size).toBe(20);
    expect(addresses).not.toContain('127.0.0.1');
  });

  it('stops (running → stopping → stopped) and starts again (→ pending → running) keeping id and address', async () => {
    const instanceId = await launchOne();
    await reaches(instanceId, 'running');
    const address = sim.instances().find((i) => i.instanceId === instanceId)!.privateIpAddress;
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    expect(stopped.StoppingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'running' },
      CurrentState: { Name: 'stopping' },
    });
    await reaches(instanceId, 'stopped');
    const started = await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    expect(started.StartingInstances?.[0].CurrentState?.Name).toBe('pending');
    await reaches(instanceId, 'running');
    expect(sim.instances().find((i) => i.instanceId === instanceId)!.privateIpAddress).toBe(address);
  });

  it('terminates (→ shutting-down → terminated), and terminating again still succeeds', async () => {
    const instanceId = await launchOne();
    const first = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    expect(first.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'pending' },
      CurrentState: { Name: 'shutting-down' },
    });
    await reaches(instanceId, 'terminated');
    const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    expect(again.TerminatingInstances?.[0]).toMatchObject({
      PreviousState: { Name: 'terminated', Code: 48 },
      CurrentState: { Name: 'terminated', Code: 48 },
    });
  });

  it('keeps terminated instances visible for a while, then forgets them', async () => {
    const instanceId = await launchOne();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await reaches(instanceId, 'terminated');
    await waitFor('the instance to be forgotten', async () =>
      (await errorCodeOf(ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })))) ===
      'InvalidInstanceID.NotFound'
        ? true
        : undefined,
    );
    expect(sim.instances().some((instance) => instance.instanceId === instanceId)).toBe(false);
  });

  it('refuses to stop a terminated instance or start a running one from a wrong state (IncorrectInstanceState)', async () => {
    const instanceId = await launchOne();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    expect(await errorCodeOf(ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] })))).toBe(
      'IncorrectInstanceState',
    );
    expect(await errorCodeOf(ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] })))).toBe(
      'IncorrectInstanceState',
    );
  });

  it('changes nothing when one of several ids is unknown', async () => {
    const instanceId = await launchOne();
    const call = ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId, 'i-0123456789abcdef0'] }));
    expect(await errorCodeOf(call)).toBe('InvalidInstanceID.NotFound');
    expect(await stateOf(instanceId)).not.toBe('shutting-down');
  });
});
