import { type _InstanceType, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { useApiSim } from './support/api-sim';
import { errorCodeOf } from './support/ec2-client';

// /_sim/capacity (issue 11): capacity per (type × zone), changed while clients run, answered the
// way EC2 answers a zone without room for a type.

describe('/_sim/capacity', () => {
  const api = useApiSim({ runtime: 'none', rateLimits: 'off', transitionMs: 0, bootDelay: 'fixed:10ms' }, { resetBetweenTests: true });
  const post = (body: unknown) => fetch(`${api.sim.endpoint}/_sim/capacity`, { method: 'POST', body: JSON.stringify(body) });
  const launch = (zone: string, type: _InstanceType = 'c5.xlarge', count = 1) =>
    api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', InstanceType: type, MinCount: 1, MaxCount: count, Placement: { AvailabilityZone: zone } }));

  it('answers InsufficientInstanceCapacity with HTTP 500 for a type with no room in one zone, and launches elsewhere', async () => {
    const answer = await post({ rules: [{ instanceType: 'c5.xlarge', availabilityZone: 'us-east-1a', limit: 0 }] });
    expect(answer.status).toBe(200);
    const refused = await launch('us-east-1a').catch((error) => error);
    expect(refused.name).toBe('InsufficientInstanceCapacity');
    expect(refused.$metadata.httpStatusCode).toBe(500);
    expect(refused.message).toMatch(/c5\.xlarge capacity in the Availability Zone you requested \(us-east-1a\)/);
    expect((await launch('us-east-1b')).Instances).toHaveLength(1);
    expect((await launch('us-east-1a', 'm5.xlarge')).Instances).toHaveLength(1);
  });

  it('shows limit, use and room per type and zone, and takes a change at run time', async () => {
    await post({ rules: [{ instanceType: 'c5.xlarge', availabilityZone: 'us-east-1a', limit: 2 }] });
    await launch('us-east-1a', 'c5.xlarge', 5);
    const view = (await (await fetch(`${api.sim.endpoint}/_sim/capacity`)).json()) as { offerings: unknown[] };
    expect(view.offerings).toEqual([{ instanceType: 'c5.xlarge', availabilityZone: 'us-east-1a', limit: 2, inUse: 2, left: 0 }]);
    expect(await errorCodeOf(launch('us-east-1a'))).toBe('InsufficientInstanceCapacity');
    await post({ rules: [] });
    expect((await launch('us-east-1a')).Instances).toHaveLength(1);
  });

  it('refuses a malformed body naming the field', async () => {
    const answer = await post({ rules: [{ instanceType: 'c5.xlarge', limit: -1 }] });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toMatch(/rules\.0\.limit/);
  });

  it('launches into the zone of the subnet it is given', async () => {
    const reservation = await api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, SubnetId: 'subnet-simc' }));
    expect(reservation.Instances?.[0].Placement?.AvailabilityZone).toBe('us-east-1c');
  });
});
