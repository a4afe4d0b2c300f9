import { ALL_QUEUE_KINDS, QUEUE_NAMES, type QueueKind } from '@elastiq/queue';
import { type Job, type Processor, Worker } from 'bullmq';
import type { RedisConnection } from '@elastiq/redis';
import { abandonStart } from './abandon-start';
import { LaunchCoalescer } from './launch-coalescer';
import { NameTagger } from './name-tagger';
import { clusterCoordinatorProcessor } from './processors/cluster-coordinator';
import { clusterPauseProcessor } from './processors/cluster-pause';
import { clusterResumeProcessor } from './processors/cluster-resume';
import { clusterUpdateProcessor } from './processors/cluster-update';
import { nodeResumeProcessor } from './processors/node-resume';
import { clusterSetupProcessor } from './processors/cluster-setup';
import { clusterShrinkProcessor } from './processors/cluster-shrink';
import { clusterStopProcessor } from './processors/cluster-stop';
import { fleetGcProcessor } from './processors/fleet-gc';
import { nodeProbeProcessor } from './processors/node-probe';
import { probeWatchProcessor } from './processors/probe-watch';
import { nodeStartProcessor } from './processors/node-start';
import { nodeStopProcessor } from './processors/node-stop';
import type { WorkerDependencies } from './worker-dependencies';

export interface FleetWorkerOptions {
  /** A connection for BullMQ's workers (maxRetriesPerRequest: null); each Worker duplicates it. */
  connection: RedisConnection;
  /** Recorded by BullMQ on every job this process takes (Bull Board's "processed by"). */
  name?: string;
  /** Which job kinds this process serves (a machine without ansible-playbook leaves out clusterSetup). */
  kinds?: QueueKind[];
  /** Jobs held at once per kind. node-start is high on purpose: held jobs are what gets coalesced into one launch. */
  concurrency?: Partial<Record<QueueKind, number>>;
  /** How long a job's lock lasts without renewal: after a SIGKILL, its jobs are retried this much later. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

// A job whose worker died is "stalled"; BullMQ fails it after maxStalledCount stalls. Every
// processor is idempotent, so crashes are survived many times over rather than once.
const MAX_STALLED_COUNT = 10;

const NAME_TAGGER_CLOSE_MS = 5000;

export const DEFAULT_CONCURRENCY: Record<QueueKind, number> = {
  nodeStart: 200,
  nodeProbe: 50,
  probeWatch: 5,
  nodeStop: 20,
  clusterCoordinator: 10,
  clusterStop: 5,
  clusterSetup: 2,
  clusterPause: 5,
  clusterResume: 5,
  nodeResume: 50,
  clusterUpdate: 5,
  clusterShrink: 5,
  fleetGc: 1,
};

export interface FleetWorker {
  workers: Worker[];
  /** Stops taking jobs and waits for the running ones (SIGTERM drain). */
  close(): Promise<void>;
}

export function startFleetWorker(deps: WorkerDependencies, options: FleetWorkerOptions): FleetWorker {
  const coalescer = new LaunchCoalescer(deps);
  const names = new NameTagger(deps);
  const processors: Record<QueueKind, Processor> = {
    nodeStart: nodeStartProcessor(deps, coalescer, names),
    nodeProbe: nodeProbeProcessor(deps),
    probeWatch: probeWatchProcessor(deps),
    nodeStop: nodeStopProcessor(deps),
    clusterCoordinator: clusterCoordinatorProcessor(deps, names),
    clusterStop: clusterStopProcessor(deps),
    clusterSetup: clusterSetupProcessor(deps),
    clusterPause: clusterPauseProcessor(deps),
    clusterResume: clusterResumeProcessor(deps),
    nodeResume: nodeResumeProcessor(deps),
    clusterUpdate: clusterUpdateProcessor(deps),
    clusterShrink: clusterShrinkProcessor(deps),
    fleetGc: fleetGcProcessor(deps),
  };
  const workers = (options.kinds ?? ALL_QUEUE_KINDS).map((kind) => {
    const worker = new Worker(QUEUE_NAMES[kind], processors[kind], {
      connection: options.connection,
      prefix: deps.prefix,
      ...(options.name !== undefined ? { name: options.name } : {}),
      concurrency: options.concurrency?.[kind] ?? DEFAULT_CONCURRENCY[kind],
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      maxStalledCount: MAX_STALLED_COUNT,
    });
    worker.on('failed', (job, error) => {
      deps.log.warn({ queue: QUEUE_NAMES[kind], jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed');
      if (kind === 'clusterCoordinator' && job !== undefined) void abandonIfFailedForGood(deps, job, error);
    });
    worker.on('error', (error) => deps.log.error({ queue: QUEUE_NAMES[kind], err: error.message }, 'worker error'));
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      // Names not set by then stay pending in Redis for the coordinator.
      await names.close(NAME_TAGGER_CLOSE_MS);
    },
  };
}

/**
 * BullMQ emits `failed` for every failed attempt; only a job left in the failed set will not run
 * again. This also catches what the processor cannot see: a job failed for stalling too often.
 */
async function abandonIfFailedForGood(deps: WorkerDependencies, job: Job, error: Error): Promise<void> {
  try {
    if ((await job.getState()) !== 'failed') return;
    await abandonStart(deps, job, job.attemptsMade, error);
  } catch (rollbackError) {
    deps.log.error({ jobId: job.id, err: String(rollbackError) }, 'rollback of an abandoned start failed');
  }
}
