import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadRuntimeSettings } from '@elastiq/config';
import { type ClusterDict, ClusterDictSchema, NodeDictSchema } from '@elastiq/core';
import { FleetProducer, openFleetQueues } from '@elastiq/queue';
import { createRedisConnection, type RedisConnection } from '@elastiq/redis';
import { RedisClusterRepository } from '@elastiq/store';
import {
  generateSshKeyPair,
  makeTempDir,
  type RunningRedis,
  type SshKeyPair,
  spawnTracked,
  startRedis,
  type TempDir,
  type TrackedProcess,
  waitFor,
} from '@elastiq/testing';
import { ChaosCloudSim, type ChaosInstance } from './chaos-cloud-sim';
import type { Random } from './random';
import { TcpProxy } from './tcp-proxy';

// One run's whole fleet, all real: a persistent redis-server that the chaos may kill, restart
// or freeze; cloud-sim, whose API the fleet reaches through a relay the chaos may cut; W
// elastiq-worker processes that the chaos SIGKILLs and replaces; the producer API the CLI uses.
// Every run gets its own.

const WORKER_MAIN = join(dirname(require.resolve('@elastiq/worker/package.json')), 'dist', 'main.js');
export const KEY_NAME = 'elastiq-chaos';

export interface FleetSpec {
  workers: number;
  seed: number;
  /** Redis' AOF fsync policy: `always` loses nothing in a crash, `everysec` up to a second. */
  appendfsync: 'always' | 'everysec';
  bootDelay: string;
  simFaults?: Record<string, unknown>;
}

/**
 * Worker tuning: a killed worker's job is taken over within seconds (lock 4 s, stall check 2 s),
 * and the probes and sweeps run at the pace the e2e specs use, so that a run takes seconds.
 * Everything else is the fleet's default.
 */
const WORKER_ENV = {
  ELASTIQ_LOG_LEVEL: 'warn',
  ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS: '200',
  ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: '1000',
  ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS: '300',
  ELASTIQ_FLEET_CAPACITY_RETRY_MS: '1000',
  ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '1000',
  ELASTIQ_WORKER_LOCK_MS: '4000',
  ELASTIQ_WORKER_STALLED_INTERVAL_MS: '2000',
};

export class ChaosFleet {
  readonly workers: TrackedProcess[] = [];
  redis!: RunningRedis;
  sim!: ChaosCloudSim;
  /** The fleet's only way to cloud-sim's API (the chaos' own inventory reads go direct). */
  cloudApi!: TcpProxy;
  connection!: RedisConnection;
  producer!: FleetProducer;
  repository!: RedisClusterRepository;
  keys!: SshKeyPair;
  readonly prefix: string;
  /** Worker exits that were not ours (a crash is a finding). */
  readonly unexpectedExits: string[] = [];
  private tempDir!: TempDir;
  private readonly killed = new Set<TrackedProcess>();

  private constructor(
    private readonly spec: FleetSpec,
    runId: string,
  ) {
    this.prefix = `chaos${runId}`;
  }

  static async start(spec: FleetSpec, runId: string): Promise<ChaosFleet> {
    const fleet = new ChaosFleet(spec, runId);
    try {
      await fleet.open();
      return fleet;
    } catch (error) {
      await fleet.close();
      throw error;
    }
  }

  private async open(): Promise<void> {
    this.tempDir = await makeTempDir('chaos');
    this.keys = await generateSshKeyPair(this.tempDir.path);
    await mkdir(join(this.tempDir.path, 'redis'));
    this.redis = await this.startRedis();
    this.sim = await ChaosCloudSim.start({
      rootDir: join(this.tempDir.path, 'cloud-sim'),
      seed: this.spec.seed,
      bootDelay: this.spec.bootDelay,
      faults: this.spec.simFaults,
    });
    this.cloudApi = await TcpProxy.start(() => this.sim.port);
    this.connection = createRedisConnection(loadRuntimeSettings(this.redisEnv).redis, 'worker');
    // Redis going away is the chaos itself: the bench's reads fail and are retried by waitFor.
    this.connection.on('error', () => undefined);
    this.repository = new RedisClusterRepository(this.connection, { prefix: `${this.prefix}:` });
    this.producer = new FleetProducer({ connection: this.connection, prefix: this.prefix, repository: this.repository });
    for (let index = 0; index < this.spec.workers; index += 1) this.workers.push(await this.spawnWorker());
    await this.waitUntilServing();
  }

  get redisEnv(): Record<string, string> {
    return { ELASTIQ_REDIS_URL: this.redis.url, ELASTIQ_QUEUE_PREFIX: this.prefix };
  }

  get scratchDir(): string {
    return this.tempDir.path;
  }

  get cloud() {
    return { provider: 'ec2' as const, ec2Url: this.cloudApi.url('http'), ec2Region: this.sim.region, credentialSource: 'env', vpc: null };
  }

