import {
  DescribeInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { errorCodeOf } from './support/ec2-client';
import { useApiSim } from './support/api-sim';
import { rawQuery } from './support/raw-query';

describe('protocol and parameter errors, answered as EC2 answers them', () => {
  const api = useApiSim({ runtime: 'none', rateLimits: 'off' }, { resetBetweenTests: false });

  it('answers an unknown action with InvalidAction in the EC2 error document', async () => {
    const { status, xml } = await rawQuery(api.sim, { Action: 'LaunchRockets', Version: '2016-11-15' });
    expect(status).toBe(400);
    expect(xml).toMatch(/<Response><Errors><Error><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[\w-]+<\/RequestID><\/Response>/);
  });

  it('refuses unsigned requests (MissingAuthenticationToken)', async () => {
    const { status, xml } = await rawQuery(api.sim, { Action: 'DescribeInstances', Version: '2016-11-15' }, 'none');
    expect(status).toBe(401);
    expect(xml).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('records the access key of every call, whatever key it is', async () => {
    await api.ec2.send(new DescribeInstancesCommand({}));
    expect(api.sim.stats().accessKeys.AKIDCLOUDSIMTEST).toBeGreaterThan(0);
    expect(api.sim.stats().signatureVersions.v4).toBeGreaterThan(0);
  });

  it('answers a missing required parameter with MissingParameter naming it', async () => {
    const { xml } = await rawQuery(api.sim, { Action: 'RunInstances', Version: '2016-11-15', MinCount: '1', MaxCount: '1' });
    expect(xml).toContain('<Code>MissingParameter</Code>');
    expect(xml).toContain('ImageId');
  });

  it('answers a non-numeric count with InvalidParameterValue naming the parameter', async () => {
    const { xml } = await rawQuery(api.sim, {
      Action: 'RunInstances',
      Version: '2016-11-15',
      ImageId: 'ami-sim',
      MinCount: 'one',
      MaxCount: '1',
    });
    expect(xml).toContain('<Code>InvalidParameterValue</Code>');
    expect(xml).toContain('MinCount');
  });

  it('tells malformed instance ids from unknown ones', async () => {
    const malformed = api.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-xyz'] }));
    expect(await errorCodeOf(malformed)).toBe('InvalidInstanceID.Malformed');
    const unknown = api.ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }));
    expect(await errorCodeOf(unknown)).toBe('InvalidInstanceID.NotFound');
  });

  it('answers bad launch configuration with the codes launchers treat as non-retryable', async () => {
    const launch = (extra: object) =>
      errorCodeOf(api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1, ...extra })));
    expect(await launch({ ImageId: 'ami-doesnotexist' })).toBe('InvalidAMIID.NotFound');
    expect(await launch({ ImageId: 'ubuntu' })).toBe('InvalidAMIID.Malformed');
    expect(await launch({ KeyName: 'nobody' })).toBe('InvalidKeyPair.NotFound');
    expect(await launch({ SecurityGroups: ['no-such-group'] })).toBe('InvalidGroup.NotFound');
    expect(await launch({ InstanceType: 'x9.mega' })).toBe('InvalidParameterValue');
    expect(await launch({ MinCount: 3, MaxCount: 2 })).toBe('InvalidParameterValue');
    expect(await launch({ Placement: { AvailabilityZone: 'mars-1a' } })).toBe('InvalidParameterValue');
    expect(await launch({ ClientToken: 'x'.repeat(65) })).toBe('InvalidParameterValue');
    expect(api.sim.instances()).toHaveLength(0);
  });

  it('serves boto 2 era clients: SigV2 form fields, Version=2014-10-01, answered in that namespace', async () => {
    const { status, xml } = await rawQuery(
      api.sim,
      {
        Action: 'RunInstances',
        Version: '2014-10-01',
        ImageId: 'ami-sim',
        MinCount: '1',
        MaxCount: '1',
        InstanceType: 't2.micro',
        'SecurityGroup.1': 'default',
        'Placement.AvailabilityZone': 'us-east-1b',
      },
      'v2',
    );
    expect(status).toBe(200);
    expect(xml).toContain('<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">');
    expect(xml).toMatch(/<instancesSet><item><instanceId>i-[0-9a-f]{17}<\/instanceId>/);
    expect(xml).toContain('<availabilityZone>us-east-1b</availabilityZone>');
    expect(api.sim.stats().signatureVersions.v2).toBe(1);
    expect(api.sim.stats().accessKeys.AKIDBOTO2).toBe(1);
    expect(api.sim.stats().apiVersions['2014-10-01']).toBe(1);
  });
});
