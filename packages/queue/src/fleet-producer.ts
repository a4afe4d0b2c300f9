import {
  type CloudSettings,
  type ClusterDict,
  ClusterDictSchema,
  ClusterExists,
  ClusterNotFound,
  ConcurrentModification,
  ElastiqError,
} from '@elastiq/core';
import type { ClusterRepository } from '@elastiq/store';
import type { RedisConnection } from '@elastiq/redis';
import { type FleetQueues, type JobOptionsOverrides, openFleetQueues } from './fleet-queues';
import { generationKeys } from './fleet-keys';
import { nextGeneration } from './generation-counter';
import type { StoredDecision } from './fleet-state';
import { clusterSetupJobId, clusterStopJobId, coordinatorJobId } from './job-ids';
import { clusterSetupJobName, clusterStopJobName, coordinatorJobName } from './job-names';
import {
  type ClusterSetupPayload,
  ClusterSetupPayloadSchema,
  type ClusterStopPayload,
  PAYLOAD_VERSION,
} from './payloads';
import { enqueueGeneration, freshNode } from './enqueue-jobs';
import { type GrowClusterRequest, growCluster, type ResizeParts, type ResizeStarted, type ShrinkClusterRequest, shrinkCluster } from './resize-producer';
import { updateRecord } from './update-record';
import { addReplacingFinished } from './add-replacing-finished';
import { type LifecycleProducerDependencies, pauseCluster, resumeCluster, updateCluster } from './lifecycle-producer';

export interface FleetProducerOptions {
  connection: RedisConnection;
  /** The runtime queuePrefix shared with the workers. */
  prefix: string;
  repository: ClusterRepository;
  /** Retry policy per job kind instead of DEFAULT_JOB_OPTIONS (e.g. fewer, faster attempts in tests). */
  jobOptions?: JobOptionsOverrides;
}

export interface StartClusterRequest {
  /** The cluster as built from its template: its nodes, kinds' min_nodes, timeouts and keys (paths). */
  cluster: ClusterDict;
  cloud: CloudSettings;
  /** `start --no-setup`: ready as soon as the nodes are up. */
  runSetup?: boolean;
}

export interface StartedCluster {
  name: string;
  generation: number;
  /** Epoch ms after which the coordinator decides with what it has. */
  deadline: number;
  nodeCount: number;
  /**
   * True when this call did not begin the start: another producer had already recorded it (and
   * died before, or is still busy, enqueueing its jobs) and this call only enqueued what was
   * missing. The caller follows that start; it must not report having started it.
   */
  resumed?: true;
}

export interface SetupClusterOptions {
  /** Extra ansible-playbook arguments for this run (`elastiq setup NAME -- ARGS`). */
  extraArgs?: string[];
}

export interface StopClusterOptions {
  /** Delete the record even when the cloud still reports instances of the cluster. */
  force?: boolean;
}

/** Statuses from which a new start of the same name begins a new generation. */
const RESTARTABLE = new Set<ClusterDict['status']>(['failed', 'stopped']);
/** Statuses from which `setup` may run (again). */
const SETUP_READY = new Set<ClusterDict['status']>(['ready', 'degraded', 'setup-failed']);

/**
 * The producer side of the fleet (used by the CLI): writes the cluster record and enqueues jobs.
 * It never talks to the cloud or SSH; workers do.
 */
export class FleetProducer {
  readonly queues: FleetQueues;
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly repository: ClusterRepository;

  constructor({ connection, prefix, repository, jobOptions }: FleetProducerOptions) {
    this.redis = connection;
    this.prefix = prefix;
    this.repository = repository;
    this.queues = openFleetQueues(connection, prefix, jobOptions);
  }

