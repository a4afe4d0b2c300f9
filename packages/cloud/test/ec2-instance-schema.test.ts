import { CloudError } from '@elastiq/core';
import { cloudInstanceFrom } from '../src/ec2-instance-schema';

describe('reading an instance the cloud returned', () => {
  it('keeps what elastiq relies on: id, state, launch index, addresses, tags, token, launch time', () => {
    const instance = cloudInstanceFrom(
      {
        InstanceId: 'i-0abc',
        State: { Name: 'running', Code: 16 },
        AmiLaunchIndex: 2,
        PrivateIpAddress: '127.0.1.3',
        ClientToken: 'tok',
        LaunchTime: new Date('2026-01-02T03:04:05Z'),
        Tags: [{ Key: 'elastiq:cluster', Value: 'slurm' }, { Key: 'empty' }],
      },
      'DescribeInstances',
    );

    expect(instance).toEqual({
      instanceId: 'i-0abc',
      state: 'running',
      launchIndex: 2,
      privateIp: '127.0.1.3',
      publicIp: null,
      tags: { 'elastiq:cluster': 'slurm', empty: '' },
      clientToken: 'tok',
      launchTime: '2026-01-02T03:04:05.000Z',
      market: 'on-demand',
      stateReason: null,
    });
  });

  it('reads a spot instance and why the market ended it', () => {
    const instance = cloudInstanceFrom(
      { InstanceId: 'i-0spot', State: { Name: 'terminated' }, InstanceLifecycle: 'spot', StateReason: { Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' } },
      'DescribeInstances',
    );
    expect(instance).toMatchObject({ market: 'spot', stateReason: 'Server.SpotInstanceTermination' });
  });

  it.each([
    ['without an id', { State: { Name: 'running' as const } }, /InstanceId/],
    ['without a state', { InstanceId: 'i-0abc' }, /i-0abc.*State/],
    ['in a state EC2 does not have', { InstanceId: 'i-0abc', State: { Name: 'exploded' as never } }, /State\.Name/],
  ])('reports an instance %s as a CloudError naming the field, not a crash', (_case, raw, field) => {
    const read = () => cloudInstanceFrom(raw, 'RunInstances');

    expect(read).toThrow(CloudError);
    expect(read).toThrow(field);
    expect(read).toThrow(/RunInstances returned an unusable instance/);
  });
});
