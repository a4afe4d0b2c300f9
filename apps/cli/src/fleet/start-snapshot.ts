import type { ClusterDict } from '@elastiq/core';
import { type FleetProducer, clusterSetupJobId, generationKeys, parseNodeResults, parseStoredDecision, type StoredDecision } from '@elastiq/queue';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** Per-kind counts of a start in progress: what the progress bars show. */
export interface KindProgress {
  wanted: number;
  launched: number;
  running: number;
  up: number;
  failed: number;
}

export interface StartSnapshot {
  /** null: the record is gone (stopped and deleted). */
  cluster: ClusterDict | null;
  kinds: Record<string, KindProgress>;
  decision: StoredDecision | null;
  /** The setup job's current step while the cluster is `setting-up`. */
  setupStep: string | null;
}

// The workers' shared DescribeInstances snapshot: only the fields the progress needs, leniently,
// since it is written by another program.
const DescribeSnapshotSchema = z.object({
  instances: z.array(z.object({ instanceId: z.string(), state: z.string() }).loose()),
});

const SetupProgressSchema = z.object({ step: z.string() }).loose();

/**
 * Reads the live state of a cluster's current start from the fleet's Redis: the record, which
 * nodes got an instance, which instances the cloud reports running, and the nodes' results.
 * Read-only: watching never changes anything.
 */
export async function readStartSnapshot(redis: Redis, producer: FleetProducer, prefix: string, cluster: ClusterDict | null): Promise<StartSnapshot> {
  if (cluster === null) return { cluster, kinds: {}, decision: null, setupStep: null };
  const keys = generationKeys(prefix, cluster.name, cluster.generation);
  const [instances, rawResults, rawDescribe, rawDecision] = await Promise.all([
    redis.hgetall(keys.nodeInstance),
    redis.hgetall(keys.results),
    redis.get(keys.describe),
    redis.get(keys.decision),
  ]);
  const results = parseNodeResults(rawResults);
  const describe = rawDescribe === null ? null : DescribeSnapshotSchema.safeParse(JSON.parse(rawDescribe));
  const running = new Set(describe?.success ? describe.data.instances.filter((i) => i.state === 'running').map((i) => i.instanceId) : []);

  const kinds: Record<string, KindProgress> = {};
  for (const [kind, nodes] of Object.entries(cluster.nodes)) {
    const progress: KindProgress = { wanted: nodes.length, launched: 0, running: 0, up: 0, failed: 0 };
    for (const node of nodes) {
      const instanceId = instances[node.name] ?? node.instanceId;
      const outcome = results[node.name]?.outcome ?? (node.state === 'up' ? 'up' : node.state === 'failed' || node.state === 'down' ? 'failed' : null);
      if (instanceId) progress.launched += 1;
      if (outcome === 'up' || (instanceId && running.has(instanceId))) progress.running += 1;
      if (outcome === 'up') progress.up += 1;
      if (outcome === 'down' || outcome === 'failed') progress.failed += 1;
    }
    kinds[kind] = progress;
  }
  let setupStep: string | null = null;
  if (cluster.status === 'setting-up') {
    const job = await producer.queues.clusterSetup.getJob(clusterSetupJobId(cluster.name, cluster.generation));
    const progress = SetupProgressSchema.safeParse(job?.progress);
    setupStep = progress.success ? progress.data.step : job === undefined ? 'waiting for a setup worker' : 'queued';
  }
  return { cluster, kinds, decision: parseStoredDecision(rawDecision), setupStep };
}
