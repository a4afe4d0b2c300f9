import { resolve } from 'node:path';
import { type ClusterTemplate, getTemplate, type LoadedConfiguration, loadConfiguration, loadRuntimeSettingsWith, type RuntimeSettings } from '@elastiq/config';
import { type ClusterDict, ClusterExists, ClusterNotFound } from '@elastiq/core';
import { FleetProducer, listUnavailableOfferings, type SetupClusterOptions, type UnavailableOffering } from '@elastiq/queue';
import { type ClusterRepository, RedisClusterRepository, type StoreWarning } from '@elastiq/store';
import type { RedisConnection } from '@elastiq/redis';
import { type ClusterEvent, eventsOf } from './cluster-events';
import { followCluster, type FollowOptions } from './follow-cluster';
import { connectFleetRedis } from './redis-connection';
import { type StartRequest, planStart, type StartPlan } from './start-plan';
import { type GrowRequest, planGrowthOf, planRemovalOf, planShrinkOf, type RemoveNodeRequest, type ResizePlan, resizableCluster, type ShrinkRequest } from './resize-request';
import { ResizeHandle, StartHandle } from './start-handle';
import { waitForStop } from './wait-for-stop';

export interface ElastiqClientOptions {
  /** An open Redis connection (or Cluster) to share (it is not closed by `close()`); default: connect as `settings` say. */
  connection?: RedisConnection;
  /** Runtime settings (Redis URL, TLS, Sentinel or Cluster, queue prefix); default: read from the ELASTIQ_* environment. */
  settings?: RuntimeSettings;
  /** Shorthand for ELASTIQ_REDIS_URL (redis:// or rediss://); the other ELASTIQ_REDIS_* variables still apply. */
  redisUrl?: string;
  /** The installation's queue prefix shared with the workers; default: ELASTIQ_QUEUE_PREFIX, else `elastiq`. */
  queuePrefix?: string;
  /** Where cluster records are read and written; default: the fleet's Redis under the queue prefix. */
  repository?: ClusterRepository;
  /** The ElastiCluster configuration file (INI or YAML); default ~/.elasticluster/config. */
  configFile?: string;
  /** Store warnings (a corrupt record skipped...); default: ignored. */
  onWarning?: (warning: StoreWarning) => void;
  /** A warning about the Redis itself (it may evict keys); default: process.emitWarning. */
  onRedisWarning?: (message: string) => void;
}

export interface StopOptions {
  /** Delete the record even when the cloud still reports instances of the cluster. */
  force?: boolean;
  /** Resolve only once every instance is terminated and the record is deleted. */
  wait?: boolean;
  /** Give up waiting (the stop goes on in the fleet). */
  signal?: AbortSignal;
}

/**
 * The one way into elastiq for programs: an admin script and the `elastiq` CLI both start,
 * follow, set up and stop clusters through it. It only writes records and enqueues jobs; the
 * workers do the cloud and SSH work, so a script needs Redis, never cloud credentials.
 *
 *     const elastiq = await ElastiqClient.connect({ configFile: 'cluster.conf' });
 *     const start = await elastiq.start({ template: 'slurm', name: 'run1', nodes: { compute: 4 } });
 *     for await (const event of start.events()) console.log(event);
 *     const cluster = await start.result(); // throws StartFailed unless ready or degraded
 */
export class ElastiqClient {
  private configuration: Promise<LoadedConfiguration> | undefined;

  private constructor(
    readonly settings: RuntimeSettings,
    readonly connection: RedisConnection,
    readonly repository: ClusterRepository,
    readonly producer: FleetProducer,
    private readonly options: ElastiqClientOptions,
    private readonly ownsConnection: boolean,
  ) {}

