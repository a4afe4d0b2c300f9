import type { CloudInstance, CloudProvider } from '@elastiq/cloud';
import { z } from 'zod';
import type { WorkerDependencies } from './worker-dependencies';

// Polling each node with its own DescribeInstances is what gets clusters throttled. One
// tag-filtered, paginated DescribeInstances per generation per interval serves every probe job
// on every worker: the snapshot is cached in Redis and one worker at a time refreshes it.

const SnapshotSchema = z.object({
  at: z.number(),
  instances: z.array(z.custom<CloudInstance>((value) => typeof value === 'object' && value !== null)),
});

const LOCK_MS = 15_000;

// Each worker also keeps the last snapshot it saw per generation: a probe job then reads the
// (N-instance) snapshot from Redis at most once per max age and worker, not once per job, and
// finds its instance through an index instead of a scan.
interface Memo {
  snapshot: DescribeSnapshot;
  byId: Map<string, CloudInstance>;
}
const memos = new WeakMap<WorkerDependencies, Map<string, Memo>>();
/** Refreshes in flight by snapshot key: the probe jobs that find the memo stale share one read and parse. */
const refreshing = new WeakMap<WorkerDependencies, Map<string, Promise<DescribeSnapshot>>>();
/** Snapshots this old are of finished starts: drop them so that a long-lived worker does not keep every start's. */
const FORGET_AFTER_MS = 10 * 60_000;

/** The instance `instanceId` as the shared snapshot lists it, and how old that listing is. */
export async function describeInstance(
  deps: WorkerDependencies,
  state: DescribeScope,
  cloud: CloudProvider,
  instanceId: string,
): Promise<{ instance: CloudInstance | undefined; snapshotAgeMs: number }> {
  let memosOfWorker = memos.get(deps);
  if (memosOfWorker === undefined) {
    memosOfWorker = new Map();
    memos.set(deps, memosOfWorker);
  }
  let memo = memosOfWorker.get(state.keys.describe);
  if (memo === undefined || Date.now() - memo.snapshot.at >= deps.tuning.describeMaxAgeMs) {
    const snapshot = await sharedRefresh(deps, state, cloud);
    memo = memosOfWorker.get(state.keys.describe);
    if (memo?.snapshot !== snapshot) {
      memo = { snapshot, byId: new Map(snapshot.instances.map((instance) => [instance.instanceId, instance])) };
      for (const [key, old] of memosOfWorker) if (Date.now() - old.snapshot.at > FORGET_AFTER_MS) memosOfWorker.delete(key);
      memosOfWorker.set(state.keys.describe, memo);
    }
  }
  return { instance: memo.byId.get(instanceId), snapshotAgeMs: Date.now() - memo.snapshot.at };
}

/** One describeGeneration per worker and snapshot at a time (50 probe jobs would each parse the N-instance snapshot). */
function sharedRefresh(deps: WorkerDependencies, state: DescribeScope, cloud: CloudProvider): Promise<DescribeSnapshot> {
  let inFlight = refreshing.get(deps);
  if (inFlight === undefined) {
    inFlight = new Map();
    refreshing.set(deps, inFlight);
  }
  const running = inFlight.get(state.keys.describe);
  if (running !== undefined) return running;
  const refresh = describeGeneration(deps, state, cloud);
  const byKey = inFlight;
  const forget = () => {
    if (byKey.get(state.keys.describe) === refresh) byKey.delete(state.keys.describe);
  };
  refresh.then(forget, forget);
  byKey.set(state.keys.describe, refresh);
  return refresh;
}

export type DescribeSnapshot = z.infer<typeof SnapshotSchema>;

/** What a snapshot is of: one generation of a start, or the whole cluster (a resume: nodes of any generation). */
export interface DescribeScope {
  keys: { describe: string; describeLock: string };
  cluster: string;
  generation?: number;
}

/** The generation's instances as the cloud listed them at `at` (at most `maxAgeMs` ago, unless another worker is refreshing it right now). */
export async function describeGeneration(
  deps: WorkerDependencies,
  state: DescribeScope,
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

async function readSnapshot(deps: WorkerDependencies, state: DescribeScope): Promise<DescribeSnapshot | null> {
  const raw = await deps.redis.get(state.keys.describe);
  return raw === null ? null : SnapshotSchema.parse(JSON.parse(raw));
}
