import type { CloudInstance, CloudProvider } from '@elastiq/cloud';
import { z } from 'zod';
import type { GenerationState } from './generation-state';
import type { WorkerDependencies } from './worker-dependencies';

// Polling each node with its own DescribeInstances is what gets clusters throttled. One
// tag-filtered, paginated DescribeInstances per generation per interval serves every probe job
// on every worker: the snapshot is cached in Redis and one worker at a time refreshes it.

const SnapshotSchema = z.object({
  at: z.number(),
  instances: z.array(z.custom<CloudInstance>((value) => typeof value === 'object' && value !== null)),
});

const LOCK_MS = 15_000;

export type DescribeSnapshot = z.infer<typeof SnapshotSchema>;

/** The generation's instances as the cloud listed them at `at` (at most `maxAgeMs` ago, unless another worker is refreshing it right now). */
export async function describeGeneration(
  deps: WorkerDependencies,
  state: GenerationState,
  cloud: CloudProvider,
  maxAgeMs = deps.tuning.describeMaxAgeMs,
): Promise<DescribeSnapshot> {
  const cached = await readSnapshot(deps, state);
  if (cached !== null && Date.now() - cached.at < maxAgeMs) return cached;
  const lockToken = String(Math.random());
  const locked = await deps.redis.set(state.keys.describeLock, lockToken, 'PX', LOCK_MS, 'NX');
  if (locked === null) {
    // Another worker is refreshing it: a slightly stale snapshot is fine for deciding when to probe.
    return cached ?? { at: 0, instances: [] };
  }
  try {
    const instances = await cloud.describeCluster(state.cluster, state.generation);
    const snapshot = { at: Date.now(), instances };
    await deps.redis.set(state.keys.describe, JSON.stringify(snapshot), 'PX', 10 * 60_000);
    return snapshot;
  } finally {
    if ((await deps.redis.get(state.keys.describeLock)) === lockToken) await deps.redis.del(state.keys.describeLock);
  }
}

async function readSnapshot(deps: WorkerDependencies, state: GenerationState): Promise<DescribeSnapshot | null> {
  const raw = await deps.redis.get(state.keys.describe);
  return raw === null ? null : SnapshotSchema.parse(JSON.parse(raw));
}
