import { join } from 'node:path';
import { type CloudSimOptions, type RunningCloudSim, startCloudSim } from '@elastiq/cloud-sim';
import type { ClusterDict } from '@elastiq/core';
import { loadRuntimeSettings, type RuntimeSettings } from '@elastiq/config';
import { FleetProducer } from '@elastiq/queue';
import { createRedisConnection, type RedisConnection } from '@elastiq/redis';
import { RedisClusterRepository } from '@elastiq/store';
import {
  generateSshKeyPair,
  makeTempDir,
  makeTlsCertificate,
  type RunningRedis,
  type RunningRedisCluster,
  type RunningRedisSentinel,
  type SshKeyPair,
  spawnTracked,
  startRedis,
  startRedisCluster,
  startRedisSentinel,
  type TempDir,
  type TrackedProcess,
} from '@elastiq/testing';

// Everything real: a redis-server, cloud-sim (its instances are real sshd's on 127.x.y.z) and
// elastiq-worker processes built from apps/worker. Tests talk to the fleet through the same
// producer API the CLI uses, and check the cloud's own inventory for leaks.

// testTimeout of a jest *project* is ignored when jest runs several projects: set it here.
jest.setTimeout(180_000);

const WORKER_MAIN = join(__dirname, '..', '..', 'apps', 'worker', 'dist', 'main.js');

export interface FleetHarnessOptions {
  sim?: CloudSimOptions;
  /** Extra environment for worker processes (ELASTIQ_FLEET_* tuning knobs). */
  workerEnv?: Record<string, string>;
  /**
   * Which Redis the fleet runs on: one plain server (default), a three-master Redis Cluster,
   * a TLS-only server with a throwaway CA and an ACL user (the default user off), or a master
   * found through a sentinel.
   */
  redis?: 'standalone' | 'cluster' | 'tls' | 'sentinel';
  /** How much of each worker's output to keep (default 16 kB; the secrets scan keeps all of it). */
  workerOutputBytes?: number;
}

export interface KindSpec {
  count: number;
  min?: number;
  flavor?: string;
  imageId?: string;
}

export class FleetHarness {
  readonly workers: TrackedProcess[] = [];
  producer!: FleetProducer;
  repository!: RedisClusterRepository;
  redisClient!: RedisConnection;
  /** The server (for a Cluster: its first master; `redisCluster` has them all). */
  redis!: RunningRedis;
  redisCluster: RunningRedisCluster | undefined;
  redisSentinel: RunningRedisSentinel | undefined;
  /** ELASTIQ_* variables that point a worker or the CLI at this fleet's Redis and prefix. */
  redisEnv: Record<string, string> = {};
  sim!: RunningCloudSim;
  keys!: SshKeyPair;
  private tempDir!: TempDir;
  /** On a Redis Cluster the prefix is a hash tag, so that every key of the fleet is in one slot. */
  readonly prefix: string;

  constructor(private readonly options: FleetHarnessOptions = {}) {
    this.prefix = options.redis === 'cluster' ? `{e2e${process.pid}}` : `e2e${process.pid}`;
  }

  async start(): Promise<this> {
    this.tempDir = await makeTempDir('fleet-e2e');
    await this.startRedis();
    this.sim = await startCloudSim({ bootDelay: 'fixed:500ms', ...this.options.sim });
    this.keys = await generateSshKeyPair(this.tempDir.path);
    this.redisClient = createRedisConnection(this.redisSettings.redis, 'worker');
    this.repository = new RedisClusterRepository(this.redisClient, { prefix: `${this.prefix}:` });
    this.producer = new FleetProducer({ connection: this.redisClient, prefix: this.prefix, repository: this.repository });
    return this;
  }

  private async startRedis(): Promise<void> {
    const mode = this.options.redis ?? 'standalone';
    if (mode === 'cluster') {
      this.redisCluster = await startRedisCluster({ masters: 3 });
      this.redis = this.redisCluster.nodes[0];
      this.redisEnv = { ELASTIQ_REDIS_URL: this.redis.url, ELASTIQ_REDIS_CLUSTER: 'true' };
    } else if (mode === 'sentinel') {
      this.redisSentinel = await startRedisSentinel();
      this.redis = this.redisSentinel.master;
      const { sentinel, masterName } = this.redisSentinel;
      this.redisEnv = { ELASTIQ_REDIS_SENTINELS: `${sentinel.host}:${sentinel.port}`, ELASTIQ_REDIS_SENTINEL_MASTER: masterName };
    } else if (mode === 'tls') {
      const certificate = await makeTlsCertificate(this.tempDir.path);
      this.redis = await startRedis({ tls: certificate, user: { name: 'elastiq-e2e', password: 'e2e-redis-password' } });
      this.redisEnv = { ELASTIQ_REDIS_URL: this.redis.url, ELASTIQ_REDIS_TLS_CA_FILE: certificate.caFile };
    } else {
      this.redis = await startRedis();
      this.redisEnv = { ELASTIQ_REDIS_URL: this.redis.url };
    }
    this.redisEnv.ELASTIQ_QUEUE_PREFIX = this.prefix;
  }

