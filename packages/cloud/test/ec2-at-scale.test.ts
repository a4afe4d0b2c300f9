import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { clientTokenFor } from '../src';
import { callsOf, launchRequest, type SimAndProvider, startSimWithProvider } from './support';

// 1,200 instances without SSH servers: the API calls at cluster scale (ec2-facts.md rate limits).
// Parsing 1,200 instances of XML takes about a second, more on a busy machine: generous timeouts.
const SCALE_TIMEOUT_MS = 120_000;

let env: SimAndProvider;
let temp: TempDir;

beforeAll(async () => {
  env = await startSimWithProvider();
  temp = await makeTempDir('cloud-scale');
  const key = await generateSshKeyPair(temp.path, 'ed25519');
  await env.provider.ensureKeyPair('elastiq-test', key.publicKeyPath);
  await env.provider.launch(launchRequest('big', 'b1', 1000));
  await env.provider.launch(launchRequest('big', 'b2', 200));
  await env.provider.launch(launchRequest('small', 'b1', 5, { clientToken: clientTokenFor('small', 1, 'b1') }));
}, SCALE_TIMEOUT_MS);

afterAll(async () => {
  await env?.stop();
  await temp?.cleanup();
});

describe('a 1,200-node cluster', () => {
  it('is launched with two RunInstances calls', () => {
    expect(callsOf(env.sim, 'RunInstances')).toBe(3); // two for "big", one for "small"
  });

  it('is read with two paginated DescribeInstances calls, every instance exactly once', async () => {
    const before = callsOf(env.sim, 'DescribeInstances');

    const instances = await env.provider.describeCluster('big');

    expect(callsOf(env.sim, 'DescribeInstances') - before).toBe(2);
    expect(instances).toHaveLength(1200);
    expect(new Set(instances.map((instance) => instance.instanceId)).size).toBe(1200);
  }, SCALE_TIMEOUT_MS);

  it('is terminated in chunks of at most 1000 ids, and a second terminate changes nothing', async () => {
    const ids = (await env.provider.describeCluster('big')).map((instance) => instance.instanceId);
    const before = callsOf(env.sim, 'TerminateInstances');

    await env.provider.terminate(ids);
    await env.provider.terminate(ids);

    expect(callsOf(env.sim, 'TerminateInstances') - before).toBe(4);
    const states = new Set((await env.provider.describeCluster('big')).map((instance) => instance.state));
    expect([...states].every((state) => state === 'shutting-down' || state === 'terminated')).toBe(true);
    expect((await env.provider.describeCluster('small')).every((instance) => instance.state !== 'terminated')).toBe(true);
  }, SCALE_TIMEOUT_MS);
});
