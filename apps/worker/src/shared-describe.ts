import type { CloudInstance, CloudProvider } from '@elastiq/cloud';
import { z } from 'zod';
import { sharedFlight } from './shared-flight';
import type { WorkerDependencies } from './worker-dependencies';

// Polling each node with its own DescribeInstances is what gets clusters throttled. One
// tag-filtered, paginated DescribeInstances per generation per interval serves every probe job
// on every worker: the snapshot is cached in Redis and one worker at a time refreshes it.

const SnapshotSchema = z.object({
  at: z.number(),
  instances: z.array(z.custom<CloudInstance>((value) => typeof value === 'object' && value !== null)),
});

const LOCK_MS = 15_000;
/** DescribeInstances' largest page: one call lists this many instances. */
const PAGE_SIZE = 1000;
/** Snapshots of up to this many pages are refreshed every max age; larger ones less often. */
const FREE_PAGES = 2;
/** A settled snapshot serves this many max ages. */
const SETTLED_FACTOR = 5;
/** States an instance of a start or resume does not leave by itself (a stopped one may be about to resume). */
const SETTLED_STATES: ReadonlySet<string> = new Set(['running', 'terminated']);

/** What decides how long a snapshot serves: its size, and whether anything in it can still change. */
export interface SnapshotShape {
  count: number;
  /** Every instance listed runs (or is gone for good): only an instance that dies now changes it. */
  settled: boolean;
}

export function shapeOf(instances: readonly CloudInstance[]): SnapshotShape {
  return { count: instances.length, settled: instances.length > 0 && instances.every((instance) => SETTLED_STATES.has(instance.state)) };
}

/**
 * How long a snapshot serves. A refresh costs the cloud and the refreshing worker one XML page
 * per 1,000 instances, and every worker that reads it a parse of all of them: at 10,000
 * instances a refresh every second was a third of a worker's CPU (AWS SDK XML parsing) and a
 * quarter of cloud-sim's. Past FREE_PAGES the age grows with the pages, so the refresh costs
 * about the same per second at any size; a large start learns that an instance runs a few
 * seconds later, a small one as before. Once every instance runs, the snapshot only tells a
 * probe that its instance died under it, which can wait a few seconds: at 1,000 sshd nodes the
 * parses of a refresh a second while the nodes boot were half of what a worker allocated (an
 * AWS SDK parse of a 1,000-instance page makes tens of MB of garbage).
 */
export function snapshotMaxAgeMs(describeMaxAgeMs: number, shape: SnapshotShape): number {
  const pages = Math.ceil(shape.count / PAGE_SIZE);
  return describeMaxAgeMs * Math.max(shape.settled ? SETTLED_FACTOR : 1, pages / FREE_PAGES);
}

// Each worker also keeps the last snapshot it saw per generation: a probe job then reads the
// (N-instance) snapshot from Redis at most a few times per max age and worker, not once per job,
// and finds its instance through an index instead of a scan. The jobs that find it stale at the
// same moment share one look; only a worker with no snapshot at all waits for the cloud. The
// others go on with the one they have while the refresh runs: a DescribeInstances of 10,000
// instances (10 pages) takes seconds, and every probe slot of the worker would wait for it.
/** A snapshot as a worker reads it: indexed by instance id and shaped once, when it is read. */
interface IndexedSnapshot {
  snapshot: DescribeSnapshot;
  shape: SnapshotShape;
  byId: ReadonlyMap<string, CloudInstance>;
}
interface Memo extends IndexedSnapshot {
  /** When this worker last looked at Redis for a newer snapshot. */
  lookedAt: number;
}
const memos = new WeakMap<WorkerDependencies, Map<string, Memo>>();
/** Looks in flight by snapshot key. */
const looking = new WeakMap<WorkerDependencies, Map<string, Promise<IndexedSnapshot>>>();
/** Snapshots this old are of finished starts: drop them so that a long-lived worker does not keep every start's. */
const FORGET_AFTER_MS = 10 * 60_000;

/** The instance `instanceId` as the shared snapshot lists it, and how old that listing is. */
export async function describeInstance(
  deps: WorkerDependencies,
  state: DescribeScope,
  cloud: CloudProvider,
  instanceId: string,
): Promise<{ instance: CloudInstance | undefined; snapshotAgeMs: number }> {
  const listed = await describedInstances(deps, state, cloud, [instanceId]);
  return { instance: listed.get(instanceId), snapshotAgeMs: listed.ageMs };
}