  /** The settings a worker given redisEnv parses: the test's own client connects the same way. */
  get redisSettings(): RuntimeSettings {
    return loadRuntimeSettings(this.redisEnv);
  }

  async spawnWorker(env: Record<string, string> = {}): Promise<TrackedProcess> {
    const worker = await spawnTracked(process.execPath, [WORKER_MAIN], {
      ...(this.options.workerOutputBytes ? { keepOutputBytes: this.options.workerOutputBytes } : {}),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...this.redisEnv,
        ELASTIQ_LOG_LEVEL: 'warn',
        // cloud-sim accepts any key; the worker resolves the record's `env` credential source.
        AWS_ACCESS_KEY_ID: 'AKIDELASTIQE2E',
        AWS_SECRET_ACCESS_KEY: 'e2e-secret-not-real',
        ELASTIQ_FLEET_PROBE_FIRST_DELAY_MS: '200',
        ELASTIQ_FLEET_PROBE_MAX_DELAY_MS: '1000',
        ELASTIQ_FLEET_DESCRIBE_MAX_AGE_MS: '300',
        ELASTIQ_FLEET_CAPACITY_RETRY_MS: '1000',
        ELASTIQ_FLEET_SWEEP_INTERVAL_MS: '1000',
        ELASTIQ_WORKER_LOCK_MS: '4000',
        ELASTIQ_WORKER_STALLED_INTERVAL_MS: '2000',
        ...this.options.workerEnv,
        ...env,
      },
    });
    this.workers.push(worker);
    return worker;
  }

  /** A cluster as the CLI builds it from a template: kinds, min_nodes, keys (paths only). */
  clusterDict(
    name: string,
    kinds: Record<string, KindSpec>,
    { startTimeout = 60, setup }: { startTimeout?: number; setup?: Record<string, unknown> } = {},
  ): ClusterDict {
    const nodes: ClusterDict['nodes'] = {};
    const minNodes: Record<string, number> = {};
    for (const [kind, spec] of Object.entries(kinds)) {
      minNodes[kind] = spec.min ?? spec.count;
      nodes[kind] = Array.from({ length: spec.count }, (_, index) => ({
        name: `${kind}${String(index + 1).padStart(3, '0')}`,
        clusterName: name,
        kind,
        imageId: spec.imageId ?? 'ami-sim',
        imageUser: 'elastiq',
        imageUserdata: '',
        flavor: spec.flavor ?? 't3.micro',
        securityGroup: 'default',
        userKeyName: `elastiq-${this.prefix}`,
        userKeyPublic: this.keys.publicKeyPath,
        userKeyPrivate: this.keys.privateKeyPath,
        sshProxyCommand: '',
        instanceId: null,
        ips: [],
        preferredIp: null,
        extra: { groups: [kind] },
        state: 'new',
        lastError: null,
        hostKey: null,
        sshPort: 22,
        setupStatus: null,
      }));
    }
    return {
      name,
      template: 'e2e',
      availabilityZone: '',
      startTimeout,
      sshProbeTimeout: 5,
      sshProxyCommand: '',
      sshTo: null,
      threadPoolMaxSize: 10,
      userKeyName: `elastiq-${this.prefix}`,
      userKeyPublic: this.keys.publicKeyPath,
      userKeyPrivate: this.keys.privateKeyPath,
      nodes,
      pausedNodes: {},
      // Where the CLI puts the template's setup section (apps/cli cluster-from-template.ts).
      extra: setup ? { elastiq_setup: setup } : {},
      status: 'starting',
      statusReason: null,
      generation: 1,
      minNodes,
      cloud: null,
      startDeadline: null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
  }

  /**
   * The `[cloud/sim]` and `[login/e2e]` sections of an ElastiCluster configuration for this fleet,
   * for specs that run the CLI. No keys in them: the worker's AWS_* environment is what cloud-sim gets.
   */
  configSections(): string[] {
    return [
      '[cloud/sim]',
      'provider=ec2_boto',
      `ec2_url=${this.sim.endpoint}`,
      `ec2_region=${this.sim.region}`,
      '[login/e2e]',
      'image_user=elastiq',
      'image_sudo=no',
      `user_key_name=elastiq-${this.prefix}`,
      `user_key_private=${this.keys.privateKeyPath}`,
      `user_key_public=${this.keys.publicKeyPath}`,
    ];
  }

  get scratchDir(): string {
    return this.tempDir.path;
  }

  get cloud() {
    return { provider: 'ec2' as const, ec2Url: this.sim.endpoint, ec2Region: this.sim.region, credentialSource: 'env', vpc: null };
  }

  /** Instances cloud-sim reports for the cluster that are not terminated (the bill). */
  liveInstances(cluster: string) {
    return this.sim.instances().filter((instance) => instance.tags['elastiq:cluster'] === cluster && instance.state !== 'terminated');
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop('SIGTERM', 5000)));
    await this.producer?.close().catch(() => undefined);
    this.redisClient?.disconnect();
    await this.sim?.stop();
    if (this.redisCluster) await this.redisCluster.stop();
    else if (this.redisSentinel) await this.redisSentinel.stop();
    else await this.redis?.stop();
    await this.tempDir?.cleanup();
  }
}
