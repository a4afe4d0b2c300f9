import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QUEUE_NAMES, type QueueKind } from '@elastiq/queue';
import { freePort, generateSshKeyPair, isProcessAlive, makeTempDir, type TempDir, waitFor } from '@elastiq/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { composeCommand, composeSkipReason } from './compose-preflight';

// The compose stack the way its users run it: the elastiq image built here (on the local
// Debian base, no registry), `up --scale worker=3` on a Docker engine with no bridge and no
// iptables (every service on the host's loopback), a cluster started by the host's CLI, one
// worker container killed mid-start, and still exactly one instance per node. Opt-in
// (ELASTIQ_COMPOSE_TEST=1: .ci/run sets it when Docker can run here, and says why not otherwise):
// it builds an image and takes minutes.

const REPO = join(__dirname, '..', '..');
const CLI_MAIN = join(REPO, 'apps', 'cli', 'dist', 'main.js');
const IMAGE = 'elastiq:compose-test';
const CONTAINER_UID = 10001; // the image's `elastiq` user (Dockerfile)
const COMPUTE = 9; // + 1 frontend
const run = promisify(execFile);

const skip = composeSkipReason();
const describeCompose = skip === null ? describe : describe.skip;
if (skip !== null) process.stderr.write(`compose stack test skipped: ${skip}\n`);

jest.setTimeout(20 * 60_000);