  /** SIGKILL of worker `index` and a fresh process in its place (a crashed replica restarted). */
  async killWorker(index: number): Promise<void> {
    const victim = this.workers[index];
    this.killed.add(victim);
    await victim.stop('SIGKILL');
    this.workers[index] = await this.spawnWorker();
  }

  /** Redis killed (SIGKILL: no last fsync) and started again on its port from its AOF. */
  async crashRedis(downMs: number): Promise<void> {
    await this.redis.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.redis = await this.startRedis(this.redis.port);
  }

  /** SIGSTOP: Redis keeps its connections but answers nothing until SIGCONT. */
  async freezeRedis(ms: number): Promise<void> {
    process.kill(this.redis.pid, 'SIGSTOP');
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      process.kill(this.redis.pid, 'SIGCONT');
    }
  }

  /** Instances cloud-sim ever launched for the cluster (terminated ones stay listed for 10 min). */
  async instancesOf(cluster: string): Promise<ChaosInstance[]> {
    return (await this.sim.instances()).filter((instance) => instance.tags['elastiq:cluster'] === cluster);
  }

  /**
   * The record, polled until `until` holds; null once it is gone. Redis errors (it is down or
   * frozen) count as "not yet": the chaos is allowed to make Redis unavailable for a while.
   */
  async waitForRecord(name: string, until: (cluster: ClusterDict) => boolean, timeoutMs: number): Promise<ClusterDict | null> {
    let last = 'never read';
    try {
      const found = await waitFor(
        async () => {
          const current = await this.repository.get(name);
          last = current === null ? 'gone' : current.value.status;
          if (current === null) return { value: null };
          return until(current.value) ? { value: current.value } : undefined;
        },
        { timeoutMs, intervalMs: 200, description: `cluster ${name}` },
      );
      return found.value;
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${last}`);
    }
  }

  /** The cluster as the CLI builds it from a template: 1 frontend and N-1 compute nodes. */
  cluster(name: string, { nodes, frontendMin, computeMin, startTimeout, setup }: { nodes: number; frontendMin?: number; computeMin?: number; startTimeout: number; setup?: Record<string, unknown> }): ClusterDict {
    const node = (kind: string, index: number) =>
      NodeDictSchema.parse({
        name: `${kind}${String(index).padStart(3, '0')}`,
        clusterName: name,
        kind,
        imageId: 'ami-sim',
        imageUser: 'elastiq',
        flavor: 't3.micro',
        securityGroup: 'default',
        userKeyName: KEY_NAME,
        userKeyPublic: this.keys.publicKeyPath,
        userKeyPrivate: this.keys.privateKeyPath,
        extra: { groups: [kind] },
      });
    return ClusterDictSchema.parse({
      name,
      template: 'chaos',
      startTimeout,
      sshProbeTimeout: 5,
      userKeyName: KEY_NAME,
      userKeyPublic: this.keys.publicKeyPath,
      userKeyPrivate: this.keys.privateKeyPath,
      nodes: { frontend: [node('frontend', 1)], compute: Array.from({ length: nodes - 1 }, (_, index) => node('compute', index + 1)) },
      minNodes: { frontend: frontendMin ?? 1, compute: computeMin ?? nodes - 1 },
      extra: setup ? { elastiq_setup: setup } : {},
      status: 'starting',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
  }

  /** Picks a worker index with the run's random source. */
  randomWorker(random: Random): number {
    return random.int(0, this.workers.length - 1);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop('SIGTERM', 10_000)));
    await this.producer?.close().catch(() => undefined);
    this.connection?.disconnect();
    await this.cloudApi?.close();
    await this.sim?.stop().catch(() => undefined);
    await this.redis?.stop().catch(() => undefined);
    await this.tempDir?.cleanup();
  }

  private startRedis(port?: number): Promise<RunningRedis> {
    return startRedis({
      persistent: true,
      dir: join(this.tempDir.path, 'redis'),
      ...(port === undefined ? {} : { port }),
      extraArgs: () => ['--appendfsync', this.spec.appendfsync],
    });
  }

  private async spawnWorker(): Promise<TrackedProcess> {
    const worker = await spawnTracked(process.execPath, [WORKER_MAIN], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...this.redisEnv,
        // cloud-sim accepts any key; these are not secrets.
        AWS_ACCESS_KEY_ID: 'AKIDELASTIQCHAOS',
        AWS_SECRET_ACCESS_KEY: 'chaos-not-a-secret',
        ...WORKER_ENV,
      },
    });
    void worker.exited.then((status) => {
      if (!this.killed.has(worker) && status.signal !== 'SIGTERM') {
        this.unexpectedExits.push(`worker ${worker.pid} exited (${status.signal ?? status.code}): ${worker.output().slice(-400)}`);
      }
    });
    return worker;
  }

  private async waitUntilServing(): Promise<void> {
    const queues = openFleetQueues(this.connection, this.prefix);
    try {
      await waitFor(async () => (await queues.nodeStart.getWorkersCount()) >= this.workers.length, { timeoutMs: 30_000, description: 'every worker to listen' });
    } finally {
      await queues.close();
    }
  }
}
