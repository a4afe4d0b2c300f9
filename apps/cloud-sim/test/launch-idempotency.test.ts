import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { errorCodeOf } from './support/ec2-client';
import { useApiSim } from './support/api-sim';

describe('RunInstances idempotency (ClientToken)', () => {
  const api = useApiSim({ runtime: 'none', bootDelay: 'fixed:20ms', rateLimits: 'off' }, { resetBetweenTests: true });

  const launch = (extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}) =>
    api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', InstanceType: 't3.micro', MinCount: 1, MaxCount: 3, ...extra }));

  it('launches new instances on every call without a token (the duplicate-launch hazard)', async () => {
    await launch();
    await launch();
    expect(api.sim.instances()).toHaveLength(6);
  });

  it('answers a repeated call with the same token and parameters with the original reservation, launching nothing', async () => {
    const first = await launch({ ClientToken: 'batch-1' });
    const again = await launch({ ClientToken: 'batch-1' });
    const third = await launch({ ClientToken: 'batch-1' });
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(third.Instances?.map((i) => i.InstanceId)).toEqual(first.Instances?.map((i) => i.InstanceId));
    expect(api.sim.instances()).toHaveLength(3);
    expect(api.sim.instances().every((instance) => instance.clientToken === 'batch-1')).toBe(true);
  });

  it('returns the original reservation even after its instances changed state', async () => {
    const first = await launch({ ClientToken: 'batch-2', MaxCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await launch({ ClientToken: 'batch-2', MaxCount: 1 });
    expect(again.Instances?.[0].InstanceId).toBe(first.Instances?.[0].InstanceId);
    expect(again.Instances?.[0].State?.Name).toBe('running');
  });

  it('refuses the same token with different parameters (IdempotentParameterMismatch) and launches nothing', async () => {
    await launch({ ClientToken: 'batch-3' });
    expect(await errorCodeOf(launch({ ClientToken: 'batch-3', MaxCount: 4 }))).toBe('IdempotentParameterMismatch');
    expect(await errorCodeOf(launch({ ClientToken: 'batch-3', InstanceType: 't3.small' }))).toBe('IdempotentParameterMismatch');
    expect(api.sim.instances()).toHaveLength(3);
  });

  it('treats tokens as case-sensitive', async () => {
    await launch({ ClientToken: 'Token', MaxCount: 1 });
    await launch({ ClientToken: 'token', MaxCount: 1 });
    expect(api.sim.instances()).toHaveLength(2);
  });

  it('does not remember a token whose call failed, so a retry can still launch', async () => {
    api.sim.setFaults({ instanceQuota: 0 });
    expect(await errorCodeOf(launch({ ClientToken: 'batch-4' }))).toBe('InstanceLimitExceeded');
    api.sim.clearFaults();
    const retried = await launch({ ClientToken: 'batch-4' });
    expect(retried.Instances).toHaveLength(3);
  });

  it('tags every instance of a call at launch, so none is ever seen untagged', async () => {
    const reservation = await launch({
      ClientToken: 'batch-5',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'elastiq:cluster', Value: 'c1' }] }],
    });
    for (const instance of reservation.Instances ?? []) {
      expect(instance.Tags).toEqual([{ Key: 'elastiq:cluster', Value: 'c1' }]);
    }
    const described = await api.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:elastiq:cluster', Values: ['c1'] }] }),
    );
    expect(described.Reservations?.[0].Instances?.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2]);
  });
});
