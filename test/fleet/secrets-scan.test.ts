import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUE_NAMES } from '@elastiq/queue';
import { freePort, spawnTracked, type TrackedProcess, waitFor } from '@elastiq/testing';
import { Queue } from 'bullmq';
import { unzipSync } from 'fflate';
import { type CliResult, runElastiq } from './elastiq-cli';
import { FleetHarness } from './fleet-harness';

// Issue 14, part 3: after a demo-sized start, an Ansible setup and a stop with an
// `ec2_secret_key` in the configuration and a private key file, nothing elastiq wrote holds the
// secret key, the private key's bytes or any PRIVATE KEY block: not Redis (every key and value,
// job data and job logs included), not the workers' or the CLI's output at debug level / -v, not
// the dashboard's pages and API answers, not an exported archive. CI fails on a single hit.

const DASHBOARD_MAIN = join(__dirname, '..', '..', 'apps', 'dashboard', 'dist', 'main.js');
const PLAYBOOK = join(__dirname, '..', '..', 'examples', 'playbooks', 'site.yml');
const SECRET = `scan-secret-${randomUUID()}`;
const ACCESS_KEY = 'AKIDSECRETSCAN';
const DASHBOARD = { username: 'operator', password: `dash-${randomUUID()}` };

/** Every place that was looked at, with what it held, for the hit report. */
const seen: { where: string; text: string }[] = [];
const look = (where: string, text: string | Buffer) => seen.push({ where, text: Buffer.isBuffer(text) ? text.toString('latin1') : text });

describe('secrets scan: nothing elastiq writes holds a secret', () => {
  const fleet = new FleetHarness({ workerOutputBytes: 64 << 20, workerEnv: { ELASTIQ_LOG_LEVEL: 'debug' } });
  let configPath: string;
  let dashboard: TrackedProcess;
  let dashboardUrl: string;
  let needles: { name: string; value: string }[];
  const cli: CliResult[] = [];
  const elastiq = async (...args: string[]) => {
    const result = await runElastiq(fleet, { configPath, home: fleet.scratchDir, timeoutMs: 150_000 }, ['-v', ...args]);
    cli.push(result);
    look(`elastiq ${args.join(' ')} (stdout)`, result.stdout);
    look(`elastiq ${args.join(' ')} (stderr)`, result.stderr);
    return result;
  };

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
    configPath = join(fleet.scratchDir, 'secrets.conf');
    await writeFile(
      configPath,
      [
        '[cloud/scan]', 'provider=ec2_boto', `ec2_url=${fleet.sim.endpoint}`, `ec2_region=${fleet.sim.region}`,
        `ec2_access_key=${ACCESS_KEY}`, `ec2_secret_key=${SECRET}`,
        ...fleet.configSections().slice(fleet.configSections().indexOf('[login/e2e]')),
        '[setup/demo]', 'provider=ansible', `playbook_path=${PLAYBOOK}`, 'frontend_groups=frontend', 'compute_groups=compute',
        '[cluster/scan]', 'cloud=scan', 'login=e2e', 'setup=demo', 'image_id=ami-sim', 'flavor=t3.micro',
        'frontend_nodes=1', 'compute_nodes=4', 'ssh_to=frontend', 'start_timeout=150',
        '',
      ].join('\n'),
    );
    const privateKey = await readFile(fleet.keys.privateKeyPath, 'utf8');
    needles = [
      { name: 'ec2_secret_key', value: SECRET },
      { name: 'the dashboard password', value: DASHBOARD.password },
      { name: 'a PRIVATE KEY block', value: 'PRIVATE KEY' },
      // Each line of the key's base64 body: a fragment of the key is a leak too.
      ...privateKey
        .split('\n')
        .filter((line) => line.length >= 20 && !line.startsWith('-----'))
        .map((line, index) => ({ name: `private key line ${index + 1}`, value: line })),
    ];
    const port = await freePort();
    dashboardUrl = `http://127.0.0.1:${port}/admin/queues`;
    dashboard = await spawnTracked(process.execPath, [DASHBOARD_MAIN], {
      keepOutputBytes: 16 << 20,
      env: {
        PATH: process.env.PATH,
        ...fleet.redisEnv,
        ELASTIQ_DASHBOARD_HOST: '127.0.0.1',
        ELASTIQ_DASHBOARD_PORT: String(port),
        ELASTIQ_DASHBOARD_USERNAME: DASHBOARD.username,
        ELASTIQ_DASHBOARD_PASSWORD: DASHBOARD.password,
        ELASTIQ_LOG_LEVEL: 'debug',
      },
    });
    await waitFor(() => fetch(dashboardUrl).then((response) => response.status === 401, () => false), { timeoutMs: 30_000, description: 'the dashboard' });
  });
  afterAll(async () => {
    await dashboard?.stop();
    await fleet.stop();
  });

  it('starts, sets up and lists the cluster with the secret key from the config file (so the secret was really used)', async () => {
    const started = await elastiq('start', 'scan');
    expect({ code: started.code, stderr: started.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    expect(started.stdout).toContain('Status:           ready');
    expect(fleet.sim.stats().accessKeys[ACCESS_KEY]).toBeGreaterThan(0);
    expect((await elastiq('list-nodes', 'scan', '--json')).code).toBe(0);
    expect((await elastiq('export', 'scan', '-o', join(fleet.scratchDir, 'scan.zip'))).code).toBe(0);
    for (const [name, bytes] of Object.entries(unzipSync(await readFile(join(fleet.scratchDir, 'scan.zip'))))) look(`export archive: ${name}`, Buffer.from(bytes));
  });

  it('reads every Redis key and value, the dashboard’s pages and API answers, while the cluster exists', async () => {
    await scanRedis(fleet, 'with the cluster');
    await scanDashboard(dashboardUrl, fleet);
  });

  it('stops the cluster, then reads Redis and every program’s output again', async () => {
    expect((await elastiq('stop', '-y', '--wait', 'scan')).code).toBe(0);
    await scanRedis(fleet, 'after the stop');
    for (const [index, worker] of fleet.workers.entries()) look(`worker ${index + 1} output (debug)`, worker.output());
    look('dashboard output (debug)', dashboard.output());
    // The scan saw a real amount of what was written (a scan of nothing finds nothing).
    const workerOutput = seen.filter((place) => place.where.startsWith('worker ')).map((place) => place.text).join('');
    expect(workerOutput).toContain('"level":20'); // debug records, not only warnings
    expect(workerOutput).toContain('RunInstances');
    expect(seen.filter((place) => place.where.startsWith('redis')).length).toBeGreaterThan(50);
    expect(seen.filter((place) => place.where.startsWith('dashboard GET')).length).toBeGreaterThan(20);
  });

  it('finds no secret anywhere', () => {
    const hits = seen.flatMap(({ where, text }) =>
      needles.filter(({ value }) => text.includes(value)).map(({ name }) => `${name} in ${where}`),
    );
    expect(hits).toEqual([]);
  });
});

