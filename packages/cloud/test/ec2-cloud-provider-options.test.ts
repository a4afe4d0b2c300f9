import { CloudError, ConfigurationError } from '@elastiq/core';
import { Ec2CloudProvider, type LaunchRequest, TAG_CLUSTER, TAG_GENERATION } from '../src';

describe('Ec2CloudProvider options', () => {
  it('names the config key of a bad setting without echoing the secret key', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const build = () =>
      new Ec2CloudProvider({ region: 'Not A Region', endpoint: 'ftp://x', credentials: { accessKeyId: '', secretAccessKey: secret } });

    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/ec2_region.*ec2_url.*ec2_access_key/s);
    expect(build).not.toThrow(new RegExp(secret.slice(0, 10)));
  });

  it('accepts a local endpoint and no credentials (the standard AWS chain)', () => {
    const provider = new Ec2CloudProvider({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    provider.destroy();
  });
});

describe('Ec2CloudProvider.launch refuses a bad request before calling the cloud', () => {
  // Port 9 (discard) on loopback: if a call were made it would fail with a network error instead.
  const provider = new Ec2CloudProvider({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
  afterAll(() => provider.destroy());

  const valid: LaunchRequest = {
    clientToken: 'slurm-g1-abc',
    imageId: 'ami-1',
    flavor: 't3.micro',
    keyName: 'elastiq',
    securityGroup: 'default',
    minCount: 1,
    maxCount: 2,
    tags: { [TAG_CLUSTER]: 'slurm', [TAG_GENERATION]: '1' },
  };

  it.each([
    ['untagged', { tags: { Name: 'x' } }, /tags must include elastiq:cluster and elastiq:generation/],
    ['a token over 64 characters', { clientToken: 'x'.repeat(65) }, /clientToken/],
    ['more than 1000 instances', { maxCount: 1001 }, /maxCount/],
    ['MinCount above MaxCount', { minCount: 3, maxCount: 2 }, /minCount must not exceed maxCount/],
  ])('%s', async (_name, change, message) => {
    const attempt = provider.launch({ ...valid, ...change });

    await expect(attempt).rejects.toBeInstanceOf(CloudError);
    await expect(attempt).rejects.toMatchObject({ code: 'InvalidLaunchRequest', retryable: false, message: expect.stringMatching(message) });
  });
});
