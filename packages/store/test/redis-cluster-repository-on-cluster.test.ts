import { randomUUID } from 'node:crypto';
import { type RunningRedisCluster, startRedisCluster } from '@elastiq/testing';
import { Cluster } from 'ioredis';
import { RedisClusterRepository } from '../src';
import { makeCluster } from './cluster-fixture';
import { describeClusterRepositoryConformance } from './cluster-repository-conformance';

// The same guarantees on a real three-master Redis Cluster: save and delete are scripts over
// three keys, list() a pipeline over many; with a hash-tagged prefix they all share one slot.
jest.setTimeout(60_000);

let cluster: RunningRedisCluster;
const clients: Cluster[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.stop();
});

describeClusterRepositoryConformance('RedisClusterRepository on a Redis Cluster', async () => {
  const prefix = `{test-${randomUUID()}}:`;
  const open = async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
    clients.push(client);
    return new RedisClusterRepository(client, { prefix });
  };
  return { open, cleanup: async () => undefined };
});

describe('RedisClusterRepository on a Redis Cluster without a hash-tagged prefix', () => {
  it('fails with CROSSSLOT: why elastiq requires a {tag} prefix in Cluster mode', async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
    clients.push(client);
    const repository = new RedisClusterRepository(client, { prefix: `untagged-${randomUUID()}:` });
    await expect(repository.save(makeCluster('c1'), null)).rejects.toThrow(/CROSSSLOT/);
  });
});
