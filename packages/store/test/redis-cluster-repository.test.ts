import { randomUUID } from 'node:crypto';
import { startRedis, type RunningRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import type { ClusterDict } from '@elastiq/core';
import { CorruptClusterRecord, RedisClusterRepository, type StoreWarning } from '../src';
import { makeCluster } from './cluster-fixture';
import { describeClusterRepositoryConformance } from './cluster-repository-conformance';

// Real processes, sockets and fsynced files on a shared 2-core machine: jest's 5 s default (the
// preset's testTimeout does not apply in the root's multi-project run) is too tight under load.
jest.setTimeout(60_000);

let server: RunningRedis;
const clients: Redis[] = [];

function connect(): Redis {
  const client = new Redis(server.url, { lazyConnect: false });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.stop();
});

describeClusterRepositoryConformance('RedisClusterRepository', async () => {
  // A unique prefix per test: tests never see each other's clusters in the shared server.
  const prefix = `test-${randomUUID()}:`;
  return { open: async () => new RedisClusterRepository(connect(), { prefix }), cleanup: async () => undefined };
});

describe('RedisClusterRepository', () => {
  let redis: Redis;
  let prefix: string;
  let warnings: StoreWarning[];
  let repository: RedisClusterRepository;

  beforeEach(() => {
    redis = connect();
    prefix = `test-${randomUUID()}:`;
    warnings = [];
    repository = new RedisClusterRepository(redis, { prefix, onWarning: (warning) => warnings.push(warning) });
  });

  it('keeps records under its prefix only: per cluster a hash and its nodes, changes and history; a set of names', async () => {
    await repository.save(makeCluster('slurm'), null);
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual(
      ['cluster-changes:slurm', 'cluster-history:slurm', 'cluster-nodes:slurm', 'cluster-revisions', 'cluster:slurm', 'clusters'].map((key) => prefix + key),
    );
    expect(await redis.smembers(`${prefix}clusters`)).toEqual(['slurm']);
    const other = new RedisClusterRepository(redis, { prefix: `${prefix}other:` });
    expect(await other.list()).toEqual([]);
  });

  it('skips a corrupt record in list() with a warning naming its key, and get() says what is wrong', async () => {
    await repository.save(makeCluster('good'), null);
    await repository.save(makeCluster('broken'), null);
    await repository.save(makeCluster('invalid'), null);
    await redis.hset(`${prefix}cluster:broken`, 'header', '{"name": "broken", ');
    await redis.hset(`${prefix}cluster:invalid`, 'header', JSON.stringify({ ...makeCluster('invalid'), template: 7 }));
    // Another process (this one holds what it wrote, and the revisions did not change).
    repository = new RedisClusterRepository(redis, { prefix, onWarning: (warning) => warnings.push(warning) });

    expect((await repository.list()).map(({ value }) => value.name)).toEqual(['good']);
    expect(warnings.map((warning) => [warning.clusterName, warning.location])).toEqual([
      ['broken', `${prefix}cluster:broken`],
      ['invalid', `${prefix}cluster:invalid`],
    ]);
    expect(warnings[0].message).toContain('is not JSON');
    expect(warnings[1].message).toMatch(/template: .*expected string/i);

    await expect(repository.get('broken')).rejects.toThrow(CorruptClusterRecord);
    await expect(repository.get('invalid')).rejects.toThrow(`the record of cluster \`invalid\` at ${prefix}cluster:invalid is not a valid cluster record`);
  });

  it('never reuses a revision after a delete, so a stale writer cannot overwrite a re-created cluster', async () => {
    await repository.save(makeCluster('slurm'), null);
    await repository.save(makeCluster('slurm'), 1);
    await repository.delete('slurm');
    expect(await repository.save(makeCluster('slurm'), null)).toBe(3);
    await expect(repository.save(makeCluster('slurm'), 2)).rejects.toMatchObject({ actualRevision: 3 });
  });

  describe('the node layout: a save writes the nodes that changed, a reader reads the nodes written since it last looked', () => {
    function bigCluster(name: string, count: number): ClusterDict {
      const cluster = makeCluster(name);
      const template = cluster.nodes.compute[0];
      return { ...cluster, nodes: { frontend: cluster.nodes.frontend, compute: Array.from({ length: count }, (_, i) => ({ ...template, name: `compute${i + 1}` })) } };
    }
    const changes = (name: string) => redis.zrangebyscore(`${prefix}cluster-changes:${name}`, '-inf', '+inf', 'WITHSCORES');

    it('rewrites one node of 500 when one changed, and another process holding the old revision reads just that one, right', async () => {
      const reader = new RedisClusterRepository(connect(), { prefix });
      const first = await repository.save(bigCluster('big', 500), null);
      expect((await reader.get('big'))!.revision).toBe(first);
      const read = (await repository.get('big'))!;
      read.value.nodes.compute[41].state = 'up';
      read.value.nodes.compute[41].ips = ['10.0.0.42'];
      const second = await repository.save(read.value, read.revision);

      const latest = (await changes('big')).filter((_, i, all) => i % 2 === 0 && all[i + 1] === String(second));
      expect(latest).toEqual(['41:compute']);
      const seen = (await reader.get('big'))!;
      expect(seen.revision).toBe(second);
      expect(seen.value).toEqual(read.value);
      const cold = (await new RedisClusterRepository(connect(), { prefix }).get('big'))!;
      expect(cold.value).toEqual(read.value);
    });

    it('hands out copies: changing a record that was read changes neither the store nor the next read', async () => {
      await repository.save(bigCluster('copies', 3), null);
      const read = (await repository.get('copies'))!;
      read.value.nodes.compute[0].state = 'up';
      read.value.nodes.compute[0].extra.note = 'changed in place';
      read.value.extra.flag = true;
      expect((await repository.get('copies'))!.value).toEqual(bigCluster('copies', 3));
      // ...and a save made from the changed copy stores the change.
      await repository.save(read.value, read.revision);
      expect((await new RedisClusterRepository(connect(), { prefix }).get('copies'))!.value).toEqual(read.value);
    });

    it('drops the fields of removed nodes and kinds, and keeps kind order and empty kinds', async () => {
      const revision = await repository.save(bigCluster('shrink', 10), null);
      const smaller = { ...bigCluster('shrink', 4), nodes: { compute: bigCluster('shrink', 4).nodes.compute, gpu: [] } };
      await repository.save(smaller, revision);
      expect(await redis.hlen(`${prefix}cluster-nodes:shrink`)).toBe(4);
      expect((await changes('shrink')).filter((_, i) => i % 2 === 0).sort()).toEqual(['0:compute', '1:compute', '2:compute', '3:compute']);
      const read = (await new RedisClusterRepository(connect(), { prefix }).get('shrink'))!.value;
      expect(Object.keys(read.nodes)).toEqual(['compute', 'gpu']);
      expect(read).toEqual(smaller);
    });

    it('reads everything again when Redis reissued a revision for other contents (writes lost in a crash), and a writer holding the lost one writes it all', async () => {
      const reader = new RedisClusterRepository(connect(), { prefix });
      await repository.save(bigCluster('lost', 5), null);
      expect((await reader.get('lost'))!.revision).toBe(1);
      // What a Redis that lost its last writes looks like: the same revision, other contents.
      for (const key of await redis.keys(`${prefix}*`)) await redis.del(key);
      const other = new RedisClusterRepository(connect(), { prefix });
      const replacement = { ...bigCluster('lost', 5), template: 'other' };
      replacement.nodes.compute[2] = { ...replacement.nodes.compute[2], state: 'up' };
      expect(await other.save(replacement, null)).toBe(1);

      expect((await reader.get('lost'))!.value).toEqual(replacement);
      // The first repository still holds revision 1 as it wrote it: a delta against it would be wrong.
      const mine = { ...bigCluster('lost', 6), template: 'mine' };
      expect(await repository.save(mine, 1)).toBe(2);
      expect((await new RedisClusterRepository(connect(), { prefix }).get('lost'))!.value).toEqual(mine);
    });

    it('reads a record written as one blob before this layout, and its next save converts it', async () => {
      const legacy = bigCluster('legacy', 3);
      await redis.hset(`${prefix}cluster:legacy`, 'revision', '4', 'record', JSON.stringify(legacy));
      await redis.sadd(`${prefix}clusters`, 'legacy');
      expect(await repository.get('legacy')).toEqual({ value: legacy, revision: 4 });
      expect((await repository.list()).map(({ value }) => value.name)).toEqual(['legacy']);
      const changed = { ...legacy, status: 'ready' as const };
      expect(await repository.save(changed, 4)).toBe(5);
      expect(await redis.hexists(`${prefix}cluster:legacy`, 'record')).toBe(0);
      expect(await new RedisClusterRepository(connect(), { prefix }).get('legacy')).toEqual({ value: changed, revision: 5 });
    });

    it('names a node that does not parse, by kind and position', async () => {
      await repository.save(bigCluster('badnode', 3), null);
      await redis.hset(`${prefix}cluster-nodes:badnode`, '1:compute', JSON.stringify({ name: 'compute2', sshPort: 'x' }));
      await expect(new RedisClusterRepository(connect(), { prefix }).get('badnode')).rejects.toThrow(/nodes\.compute\.1\./);
    });
  });
});
