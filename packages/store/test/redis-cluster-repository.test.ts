import { randomUUID } from 'node:crypto';
import { startRedis, type RunningRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
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

  it('keeps records under its prefix only: a hash per cluster, a set of names', async () => {
    await repository.save(makeCluster('slurm'), null);
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual([`${prefix}cluster-revisions`, `${prefix}cluster:slurm`, `${prefix}clusters`]);
    expect(await redis.smembers(`${prefix}clusters`)).toEqual(['slurm']);
    const other = new RedisClusterRepository(redis, { prefix: `${prefix}other:` });
    expect(await other.list()).toEqual([]);
  });

  it('skips a corrupt record in list() with a warning naming its key, and get() says what is wrong', async () => {
    await repository.save(makeCluster('good'), null);
    await repository.save(makeCluster('broken'), null);
    await repository.save(makeCluster('invalid'), null);
    await redis.hset(`${prefix}cluster:broken`, 'record', '{"name": "broken", ');
    await redis.hset(`${prefix}cluster:invalid`, 'record', JSON.stringify({ name: 'invalid', template: 7 }));

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
});