  static async connect(options: ElastiqClientOptions = {}): Promise<ElastiqClient> {
    // Overrides go through the environment's parser, so they are checked like ELASTIQ_* variables
    // (a Redis Cluster still needs a hash-tagged prefix).
    const overrides = {
      ...(options.redisUrl !== undefined ? { ELASTIQ_REDIS_URL: options.redisUrl } : {}),
      ...(options.queuePrefix !== undefined ? { ELASTIQ_QUEUE_PREFIX: options.queuePrefix } : {}),
    };
    const settings = options.settings ?? loadRuntimeSettingsWith(overrides);
    const warn = options.onRedisWarning ?? ((message: string) => process.emitWarning(message));
    const connection = options.connection ?? (await connectFleetRedis(settings, warn));
    const repository =
      options.repository ??
      new RedisClusterRepository(connection, { prefix: recordPrefix(settings.queuePrefix), ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
    const producer = new FleetProducer({ connection, prefix: settings.queuePrefix, repository });
    return new ElastiqClient(settings, connection, repository, producer, options, options.connection === undefined);
  }

  /** The configuration file's templates, read once (warnings are in the result). */
  loadConfiguration(): Promise<LoadedConfiguration> {
    this.configuration ??= loadConfiguration(this.options.configFile === undefined ? {} : { configPath: resolve(this.options.configFile), explicit: true });
    return this.configuration;
  }

  /** A cluster template of the configuration, after defaults and per-kind overrides. */
  async template(name: string): Promise<ClusterTemplate> {
    return getTemplate(await this.loadConfiguration(), name);
  }

  /**
   * Checks a start request and builds the record it begins from, without enqueueing anything:
   * a bad kind, count, name or setup setting is a ConfigurationError before any launch.
   */
  async plan(request: StartRequest): Promise<StartPlan> {
    if (typeof request.template !== 'string') return planStart(request.template, request, request.configFile ?? '');
    const configuration = await this.loadConfiguration();
    return planStart(getTemplate(configuration, request.template), request, resolve(configuration.files[0] ?? ''));
  }

  /**
   * Starts a cluster (or re-attaches to its start in progress) and returns a handle to follow it.
   * Throws ClusterExists when a usable cluster of that name exists.
   */
  async start(request: StartRequest): Promise<StartHandle> {
    const plan = await this.plan(request);
    const name = plan.cluster.name;
    const following = await this.startInProgress(name);
    if (following !== null) return following;
    try {
      const started = await this.producer.startCluster({ cluster: plan.cluster, cloud: plan.cloud, runSetup: request.setup ?? true });
      // `resumed`: another start of the name had written its record after the look above.
      return new StartHandle(this, started.name, started.generation, started.resumed === true);
    } catch (error) {
      // Another start of the name saved its record between the look above and this one's save.
      if (!(error instanceof ClusterExists)) throw error;
      const other = await this.startInProgress(name);
      if (other === null) throw error;
      return other;
    }
  }

  /** A handle following the start of `name` in progress, or null when none is. */
  private async startInProgress(name: string): Promise<StartHandle | null> {
    const existing = await this.repository.get(name);
    if (existing === null || !IN_PROGRESS.has(existing.value.status)) return null;
    return new StartHandle(this, name, existing.value.generation, true);
  }

  /**
   * What `resize -a` would add (names fill the holes first), without enqueueing: ResizeRefused,
   * ClusterNotFound or ClusterBusy when it cannot be done now. Apply it with `resize`.
   */
  async planGrowth(request: GrowRequest): Promise<ResizePlan> {
    const record = await this.get(request.name);
    const cluster = resizableCluster(record, request.name, 'be resized');
    const { template } = request;
    return planGrowthOf(cluster, request, async () => (typeof template === 'object' ? template : this.template(template ?? (record as ClusterDict).template)));
  }

  /** What `resize -r` would terminate: per kind the highest-indexed nodes, never the ssh_to node. */
  async planShrink(request: ShrinkRequest): Promise<ResizePlan> {
    return planShrinkOf(resizableCluster(await this.get(request.name), request.name, 'be resized'), request);
  }

  /** What `remove-node` would terminate: that node, unless its kind falls below min_nodes (`force`). */
  async planRemoval(request: RemoveNodeRequest): Promise<ResizePlan> {
    return planRemovalOf(resizableCluster(await this.get(request.name), request.name, 'remove a node'), request);
  }

  /**
   * Enqueues a planned resize: a growth is a generation of only the added nodes (the others are
   * never touched; added nodes that do not come up are terminated), a shrink one batched
   * termination; then setup runs again unless the plan says not to. The producer checks the
   * cluster's status again under the record's revision.
   */
  async resize(plan: ResizePlan): Promise<ResizeHandle> {
    const { name, runSetup, summary } = plan;
    const started =
      plan.action === 'grow'
        ? await this.producer.growCluster({ name, add: plan.nodes, min: plan.min, runSetup, summary })
        : await this.producer.shrinkCluster({ name, remove: plan.nodes.map((node) => node.name), runSetup, summary });
    return new ResizeHandle(this, plan, started.generation);
  }

  /** The record, or null when no cluster has that name. */
  async get(name: string): Promise<ClusterDict | null> {
    return (await this.repository.get(name))?.value ?? null;
  }

  async list(): Promise<ClusterDict[]> {
    return (await this.repository.list()).map((entry) => entry.value);
  }

  /** Offerings (type × zone) every start skips for now because they answered "no capacity" (issue 11). */
  unavailableOfferings(): Promise<UnavailableOffering[]> {
    return listUnavailableOfferings(this.connection, this.settings.queuePrefix);
  }

  /** Live snapshots of a cluster's start, setup or stop, until it ends (or `signal` aborts). */
  follow(name: string, options: FollowOptions = {}) {
    return followCluster(this, name, options);
  }

  /** The same as events: per kind launched/running/up/failed, status changes, setup steps, the end. */
  events(name: string, options: FollowOptions = {}): AsyncIterable<ClusterEvent> {
    return eventsOf(this.follow(name, options));
  }

  /** Runs the setup step again (idempotent); follow it with `follow`/`events`. */
  async setup(name: string, options: SetupClusterOptions = {}): Promise<{ jobId: string }> {
    return this.producer.setupCluster(name, options);
  }

  /**
   * Terminates every instance of the cluster (also of a start in progress) and deletes its record.
   * With `wait`, resolves when that is done, and throws when the fleet gave up.
   */
  async stop(name: string, options: StopOptions = {}): Promise<{ stopped: boolean }> {
    if ((await this.repository.get(name)) === null) {
      throw new ClusterNotFound(name, { hint: 'it is already stopped, or was never started; `elastiq list` shows the clusters that exist' });
    }
    const { jobId } = await this.producer.stopCluster(name, { force: options.force === true });
    if (!options.wait) return { stopped: false };
    return { stopped: await waitForStop(this, name, jobId, options.signal) };
  }

  async close(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    if (this.ownsConnection) await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/** Statuses of a start still going on: `start` of the same name re-attaches to it. */
const IN_PROGRESS = new Set<ClusterDict['status']>(['starting', 'setting-up']);

/** Cluster records live next to the queues, under the installation's queue prefix. */
export function recordPrefix(queuePrefix: string): string {
  return `${queuePrefix}:`;
}
