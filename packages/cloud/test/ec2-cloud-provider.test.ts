import { CloudError } from '@elastiq/core';
import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { clientTokenFor, Ec2CloudProvider, TAG_CLUSTER, TAG_GENERATION, TAG_KIND } from '../src';
import { callsOf, launchRequest, type SimAndProvider, startSimWithProvider } from './support';

let env: SimAndProvider;
let temp: TempDir;

beforeAll(async () => {
  env = await startSimWithProvider();
  temp = await makeTempDir('cloud-provider');
  const key = await generateSshKeyPair(temp.path, 'ed25519');
  await env.provider.ensureKeyPair('elastiq-test', key.publicKeyPath);
});

afterAll(async () => {
  await env?.stop();
  await temp?.cleanup();
});

describe('Ec2CloudProvider.launch', () => {
  it('launches a batch with one RunInstances call, tagged at launch, in launch-index order', async () => {
    const before = callsOf(env.sim, 'RunInstances');

    const instances = await env.provider.launch(launchRequest('alpha', 'b1', 3));

    expect(callsOf(env.sim, 'RunInstances') - before).toBe(1);
    expect(instances.map((instance) => instance.launchIndex)).toEqual([0, 1, 2]);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        instanceId: expect.stringMatching(/^i-/),
        state: expect.stringMatching(/^(pending|running)$/),
        clientToken: clientTokenFor('alpha', 1, 'b1'),
        tags: { [TAG_CLUSTER]: 'alpha', [TAG_GENERATION]: '1', [TAG_KIND]: 'compute' },
      });
    }
  });

  it('returns the original instances when the same batch is launched again, creating none', async () => {
    const first = await env.provider.launch(launchRequest('beta', 'b1', 2));
    const liveBefore = env.sim.instances().length;

    const retried = await env.provider.launch(launchRequest('beta', 'b1', 2));
    const duplicated = await Promise.all([1, 2, 3].map(() => env.provider.launch(launchRequest('beta', 'b1', 2))));

    expect(retried.map((instance) => instance.instanceId)).toEqual(first.map((instance) => instance.instanceId));
    for (const copy of duplicated) expect(copy.map((instance) => instance.instanceId)).toEqual(first.map((instance) => instance.instanceId));
    expect(env.sim.instances().length).toBe(liveBefore);
  });

  it('fails loudly, without retry, when a token is reused with other parameters', async () => {
    await env.provider.launch(launchRequest('gamma', 'b1', 1));

    const reused = env.provider.launch(launchRequest('gamma', 'b1', 2));

    await expect(reused).rejects.toMatchObject({ code: 'IdempotentParameterMismatch', retryable: false });
  });

  it('sends user data base64-encoded, as EC2 requires (cloud-sim rejects anything else)', async () => {
    const instances = await env.provider.launch(launchRequest('delta', 'b1', 1, { userData: '#!/bin/sh\necho hi\n' }));

    expect(instances).toHaveLength(1);
  });

  it('resolves a security group given by name to its id when launching into a subnet, once per name', async () => {
    const before = callsOf(env.sim, 'DescribeSecurityGroups');

    await env.provider.launch(launchRequest('delta-vpc', 'b1', 1, { subnetId: 'subnet-0abc' }));
    await env.provider.launch(launchRequest('delta-vpc', 'b2', 1, { subnetId: 'subnet-0abc' }));

    expect(callsOf(env.sim, 'DescribeSecurityGroups') - before).toBe(1);
  });

  it('names security_group when the group does not exist', async () => {
    const attempt = env.provider.launch(launchRequest('delta-vpc', 'b3', 1, { subnetId: 'subnet-0abc', securityGroup: 'no-such-group' }));

    await expect(attempt).rejects.toMatchObject({ code: 'InvalidGroup.NotFound', retryable: false, hint: expect.stringContaining('security_group') });
  });
});

describe('Ec2CloudProvider.describeCluster', () => {
  it('finds every instance of a cluster with tag filters, optionally one generation, and nothing else', async () => {
    await env.provider.launch(launchRequest('epsilon', 'b1', 2));
    await env.provider.launch(launchRequest('epsilon', 'b2', 1, { clientToken: clientTokenFor('epsilon', 2, 'b2'), tags: { [TAG_CLUSTER]: 'epsilon', [TAG_GENERATION]: '2' } }));
    await env.provider.launch(launchRequest('epsilon-other', 'b1', 1));

    const all = await env.provider.describeCluster('epsilon');
    const second = await env.provider.describeCluster('epsilon', 2);

    expect(all).toHaveLength(3);
    expect(all.every((instance) => instance.tags[TAG_CLUSTER] === 'epsilon')).toBe(true);
    expect(second).toHaveLength(1);
    expect(second[0].tags[TAG_GENERATION]).toBe('2');
  });

  it('returns an empty list for a cluster the cloud has never seen', async () => {
    await expect(env.provider.describeCluster('never-launched')).resolves.toEqual([]);
  });
});

