import { type JobsOptions, Queue } from 'bullmq';
import type { RedisConnection } from '@elastiq/redis';
import { ALL_QUEUE_KINDS, QUEUE_NAMES, type QueueKind } from './queue-names';

export type FleetQueues = Record<QueueKind, Queue> & { close(): Promise<void> };

// Jobs are kept for a day after success so that deterministic ids keep deduplicating a re-sent
// command; failures are kept a week for the post-mortem in Bull Board.
const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * Retries are for surprises (a lost connection, a crashed worker): expected waiting is done with
 * step jobs (moveToDelayed), which does not consume attempts.
 */
export const DEFAULT_JOB_OPTIONS: Record<QueueKind, JobsOptions> = {
  nodeStart: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  nodeProbe: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  // A lost watcher only slows the probes down to their fallback look: a few retries suffice.
  probeWatch: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  nodeStop: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  clusterCoordinator: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  // A stop that keeps failing must stay visible, so it retries for a long while (~1 h).
  clusterStop: { ...KEEP, attempts: 20, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
  clusterSetup: { ...KEEP, attempts: 1 },
  clusterPause: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
  clusterResume: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
  nodeResume: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  // The CLI waits for an update: a few quick retries, then its reason.
  clusterUpdate: { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 500, jitter: 0.5 } },
  clusterShrink: { ...KEEP, attempts: 10, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
  // A sweep is repeated by its schedule anyway; a CLI request waits for it, so fail soon and say why.
  fleetGc: { ...KEEP, attempts: 3, backoff: { type: 'exponential', delay: 1000, jitter: 0.5 } },
};

/** Per kind, options that replace the defaults above for the jobs added through these queues. */
export type JobOptionsOverrides = Partial<Record<QueueKind, JobsOptions>>;

/** One Queue per job kind on a shared connection, under the installation's prefix. */
export function openFleetQueues(connection: RedisConnection, prefix: string, overrides: JobOptionsOverrides = {}): FleetQueues {
  const queues = {} as Record<QueueKind, Queue>;
  for (const kind of ALL_QUEUE_KINDS) {
    queues[kind] = new Queue(QUEUE_NAMES[kind], { connection, prefix, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS[kind], ...overrides[kind] } });
    // A Queue re-emits its connection's errors; with no listener BullMQ console.errors each one
    // with its stack (hundreds a second while Redis is down). The same failure already rejects
    // the caller's command, which is where it is reported, so the event is dropped here.
    queues[kind].on('error', () => undefined);
  }
  return {
    ...queues,
    async close() {
      await Promise.all(ALL_QUEUE_KINDS.map((kind) => queues[kind].close()));
    },
  };
}
