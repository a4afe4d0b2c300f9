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

export async function describeGeneration(
  deps: WorkerDependencies,
  state: GenerationState,
  cloud: CloudProvider,
  maxAgeMs = deps.tuning.describeMaxAgeMs,
): Promise<CloudInstance[]> {
  const cached = await readSnapshot(deps, state);
  if (cached !== null && Date.now() - cached.at < maxAgeMs) return cached.instances;
  const lockToken = String(Math.random());
  const locked = await deps.redis.set(state.keys.describeLock, lockToken, 'PX', LOCK_MS, 'NX');
  if (locked === null) {
    // Another worker is refreshing it: a slightly stale snapshot is fine for deciding when to probe.
    return cached?.instances ?? [];
  }
  try {
    const instances = await cloud.describeCluster(state.cluster, state.generation);
    await deps.redis.set(state.keys.describe, JSON.stringify({ at: Date.now(), instances }), 'PX', 10 * 60_000);
    return instances;
  } finally {
    if ((await deps.redis.get(state.keys.describeLock)) === lockToken) await deps.redis.del(state.keys.describeLock);
  }
}

async function readSnapshot(deps: WorkerDependencies, state: GenerationState): Promise<z.infer<typeof SnapshotSchema> | null> {
  const raw = await deps.redis.get(state.keys.describe);
  return raw === null ? null : SnapshotSchema.parse(JSON.parse(raw));
}
