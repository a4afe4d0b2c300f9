import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterBusy, ElastiqClient, ResizeRefused, StartFailed } from '@elastiq/client';
import { ClusterExists, ConfigurationError } from '@elastiq/core';
import { makeTempDir, type TempDir } from '@elastiq/testing';
import { FleetHarness } from './fleet/fleet-harness';

// The admin-script API end to end: examples/admin-script runs as a user would run it (tsx, a
// child process) against a real Redis, cloud-sim and two workers; then the API's own promises
// (typed errors, events, result) are checked in-process.

const EXAMPLE = join(__dirname, '..', 'examples', 'admin-script', 'start-clusters.ts');
const TSX = require.resolve('tsx/cli');

describe('the admin-script API', () => {
  const fleet = new FleetHarness();
  let dir: TempDir;
  let configFile: string;

  function connect(): Promise<ElastiqClient> {
    return ElastiqClient.connect({ redisUrl: fleet.redis.url, queuePrefix: fleet.prefix, configFile });
  }

  beforeAll(async () => {
    await fleet.start();
    await fleet.spawnWorker();
    await fleet.spawnWorker();
    dir = await makeTempDir('admin-script');
    configFile = join(dir.path, 'config');
    await writeFile(
      configFile,
      [
        ...fleet.configSections(),
        '[setup/e2e]',
        'frontend_groups=frontend',
        'compute_groups=compute',
        '[cluster/small]',
        'cloud=sim',
        'login=e2e',
        'setup=e2e',
        'image_id=ami-sim',
        'flavor=t3.micro',
        'frontend_nodes=1',
        'compute_nodes=2',
        'ssh_to=frontend',
        'start_timeout=60',
        '[cluster/no-image]',
        'cloud=sim',
        'login=e2e',
        'setup=e2e',
        'image_id=ami-missing',
        'flavor=t3.micro',
        'compute_nodes=1',
        'start_timeout=60',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await fleet.stop();
    await dir?.cleanup();
  });

  it('runs examples/admin-script: three clusters started in parallel, a table, then stopped', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [TSX, EXAMPLE, '-c', configFile, 'small', '3', '--no-setup', '--stop'],
        { env: { PATH: process.env.PATH, HOME: dir.path, ELASTIQ_REDIS_URL: fleet.redis.url, ELASTIQ_QUEUE_PREFIX: fleet.prefix }, timeout: 150_000 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
      );
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const name of ['small-1', 'small-2', 'small-3']) {
      expect(result.stdout).toMatch(new RegExp(`${name}\\s*'\\s*│\\s*'ready'\\s*│\\s*'3/3'`));
      expect(result.stdout).toContain(`${name} compute: 2/2 up`);
    }
    expect(result.stdout).toContain('stopped small-1, small-2, small-3');
    expect(fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster']?.startsWith('small-'))).toHaveLength(9);
    expect(fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster']?.startsWith('small-') && instance.state !== 'terminated')).toEqual([]);
  });

  it('reports progress as events, ending with the final record', async () => {
    const elastiq = await connect();
    try {
      const start = await elastiq.start({ template: 'small', name: 'events', nodes: { compute: 1 }, setup: false });
      const events = [];
      for await (const event of start.events()) events.push(event);
      const cluster = await start.result();

      expect(cluster.status).toBe('ready');
      expect(events[0]).toMatchObject({ type: 'status', cluster: 'events', status: 'starting' });
      expect(events).toContainEqual(expect.objectContaining({ type: 'kind', kind: 'compute', wanted: 1, up: 1, failed: 0 }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'status', status: 'ready' }));
      expect(events.at(-1)).toMatchObject({ type: 'end', cluster: 'events', record: expect.objectContaining({ status: 'ready' }) });
      const lastUp = events.findIndex((event) => event.type === 'kind' && event.kind === 'compute' && event.up === 1);
      const ready = events.findIndex((event) => event.type === 'status' && event.status === 'ready');
      expect(ready).toBeGreaterThan(lastUp); // the counts that made it ready come first
      await expect(elastiq.start({ template: 'small', name: 'events', setup: false })).rejects.toBeInstanceOf(ClusterExists);
      await elastiq.stop('events', { wait: true });
      expect(await elastiq.get('events')).toBeNull();
    } finally {
      await elastiq.close();
    }
  });

  it('two starts of one name at once: one begins it, the other follows it (never both "started", never two generations)', async () => {
    const clients = await Promise.all([connect(), connect()]);
    try {
      const handles = await Promise.all(clients.map((elastiq) => elastiq.start({ template: 'small', name: 'twice', nodes: { compute: 1 }, setup: false })));
      expect(handles.map((handle) => handle.reattached).sort()).toEqual([false, true]);
      expect(handles[0].generation).toBe(handles[1].generation);
      const results = await Promise.all(handles.map((handle) => handle.result()));
      expect(results.map((cluster) => cluster.status)).toEqual(['ready', 'ready']);
      expect(Object.values(results[0].nodes).flat().map((node) => node.generation)).toEqual([handles[0].generation, handles[0].generation]);
      await clients[0].stop('twice', { wait: true });
    } finally {
      await Promise.all(clients.map((elastiq) => elastiq.close()));
    }
  });

  it('throws typed errors: a bad request before anything is enqueued, a failed start with its record', async () => {
    const elastiq = await connect();
    try {
      await expect(elastiq.start({ template: 'small', name: 'bad', nodes: { gpu: 1 } })).rejects.toThrow(ConfigurationError);
      await expect(elastiq.start({ template: 'small', name: 'bad', nodes: { compute: 0 } })).rejects.toThrow('nodes.compute');
      await expect(elastiq.start({ template: 'small', name: 'bad name' })).rejects.toThrow(ConfigurationError);
      expect(await elastiq.get('bad')).toBeNull();

      const start = await elastiq.start({ template: 'no-image', name: 'broken', setup: false });
      const failure = await start.result().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StartFailed);
      expect((failure as StartFailed).cluster?.status).toBe('failed');
      expect((failure as StartFailed).message).toContain('could not be started');
      await elastiq.stop('broken', { wait: true });
    } finally {
      await elastiq.close();
    }
  });

  it('resizes a running cluster in two steps, plan then apply: a growth fills the name hole, a shrink spares the ssh_to node', async () => {
    const elastiq = await connect();
    try {
      await (await elastiq.start({ template: 'small', name: 'grows', nodes: { compute: 2 }, setup: false })).result();
      const removal = await elastiq.planRemoval({ name: 'grows', node: 'compute001', force: true, setup: false });
      expect(removal.nodes.map((node) => node.name)).toEqual(['compute001']);
      await (await elastiq.resize(removal)).result();

      const growth = await elastiq.planGrowth({ name: 'grows', add: { compute: 2 }, setup: false });
      expect(growth.nodes.map((node) => node.name)).toEqual(['compute001', 'compute003']);
      const grown = await (await elastiq.resize(growth)).result();
      expect(Object.values(grown.nodes).flat().map((node) => [node.name, node.state])).toEqual(
        expect.arrayContaining([['compute001', 'up'], ['compute002', 'up'], ['compute003', 'up'], ['frontend001', 'up']]),
      );

      await expect(elastiq.planShrink({ name: 'grows', remove: { frontend: 1 } })).rejects.toBeInstanceOf(ResizeRefused);
      const shrink = await elastiq.planShrink({ name: 'grows', remove: { compute: 1 }, setup: false });
      expect(shrink.nodes.map((node) => node.name)).toEqual(['compute003']);
      const handle = await elastiq.resize(shrink);
      await expect(elastiq.planGrowth({ name: 'grows', add: { compute: 1 } })).rejects.toBeInstanceOf(ClusterBusy);
      const shrunk = await handle.result();
      expect(Object.values(shrunk.nodes).flat().map((node) => node.name).sort()).toEqual(['compute001', 'compute002', 'frontend001']);
      expect(fleet.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === 'grows' && instance.state === 'running')).toHaveLength(3);
      await elastiq.stop('grows', { wait: true });
    } finally {
      await elastiq.close();
    }
  });
});
