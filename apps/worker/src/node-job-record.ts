import type { ClusterDict, NodeDict } from '@elastiq/core';
import { generationOf } from '@elastiq/queue';
import { type ClusterRepository, RedisClusterRepository } from '@elastiq/store';
import type { RedisConnection } from '@elastiq/redis';
import { allNodes } from './generation-state';
import { sharedFlight } from './shared-flight';

// Every node job of a start needs the cluster record, and a start of N nodes runs many node jobs
// (N starts, N × rounds probes) while the record changes only a handful of times (one save per
// launch batch, then the decision). Reading and validating the whole record per job made a start
// O(N²): at N=1000 the record is 488 kB of JSON and ~10 ms of parsing. A worker keeps the parsed
// record per cluster and re-reads it only when its revision (one small HGET) has moved on.

/** A read-only view of a cluster record, indexed for node jobs. */
export interface NodeJobRecord {
  /** Frozen: every job of the worker holds the same object. */
  readonly record: ClusterDict;
  readonly revision: number;
  /** How many nodes the record lists. */
  readonly nodeCount: number;
  /** How many nodes a generation launched (what "every node of a start or resize reported" means). */
  nodeCountOf(generation: number): number;
  node(name: string): NodeDict | undefined;
}

interface RecordCache {
  records: Map<string, NodeJobRecord>;
  /** Reads in flight by cluster: the jobs that find the record changed share one read and parse. */
  reading: Map<string, Promise<NodeJobRecord | null>>;
}

const cachesByRepository = new WeakMap<ClusterRepository, RecordCache>();

/** The current record of `name`, shared by the node jobs of this worker; null when there is none. */
export async function readNodeJobRecord(repository: ClusterRepository, redis: RedisConnection, name: string): Promise<NodeJobRecord | null> {
  if (!(repository instanceof RedisClusterRepository)) return indexed(await repository.get(name));
  let cache = cachesByRepository.get(repository);
  if (cache === undefined) {
    cache = { records: new Map(), reading: new Map() };
    cachesByRepository.set(repository, cache);
  }
  const observed = await redis.hget(repository.recordKey(name), 'revision');
  const cached = cache.records.get(name);
  if (cached !== undefined && observed === String(cached.revision)) return cached;
  // Every save (one per launch batch) makes all the node jobs in flight (hundreds) miss at once;
  // one read per worker answers them, instead of one 488 kB parse each at N=1000.
  const fresh = await sharedRead(cache, repository, name);
  // A read that began before the revision this job saw answers with an older record: read again.
  if (fresh !== null && observed !== null && fresh.revision < Number(observed)) return sharedRead(cache, repository, name);
  return fresh;
}

function sharedRead(cache: RecordCache, repository: ClusterRepository, name: string): Promise<NodeJobRecord | null> {
  // Changed, gone or never read: the repository reads and validates it (and names a corrupt record).
  return sharedFlight(cache.reading, name, async () => {
    const fresh = indexed(await repository.get(name));
    if (fresh === null) cache.records.delete(name);
    else cache.records.set(name, fresh);
    return fresh;
  });
}

function indexed(versioned: { value: ClusterDict; revision: number } | null): NodeJobRecord | null {
  if (versioned === null) return null;
  const record = versioned.value;
  const nodes = new Map(allNodes(record).map((node) => [node.name, node]));
  const perGeneration = new Map<number, number>();
  for (const node of nodes.values()) perGeneration.set(generationOf(record, node), (perGeneration.get(generationOf(record, node)) ?? 0) + 1);
  return {
    record: deepFreeze(record),
    revision: versioned.revision,
    nodeCount: nodes.size,
    nodeCountOf: (generation) => perGeneration.get(generation) ?? 0,
    node: (name) => nodes.get(name),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
