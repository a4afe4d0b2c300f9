import { DiskClusterRepository, RedisClusterRepository } from '@elastiq/store';
import { makeTempDir, type RunningRedis, startRedis, type TempDir } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { degradedCluster, startingCluster } from './support/cluster-records';
import { runCli } from './support/run-cli';

const EXPECTED_NODE_TABLE = [
  'NODE         KIND      INSTANCE ID         STATE  IP              LAST ERROR',
  'frontend001  frontend  i-0000000000000001  up     127.0.9.1',
  'compute001   compute   i-0000000000000002  up     127.0.9.2:2222',
  'compute002   compute   i-0000000000000003  down   -               timeout: no SSH handshake within 5 s',
].join('\n');

const EXPECTED_SUMMARY = [
  '',
  'Cluster name:     hpc',
  'Cluster template: sim-slurm',
  'Status:           degraded (1 of 2 compute nodes up (min 1))',
  'Default ssh to node: frontend001',
  '- frontend nodes: 1',
  '- compute nodes: 2',
  '',
  'To login on the frontend node, run the command:',
  '',
  '    elastiq ssh hpc',
  '',
].join('\n');

describe('list and list-nodes from the fleet\'s Redis', () => {
  let redis: RunningRedis;
  let client: Redis;
  // One queue prefix per test run: the CLI finds the records under `<prefix>:`.
  const prefix = `cli-list-${process.pid}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const repository = new RedisClusterRepository(client, { prefix: `${prefix}:` });
    await repository.save(degradedCluster('hpc'), null);
    await repository.save(startingCluster('alpha'), null);
    env = { ELASTIQ_REDIS_URL: redis.url, ELASTIQ_QUEUE_PREFIX: prefix };
  });

  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  it('list shows every cluster by name with template, live status, nodes per kind and the reason', async () => {
    const result = await runCli(['list'], env);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        'NAME   TEMPLATE   STATUS    NODES                  REASON',
        'alpha  other      starting  1 compute',
        'hpc    sim-slurm  degraded  1 frontend, 2 compute  1 of 2 compute nodes up (min 1)',
        '',
      ].join('\n'),
    );
  });

  it('list --json prints one object per cluster', async () => {
    const result = await runCli(['list', '--json'], env);

    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'alpha', template: 'other', status: 'starting', statusReason: null, generation: 1, nodes: { compute: 1 } },
      { name: 'hpc', template: 'sim-slurm', status: 'degraded', statusReason: '1 of 2 compute nodes up (min 1)', generation: 1, nodes: { frontend: 1, compute: 2 } },
    ]);
  });

  it('list-nodes prints the summary, then node, kind, instance id, state, IP and last error of each node', async () => {
    const result = await runCli(['list-nodes', 'hpc'], env);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${EXPECTED_SUMMARY}\n${EXPECTED_NODE_TABLE}\n`);
  });

  it('list-nodes --json prints the record as stored', async () => {
    const result = await runCli(['list-nodes', 'hpc', '--json'], env);

    expect(JSON.parse(result.stdout)).toEqual(degradedCluster('hpc'));
  });

  it('list-nodes of an unknown cluster: one line, exit 66 (EX_NOINPUT)', async () => {
    const result = await runCli(['list-nodes', 'nope'], env);

    expect(result.code).toBe(66);
    expect(result.stderr).toBe('error: cluster `nope` not found (run `elastiq list` to see the clusters that exist)\n');
  });

  it('another queue prefix is another installation: no clusters', async () => {
    const result = await runCli(['list'], { ...env, ELASTIQ_QUEUE_PREFIX: `${prefix}-other` });

    expect(result).toMatchObject({ code: 0, stdout: 'No clusters found.\n' });
  });

  it('stop without -y and without a terminal refuses instead of hanging or assuming yes', async () => {
    const result = await runCli(['stop', 'hpc'], env);

    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/^error: .*stop cluster `hpc`.* needs confirmation, but there is no terminal to ask on \(pass -y\/--yes to confirm\)\n$/);
    expect(await new RedisClusterRepository(client, { prefix: `${prefix}:` }).get('hpc')).toMatchObject({ value: { status: 'degraded' } });
  });
});

describe('list and list-nodes from a storage directory (-s)', () => {
  let storage: TempDir;

  beforeAll(async () => {
    storage = await makeTempDir('cli-storage');
    await new DiskClusterRepository(storage.path, { onWarning: () => undefined }).save(degradedCluster('hpc'), null);
  });

  afterAll(async () => {
    await storage.cleanup();
  });

  // Redis is not running at this URL: -s must not need it.
  const env = { ELASTIQ_REDIS_URL: 'redis://127.0.0.1:1' };

  it('list reads the directory', async () => {
    const result = await runCli(['-s', storage.path, 'list'], env);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('hpc   sim-slurm  degraded  1 frontend, 2 compute');
  });

  it('list-nodes reads the directory and prints the same table as from Redis', async () => {
    const result = await runCli(['-s', storage.path, 'list-nodes', 'hpc'], env);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`${EXPECTED_SUMMARY}\n${EXPECTED_NODE_TABLE}\n`);
  });

  it('an empty directory has no clusters', async () => {
    const empty = await makeTempDir('cli-empty');
    try {
      expect(await runCli(['-s', empty.path, 'list'], env)).toMatchObject({ code: 0, stdout: 'No clusters found.\n' });
    } finally {
      await empty.cleanup();
    }
  });

  it('start refuses -s: the fleet works through Redis', async () => {
    const result = await runCli(['-s', storage.path, 'stop', 'hpc', '-y'], env);

    expect(result.code).toBe(64);
    expect(result.stderr).toBe("error: `stop` works through the fleet's Redis, not a storage directory (leave out -s/--storage (Redis is found through ELASTIQ_REDIS_URL))\n");
  });
});
