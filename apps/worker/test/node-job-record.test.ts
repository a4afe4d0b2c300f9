import { RedisClusterRepository } from '@elastiq/store';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { readNodeJobRecord } from '../src/node-job-record';
import { computeCluster } from './support/in-process-fleet';

// Key paths only: the record stores where keys are, never key material.
const keys = { publicKeyPath: '/keys/id.pub', privateKeyPath: '/keys/id' } as Parameters<typeof computeCluster>[1];

describe('the cluster record as node jobs read it (one parsed copy per worker and revision)', () => {
  let redis: RunningRedis;
  let client: Redis;
  let prefix: string;
  let repository: RedisClusterRepository;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  beforeEach(() => {
    prefix = `t${Math.random().toString(36).slice(2)}:`;
    repository = new RedisClusterRepository(client, { prefix });
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('hands every job the same parsed record while its revision stays the same', async () => {
    await repository.save(computeCluster('c', keys, 3), null);
    const first = await readNodeJobRecord(repository, client, 'c');
    const second = await readNodeJobRecord(repository, client, 'c');
    expect(second).toBe(first);
    expect(first?.nodeCount).toBe(3);
    expect(first?.node('compute002')?.name).toBe('compute002');
    expect(first?.node('compute004')).toBeUndefined();
  });

  it('reads the record again once it was saved by anyone (a new revision)', async () => {
    const revision = await repository.save(computeCluster('c', keys, 3), null);
    const before = await readNodeJobRecord(repository, client, 'c');
    const otherWriter = new RedisClusterRepository(client, { prefix });
    const changed = computeCluster('c', keys, 3);
    changed.nodes.compute[0].instanceId = 'i-123';
    await otherWriter.save(changed, revision);
    const after = await readNodeJobRecord(repository, client, 'c');
    expect(after).not.toBe(before);
    expect(after?.revision).toBe(revision + 1);
    expect(after?.node('compute001')?.instanceId).toBe('i-123');
  });

  it('says there is no record once it is deleted', async () => {
    await repository.save(computeCluster('c', keys, 1), null);
    expect(await readNodeJobRecord(repository, client, 'c')).not.toBeNull();
    await repository.delete('c');
    expect(await readNodeJobRecord(repository, client, 'c')).toBeNull();
  });

  it('answers jobs that find the record changed at the same moment with one read, and never with an older revision than they saw', async () => {
    const revision = await repository.save(computeCluster('c', keys, 5), null);
    const before = await readNodeJobRecord(repository, client, 'c');
    const changed = computeCluster('c', keys, 5);
    changed.nodes.compute[0].instanceId = 'i-456';
    await new RedisClusterRepository(client, { prefix }).save(changed, revision);
    let reads = 0;
    const get = repository.get.bind(repository);
    repository.get = (name) => {
      reads += 1;
      return get(name);
    };
    // Hundreds of node jobs of one worker miss together after a launch batch's save.
    const seen = await Promise.all(Array.from({ length: 200 }, () => readNodeJobRecord(repository, client, 'c')));
    expect(reads).toBe(1);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).not.toBe(before);
    expect(seen[0]?.revision).toBe(revision + 1);
    expect(seen[0]?.node('compute001')?.instanceId).toBe('i-456');
  });

  it('freezes the shared copy, so that no job can change what the other jobs see', async () => {
    await repository.save(computeCluster('c', keys, 1), null);
    const shared = await readNodeJobRecord(repository, client, 'c');
    const node = shared?.node('compute001');
    expect(() => {
      if (node) node.state = 'up';
    }).toThrow(TypeError);
  });
});