/**
 * The shared snapshot as this worker holds it, indexed by instance id (what the probe watcher
 * reads every round). A settled snapshot serves longer only if it lists every `wanted` instance:
 * one launched after it (a retried launch) must not wait for the longer age to be seen.
 */
export async function describedInstances(
  deps: WorkerDependencies,
  state: DescribeScope,
  cloud: CloudProvider,
  wanted: readonly string[] = [],
): Promise<{ get(instanceId: string): CloudInstance | undefined; ageMs: number }> {
  const memosOfWorker = perWorker(memos, deps);
  let memo = memosOfWorker.get(state.keys.describe);
  const maxAgeMs = memo === undefined ? 0 : snapshotMaxAgeMs(deps.tuning.describeMaxAgeMs, forWanted(memo.shape, memo.byId, wanted));
  // While a refresh is slow, a stale snapshot is looked for in Redis at most 4 times per max age.
  if (memo === undefined || (Date.now() - memo.snapshot.at >= maxAgeMs && Date.now() - memo.lookedAt >= maxAgeMs / 4)) {
    const looked = await sharedLook(deps, state, cloud, wanted, memo);
    memo = memosOfWorker.get(state.keys.describe);
    if (memo?.snapshot.at !== looked.snapshot.at) {
      memo = { ...looked, lookedAt: Date.now() };
      for (const [key, old] of memosOfWorker) if (Date.now() - old.snapshot.at > FORGET_AFTER_MS) memosOfWorker.delete(key);
      memosOfWorker.set(state.keys.describe, memo);
    } else {
      memo.lookedAt = Date.now();
    }
  }
  const { byId } = memo;
  return { get: (instanceId) => byId.get(instanceId), ageMs: Date.now() - memo.snapshot.at };
}

/** `shape`, unsettled unless every wanted instance is listed. */
function forWanted(shape: SnapshotShape, listed: ReadonlyMap<string, unknown>, wanted: readonly string[]): SnapshotShape {
  return shape.settled && !wanted.every((instanceId) => listed.has(instanceId)) ? { ...shape, settled: false } : shape;
}

function indexed(snapshot: DescribeSnapshot): IndexedSnapshot {
  return { snapshot, shape: shapeOf(snapshot.instances), byId: new Map(snapshot.instances.map((instance) => [instance.instanceId, instance])) };
}

function perWorker<V>(maps: WeakMap<WorkerDependencies, Map<string, V>>, deps: WorkerDependencies): Map<string, V> {
  let map = maps.get(deps);
  if (map === undefined) {
    map = new Map();
    maps.set(deps, map);
  }
  return map;
}

/** One look per worker and snapshot at a time (50 probe jobs would each parse the N-instance snapshot). */
function sharedLook(
  deps: WorkerDependencies,
  state: DescribeScope,
  cloud: CloudProvider,
  wanted: readonly string[],
  known: IndexedSnapshot | undefined,
): Promise<IndexedSnapshot> {
  return sharedFlight(perWorker(looking, deps), state.keys.describe, () => lookUp(deps, state, cloud, wanted, known));
}

/**
 * The snapshot in Redis; when it is stale, a refresh from the cloud is started, and waited for
 * only if there is none. The one this worker already holds (`known`) is not indexed again.
 */
async function lookUp(
  deps: WorkerDependencies,
  state: DescribeScope,
  cloud: CloudProvider,
  wanted: readonly string[],
  known: IndexedSnapshot | undefined,
): Promise<IndexedSnapshot> {
  const read = await readSnapshot(deps, state);
  const cached = read === null ? null : read.at === known?.snapshot.at ? known : indexed(read);
  if (cached !== null && Date.now() - cached.snapshot.at < snapshotMaxAgeMs(deps.tuning.describeMaxAgeMs, forWanted(cached.shape, cached.byId, wanted))) {
    return cached;
  }
  // Not describeGeneration: it would GET and parse the N-instance snapshot just read once more.
  const refresh = refreshSnapshot(deps, state, cloud, read);
  if (cached === null) return indexed(await refresh);
  refresh.catch((error: unknown) =>
    deps.log.warn({ cluster: state.cluster, err: error instanceof Error ? error.message : String(error) }, 'refreshing the shared DescribeInstances snapshot failed'),
  );
  return cached;
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
  return refreshSnapshot(deps, state, cloud, cached);
}

/** Lists the instances again unless another worker is doing it (then `cached`, possibly stale, is the answer). */
async function refreshSnapshot(deps: WorkerDependencies, state: DescribeScope, cloud: CloudProvider, cached: DescribeSnapshot | null): Promise<DescribeSnapshot> {
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