describe('Ec2CloudProvider.terminate', () => {
  it('terminates, and terminating again is not an error', async () => {
    const ids = (await env.provider.launch(launchRequest('zeta', 'b1', 2))).map((instance) => instance.instanceId);

    await env.provider.terminate(ids);
    await env.provider.terminate(ids);

    const states = (await env.provider.describeCluster('zeta')).map((instance) => instance.state);
    expect(states.every((state) => state === 'shutting-down' || state === 'terminated')).toBe(true);
  });

  it('treats ids the cloud does not know as already gone and still terminates the others', async () => {
    const [known] = await env.provider.launch(launchRequest('eta', 'b1', 1));

    await env.provider.terminate(['i-0123456789abcdef0', known.instanceId, 'i-0fedcba9876543210']);

    const [after] = await env.provider.describeCluster('eta');
    expect(after.state).toMatch(/^(shutting-down|terminated)$/);
  });

  it('does nothing for an empty list', async () => {
    const before = callsOf(env.sim, 'TerminateInstances');
    await env.provider.terminate([]);
    expect(callsOf(env.sim, 'TerminateInstances')).toBe(before);
  });
});

describe('Ec2CloudProvider.tag', () => {
  it('puts one set of tags on many instances with one CreateTags call', async () => {
    const ids = (await env.provider.launch(launchRequest('theta', 'b1', 3))).map((instance) => instance.instanceId);
    const before = callsOf(env.sim, 'CreateTags');

    await env.provider.tag(ids, { 'elastiq:node': 'compute', Name: 'theta-compute' });

    expect(callsOf(env.sim, 'CreateTags') - before).toBe(1);
    const described = await env.provider.describeCluster('theta');
    expect(described.map((instance) => instance.tags.Name)).toEqual(['theta-compute', 'theta-compute', 'theta-compute']);
  });
});

describe('errors from the cloud are classified', () => {
  afterEach(() => env.sim.clearFaults());

  it('throttling is retryable', async () => {
    env.sim.setFaults({ errorSequences: { RunInstances: ['RequestLimitExceeded'] } });

    const attempt = env.provider.launch(launchRequest('iota', 'b1', 1));

    await expect(attempt).rejects.toBeInstanceOf(CloudError);
    await expect(attempt).rejects.toMatchObject({ code: 'RequestLimitExceeded', retryable: true });
  });

  it('an exhausted instance quota is not retryable and says how to fix it', async () => {
    env.sim.setFaults({ instanceQuota: 0 });

    const attempt = env.provider.launch(launchRequest('kappa', 'b1', 1));

    await expect(attempt).rejects.toMatchObject({ code: 'InstanceLimitExceeded', retryable: false, hint: expect.stringContaining('min_nodes') });
  });

  it('missing capacity for the flavor is retryable', async () => {
    env.sim.setFaults({ capacity: [{ instanceType: 'c5.4xlarge', limit: 0 }] });

    const attempt = env.provider.launch(launchRequest('lambda', 'b1', 1, { flavor: 'c5.4xlarge' }));

    await expect(attempt).rejects.toMatchObject({ code: 'InsufficientInstanceCapacity', retryable: true });
  });

  it('a bad image is not retryable and names image_id', async () => {
    const attempt = env.provider.launch(launchRequest('mu', 'b1', 1, { imageId: 'ami-doesnotexist' }));

    await expect(attempt).rejects.toMatchObject({ code: 'InvalidAMIID.NotFound', retryable: false, hint: expect.stringContaining('image_id') });
  });
});

describe('the SDK retries throttled calls by itself when allowed to', () => {
  it('launches after one throttled answer with maxAttempts 3, with the same client token', async () => {
    const retrying = await startSimWithProvider({}, 3);
    try {
      const key = await generateSshKeyPair(temp.path, 'ed25519');
      await retrying.provider.ensureKeyPair('elastiq-test', key.publicKeyPath);
      retrying.sim.setFaults({ errorSequences: { RunInstances: ['RequestLimitExceeded', 'ok'] } });

      const instances = await retrying.provider.launch(launchRequest('nu', 'b1', 2));

      expect(instances).toHaveLength(2);
      expect(retrying.sim.stats().byAction.RunInstances).toMatchObject({ calls: 2, errors: { RequestLimitExceeded: 1 } });
    } finally {
      await retrying.stop();
    }
  });
});

describe('credentials', () => {
  it('signs with the credentials from the config when given', async () => {
    await env.provider.describeCluster('any');

    expect(env.sim.stats().accessKeys.AKIDELASTIQTEST).toBeGreaterThan(0);
  });

  it('falls back to the standard AWS chain (here: the environment) when the config has none', async () => {
    const saved = { ...process.env };
    // The chain must stop at the environment: instance metadata (169.254.169.254) is off limits here.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDFROMTHECHAIN', AWS_SECRET_ACCESS_KEY: 'chain-secret', AWS_EC2_METADATA_DISABLED: 'true' });
    const fromChain = new Ec2CloudProvider({ region: env.sim.region, endpoint: env.sim.endpoint, maxAttempts: 1 });
    try {
      await fromChain.describeCluster('any');

      expect(env.sim.stats().accessKeys.AKIDFROMTHECHAIN).toBeGreaterThan(0);
    } finally {
      fromChain.destroy();
      process.env = saved;
    }
  });
});