  async startCluster(request: StartClusterRequest): Promise<StartedCluster> {
    const template = ClusterDictSchema.parse(request.cluster);
    const runSetup = request.runSetup ?? true;
    const existing = await this.repository.get(template.name);
    if (existing !== null) {
      const current = existing.value;
      if (current.status === 'starting' && !(await this.queues.clusterCoordinator.getJob(coordinatorJobId(current.name, current.generation)))) {
        // A producer died between writing the record and enqueueing, or is still enqueueing (the
        // jobs deduplicate by id, so doing its work again is harmless): finish its work.
        return { ...(await this.enqueueStart(current, runSetup)), resumed: true };
      }
      if (!RESTARTABLE.has(current.status)) {
        throw new ClusterExists(template.name, {
          hint: `it is ${current.status}; stop it first with \`elastiq stop ${template.name}\`, or choose another name`,
        });
      }
    }
    const generation = await this.nextGeneration(template.name, existing?.value.generation ?? 0);
    const deadline = Date.now() + template.startTimeout * 1000;
    const record: ClusterDict = {
      ...template,
      status: 'starting',
      statusReason: null,
      generation,
      cloud: request.cloud,
      startDeadline: new Date(deadline).toISOString(),
      nodes: Object.fromEntries(Object.entries(template.nodes).map(([kind, nodes]) => [kind, nodes.map((node) => freshNode(node, generation))])),
      createdAt: existing?.value.createdAt ?? new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    // The revision check makes two concurrent `start`s of one name fail instead of both launching.
    try {
      await this.repository.save(record, existing?.revision ?? null);
    } catch (error) {
      if (!(error instanceof ConcurrentModification)) throw error;
      throw new ClusterExists(template.name, {
        hint: `another start of it began at the same moment; follow it with \`elastiq watch ${template.name}\``,
      });
    }
    return this.enqueueStart(record, runSetup);
  }

  /**
   * Stops a cluster, also while its start is in progress: the stored `stopped` decision makes
   * every node job of the start stand down, and the stop job terminates whatever the cloud
   * reports for the cluster. Returns the generation that is being stopped.
   */
  async stopCluster(name: string, options: StopClusterOptions = {}): Promise<{ generation: number; jobId: string }> {
    const existing = await this.repository.get(name);
    if (existing === null) throw new ClusterNotFound(name);
    const { generation } = existing.value;
    const stopped: StoredDecision = {
      decision: 'stopped',
      decidedAt: Date.now(),
      keep: [],
      drop: [],
      reasons: {},
      summary: 'stop requested',
    };
    await this.redis.set(generationKeys(this.prefix, name, generation).decision, JSON.stringify(stopped), 'NX');
    await updateRecord(this.repository, name, (cluster) => ({
      ...cluster,
      status: 'stopping',
      statusReason: cluster.status === 'stopping' ? cluster.statusReason : `stop requested while ${cluster.status}`,
    }));
    const jobId = clusterStopJobId(name, generation);
    const payload: ClusterStopPayload = { v: PAYLOAD_VERSION, cluster: name, generation, force: options.force ?? false, sweep: 0 };
    const running = await this.queues.clusterStop.getJob(jobId);
    if (running !== undefined && payload.force && ['delayed', 'waiting'].includes(await running.getState())) {
      // A stop already sweeping becomes a forced one at its next sweep, which is now.
      await running.updateData({ ...(running.data as ClusterStopPayload), force: true });
      await running.promote().catch(() => undefined);
      return { generation, jobId };
    }
    await addReplacingFinished(this.queues.clusterStop, clusterStopJobName(name), payload, jobId);
    return { generation, jobId };
  }

  /**
   * (Re-)runs the setup step of a started cluster (`elastiq setup NAME [-- ARGS]`). The worker first
   * checks every node's host key against the one pinned at start. `extraArgs` are added to this
   * run's ansible-playbook command line only (the stored setup settings stay as they are).
   */
  async setupCluster(name: string, options: SetupClusterOptions = {}): Promise<{ jobId: string }> {
    // Parsed before anything changes: a bad argument list must not leave the record `setting-up`.
    const parsedArgs = ClusterSetupPayloadSchema.shape.extraArgs.safeParse(options.extraArgs ?? []);
    if (!parsedArgs.success) {
      const problems = parsedArgs.error.issues.map((issue) => (issue.path.length > 0 ? `argument ${Number(issue.path[0]) + 1}: ${issue.message}` : issue.message));
      throw new ElastiqError(`the extra ansible-playbook arguments are invalid: ${problems.join('; ')}`, { hint: 'give them after `--`, one word each' });
    }
    const extraArgs = parsedArgs.data ?? [];
    const existing = await this.repository.get(name);
    if (existing === null) throw new ClusterNotFound(name);
    const { status, generation } = existing.value;
    if (!SETUP_READY.has(status)) {
      throw new ElastiqError(`cluster \`${name}\` is ${status}: only a started cluster can be set up`, {
        hint: status === 'setting-up' ? 'its setup is already running' : `start it first with \`elastiq start ${existing.value.template}\``,
      });
    }
    await updateRecord(this.repository, name, (cluster) =>
      cluster.generation === generation && SETUP_READY.has(cluster.status) ? { ...cluster, status: 'setting-up', statusReason: 'setup requested' } : null,
    );
    const jobId = clusterSetupJobId(name, generation);
    const payload: ClusterSetupPayload = { v: PAYLOAD_VERSION, cluster: name, generation, ...(extraArgs.length > 0 ? { extraArgs } : {}) };
    await addReplacingFinished(this.queues.clusterSetup, clusterSetupJobName(name), payload, jobId);
    return { jobId };
  }

  /** `elastiq pause` (lifecycle-producer.ts). */
  pauseCluster(name: string): Promise<{ epoch: number; jobId: string }> {
    return pauseCluster(this.lifecycle, name);
  }

  /** `elastiq resume` (lifecycle-producer.ts). */
  resumeCluster(name: string): Promise<{ epoch: number; jobId: string; deadline: number }> {
    return resumeCluster(this.lifecycle, name);
  }

  /** `elastiq update` (lifecycle-producer.ts): returns the job whose result the caller waits for. */
  updateCluster(name: string): Promise<{ jobId: string }> {
    return updateCluster(this.lifecycle, name);
  }

  private get lifecycle(): LifecycleProducerDependencies {
    return { redis: this.redis, prefix: this.prefix, repository: this.repository, queues: this.queues };
  }

  /**
   * Polls the record until `until` holds (returns it) or the record is gone (returns null).
   * For `--wait` and tests; throws after timeoutMs.
   */
  async waitForCluster(
    name: string,
    until: (cluster: ClusterDict) => boolean,
    { timeoutMs = 600_000, pollMs = 200 }: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<ClusterDict | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.repository.get(name);
      if (current === null) return null;
      if (until(current.value)) return current.value;
      if (Date.now() > deadline) {
        throw new Error(`cluster \`${name}\` is still ${current.value.status} after ${Math.round(timeoutMs / 1000)} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** `elastiq resize NAME -a N:KIND`: the added nodes as a new generation (resize-producer.ts). */
  growCluster(request: GrowClusterRequest): Promise<ResizeStarted & StartedCluster> {
    return growCluster(this.resizeParts(), request);
  }

  /** `elastiq resize NAME -r N:KIND` and `elastiq remove-node`: one batched termination (resize-producer.ts). */
  shrinkCluster(request: ShrinkClusterRequest): Promise<ResizeStarted> {
    return shrinkCluster(this.resizeParts(), request);
  }

  async close(): Promise<void> {
    await this.queues.close();
  }

  private resizeParts(): ResizeParts {
    return { queues: this.queues, redis: this.redis, prefix: this.prefix, repository: this.repository };
  }

  private async enqueueStart(record: ClusterDict, runSetup: boolean): Promise<StartedCluster> {
    return enqueueGeneration(this.queues, this.redis, this.prefix, record, { runSetup, jobName: coordinatorJobName(record.name, record.generation) });
  }

  /**
   * Generations never repeat for a name, even after its record was deleted: they are part of job
   * ids (which deduplicate) and of cloud tags (which rollback filters on).
   */
  private async nextGeneration(name: string, recorded: number): Promise<number> {
    return nextGeneration(this.redis, this.prefix, name, recorded);
  }
}
