import {
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { errorCodeOf, waitFor } from './support/ec2-client';
import { useApiSim } from './support/api-sim';

describe('capacity and quota faults with MinCount/MaxCount', () => {
  const api = useApiSim({ runtime: 'none', rateLimits: 'off', transitionMs: 0, bootDelay: 'fixed:10ms' }, { resetBetweenTests: true });

  const launch = (minCount: number, maxCount: number, extra: object = {}) =>
    api.ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-sim', InstanceType: 'c5.large', MinCount: minCount, MaxCount: maxCount, ...extra }),
    );

  it('launches only what capacity allows when MinCount is met (a partial launch)', async () => {
    api.sim.setFaults({ capacity: [{ instanceType: 'c5.large', availabilityZone: 'us-east-1a', limit: 3 }] });
    const reservation = await launch(2, 5, { Placement: { AvailabilityZone: 'us-east-1a' } });
    expect(reservation.Instances).toHaveLength(3);
  });

  it('launches nothing and answers InsufficientInstanceCapacity below MinCount', async () => {
    api.sim.setFaults({ capacity: [{ instanceType: 'c5.large', limit: 2 }] });
    await launch(1, 1);
    const call = launch(2, 4);
    expect(await errorCodeOf(call)).toBe('InsufficientInstanceCapacity');
    expect(api.sim.instances()).toHaveLength(1);
    const error = await launch(2, 4).catch((failure) => failure);
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  it('limits only the named type and zone; another zone still has room', async () => {
    api.sim.setFaults({ capacity: [{ instanceType: 'c5.large', availabilityZone: 'us-east-1a', limit: 0 }] });
    const inA = launch(1, 1, { Placement: { AvailabilityZone: 'us-east-1a' } });
    expect(await errorCodeOf(inA)).toBe('InsufficientInstanceCapacity');
    const anywhere = await launch(1, 1);
    expect(anywhere.Instances?.[0].Placement?.AvailabilityZone).not.toBe('us-east-1a');
    const otherType = await launch(1, 1, { InstanceType: 't3.micro', Placement: { AvailabilityZone: 'us-east-1a' } });
    expect(otherType.Instances).toHaveLength(1);
  });

  it('frees capacity when instances terminate', async () => {
    api.sim.setFaults({ capacity: [{ instanceType: 'c5.large', limit: 1 }] });
    const first = await launch(1, 1);
    expect(await errorCodeOf(launch(1, 1))).toBe('InsufficientInstanceCapacity');
    await api.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first.Instances![0].InstanceId!] }));
    expect(await errorCodeOf(launch(1, 1))).toBe('none');
  });

  it('answers InstanceLimitExceeded beyond the account quota, and fills up to it when MinCount allows', async () => {
    api.sim.setFaults({ instanceQuota: 4 });
    const partial = await launch(1, 10);
    expect(partial.Instances).toHaveLength(4);
    expect(await errorCodeOf(launch(1, 1))).toBe('InstanceLimitExceeded');
  });

  it('lets a stopped instance give up its capacity, so starting it again can fail for capacity', async () => {
    api.sim.setFaults({ capacity: [{ instanceType: 'c5.large', limit: 1 }] });
    const first = (await launch(1, 1)).Instances![0].InstanceId!;
    await waitFor('running', () => (api.sim.instances()[0].state === 'running' ? true : undefined));
    await api.ec2.send(new StopInstancesCommand({ InstanceIds: [first] }));
    await waitFor('stopped', () => (api.sim.instances()[0].state === 'stopped' ? true : undefined));
    await launch(1, 1);
    const start = api.ec2.send(new StartInstancesCommand({ InstanceIds: [first] }));
    expect(await errorCodeOf(start)).toBe('InsufficientInstanceCapacity');
    expect(api.sim.instances()[0].state).toBe('stopped');
  });

  it('counts starting instances against the quota', async () => {
    api.sim.setFaults({ instanceQuota: 1 });
    const first = (await launch(1, 1)).Instances![0].InstanceId!;
    await waitFor('running', () => (api.sim.instances()[0].state === 'running' ? true : undefined));
    await api.ec2.send(new StopInstancesCommand({ InstanceIds: [first] }));
    await waitFor('stopped', () => (api.sim.instances()[0].state === 'stopped' ? true : undefined));
    await launch(1, 1, { InstanceType: 't3.micro' });
    expect(await errorCodeOf(api.ec2.send(new StartInstancesCommand({ InstanceIds: [first] })))).toBe('InstanceLimitExceeded');
  });
});
