import type { ClusterStatus } from '@elastiq/core';
import type { ElastiqClient } from './elastiq-client';
import { readStartSnapshot, type StartSnapshot } from './start-snapshot';

/** Statuses the fleet moves a cluster through; any other status is where it ended. */
const IN_PROGRESS = new Set<ClusterStatus>(['starting', 'setting-up', 'stopping', 'resizing', 'pausing', 'resuming']);

export function isInProgress(status: ClusterStatus): boolean {
  return IN_PROGRESS.has(status);
}

export interface FollowOptions {
  /** How often the fleet's state is read (default 300 ms). */
  pollMs?: number;
  /** Stops following (the fleet's work goes on); the iteration then simply ends. */
  signal?: AbortSignal;
}

/**
 * Snapshots of a cluster (record, per-kind counts, decision, setup step) until it is no longer
 * starting, setting up or stopping: the last one is where it ended (its `cluster` is null when
 * the record was deleted). Read-only: following never changes anything.
 */
export async function* followCluster(client: ElastiqClient, name: string, { pollMs = 300, signal }: FollowOptions = {}): AsyncGenerator<StartSnapshot> {
  for (;;) {
    const record = await client.get(name);
    yield await readStartSnapshot(client.connection, client.producer, client.settings.queuePrefix, record);
    if (record === null || !IN_PROGRESS.has(record.status) || signal?.aborted) return;
    await pause(pollMs, signal);
    if (signal?.aborted) return;
  }
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