/** Every key of the fleet's Redis with its whole value, whatever its type. */
async function scanRedis(fleet: FleetHarness, when: string): Promise<void> {
  const redis = fleet.redisClient;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', '1000');
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await redis.smembers(key))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES'))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : `(${type})`;
      look(`redis ${when}: ${key}`, `${key} ${value ?? ''}`);
    }
  } while (cursor !== '0');
}

/** The board's page, its queue listings in every status, and each job's detail and logs. */
async function scanDashboard(boardUrl: string, fleet: FleetHarness): Promise<void> {
  const headers = { authorization: `Basic ${Buffer.from(`${DASHBOARD.username}:${DASHBOARD.password}`).toString('base64')}` };
  const get = async (path: string) => {
    const response = await fetch(`${boardUrl}${path}`, { headers });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    look(`dashboard GET ${path}`, await response.text());
  };
  await get('');
  await get('/api/queues');
  await get('/api/redis/stats');
  for (const name of Object.values(QUEUE_NAMES)) {
    for (const status of ['completed', 'failed', 'active', 'waiting', 'delayed']) await get(`/api/queues?activeQueue=${name}&status=${status}&page=1&jobsPerPage=50`);
    const queue = new Queue(name, { connection: fleet.redisClient, prefix: fleet.prefix });
    try {
      for (const job of (await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, 10)).filter((candidate) => candidate?.id)) {
        await get(`/api/queues/${name}/${encodeURIComponent(job.id as string)}`);
        await get(`/api/queues/${name}/${encodeURIComponent(job.id as string)}/logs`);
      }
    } finally {
      await queue.close();
    }
  }
}
