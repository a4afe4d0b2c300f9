import { CloudError } from '@elastiq/core';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { callsOf, type SimAndProvider, startSimWithProvider } from './support';

let env: SimAndProvider;
let temp: TempDir;

beforeAll(async () => {
  env = await startSimWithProvider();
  temp = await makeTempDir('cloud-launch-check');
  const key = await generateSshKeyPair(temp.path, 'ed25519');
  await env.provider.ensureKeyPair('elastiq-test', key.publicKeyPath);
});

afterAll(async () => {
  await env?.stop();
  await temp?.cleanup();
});

describe('Ec2CloudProvider.checkLaunchParameters', () => {
  it('passes when image, flavor, security group (by name or id) and key pair exist', async () => {
    await expect(
      env.provider.checkLaunchParameters({
        imageIds: ['ami-sim'],
        flavors: ['t3.micro', 'm5.large'],
        securityGroups: ['default'],
        keyName: 'elastiq-test',
      }),
    ).resolves.toBeUndefined();
  });

  it('lists every missing thing in one message, each with the config key to fix, and launches nothing', async () => {
    const launchesBefore = callsOf(env.sim, 'RunInstances');

    const error = await env.provider
      .checkLaunchParameters({
        imageIds: ['ami-sim', 'ami-missing'],
        flavors: ['t3.micro', 'x9.enormous'],
        securityGroups: ['default', 'no-such-group', 'sg-0123456789abcdef0'],
        keyName: 'no-such-key',
      })
      .catch((caught: Error) => caught);

    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ code: 'InvalidLaunchParameters', retryable: false });
    const message = (error as CloudError).message;
    expect(message).toContain('image_id `ami-missing`');
    expect(message).toContain('flavor `x9.enormous`');
    expect(message).toContain('security_group `no-such-group`');
    expect(message).toContain('security_group `sg-0123456789abcdef0`');
    expect(message).toContain('user_key_name `no-such-key`');
    expect(message).not.toContain('`ami-sim`');
    expect(message).not.toContain('`t3.micro`');
    expect(callsOf(env.sim, 'RunInstances')).toBe(launchesBefore);
  });

  it('reports a throttled check as retryable instead of as a missing thing', async () => {
    env.sim.setFaults({ errorSequences: { DescribeImages: ['RequestLimitExceeded'] } });
    try {
      const attempt = env.provider.checkLaunchParameters({ imageIds: ['ami-sim'], flavors: ['t3.micro'], securityGroups: ['default'], keyName: 'elastiq-test' });

      await expect(attempt).rejects.toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
    } finally {
      env.sim.clearFaults();
    }
  });
});
