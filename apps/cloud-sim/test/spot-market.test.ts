import { DescribeInstancesCommand, RunInstancesCommand, type RunInstancesCommandInput, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { errorCodeOf, waitFor } from './support/ec2-client';
import { useApiSim } from './support/api-sim';

// Spot through RunInstances, as EC2 takes it: a pool of its own, a price check, one-time
// instances that cannot be stopped, and an interruption that ends them with EC2's state reason.

describe('spot launches', () => {
  const api = useApiSim({ runtime: 'none', rateLimits: 'off', transitionMs: 0, bootDelay: 'fixed:10ms' }, { resetBetweenTests: true });

  const spot = (maxPrice?: string, extra: Partial<RunInstancesCommandInput> = {}) =>
    api.ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-sim',
        InstanceType: 'c5.large',
        MinCount: 1,
        MaxCount: 1,
        InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { ...(maxPrice ? { MaxPrice: maxPrice } : {}), SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } },
        ...extra,
      }),
    );
  const onDemand = () => api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', InstanceType: 'c5.large', MinCount: 1, MaxCount: 1 }));
  const describe1 = async (id: string) => (await api.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];

  it('launches a spot instance that DescribeInstances shows as spot', async () => {
    const id = (await spot('0.05')).Instances?.[0].InstanceId as string;
    const described = await describe1(id);
    expect(described?.InstanceLifecycle).toBe('spot');
    expect(described?.SpotInstanceRequestId).toMatch(/^sir-/);
    expect(api.sim.instances()[0]).toMatchObject({ instanceId: id, market: 'spot' });
  });

  it('keeps spot and on-demand capacity apart', async () => {
    api.sim.setFaults({ spotCapacity: [{ instanceType: 'c5.large', limit: 1 }], capacity: [{ instanceType: 'c5.large', limit: 1 }] });
    await spot();
    expect(await errorCodeOf(spot())).toBe('InsufficientInstanceCapacity');
    expect(await errorCodeOf(onDemand())).toBe('none');
    expect(await errorCodeOf(onDemand())).toBe('InsufficientInstanceCapacity');
  });

  it('refuses a MaxPrice below the spot price with SpotMaxPriceTooLow, and other spot kinds with Unsupported', async () => {
    api.sim.setFaults({ spotPrices: { 'c5.large': 0.2 } });
    const error = await spot('0.1').catch((failure) => failure);
    expect(error.name).toBe('SpotMaxPriceTooLow');
    expect(error.message).toContain('lower than the minimum required Spot request fulfillment price of 0.2');
    expect(await errorCodeOf(spot('0.2'))).toBe('none');
    const persistent = api.ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'persistent' } } }),
    );
    expect(await errorCodeOf(persistent)).toBe('Unsupported');
  });

  it('cannot stop a one-time spot instance; an interruption terminates it with Server.SpotInstanceTermination', async () => {
    const id = (await spot()).Instances?.[0].InstanceId as string;
    await waitFor('running', async () => ((await describe1(id))?.State?.Name === 'running' ? true : undefined));
    expect(await errorCodeOf(api.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })))).toBe('UnsupportedOperation');
    api.sim.interruptSpotInstance(id);
    const ended = await waitFor('terminated', async () => {
      const described = await describe1(id);
      return described?.State?.Name === 'terminated' ? described : undefined;
    });
    expect(ended.StateReason).toEqual({ Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' });
    const plain = (await onDemand()).Instances?.[0].InstanceId as string;
    expect(() => api.sim.interruptSpotInstance(plain)).toThrow(/not a spot instance/);
  });
});