describeCompose('compose stack: three worker containers on the host loopback', () => {
  const project = `elastiq-compose-${process.pid}`;
  let scratch: TempDir;
  let dockerHost: string;
  let dockerdPid: number | null = null;
  let env: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  let configPath: string;
  let redis: Redis;
  let simUrl: string;
  const queues: Partial<Record<QueueKind, Queue>> = {};
  const compose = composeCommand();

  const docker = async (...args: string[]) => (await run('docker', args, { env, maxBuffer: 64 << 20 })).stdout.trim();
  const composeRun = async (...args: string[]) =>
    (await run(compose[0], [...compose.slice(1), '-p', project, '-f', join(REPO, 'docker-compose.yml'), ...args], { env, cwd: REPO, maxBuffer: 64 << 20 })).stdout;
  const elastiq = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI_MAIN, '-c', configPath, ...args], { env: cliEnv, timeout: 300_000 }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
      );
    });
  const queue = (kind: QueueKind) => {
    queues[kind] ??= new Queue(QUEUE_NAMES[kind], { connection: redis, prefix: 'elastiq' });
    return queues[kind];
  };
  /** Worker name → node jobs of cluster `c` it took (BullMQ's processedBy). */
  async function processedBy(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const kind of ['nodeStart', 'nodeProbe'] as const) {
      for (const job of await queue(kind).getJobs(['completed', 'active', 'delayed', 'waiting', 'failed'])) {
        if (job?.processedBy && job.data.cluster === 'c') counts[job.processedBy] = (counts[job.processedBy] ?? 0) + 1;
      }
    }
    return counts;
  }
  const simInstances = async (): Promise<{ instanceId: string; state: string; tags: Record<string, string> }[]> =>
    (await (await fetch(`${simUrl}/_sim/instances`)).json()) as never;
  const workerContainers = async () => (await composeRun('ps', '-q', 'worker')).split('\n').filter(Boolean);

  beforeAll(async () => {
    scratch = await makeTempDir('elastiq-compose-');
    const started = await run('bash', [join(REPO, 'scripts', 'loopback-dockerd.sh'), 'start'], { env: process.env });
    dockerHost = /DOCKER_HOST=(\S+)/.exec(started.stdout)?.[1] ?? '';
    dockerdPid = Number(await readFile('/run/elastiq-docker/dockerd.pid', 'utf8').catch(() => 'NaN')) || null;
    const [redisPort, simPort, dashboardPort] = [await freePort(), await freePort(), await freePort()];
    simUrl = `http://127.0.0.1:${simPort}`;
    // The keys, the playbooks and the config are mounted into the workers at the same paths the
    // host's CLI names them by; the workers run as the image's user, who must read them.
    const keys = join(scratch.path, 'keys');
    await mkdir(keys);
    const key = await generateSshKeyPair(keys);
    await chown(keys, CONTAINER_UID, CONTAINER_UID);
    for (const file of [key.privateKeyPath, key.publicKeyPath]) await chown(file, CONTAINER_UID, CONTAINER_UID);
    const configDir = join(scratch.path, 'config');
    configPath = join(configDir, 'compose.conf');
    await mkdir(configDir);
    await writeFile(
      configPath,
      [
        '[cloud/sim]', 'provider=ec2_boto', `ec2_url=${simUrl}`, 'ec2_region=us-east-1',
        'ec2_access_key=compose-test', 'ec2_secret_key=compose-test-not-a-secret',
        '[login/l]', 'image_user=elastiq', 'image_sudo=no', 'user_key_name=compose',
        `user_key_private=${key.privateKeyPath}`, `user_key_public=${key.publicKeyPath}`,
        '[setup/s]', 'provider=ansible', `playbook_path=${join(REPO, 'examples', 'playbooks', 'site.yml')}`,
        'frontend_groups=frontend', 'compute_groups=compute',
        '[cluster/c]', 'cloud=sim', 'login=l', 'setup=s', 'image_id=ami-sim', 'flavor=t3.micro',
        'security_group=default', 'frontend_nodes=1', `compute_nodes=${COMPUTE}`, 'ssh_to=frontend', 'start_timeout=240',
        '',
      ].join('\n'),
    );
    await chmod(configDir, 0o755);
    await chmod(configPath, 0o644);
    await chmod(scratch.path, 0o755);
    env = {
      PATH: process.env.PATH,
      HOME: scratch.path,
      DOCKER_HOST: dockerHost,
      ELASTIQ_IMAGE: IMAGE,
      // The image built on the local base carries redis-server: no public redis image needed.
      ELASTIQ_REDIS_IMAGE: IMAGE,
      ELASTIQ_REDIS_PORT: String(redisPort),
      ELASTIQ_CLOUD_SIM_PORT: String(simPort),
      // Long enough boots that a worker can be killed while nodes still wait for SSH.
      ELASTIQ_CLOUD_SIM_BOOT_DELAY: 'uniform:4s..8s',
      ELASTIQ_DASHBOARD_PORT: String(dashboardPort),
      ELASTIQ_KEYS_DIR: keys,
      ELASTIQ_PLAYBOOKS_DIR: join(REPO, 'examples', 'playbooks'),
      ELASTIQ_CONFIG_DIR: configDir,
    };
    cliEnv = { PATH: process.env.PATH, HOME: scratch.path, ELASTIQ_REDIS_URL: `redis://127.0.0.1:${redisPort}` };

    await run('bash', [join(REPO, 'scripts', 'build-image.sh'), IMAGE], { env: { ...process.env, DOCKER_HOST: dockerHost }, cwd: REPO, maxBuffer: 256 << 20 });
    await composeRun('up', '-d', '--scale', 'worker=3');
    redis = new Redis(redisPort, '127.0.0.1', { maxRetriesPerRequest: null, lazyConnect: true });
    await waitFor(() => redis.connect().then(() => true, () => false), { timeoutMs: 60_000, description: 'the compose Redis answers on loopback' });
    await waitFor(() => fetch(`${simUrl}/_sim/health`).then((r) => r.ok, () => false), { timeoutMs: 60_000, description: 'cloud-sim answers' });
    await waitFor(async () => (await queue('nodeProbe').getWorkers()).length === 3, { timeoutMs: 60_000, description: 'three workers connected' });
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    redis?.disconnect();
    if (env !== undefined) {
      await composeRun('down', '-v', '--remove-orphans').catch((error: unknown) => process.stderr.write(`compose down: ${String(error)}\n`));
      expect(await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`)).toBe('');
    }
    // The engine this test started, by its pid.
    if (dockerdPid !== null) {
      await run('bash', [join(REPO, 'scripts', 'loopback-dockerd.sh'), 'stop']);
      expect(await waitFor(() => !isProcessAlive(dockerdPid as number), { timeoutMs: 35_000, description: 'dockerd stopped' })).toBe(true);
    }
    await scratch?.cleanup();
  });

  it('gives no container any address but the host loopback', async () => {
    const containers = (await composeRun('ps', '-q')).split('\n').filter(Boolean);
    expect(containers).toHaveLength(6); // redis, cloud-sim, dashboard, 3 workers
    for (const id of containers) {
      const [mode, addresses] = (await docker('inspect', '-f', '{{.HostConfig.NetworkMode}}|{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id)).split('|');
      expect({ id, mode, addresses }).toEqual({ id, mode: 'host', addresses: '' });
    }
    expect(await docker('network', 'ls', '--format', '{{.Driver}}')).not.toMatch(/bridge/);
  });

  it('starts a cluster from the host through three workers, survives a docker kill of one mid-start, and launches each node once', async () => {
    const names = (await queue('nodeProbe').getWorkers()).map((client) => String(client.rawname).split(':w:')[1]);
    expect(new Set(names).size).toBe(3); // each container names itself after its id

    let cli: ChildProcess | undefined;
    const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      cli = spawn(process.execPath, [CLI_MAIN, '-c', configPath, 'start', 'c'], { env: cliEnv });
      let stdout = '';
      let stderr = '';
      cli.stdout?.on('data', (chunk) => { stdout += chunk; });
      cli.stderr?.on('data', (chunk) => { stderr += chunk; });
      cli.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(cli).toBeDefined();

    // Every worker takes a share before one is killed; then kill one holding a job of `c`.
    await waitFor(async () => Object.keys(await processedBy()).length === 3, { timeoutMs: 90_000, description: 'jobs served by all three workers' });
    const containers = await workerContainers();
    const active = [...(await queue('nodeProbe').getJobs(['active'])), ...(await queue('nodeStart').getJobs(['active']))]
      .filter((job) => job?.data.cluster === 'c')
      .map((job) => job.processedBy ?? '');
    const victim = containers.find((id) => active.some((name) => name.includes(id.slice(0, 12)))) ?? containers[0];
    const ready = await simInstances();
    expect(ready.filter((instance) => instance.tags['elastiq:cluster'] === 'c' && instance.state === 'running').length).toBeLessThan(COMPUTE + 1);
    await docker('kill', victim);

    const started = await result;
    // On a failure the message shows the CLI's whole account of it.
    expect(`exit ${started.code}\n${started.stderr}\n${started.stdout}`).toMatch(/^exit 0\n/);
    expect(started.stdout).toContain('Status:           ready');
    expect(Object.keys(await processedBy())).toHaveLength(3);
    expect(Object.keys(await processedBy()).some((name) => name.includes(victim.slice(0, 12)))).toBe(true);

    // cloud-sim's own inventory: exactly one instance ever launched per node, the record's.
    const record = JSON.parse((await elastiq('list-nodes', '--json', 'c')).stdout);
    const nodes = Object.values(record.nodes as Record<string, { name: string; instanceId: string }[]>).flat();
    const everLaunched = (await simInstances()).filter((instance) => instance.tags['elastiq:cluster'] === 'c');
    expect(everLaunched).toHaveLength(COMPUTE + 1);
    expect(new Set(everLaunched.map((instance) => instance.instanceId))).toEqual(new Set(nodes.map((node) => node.instanceId)));
    expect(everLaunched.every((instance) => instance.state === 'running')).toBe(true);
    // Setup ran with the image's ansible-playbook, in a worker container.
    expect((await queue('clusterSetup').getJobs(['completed'])).filter((job) => job?.data.cluster === 'c')).toHaveLength(1);

    expect((await elastiq('stop', '-y', '--wait', 'c')).code).toBe(0);
    const after = (await simInstances()).filter((instance) => instance.tags['elastiq:cluster'] === 'c');
    expect(after.every((instance) => instance.state === 'terminated' || instance.state === 'shutting-down')).toBe(true);
    expect((await elastiq('list')).stdout).not.toMatch(/^c\s/m);
  });

  it('reports the running workers healthy (the image health check)', async () => {
    const survivors: string[] = [];
    for (const id of await workerContainers()) {
      if ((await docker('inspect', '-f', '{{.State.Running}}', id)) === 'true') survivors.push(id);
    }
    expect(survivors).toHaveLength(2);
    const health = async () => Promise.all(survivors.map((id) => docker('inspect', '-f', '{{.State.Health.Status}}', id)));
    await waitFor(async () => (await health()).every((status) => status === 'healthy'), { timeoutMs: 60_000, description: 'workers healthy' }).catch(() => undefined);
    expect(await health()).toEqual(['healthy', 'healthy']);
  });
});

