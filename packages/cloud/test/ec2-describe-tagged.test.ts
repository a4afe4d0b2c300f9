import { generateSshKeyPair, makeTempDir, type TempDir } from '@elastiq/testing';
import { clientTokenFor, TAG_CLUSTER, TAG_GENERATION, TAG_INSTALLATION } from '../src';
import { callsOf, launchRequest, type SimAndProvider, startSimWithProvider } from './support';

// gc finds an installation's instances with one tag-filtered, paginated DescribeInstances.

let env: SimAndProvider;
let temp: TempDir;

beforeAll(async () => {
  env = await startSimWithProvider();
  temp = await makeTempDir('cloud-describe-tagged');
  await env.provider.ensureKeyPair('elastiq-test', (await generateSshKeyPair(temp.path, 'ed25519')).publicKeyPath);
});

afterAll(async () => {
  await env?.stop();
  await temp?.cleanup();
});

describe('Ec2CloudProvider.describeTagged', () => {
  it('lists the instances carrying one tag value, across clusters, leaving out terminated ones and other values', async () => {
    const tagged = (cluster: string, batch: string, count: number, installation: string) =>
      env.provider.launch(launchRequest(cluster, batch, count, { clientToken: clientTokenFor(cluster, 1, batch), tags: { [TAG_CLUSTER]: cluster, [TAG_GENERATION]: '1', [TAG_INSTALLATION]: installation } }));
    const ours = [...(await tagged('one', 'b1', 2, 'install-a')), ...(await tagged('two', 'b1', 1, 'install-a'))];
    await tagged('three', 'b1', 2, 'install-b');
    await env.provider.launch(launchRequest('four', 'b1', 1));
    await env.provider.terminate([ours[0].instanceId]);
    const before = callsOf(env.sim, 'DescribeInstances');

    const listed = await env.provider.describeTagged(TAG_INSTALLATION, 'install-a');

    expect(listed.map((instance) => instance.instanceId).sort()).toEqual(ours.slice(1).map((instance) => instance.instanceId).sort());
    expect(callsOf(env.sim, 'DescribeInstances') - before).toBe(1);
  });

  it('returns an empty list for a value no instance carries', async () => {
    await expect(env.provider.describeTagged(TAG_INSTALLATION, 'never-used')).resolves.toEqual([]);
  });
});
